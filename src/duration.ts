/**
 * Durations people type (`30s`, `10m`, `2h`, `1h30m`) and the words a player or member reads
 * ("5 minutes"). At the bottom of the import graph beside text.ts: config, commands and automation
 * all parse the same way.
 *
 * `parseDuration` throws a `DurationError`, a UserError: its message names the input and what is
 * wrong with it, written to be shown as is (callers may prefix which option it came from).
 */
import { UserError } from './errors.js';
import { truncate } from './text.js';

export class DurationError extends UserError {
  override name = 'DurationError';
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const UNITS: Record<string, number> = { h: HOUR, m: MINUTE, s: SECOND };
const ORDER = ['h', 'm', 's'];
const EXAMPLES = '30s, 10m, 2h or 1h30m';
const PART = /(\d+(?:[.,]\d+)?)\s*([a-z]*)\s*/gy;

/**
 * Milliseconds in `text`: whole numbers each followed by a unit (h, m, s; case and blanks between
 * parts do not matter), hours before minutes before seconds, each unit once, more than zero.
 */
export function parseDuration(text: string): number {
  const input = text.trim().toLowerCase();
  const shown = `\`${truncate(text.trim().replace(/`/g, 'ˋ'), 40)}\``;
  if (input === '') throw new DurationError(`Give a duration such as ${EXAMPLES}.`);
  let total = 0;
  let position = 0;
  let lastUnit = -1;
  PART.lastIndex = 0;
  for (let match = PART.exec(input); match !== null; match = PART.exec(input)) {
    const [, digits = '', unit = ''] = match;
    position = PART.lastIndex;
    if (/[.,]/.test(digits))
      throw new DurationError(`${shown}: use whole numbers, e.g. 1h30m rather than 1.5h.`);
    if (unit === '')
      throw new DurationError(`${shown}: ${digits} needs a unit; use s, m or h (e.g. ${digits}m).`);
    const size = UNITS[unit];
    if (size === undefined) throw new DurationError(`${shown}: unknown unit ${unit}; use s, m or h.`);
    const rank = ORDER.indexOf(unit);
    if (rank === lastUnit) throw new DurationError(`${shown}: ${unit} appears twice.`);
    if (rank < lastUnit)
      throw new DurationError(`${shown}: put hours before minutes before seconds, e.g. 1h30m.`);
    lastUnit = rank;
    total += Number(digits) * size;
    if (!Number.isSafeInteger(total)) throw new DurationError(`${shown}: too long.`);
  }
  if (position !== input.length || lastUnit === -1) {
    throw new DurationError(`${shown}: not a duration; write it like ${EXAMPLES}.`);
  }
  if (total === 0) throw new DurationError(`${shown}: a duration must be longer than zero.`);
  return total;
}

/**
 * `ms` in words, its two largest units, rounded to the nearest second: "5 minutes", "1 minute",
 * "30 seconds", "1 hour 30 minutes", "2 minutes 5 seconds". Under a second reads "less than a second".
 */
export function formatDurationWords(ms: number): string {
  const seconds = Math.round(ms / SECOND);
  if (!(seconds >= 1)) return 'less than a second';
  const parts: string[] = [];
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = seconds % 60;
  if (hours > 0) parts.push(words(hours, 'hour'), words(minutes, 'minute'));
  else if (minutes > 0) parts.push(words(minutes, 'minute'), words(secs, 'second'));
  else parts.push(words(secs, 'second'));
  return parts.filter((part) => part !== '').join(' ');
}

function words(count: number, unit: string): string {
  if (count === 0) return '';
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
