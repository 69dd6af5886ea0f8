import type { GraphResult, WorldFigures } from '../servers/player-history.js';
import { HOUR_MS, type Sample } from './history-store.js';
import { localParts } from './local-time.js';

export interface SeriesInput {
  /** What the store holds for the period, per world. */
  samples: Map<string, Sample[]>;
  from: number;
  to: number;
  /** One chart point per step (ms); a step with no sample is a gap. */
  stepMs: number;
  timezone: string;
  /** The most worlds drawn (the palette's size): the busiest by mean. */
  maxLines: number;
}

export interface ChartLine {
  world: string;
  /** One value per `xs`: the most users seen in that step, or null where nothing was recorded (the server was down). */
  values: (number | null)[];
}

export interface ChartSeries extends Pick<GraphResult, 'worlds' | 'leftOff' | 'busiestHour'> {
  /** Start of each step (ms). */
  xs: number[];
  lines: ChartLine[];
}

/** Stored samples to chart lines and the embed's figures; nulls, never zeros, where nothing was seen. */
export function toSeries(input: SeriesInput): ChartSeries {
  const { from, to, stepMs } = input;
  const inPeriod = new Map<string, Sample[]>();
  for (const [world, samples] of input.samples) {
    const kept = samples.filter((sample) => sample.at >= from && sample.at < to);
    if (kept.length > 0) inPeriod.set(world, kept);
  }
  const figures = [...inPeriod].map(([world, samples]) => figuresOf(world, samples));
  figures.sort((a, b) => b.mean - a.mean || b.peak - a.peak || a.world.localeCompare(b.world));
  const drawn = figures.slice(0, input.maxLines);
  const start = Math.floor(from / stepMs) * stepMs;
  const xs: number[] = [];
  for (let x = start; x < to; x += stepMs) xs.push(x);
  const lines = drawn.map(({ world }) => {
    const values: (number | null)[] = xs.map(() => null);
    for (const sample of inPeriod.get(world) ?? []) {
      const i = Math.floor((sample.at - start) / stepMs);
      values[i] = Math.max(values[i] ?? 0, sample.max);
    }
    return { world, values };
  });
  const busiestHour = busiest(
    drawn.map(({ world }) => inPeriod.get(world) ?? []),
    input.timezone,
  );
  return {
    xs,
    lines,
    worlds: drawn,
    leftOff: figures.length - drawn.length,
    ...(busiestHour ? { busiestHour } : {}),
  };
}

function figuresOf(world: string, samples: readonly Sample[]): WorldFigures {
  let peak = -1;
  let peakAt = 0;
  let sum = 0;
  let count = 0;
  for (const sample of samples) {
    if (sample.max > peak) {
      peak = sample.max;
      peakAt = sample.at;
    }
    sum += sample.mean * sample.samples;
    count += sample.samples;
  }
  return { world, peak, peakAt, mean: count === 0 ? 0 : sum / count };
}

/**
 * The hour of the day with the most users on average: each clock hour's users summed over the
 * worlds (each world's mean within it), then averaged per local hour of the day over the hours
 * that have any record. Hours the server was down count for nothing rather than as empty.
 */
function busiest(worlds: readonly (readonly Sample[])[], timezone: string): GraphResult['busiestHour'] {
  const hourly = new Map<number, number>();
  for (const samples of worlds) {
    const within = new Map<number, { sum: number; count: number }>();
    for (const sample of samples) {
      const hour = Math.floor(sample.at / HOUR_MS) * HOUR_MS;
      const acc = within.get(hour) ?? { sum: 0, count: 0 };
      acc.sum += sample.mean * sample.samples;
      acc.count += sample.samples;
      within.set(hour, acc);
    }
    for (const [hour, { sum, count }] of within) hourly.set(hour, (hourly.get(hour) ?? 0) + sum / count);
  }
  const byHourOfDay = new Map<number, { sum: number; count: number }>();
  for (const [hour, total] of hourly) {
    const local = localParts(hour, timezone).hour;
    const acc = byHourOfDay.get(local) ?? { sum: 0, count: 0 };
    acc.sum += total;
    acc.count += 1;
    byHourOfDay.set(local, acc);
  }
  let best: GraphResult['busiestHour'];
  for (const [hour, { sum, count }] of [...byHourOfDay].sort((a, b) => a[0] - b[0])) {
    const mean = sum / count;
    if (!best || mean > best.mean) best = { hour, mean };
  }
  return best;
}
