import type { ContainerStats } from '../docker/stats.js';

/**
 * Numbers as the status board shows them: coarse on purpose, so that a board whose meaning did not
 * change renders (and fingerprints) the same from one sweep to the next.
 *
 * - Uptime, always rounded down: "<1m" under a minute, whole minutes under an hour ("42m"), whole
 *   hours under a day ("5h"), then days and hours ("3d 4h"). Seconds never show.
 * - CPU: whole percent ("CPU 37%").
 * - Memory: rounded to the nearest 10 MiB; shown in MiB below 1 GiB ("740 MiB"), else in GiB with
 *   two decimals ("1.21 GiB"); its share of the limit in whole percent.
 */

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
export const MEMORY_STEP_BYTES = 10 * MIB;
export const NONE = '—';

export function coarseUptime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return NONE;
  if (seconds < MINUTE) return '<1m';
  if (seconds < HOUR) return `${Math.floor(seconds / MINUTE)}m`;
  if (seconds < DAY) return `${Math.floor(seconds / HOUR)}h`;
  const days = Math.floor(seconds / DAY);
  const hours = Math.floor((seconds % DAY) / HOUR);
  return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
}

export function coarseMemory(bytes: number): string {
  if (!Number.isFinite(bytes)) return NONE;
  const rounded = Math.round(Math.max(0, bytes) / MEMORY_STEP_BYTES) * MEMORY_STEP_BYTES;
  if (rounded < GIB) return `${rounded / MIB} MiB`;
  return `${(rounded / GIB).toFixed(2)} GiB`;
}

function percent(value: number | null | undefined): string | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : `${Math.round(value)}%`;
}

/**
 * "CPU 37% · RAM 1.21 GiB / 4.00 GiB (30%)"; with `withLimit` false, "CPU 37% · RAM 1.21 GiB".
 * '—' for whatever Docker did not give. Plain text, safe anywhere.
 */
export function coarseStats(stats: ContainerStats | null, withLimit = true): string {
  const cpu = `CPU ${percent(stats?.cpuPercent) ?? NONE}`;
  if (!stats) return `${cpu} · RAM ${NONE}`;
  let memory = `RAM ${coarseMemory(stats.memoryBytes)}`;
  if (withLimit && stats.memoryLimitBytes > 0) memory += ` / ${coarseMemory(stats.memoryLimitBytes)}`;
  const share = percent(stats.memoryPercent);
  if (withLimit && share !== null) memory += ` (${share})`;
  return `${cpu} · ${memory}`;
}

// Room for "<t:…:R>" until the year 5138, so a board's layout never depends on the time.
export const MAX_SECONDS = 99_999_999_999;

/** A Discord timestamp (`<t:1700000000:R>`, shown in each reader's timezone), clamped to the range the layout reserves. `at` is in ms. */
export function discordTime(at: number, style: 'R' | 'T'): string {
  const seconds = Number.isFinite(at) ? Math.min(Math.max(0, Math.floor(at / 1000)), MAX_SECONDS) : 0;
  return `<t:${seconds}:${style}>`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
