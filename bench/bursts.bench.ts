/**
 * Bursts of interactions end to end (real discord.js client on the emulator, real Docker adapter
 * on fake headless containers, non-TTY):
 * - 100 `/status` at once on one server: how many `status` round trips reach the console (identical
 *   reads in flight share one), and the final reply's median and p99 (dispatch → PATCH @original);
 * - 1000 interactions over 10 servers, sent at an even pace within 10 s: each answered exactly once;
 *   final reply p50/p99.
 * BASELINE in the same run: one `/status` at a time (no contention), its median final reply.
 * Only sanity assertions (each answered once): timing goals are printed, never asserted.
 */
import { availableParallelism, loadavg } from 'node:os';
import { expect, it } from 'vitest';
import type { InteractionHandle } from '../test/discord-emulator/types.js';
import { finalReply } from '../test/support/bot.js';
import { describeDocker, readReceived, type StartedContainer } from '../test/support/docker.js';
import { useBotSuite } from '../test/support/suite.js';
import { ratio, report, round2, summarize, type Row } from './stats.js';

const SERVERS = 10;
const BURST = 100;
const SPREAD_TOTAL = 1000;
const SPREAD_MS = 10_000;
const BASELINE_RUNS = 30;

describeDocker('bursts of interactions', () => {
  const { h, server } = useBotSuite({
    servers: Object.fromEntries(
      Array.from({ length: SERVERS }, (_, i) => [`s${i}`, { tty: false, labels: { 'rhb.bench': 'bursts' } }]),
    ),
  });
  const servers = Object.values(server);

  const send = (name: string, on: StartedContainer) => h.send(name, { server: on.name }, h.member.viewer);

  /**
   * Waits until every interaction has its final answer; returns dispatch → final PATCH, in ms.
   * Each request is checked against the one interaction its path names: looking at every pending
   * interaction on every request (a copy of its message each time) cost more CPU, in the bot's own
   * process, than the burst it measures.
   */
  async function finals(handles: InteractionHandle[], timeoutMs: number): Promise<number[]> {
    const pending = new Map(handles.map((x) => [x.token, x]));
    const answered = (x: InteractionHandle) => finalReply(x) !== undefined;
    for (const [token, x] of pending) if (answered(x)) pending.delete(token);
    if (pending.size > 0) {
      await h.emulator.waitForRequest((r) => {
        const token = /\/(?:webhooks\/\d+|interactions\/\d+)\/([^/]+)/.exec(r.path)?.[1];
        const x = token === undefined ? undefined : pending.get(token);
        if (x && answered(x)) pending.delete(x.token);
        return pending.size === 0;
      }, timeoutMs);
    }
    return handles.map((x) => {
      expect(x.callbacks, `interaction ${x.id}`).toHaveLength(1);
      expect(x.callbacks[0]!.status).toBeLessThan(300);
      const final = h.emulator.requests.find(
        (r) => r.method === 'PATCH' && r.path.endsWith(`/${x.token}/messages/@original`) && r.status < 300,
      );
      expect(final, `final reply of ${x.id}`).toBeDefined();
      expect(x.followUps()).toEqual([]);
      return final!.at - x.dispatchedAt;
    });
  }

  it('100 /status at once on one server, and 1000 interactions over 10 servers in 10 s', async () => {
    const [first] = servers;
    // Warm-up: every console attached and every server known.
    await finals(
      servers.map((s) => send('worlds', s)),
      30_000,
    );

    const baseline: number[] = [];
    for (let i = 0; i < BASELINE_RUNS; i++)
      baseline.push(...(await finals([send('status', first!)], 10_000)));

    const before = (await readReceived(first!.id)).filter((l) => l.trim() === 'status').length;
    const burst = await finals(
      Array.from({ length: BURST }, () => send('status', first!)),
      60_000,
    );
    const statusLines = (await readReceived(first!.id)).filter((l) => l.trim() === 'status').length - before;
    // Two worlds: one /status round trip asks `status` twice.
    const roundTrips = statusLines / 2;

    const kinds = ['status', 'worlds', 'users'] as const;
    const handles: InteractionHandle[] = [];
    const started = performance.now();
    for (let i = 0; i < SPREAD_TOTAL; i++) {
      const due = started + (i * SPREAD_MS) / SPREAD_TOTAL;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      handles.push(send(kinds[i % kinds.length]!, servers[i % SERVERS]!));
    }
    const sentMs = performance.now() - started;
    const spread = await finals(handles, 120_000);
    expect(new Set(handles.map((x) => x.id)).size).toBe(SPREAD_TOTAL);

    const base = summarize(baseline);
    const b = summarize(burst);
    const s = summarize(spread);
    const rows: Row[] = [
      {
        what: 'one /status at a time (baseline)',
        n: base.n,
        median_ms: round2(base.median),
        p99_ms: round2(base.p99),
        ratio: 1,
      },
      {
        what: `${BURST} /status at once, one server`,
        n: b.n,
        median_ms: round2(b.median),
        p99_ms: round2(b.p99),
        ratio: ratio(b.median, base.median),
      },
      {
        what: `${SPREAD_TOTAL} mixed over ${SERVERS} servers in ${Math.round(sentMs / 1000)} s`,
        n: s.n,
        median_ms: round2(s.median),
        p99_ms: round2(s.p99),
        ratio: ratio(s.median, base.median),
      },
    ];
    console.log(
      report('Bursts of interactions (final reply, dispatch → PATCH @original)', rows, [
        `${BURST} /status at once reached the console as ${roundTrips} status round trip(s) (target ≤ 5)`,
        `targets: burst median < 500 ms, p99 < 1500 ms; every interaction answered exactly once`,
        `machine: ${availableParallelism()} cores, load ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      ]),
    );
    expect(roundTrips).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
