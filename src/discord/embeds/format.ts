import type { ContainerStats } from '../../docker/stats.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** "CPU 12.5% · RAM 1.2 GiB / 4.0 GiB (30.0%)"; plain text, safe anywhere. */
export function statsLine(stats: ContainerStats): string {
  const cpu = stats.cpuPercent === null ? 'CPU —' : `CPU ${stats.cpuPercent.toFixed(1)}%`;
  let memory = `RAM ${formatBytes(stats.memoryBytes)}`;
  if (stats.memoryLimitBytes > 0) memory += ` / ${formatBytes(stats.memoryLimitBytes)}`;
  if (stats.memoryPercent !== null) memory += ` (${stats.memoryPercent.toFixed(1)}%)`;
  return `${cpu} · ${memory}`;
}
