/**
 * Stored samples to chart lines: one value per step, null (never 0) where the server was not
 * seen, the busiest worlds first; peak, mean and the busiest hour of the day in TZ.
 */
import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS, type Sample } from '../../src/history/history-store.js';
import { toSeries } from '../../src/history/series.js';

const T0 = Math.floor(1_700_000_000_000 / (24 * HOUR_MS)) * 24 * HOUR_MS; // a UTC midnight
const minute = (m: number, users: number): Sample => ({
  at: T0 + m * MINUTE_MS,
  max: users,
  mean: users,
  samples: 1,
});
const hour = (h: number, max: number, mean: number, samples = 60): Sample => ({
  at: T0 + h * HOUR_MS,
  max,
  mean,
  samples,
});

describe('toSeries', () => {
  it('gives each 5-minute step its most users, and null where nothing was recorded', () => {
    const samples = new Map([
      // 00:00-00:09 up, 00:10-00:19 down, 00:20 up again.
      ['Hub', [minute(0, 1), minute(3, 4), minute(5, 2), minute(9, 3), minute(20, 0), minute(24, 6)]],
    ]);
    const series = toSeries({
      samples,
      from: T0,
      to: T0 + 30 * MINUTE_MS,
      stepMs: 5 * MINUTE_MS,
      timezone: 'UTC',
      maxLines: 10,
    });
    expect(series.xs).toEqual([0, 5, 10, 15, 20, 25].map((m) => T0 + m * MINUTE_MS));
    expect(series.lines).toEqual([{ world: 'Hub', values: [4, 3, null, null, 6, null] }]);
    expect(series.worlds).toEqual([{ world: 'Hub', peak: 6, peakAt: T0 + 24 * MINUTE_MS, mean: 16 / 6 }]);
  });

  it('keeps an empty world at 0, which is not a gap', () => {
    const samples = new Map([['Hub', [minute(0, 0), minute(5, 0)]]]);
    const series = toSeries({
      samples,
      from: T0,
      to: T0 + 15 * MINUTE_MS,
      stepMs: 5 * MINUTE_MS,
      timezone: 'UTC',
      maxLines: 10,
    });
    expect(series.lines[0]?.values).toEqual([0, 0, null]);
  });

  it('weights hourly means by the minutes seen and leaves samples outside the period out', () => {
    const samples = new Map([['Hub', [hour(-1, 50, 50), hour(0, 6, 4, 30), hour(2, 2, 1, 10)]]]);
    const series = toSeries({
      samples,
      from: T0,
      to: T0 + 3 * HOUR_MS,
      stepMs: HOUR_MS,
      timezone: 'UTC',
      maxLines: 10,
    });
    expect(series.lines[0]?.values).toEqual([6, null, 2]);
    expect(series.worlds[0]).toEqual({ world: 'Hub', peak: 6, peakAt: T0, mean: (4 * 30 + 1 * 10) / 40 });
  });

  it('orders worlds busiest first and draws at most maxLines of them', () => {
    const samples = new Map([
      ['Quiet', [hour(0, 1, 0.5)]],
      ['Busy', [hour(0, 9, 7)]],
      ['Middle', [hour(0, 4, 3)]],
    ]);
    const series = toSeries({
      samples,
      from: T0,
      to: T0 + HOUR_MS,
      stepMs: HOUR_MS,
      timezone: 'UTC',
      maxLines: 2,
    });
    expect(series.lines.map((line) => line.world)).toEqual(['Busy', 'Middle']);
    expect(series.leftOff).toBe(1);
  });

  it('finds the busiest hour of the day on the local clock, summing the worlds', () => {
    // Two days: 20:00 UTC busiest on both (Hub 3 + Build 2), 10:00 UTC busy on one day only.
    const samples = new Map([
      ['Hub', [hour(10, 8, 8), hour(20, 4, 3), hour(44, 4, 3)]],
      ['Build', [hour(20, 2, 2), hour(44, 2, 2)]],
    ]);
    const input = { samples, from: T0, to: T0 + 48 * HOUR_MS, stepMs: HOUR_MS, maxLines: 10 };
    expect(toSeries({ ...input, timezone: 'UTC' }).busiestHour).toEqual({ hour: 10, mean: 8 });
    const more = new Map([...samples, ['Hub', [...(samples.get('Hub') ?? []), hour(34, 0, 0)]]]);
    // 10:00 is now 8 one day and 0 the next: 4 on average, below 20:00's 5.
    expect(toSeries({ ...input, samples: more, timezone: 'UTC' }).busiestHour).toEqual({ hour: 20, mean: 5 });
    // The same hours read in Tokyo (UTC+9): 20:00 UTC is 05:00 there.
    expect(toSeries({ ...input, samples: more, timezone: 'Asia/Tokyo' }).busiestHour).toEqual({
      hour: 5,
      mean: 5,
    });
  });
});
