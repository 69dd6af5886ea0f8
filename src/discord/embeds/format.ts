import type { ContainerStats } from '../../docker/stats.js';

/** The two largest units that matter: "3d 4h", "1h 12m", "5m 3s", "42s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.floor(seconds);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${total % 60}s`;
  return `${total}s`;
}

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
