/**
 * Text every layer shows people: one truncation rule and one way to say a duration. At the bottom
 * of the import graph beside errors.ts, so it imports nothing from the project.
 */

export const ELLIPSIS = '…';

/**
 * `text` in at most `max` UTF-16 code units (what Discord counts for embeds, and what discord.js
 * measures), ending in an ellipsis when it had to be cut. Never leaves half a surrogate pair, which
 * would show as a replacement character, nor blanks before the ellipsis.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const limit = Math.floor(max);
  if (!(limit >= 1)) return '';
  let end = limit - ELLIPSIS.length;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in seconds as its two largest units, rounded down: "3d 4h", "1h 12m", "5m 3s", "42s";
 * under ten seconds with tenths ("1.2s"), under one in milliseconds ("250ms"). `none` stands for
 * a missing, negative or non-finite duration.
 */
export function formatDuration(seconds: number | null | undefined, none = '—'): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return none;
  // Rounded once to whole milliseconds, so float noise (0.3 * 1000) cannot tip a unit over.
  const ms = Math.round(seconds * SECOND);
  // "0ms" would suggest a measurement finer than anything here.
  if (ms === 0) return '0s';
  if (ms < SECOND) return `${ms}ms`;
  if (ms < 10 * SECOND) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const secs = Math.floor((ms % MINUTE) / SECOND);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${secs}s`;
  return `${secs}s`;
}

/**
 * Orders by UTF-16 code units. Names here are Docker's ASCII names; localeCompare would load ICU's
 * collation data into every bot for nothing (megabytes of resident memory).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
