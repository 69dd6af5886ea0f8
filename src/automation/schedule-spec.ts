/**
 * What `/schedule add ... when:` accepts, and when each kind comes due:
 *
 * - a 5-field cron expression (minute hour day-of-month month weekday), in the bot's timezone (TZ);
 * - `daily 04:00` and `weekly sun 04:00`, spelled as cron underneath;
 * - `every 12h`: anchored to the schedule's creation time (runs at created + 12h, + 24h, ...), so a
 *   bot restart neither shifts it nor resets it, and no timezone or DST change moves it;
 * - `empty after 12h`: a condition, not a time: once no user but the headless's own is present and
 *   the container has run at least that long (counted from its start, or from the schedule's last
 *   run when that is later, so a restart that did not happen is not retried at once).
 *
 * Cron arithmetic (timezones, DST gaps and repeats, month ends) is croner's: a fixed time in a DST
 * gap runs at the first valid time after it, and a time that occurs twice runs once. Cron
 * descriptions are cronstrue's. The field check below exists only to say what is wrong in words.
 */
import { createRequire } from 'node:module';
import type { Cron } from 'croner';
import type Cronstrue from 'cronstrue';

// Loaded on first use (about 13 MB resident between them): a bot with no cron schedule never needs them.
const require = createRequire(import.meta.url);
const croner = () => require('croner') as typeof import('croner');
const cronstrue = () => require('cronstrue') as typeof Cronstrue;
import { formatDurationWords, parseDuration } from '../duration.js';
import { UserError } from '../errors.js';
import { truncate } from '../text.js';

export class ScheduleSpecError extends UserError {
  override name = 'ScheduleSpecError';
}

export type ScheduleSpec =
  | { kind: 'cron'; text: string; cron: string; timezone: string }
  | { kind: 'every'; text: string; intervalMs: number }
  | { kind: 'empty after'; text: string; uptimeMs: number };

const MINUTE = 60_000;
/** More often than this is not a schedule but a restart loop. */
export const MIN_INTERVAL_MS = MINUTE;
const EXAMPLES =
  'a cron expression such as `0 4 * * *`, `daily 04:00`, `weekly sun 04:00`, `every 12h` or `empty after 12h`';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** What an unknown name is called: "unknown weekday 'sunn'". */
  nameKind?: string;
  /** Value of names[0]. */
  firstNameValue?: number;
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameKind: 'month', firstNameValue: 1 },
  // 7 is Sunday too, as in most crons.
  { name: 'weekday', min: 0, max: 7, names: WEEKDAYS, nameKind: 'weekday', firstNameValue: 0 },
];

/** The schedule `text` describes, in `timezone` (an IANA zone); throws a ScheduleSpecError saying what is wrong. */
export function parseWhen(text: string, timezone: string): ScheduleSpec {
  const normal = text.trim().replace(/\s+/g, ' ');
  const lower = normal.toLowerCase();
  const shown = quote(normal);
  if (normal === '') throw new ScheduleSpecError(`Say when: ${EXAMPLES}.`);

  const every = /^every (.*)$/.exec(lower);
  if (every) {
    const intervalMs = duration(every[1] ?? '', shown);
    if (intervalMs < MIN_INTERVAL_MS)
      throw new ScheduleSpecError(`${shown}: at most once a minute; a restart needs longer than that.`);
    return { kind: 'every', text: lower, intervalMs };
  }
  const empty = /^empty after (.*)$/.exec(lower);
  if (empty) return { kind: 'empty after', text: lower, uptimeMs: duration(empty[1] ?? '', shown) };

  const daily = /^daily(?: (.*))?$/.exec(lower);
  if (daily) {
    const [hour, minute] = clock(daily[1], shown, 'daily 04:00');
    return cron(`${minute} ${hour} * * *`, lower, timezone, shown);
  }
  const weekly = /^weekly(?: (\S+))?(?: (.*))?$/.exec(lower);
  if (weekly) {
    const day = weekday(weekly[1], shown);
    const [hour, minute] = clock(weekly[2], shown, 'weekly sun 04:00');
    return cron(`${minute} ${hour} * * ${day}`, lower, timezone, shown);
  }
  const fields = normal.split(' ');
  if (fields.length !== 5) {
    throw new ScheduleSpecError(
      `${shown} is not a schedule: a cron expression has 5 fields (minute hour day-of-month month weekday), this has ${fields.length}. Write ${EXAMPLES}.`,
    );
  }
  fields.forEach((field, index) => checkField(field, FIELDS[index] as Field, shown));
  return cron(normal, normal, timezone, shown);
}

/**
 * Due times after `after` (ms), earliest first, at most `count`. `anchor` is when an `every`
 * schedule counts from (its creation); a condition (`empty after`) has no times.
 */
export function nextRuns(spec: ScheduleSpec, after: number, count: number, anchor: number): number[] {
  if (spec.kind === 'empty after' || count <= 0) return [];
  if (spec.kind === 'every') {
    const steps = Math.max(0, Math.floor((after - anchor) / spec.intervalMs)) + 1;
    return Array.from({ length: count }, (_, i) => anchor + (steps + i) * spec.intervalMs);
  }
  return job(spec)
    .nextRuns(count, new Date(after))
    .map((date) => date.getTime());
}

/** The latest due time at or before `at` (ms) and after `anchor`, if any; none for a condition. */
export function lastRunAtOrBefore(spec: ScheduleSpec, at: number, anchor: number): number | undefined {
  if (spec.kind === 'empty after' || at <= anchor) return undefined;
  if (spec.kind === 'every') {
    const steps = Math.floor((at - anchor) / spec.intervalMs);
    return steps >= 1 ? anchor + steps * spec.intervalMs : undefined;
  }
  // croner's previous runs are strictly before the date given.
  const [previous] = job(spec).previousRuns(1, new Date(at + 1));
  const time = previous?.getTime();
  return time !== undefined && time > anchor ? time : undefined;
}

/** When an `empty after` schedule may next run: its uptime reached, counted from the later of the container's start and the last run. */
export function emptyAfterEarliest(
  spec: Extract<ScheduleSpec, { kind: 'empty after' }>,
  startedAt: number,
  lastRunAt: number | undefined,
): number {
  return Math.max(startedAt, lastRunAt ?? -Infinity) + spec.uptimeMs;
}

/** In words a member reads: "At 04:00, only on Sunday (Europe/Berlin)", "every 12 hours". */
export function describeSpec(spec: ScheduleSpec): string {
  if (spec.kind === 'every') return `every ${formatDurationWords(spec.intervalMs)}`;
  if (spec.kind === 'empty after')
    return `when nobody is on and it has run ${formatDurationWords(spec.uptimeMs)}`;
  return `${cronstrue().toString(spec.cron, { use24HourTimeFormat: true })} (${spec.timezone})`;
}

const MAX_WARNINGS = 10;
const MAX_WARNING_MS = 24 * 3_600_000;

/** `15m,5m,1m` as offsets (ms) before the restart, largest first; throws a ScheduleSpecError saying what is wrong. */
export function parseWarnings(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => part === ''))
    throw new ScheduleSpecError(
      `warn ${quote(text.trim())}: give durations separated by commas, e.g. \`15m,5m,1m\`.`,
    );
  if (parts.length > MAX_WARNINGS)
    throw new ScheduleSpecError(`warn: at most ${MAX_WARNINGS} warnings, not ${parts.length}.`);
  const offsets = parts.map((part) => {
    let ms: number;
    try {
      ms = parseDuration(part);
    } catch (err) {
      throw new ScheduleSpecError(`warn: ${(err as Error).message}`);
    }
    if (ms > MAX_WARNING_MS) throw new ScheduleSpecError(`warn: ${quote(part)} is more than 24h ahead.`);
    return ms;
  });
  return [...new Set(offsets)].sort((a, b) => b - a);
}

// Parsing a pattern costs more than finding its next run; each spec parses once.
const jobs = new WeakMap<ScheduleSpec, Cron>();

function job(spec: Extract<ScheduleSpec, { kind: 'cron' }>): Cron {
  let cron = jobs.get(spec);
  if (!cron) {
    cron = new (croner().Cron)(spec.cron, { timezone: spec.timezone, mode: '5-part', paused: true });
    jobs.set(spec, cron);
  }
  return cron;
}

function cron(expression: string, text: string, timezone: string, shown: string): ScheduleSpec {
  const spec = { kind: 'cron', text, cron: expression, timezone } as const;
  let runs: Date[];
  try {
    runs = job(spec).nextRuns(1, new Date());
  } catch (err) {
    const reason = (err as Error).message.replace(/^CronPattern: /, '');
    throw new ScheduleSpecError(`${shown}: ${reason}`);
  }
  // croner finds no run for a date that never comes (Feb 30).
  if (runs.length === 0) throw new ScheduleSpecError(`${shown}: that date never comes.`);
  return spec;
}

function duration(text: string, shown: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    // The duration's own message names its text again; once is enough.
    throw new ScheduleSpecError(`${shown}: ${(err as Error).message.replace(/^`[^`]*`: /, '')}`);
  }
}

/** `04:00` as [hour, minute]. */
function clock(text: string | undefined, shown: string, example: string): [number, number] {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text ?? '');
  if (!match) throw new ScheduleSpecError(`${shown}: give the time as HH:MM, e.g. \`${example}\`.`);
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23) throw new ScheduleSpecError(`${shown}: hour ${hour} is out of range 0-23.`);
  if (minute > 59) throw new ScheduleSpecError(`${shown}: minute ${minute} is out of range 0-59.`);
  return [hour, minute];
}

function weekday(text: string | undefined, shown: string): number {
  const day = text ?? '';
  const index = Math.max(WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]), WEEKDAY_NAMES.indexOf(day));
  if (index >= 0) return index;
  throw new ScheduleSpecError(
    `${shown}: ${day === '' ? 'say which day' : `unknown weekday '${truncate(day, 20)}'`}; use ${WEEKDAYS.join(', ')}.`,
  );
}

/**
 * Plain numbers, names, ranges and steps are checked here, so the common mistakes read clearly;
 * croner's special forms (L, W, #) are left to croner, which refuses what it does not know.
 */
function checkField(text: string, field: Field, shown: string): void {
  for (const part of text.split(',')) {
    const [range = '', step, extra] = part.split('/');
    const where = `${shown}: ${field.name} field`;
    if (extra !== undefined) throw new ScheduleSpecError(`${where} '${part}' has more than one step.`);
    if (step !== undefined && !/^\d+$/.test(step))
      throw new ScheduleSpecError(`${where} step '${step}' is not a number.`);
    if (step !== undefined && Number(step) === 0)
      throw new ScheduleSpecError(`${where} step 0 must be at least 1.`);
    if (range === '*' || range === '?') continue;
    if (SPECIAL.test(range)) continue;
    const ends = range.split('-');
    if (ends.length > 2 || ends.some((end) => end === ''))
      throw new ScheduleSpecError(`${where} '${part}' is not a value, a range or a step.`);
    const values = ends.map((end) => fieldValue(end, field, shown));
    const [from = 0, to = from] = values;
    if (to < from)
      throw new ScheduleSpecError(`${where} ${range} runs backwards; put the smaller value first.`);
  }
}

// Last day (L, 5L, FRIL), nearest weekday (15W, LW), nth weekday (FRI#2).
const SPECIAL = /#|^(\d+|[a-z]{3})?l$|^(\d+w|lw)$/i;

function fieldValue(text: string, field: Field, shown: string): number {
  const where = `${shown}: ${field.name} field`;
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < field.min || value > field.max)
      throw new ScheduleSpecError(`${where} ${value} is out of range ${field.min}-${field.max}.`);
    return value;
  }
  const index = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (index >= 0) return index + (field.firstNameValue ?? 0);
  const name = `'${truncate(text, 20)}'`;
  if (field.nameKind)
    throw new ScheduleSpecError(
      `${shown}: unknown ${field.nameKind} ${name}; use ${(field.names ?? []).join(', ')} or a number.`,
    );
  throw new ScheduleSpecError(`${where} ${name} is not a number.`);
}

function quote(text: string): string {
  return `\`${truncate(text.replace(/`/g, 'ˋ'), 60)}\``;
}
