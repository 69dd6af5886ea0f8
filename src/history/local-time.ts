import type { GraphPeriod } from '../servers/player-history.js';
import { HOUR_MS, MINUTE_MS } from './history-store.js';

export interface LocalParts {
  hour: number;
  minute: number;
  day: number;
  weekday: string;
  month: string;
}

export interface TimeTick {
  value: number;
  label: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      day: 'numeric',
      weekday: 'short',
      month: 'short',
    });
    formatters.set(timezone, format);
  }
  return format;
}

/** The wall clock in `timezone` at `ms`. */
export function localParts(ms: number, timezone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(timezone).formatToParts(ms)) parts[part.type] = part.value;
  return {
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    day: Number(parts.day),
    weekday: parts.weekday ?? '',
    month: parts.month ?? '',
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "20:00–21:00": an hour of the day as the embed names it. */
export function hourRange(hour: number): string {
  return `${pad(hour)}:00–${pad((hour + 1) % 24)}:00`;
}

/**
 * Ticks on the local wall clock of `timezone`, not UTC's: every 3 hours over a day, every midnight
 * over a week, every 5th midnight over a month. Walking UTC hours and stepping back by the local
 * minutes finds local hours also in zones offset by 30 or 45 minutes, and across DST changes.
 */
export function timeTicks(from: number, to: number, period: GraphPeriod, timezone: string): TimeTick[] {
  const ticks: TimeTick[] = [];
  let midnights = 0;
  for (let t = Math.ceil(from / HOUR_MS) * HOUR_MS; t <= to + HOUR_MS; t += HOUR_MS) {
    const parts = localParts(t, timezone);
    const value = t - parts.minute * MINUTE_MS;
    if (value < from || value > to) continue;
    if (period === '24h') {
      if (parts.hour % 3 === 0) {
        const label = parts.hour === 0 ? `${parts.weekday} ${parts.day}` : `${pad(parts.hour)}:00`;
        ticks.push({ value, label });
      }
      continue;
    }
    if (parts.hour !== 0) continue;
    if (period === '7d') ticks.push({ value, label: `${parts.weekday} ${parts.day}` });
    else if (midnights++ % 5 === 0) ticks.push({ value, label: `${parts.day} ${parts.month}` });
  }
  return ticks;
}
