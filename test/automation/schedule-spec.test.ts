import { describe, expect, it } from 'vitest';
import {
  ScheduleSpecError,
  describeSpec,
  emptyAfterEarliest,
  lastRunAtOrBefore,
  nextRuns,
  parseWarnings,
  parseWhen,
  type ScheduleSpec,
} from '../../src/automation/schedule-spec.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

/** The next `count` runs after `from`, as ISO strings in UTC. */
function runs(when: string, zone: string, from: string, count = 3, anchor = at(from)): string[] {
  return nextRuns(parseWhen(when, zone), at(from), count, anchor).map(iso);
}

function refusal(when: string, zone = 'UTC'): string {
  try {
    parseWhen(when, zone);
  } catch (err) {
    expect(err).toBeInstanceOf(ScheduleSpecError);
    return (err as Error).message;
  }
  throw new Error(`${when} was accepted`);
}

describe('parseWhen: what is accepted', () => {
  it('spells daily and weekly as cron, case and spacing aside', () => {
    expect(parseWhen('daily 04:00', 'UTC')).toMatchObject({ kind: 'cron', cron: '0 4 * * *' });
    expect(parseWhen('  Weekly   SUN 4:30 ', 'UTC')).toMatchObject({ kind: 'cron', cron: '30 4 * * 0' });
    expect(parseWhen('weekly saturday 23:59', 'UTC')).toMatchObject({ cron: '59 23 * * 6' });
  });

  it('keeps a cron expression as typed, and reads every and empty after as durations', () => {
    expect(parseWhen('*/15 9-17 * * mon-fri', 'UTC')).toMatchObject({
      kind: 'cron',
      cron: '*/15 9-17 * * mon-fri',
    });
    expect(parseWhen('every 12h', 'UTC')).toEqual({
      kind: 'every',
      text: 'every 12h',
      intervalMs: 12 * HOUR,
    });
    expect(parseWhen('empty after 1h30m', 'UTC')).toEqual({
      kind: 'empty after',
      text: 'empty after 1h30m',
      uptimeMs: 1.5 * HOUR,
    });
  });
});

describe('parseWhen: a bad expression is refused with what is wrong in it', () => {
  it.each([
    ['61 * * * *', 'minute field 61 is out of range 0-59'],
    ['0 24 * * *', 'hour field 24 is out of range 0-23'],
    ['0 4 32 * *', 'day-of-month field 32 is out of range 1-31'],
    ['0 4 0 * *', 'day-of-month field 0 is out of range 1-31'],
    ['0 4 * 13 *', 'month field 13 is out of range 1-12'],
    ['0 4 * * 8', 'weekday field 8 is out of range 0-7'],
    ['0 4 * * sunn', "unknown weekday 'sunn'"],
    ['0 4 * foo *', "unknown month 'foo'"],
    ['x 4 * * *', "minute field 'x' is not a number"],
    ['*/0 * * * *', 'minute field step 0 must be at least 1'],
    ['5-1 * * * *', 'minute field 5-1 runs backwards'],
    ['0 4 * *', 'a cron expression has 5 fields'],
    ['0 0 4 * * *', 'this has 6'],
    ['0 0 31 2 *', 'that date never comes'],
    ['weekly sunn 04:00', "unknown weekday 'sunn'"],
    ['weekly 04:00', 'unknown weekday'],
    ['daily 4', 'give the time as HH:MM'],
    ['daily 24:00', 'hour 24 is out of range 0-23'],
    ['daily 04:60', 'minute 60 is out of range 0-59'],
    ['every 12', '12 needs a unit'],
    ['every 30s', 'at most once a minute'],
    ['empty after soon', 'not a duration'],
    ['dayly 04:00', 'is not a schedule'],
    ['', 'Say when'],
  ])('%s', (when, reason) => {
    expect(refusal(when)).toContain(reason);
  });

  it('names the expression it refuses', () => {
    expect(refusal('61 * * * *')).toBe('`61 * * * *`: minute field 61 is out of range 0-59.');
  });

  it('passes what croner knows and the check does not (last day, nth weekday) through to croner', () => {
    expect(() => parseWhen('0 4 L * *', 'UTC')).not.toThrow();
    expect(() => parseWhen('0 4 * * fri#2', 'UTC')).not.toThrow();
    expect(() => parseWhen('0 4 * * 5L', 'UTC')).not.toThrow();
    expect(refusal('0 4 * * fri#9')).toMatch(/^`0 4 \* \* fri#9`: /);
  });
});

describe('cron runs across DST changes', () => {
  it('Europe/Berlin spring forward (2026-03-29): 04:00 stays 04:00 local, one hour earlier in UTC', () => {
    expect(runs('daily 04:00', 'Europe/Berlin', '2026-03-27T12:00:00Z')).toEqual([
      '2026-03-28T03:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-30T02:00:00.000Z',
    ]);
  });

  it('Europe/Berlin spring forward: 02:30 does not exist that night and runs at 03:00, right after the gap', () => {
    expect(runs('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z')).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('Europe/Berlin fall back (2026-10-25): 02:30 happens twice and runs once', () => {
    expect(runs('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z')).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('Europe/Berlin fall back: weekly sun 04:00 moves from 02:00 to 03:00 UTC', () => {
    expect(runs('weekly sun 04:00', 'Europe/Berlin', '2026-10-17T00:00:00Z', 2)).toEqual([
      '2026-10-18T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
  });

  it('America/New_York spring forward (2026-03-08) and fall back (2026-11-01)', () => {
    expect(runs('daily 04:00', 'America/New_York', '2026-03-07T00:00:00Z', 2)).toEqual([
      '2026-03-07T09:00:00.000Z',
      '2026-03-08T08:00:00.000Z',
    ]);
    expect(runs('daily 04:00', 'America/New_York', '2026-10-31T00:00:00Z', 2)).toEqual([
      '2026-10-31T08:00:00.000Z',
      '2026-11-01T09:00:00.000Z',
    ]);
    expect(runs('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 2)).toEqual([
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
  });

  it('every 12h is absolute time from its anchor, whatever DST does to the wall clock', () => {
    expect(runs('every 12h', 'Europe/Berlin', '2026-03-28T20:00:00Z')).toEqual([
      '2026-03-29T08:00:00.000Z',
      '2026-03-29T20:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
    ]);
  });
});

describe('cron runs at month ends', () => {
  it('the 31st runs only in months that have one', () => {
    expect(runs('0 4 31 * *', 'UTC', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-31T04:00:00.000Z',
      '2026-03-31T04:00:00.000Z',
      '2026-05-31T04:00:00.000Z',
      '2026-07-31T04:00:00.000Z',
    ]);
  });

  it('Feb 29 waits for 2028', () => {
    expect(runs('0 4 29 2 *', 'UTC', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2028-02-29T04:00:00.000Z',
      '2032-02-29T04:00:00.000Z',
    ]);
  });

  it('the last day of the month is Feb 28 in 2026 and Feb 29 in 2028', () => {
    expect(runs('0 4 L 2 *', 'UTC', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-02-28T04:00:00.000Z',
      '2027-02-28T04:00:00.000Z',
      '2028-02-29T04:00:00.000Z',
    ]);
  });

  it('a month end in Berlin is the evening before in UTC', () => {
    expect(runs('0 0 1 * *', 'Europe/Berlin', '2026-02-15T00:00:00Z', 2)).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ]);
  });
});

describe('next and last runs', () => {
  it('a run exactly at the cursor is not next: the next one comes strictly after', () => {
    const spec = parseWhen('daily 04:00', 'UTC');
    const due = at('2026-05-01T04:00:00Z');
    expect(nextRuns(spec, due, 1, 0).map(iso)).toEqual(['2026-05-02T04:00:00.000Z']);
    expect(nextRuns(spec, due - 1, 1, 0).map(iso)).toEqual(['2026-05-01T04:00:00.000Z']);
  });

  it('every counts whole intervals from its anchor, not from the time asked', () => {
    const spec = parseWhen('every 12h', 'UTC');
    const anchor = at('2026-05-01T10:00:00Z');
    expect(nextRuns(spec, at('2026-05-03T09:59:00Z'), 2, anchor).map(iso)).toEqual([
      '2026-05-03T10:00:00.000Z',
      '2026-05-03T22:00:00.000Z',
    ]);
    expect(nextRuns(spec, at('2026-05-01T10:00:00Z'), 1, anchor).map(iso)).toEqual([
      '2026-05-01T22:00:00.000Z',
    ]);
  });

  it('the last run at or before a time, never at or before the anchor', () => {
    const daily = parseWhen('daily 04:00', 'UTC');
    expect(iso(lastRunAtOrBefore(daily, at('2026-05-03T04:00:00Z'), 0) ?? 0)).toBe(
      '2026-05-03T04:00:00.000Z',
    );
    expect(iso(lastRunAtOrBefore(daily, at('2026-05-03T03:59:00Z'), 0) ?? 0)).toBe(
      '2026-05-02T04:00:00.000Z',
    );
    expect(lastRunAtOrBefore(daily, at('2026-05-03T05:00:00Z'), at('2026-05-03T04:00:00Z'))).toBeUndefined();
    const every = parseWhen('every 12h', 'UTC');
    const anchor = at('2026-05-01T10:00:00Z');
    expect(iso(lastRunAtOrBefore(every, at('2026-05-02T09:00:00Z'), anchor) ?? 0)).toBe(
      '2026-05-01T22:00:00.000Z',
    );
    expect(lastRunAtOrBefore(every, at('2026-05-01T21:59:00Z'), anchor)).toBeUndefined();
  });

  it('empty after has no times of its own', () => {
    const spec = parseWhen('empty after 12h', 'UTC');
    expect(nextRuns(spec, 0, 3, 0)).toEqual([]);
    expect(lastRunAtOrBefore(spec, Date.now(), 0)).toBeUndefined();
  });
});

describe('empty after arithmetic', () => {
  const spec = parseWhen('empty after 12h', 'Europe/Berlin') as Extract<
    ScheduleSpec,
    { kind: 'empty after' }
  >;

  it('counts from the container start', () => {
    expect(iso(emptyAfterEarliest(spec, at('2026-05-01T06:00:00Z'), undefined))).toBe(
      '2026-05-01T18:00:00.000Z',
    );
  });

  it('counts from the last run when that is later (a restart that did not happen is not retried at once)', () => {
    expect(iso(emptyAfterEarliest(spec, at('2026-05-01T06:00:00Z'), at('2026-05-01T20:00:00Z')))).toBe(
      '2026-05-02T08:00:00.000Z',
    );
  });

  it('is 12 hours of running across the spring-forward night, 13 on the wall clock', () => {
    // Started 21:00 CET on Mar 28; twelve hours later it is 10:00 CEST on Mar 29.
    expect(iso(emptyAfterEarliest(spec, at('2026-03-28T20:00:00Z'), undefined))).toBe(
      '2026-03-29T08:00:00.000Z',
    );
  });

  it('is 12 hours of running across the fall-back night, 11 on the wall clock', () => {
    expect(iso(emptyAfterEarliest(spec, at('2026-10-24T20:00:00Z'), undefined))).toBe(
      '2026-10-25T08:00:00.000Z',
    );
  });
});

describe('descriptions', () => {
  it('cron-like ones from cronstrue, with the timezone', () => {
    expect(describeSpec(parseWhen('daily 04:00', 'Europe/Berlin'))).toBe('At 04:00 (Europe/Berlin)');
    expect(describeSpec(parseWhen('weekly sun 04:00', 'UTC'))).toBe('At 04:00, only on Sunday (UTC)');
  });

  it('our words for every and empty after', () => {
    expect(describeSpec(parseWhen('every 12h', 'UTC'))).toBe('every 12 hours');
    expect(describeSpec(parseWhen('empty after 90m', 'UTC'))).toBe(
      'when nobody is on and it has run 1 hour 30 minutes',
    );
  });

  it('weekday 7 is Sunday too', () => {
    expect(describeSpec(parseWhen('0 4 * * 7', 'UTC'))).toBe('At 04:00, only on Sunday (UTC)');
  });
});

describe('warning offsets', () => {
  it('largest first, duplicates once', () => {
    expect(parseWarnings('1m, 15m,5m,1m')).toEqual([15 * 60_000, 5 * 60_000, 60_000]);
  });

  it.each([
    ['15m,,1m', 'separated by commas'],
    ['15x', 'unknown unit x'],
    ['25h', 'more than 24h ahead'],
    [Array.from({ length: 11 }, (_, i) => `${i + 1}m`).join(','), 'at most 10 warnings'],
  ])('%s is refused', (text, reason) => {
    expect(() => parseWarnings(text)).toThrow(reason);
  });
});
