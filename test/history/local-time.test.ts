/** Tick labels on the local clock of TZ, also across a DST change and in a zone 45 minutes off UTC. */
import { describe, expect, it } from 'vitest';
import { hourRange, timeTicks } from '../../src/history/local-time.js';

const HOUR = 3_600_000;

describe('timeTicks', () => {
  it('puts day ticks at local midnight, an hour later in UTC after Berlin leaves summer time', () => {
    const from = Date.parse('2024-10-25T12:00:00Z');
    const ticks = timeTicks(from, from + 7 * 24 * HOUR, '7d', 'Europe/Berlin');
    expect(ticks.slice(0, 3).map((t) => new Date(t.value).toISOString())).toEqual([
      '2024-10-25T22:00:00.000Z',
      '2024-10-26T22:00:00.000Z',
      '2024-10-27T23:00:00.000Z',
    ]);
    expect(ticks.slice(0, 3).map((t) => t.label)).toEqual(['Sat 26', 'Sun 27', 'Mon 28']);
  });

  it('labels every third local hour over a day, also where the offset is not whole hours', () => {
    const from = Date.parse('2024-03-01T00:00:00Z');
    const ticks = timeTicks(from, from + 24 * HOUR, '24h', 'Asia/Kathmandu');
    // Kathmandu is UTC+05:45: its 06:00 is 00:15 UTC.
    expect(ticks[0]).toEqual({ value: Date.parse('2024-03-01T00:15:00Z'), label: '06:00' });
    expect(ticks.map((t) => t.label)).toEqual([
      '06:00',
      '09:00',
      '12:00',
      '15:00',
      '18:00',
      '21:00',
      'Sat 2',
      '03:00',
    ]);
  });

  it('marks every fifth midnight over a month', () => {
    const from = Date.parse('2024-03-01T00:00:00Z');
    const ticks = timeTicks(from, from + 30 * 24 * HOUR, '30d', 'UTC');
    expect(ticks.map((t) => t.label)).toEqual([
      '1 Mar',
      '6 Mar',
      '11 Mar',
      '16 Mar',
      '21 Mar',
      '26 Mar',
      '31 Mar',
    ]);
  });
});

describe('hourRange', () => {
  it('names an hour of the day, wrapping at midnight', () => {
    expect(hourRange(20)).toBe('20:00–21:00');
    expect(hourRange(23)).toBe('23:00–00:00');
  });
});
