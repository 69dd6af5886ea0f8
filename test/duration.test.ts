import { describe, expect, it } from 'vitest';
import { DurationError, formatDurationWords, parseDuration } from '../src/duration.js';
import { UserError } from '../src/errors.js';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and combinations as milliseconds', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1h30m15s')).toBe(5_415_000);
    expect(parseDuration('90m')).toBe(5_400_000);
  });

  it('ignores case and blanks around and between parts', () => {
    expect(parseDuration(' 10M ')).toBe(600_000);
    expect(parseDuration('1h 30m')).toBe(5_400_000);
    expect(parseDuration('5 m')).toBe(300_000);
  });

  it.each([
    ['10x', '`10x`: unknown unit x; use s, m or h.'],
    ['10min', '`10min`: unknown unit min; use s, m or h.'],
    ['10', '`10`: 10 needs a unit; use s, m or h (e.g. 10m).'],
    ['0s', '`0s`: a duration must be longer than zero.'],
    ['0h0m', '`0h0m`: a duration must be longer than zero.'],
    ['1.5h', '`1.5h`: use whole numbers, e.g. 1h30m rather than 1.5h.'],
    ['30m1h', '`30m1h`: put hours before minutes before seconds, e.g. 1h30m.'],
    ['5m5m', '`5m5m`: m appears twice.'],
    ['m', '`m`: not a duration; write it like 30s, 10m, 2h or 1h30m.'],
    ['-5m', '`-5m`: not a duration; write it like 30s, 10m, 2h or 1h30m.'],
    ['soon', '`soon`: not a duration; write it like 30s, 10m, 2h or 1h30m.'],
    ['', 'Give a duration such as 30s, 10m, 2h or 1h30m.'],
    ['   ', 'Give a duration such as 30s, 10m, 2h or 1h30m.'],
  ])('refuses %j saying what is wrong', (text, message) => {
    let caught: unknown;
    try {
      parseDuration(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DurationError);
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as Error).message).toBe(message);
  });

  it('refuses a number too large to count instead of returning Infinity', () => {
    expect(() => parseDuration(`${'9'.repeat(30)}h`)).toThrow(/too long/);
  });

  it('keeps a backtick in the input from closing the quoted span', () => {
    expect(() => parseDuration('1`x')).toThrow('`1ˋx`');
  });
});

describe('formatDurationWords', () => {
  it('says a duration the way a player reads it', () => {
    expect(formatDurationWords(300_000)).toBe('5 minutes');
    expect(formatDurationWords(60_000)).toBe('1 minute');
    expect(formatDurationWords(30_000)).toBe('30 seconds');
    expect(formatDurationWords(1_000)).toBe('1 second');
    expect(formatDurationWords(5_400_000)).toBe('1 hour 30 minutes');
    expect(formatDurationWords(7_200_000)).toBe('2 hours');
    expect(formatDurationWords(125_000)).toBe('2 minutes 5 seconds');
  });

  it('rounds to the nearest second, so a timer a few ms early still reads whole', () => {
    expect(formatDurationWords(299_996)).toBe('5 minutes');
    expect(formatDurationWords(400)).toBe('less than a second');
  });
});
