/**
 * Listing 20 managed servers and reading one-shot stats for each: `ManagedContainers.list()`
 * (list + inspect of every managed container) and `StatsReader.read` per container, the figures
 * behind a status overview of every server. Stats are read either all at once (Promise.all) or
 * with bounded concurrency; the faster one is picked and printed.
 *
 * Variants alternate within each run so machine noise hits them alike. Only sanity assertions
 * here: timing goals are printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ManagedContainer } from '../src/docker/container-info.js';
import { ManagedContainers } from '../src/docker/containers.js';
import { StatsReader, type ContainerStats } from '../src/docker/stats.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  docker,
  removeStartedContainers,
  startFakeHeadless,
} from '../test/support/docker.js';
import { report, summarize, time, type Row } from './stats.js';

const CONTAINERS = 20;
const RUNS = 10;
const WARMUP_RUNS = 2;
/** Concurrency while starting the fixtures (not measured). */
const START_CONCURRENCY = 5;
/** Bounded concurrencies tried for the stats reads, besides Promise.all. */
const BOUNDED = [4, 8];
const TARGET_MS = 500;
const LABEL = 'rhb.bench.list';

/** Maps with at most `limit` calls in flight, keeping the order of the input. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

describeDocker('list and stat 20 managed servers', () => {
  const runId = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const containers = new ManagedContainers(docker, { kind: 'label', key: LABEL, value: runId });
  const reader = new StatsReader();

  beforeAll(async () => {
    await buildFakeHeadlessImage();
    await mapLimit(
      Array.from({ length: CONTAINERS }, (_, i) => i),
      START_CONCURRENCY,
      () => startFakeHeadless({ tty: false, labels: { [LABEL]: runId } }),
    );
  });
  afterAll(async () => {
    await removeStartedContainers();
  });

  it(`lists ${CONTAINERS} containers and reads one-shot stats of each`, async () => {
    const readStats = (all: ManagedContainer[], limit: number): Promise<ContainerStats[]> => {
      const read = (c: ManagedContainer) => reader.read(containers.handle(c), c.startedAt);
      return limit >= all.length ? Promise.all(all.map(read)) : mapLimit(all, limit, read);
    };
    const strategies = [
      { name: `Promise.all (${CONTAINERS} at once)`, limit: CONTAINERS },
      ...BOUNDED.map((limit) => ({ name: `bounded, ${limit} at a time`, limit })),
    ];

    const listed = await containers.list();
    expect(listed).toHaveLength(CONTAINERS);
    expect(listed.every((c) => c.state === 'running')).toBe(true);

    const check = (all: ManagedContainer[], stats: ContainerStats[]) => {
      expect(all).toHaveLength(CONTAINERS);
      expect(stats).toHaveLength(CONTAINERS);
      expect(stats.every((s) => s.memoryBytes > 0)).toBe(true);
    };

    const samples = new Map<string, number[]>();
    const record = (key: string, ms: number, keep: boolean) => {
      if (!keep) return;
      samples.set(key, [...(samples.get(key) ?? []), ms]);
    };
    const variants: Array<{ key: string; once: () => Promise<void> }> = [
      { key: 'list alone', once: async () => void expect(await containers.list()).toHaveLength(CONTAINERS) },
      ...strategies.map((s) => ({
        key: `stats alone: ${s.name}`,
        once: async () => check(listed, await readStats(listed, s.limit)),
      })),
      ...strategies.map((s) => ({
        key: `list + stats: ${s.name}`,
        once: async () => {
          const all = await containers.list();
          check(all, await readStats(all, s.limit));
        },
      })),
    ];

    for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
      const keep = run >= WARMUP_RUNS;
      const order = run % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) record(variant.key, await time(variant.once), keep);
    }

    const summaries = variants.map((v) => ({ key: v.key, summary: summarize(samples.get(v.key) ?? []) }));
    const combined = strategies.map((s) => ({
      strategy: s,
      summary: summarize(samples.get(`list + stats: ${s.name}`) ?? []),
    }));
    const best = combined.reduce((a, b) => (b.summary.median < a.summary.median ? b : a));
    const rows: Row[] = summaries.map(({ key, summary }) => ({
      measure: key,
      n: summary.n,
      'median ms': summary.median,
      'p95 ms': summary.p95,
      'min ms': summary.min,
      'max ms': summary.max,
    }));
    const verdict = best.summary.median < TARGET_MS ? 'MET' : 'MISSED';
    report('list-and-stat', rows, [
      `${CONTAINERS} running non-TTY fake headless containers selected by label; median of ${RUNS} runs after ${WARMUP_RUNS} warm-up runs, variants alternating.`,
      `"list" is ManagedContainers.list(): one list call plus an inspect per container (Promise.all inside).`,
      `stats are StatsReader.read (stats with one-shot: true) per container.`,
      `faster strategy for the stats: ${best.strategy.name} (all strategies answered every read without error).`,
      `target: list + stats of all ${CONTAINERS} under ${TARGET_MS} ms: ${best.summary.median} ms median (p95 ${best.summary.p95} ms) -> ${verdict}`,
    ]);
  });
});
