/**
 * Discord latency of `/status world:0` end to end (issue 3): the real discord.js client logged in
 * to the local Discord emulator, the real Docker adapter on one fake headless (non-TTY).
 *
 * Per interaction, sent one after another (never concurrently):
 * - deferral: dispatch (`handle.dispatchedAt`) → the deferral callback as the emulator recorded
 *   it (the callback request's `at`, when it arrived);
 * - final reply: dispatch → the PATCH of @original carrying the status embed (its `at`).
 * Both are Date.now() stamps (1 ms resolution); the same two figures are also taken with
 * performance.now() (just before `sendCommand` → when the emulator has answered the request) for
 * sub-millisecond medians.
 *
 * BASELINES, in the same run, interleaved with the interactions in blocks (order reversed every
 * other block) so machine noise hits all paths alike:
 * - bare console: `servers.get(name)` → `server.status('0')`, the console work the command does;
 * - emulator REST: a raw `fetch` PATCH of an interaction's @original with the very body the bot
 *   sent as its final reply (the emulator's own time for one REST request);
 * - for information: the same PATCH through the bot's `client.rest` (discord.js's REST layer), and
 *   `servers.get()` without a name (what the command does to find the only server).
 * Only sanity assertions here: timing goals are printed, never asserted.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Routes } from 'discord.js';
import { beforeAll, expect, it } from 'vitest';
import type { InteractionHandle, RequestRecord } from '../test/discord-emulator/types.js';
import { toOptions } from '../test/support/bot.js';
import { describeDocker } from '../test/support/docker.js';
import { useBotSuite } from '../test/support/suite.js';
import { ratio, report, round2, summarize, time, type Row, type Summary } from './stats.js';

const WARMUP = 20;
const BLOCKS = 10;
const PER_BLOCK = 50;
const TOTAL = BLOCKS * PER_BLOCK;
const WAIT_MS = 10_000;
const WORLD = 'Lobby World';

/** Targets, printed next to the figures. */
const MAX_DEFERRAL_MS = 50;
const MAX_FINAL_RATIO = 2;

interface Timeline {
  /** The bot's client emitted interactionCreate. */
  received?: number;
  /** The command asked the ServerSet for its server / got it. */
  lookupStart?: number;
  lookupEnd?: number;
  /** server.status() resolved. */
  consoleEnd?: number;
}

interface Path {
  key: string;
  label: string;
  /** Runs once; returns the sample(s) it produced, keyed by series. */
  once: () => Promise<Record<string, number>>;
}

type Series = Record<string, number[]>;

function push(series: Series, samples: Record<string, number>): void {
  for (const [key, value] of Object.entries(samples)) (series[key] ??= []).push(value);
}

function statusEmbedTitle(body: unknown): string | undefined {
  const embeds = (body as { embeds?: Array<{ title?: string }> } | null)?.embeds;
  return embeds?.[0]?.title;
}

describeDocker('Discord latency of /status world:0', () => {
  const suite = useBotSuite({
    servers: { server: { tty: false, labels: { 'rhb.bench': 'discord-latency' } } },
  });
  const { h } = suite;
  const { server } = suite.server;
  /** performance.now() at which the emulator finished each request, by record index. */
  const answeredAt = new Map<number, number>();
  const onRequest = (record: RequestRecord) => answeredAt.set(record.index, performance.now());
  /**
   * Where one interaction's time goes, stamped with performance.now() by thin wrappers around the
   * bot's own objects (set only while an interaction is measured).
   */
  let timeline: Timeline | undefined;
  const onInteraction = () => {
    if (timeline) timeline.received = performance.now();
  };

  beforeAll(async () => {
    h.emulator.on('request', onRequest);
    // Before the router, which was registered first.
    h.bot.client.prependListener('interactionCreate', onInteraction);
    const servers = h.bot.context.servers;
    const get = servers.get.bind(servers);
    servers.get = async (name?: string) => {
      const t = timeline;
      if (t) t.lookupStart = performance.now();
      const found = await get(name);
      if (t) t.lookupEnd = performance.now();
      return found;
    };
    // The same (cached) HeadlessServer answers both the command and the bare console path.
    const headless = await get(server.name);
    const status = headless.status.bind(headless);
    headless.status = async (world?: string) => {
      const t = timeline;
      const worlds = await status(world);
      if (t) t.consoleEnd = performance.now();
      return worlds;
    };
  });

  it(`${TOTAL} /status world:0 one after another, against the bare console and the emulator's REST`, async () => {
    const appId = h.emulator.applicationId;
    const originalPath = (handle: InteractionHandle) =>
      `/webhooks/${appId}/${handle.token}/messages/@original`;
    let finalBody: unknown;
    let lastHandle: InteractionHandle | undefined;
    const checks = { interactions: 0, console: 0, rawRest: 0, djsRest: 0, lookup: 0 };

    const interaction: Path = {
      key: 'interaction',
      label: '/status world:0',
      once: async () => {
        const since = h.emulator.requests.length;
        const t: Timeline = (timeline = {});
        const start = performance.now();
        const handle = h.emulator.sendCommand({
          name: 'status',
          options: toOptions({ world: '0' }),
          member: h.member.viewer,
          channelId: h.channel.general,
        });
        const callback = await handle.waitForCallback(WAIT_MS);
        const patch = await h.emulator.waitForRequest(
          (r) =>
            r.method === 'PATCH' && r.path === originalPath(handle) && statusEmbedTitle(r.body) === WORLD,
          WAIT_MS,
          since,
        );
        // A deferral (type 5) accepted (200 with ?with_response, else 204), then the embed accepted.
        const deferred = (callback.body as { type?: number } | null)?.type === 5;
        if (deferred && callback.status < 300 && patch.status === 200) checks.interactions++;
        timeline = undefined;
        finalBody = patch.body;
        lastHandle = handle;
        const deferredAt = answeredAt.get(callback.index) ?? NaN;
        const repliedAt = answeredAt.get(patch.index) ?? NaN;
        return {
          phaseGateway: (t.received ?? NaN) - start,
          phaseDeferral: deferredAt - (t.received ?? NaN),
          phaseToLookup: (t.lookupStart ?? NaN) - deferredAt,
          phaseLookup: (t.lookupEnd ?? NaN) - (t.lookupStart ?? NaN),
          phaseConsole: (t.consoleEnd ?? NaN) - (t.lookupEnd ?? NaN),
          phaseReply: repliedAt - (t.consoleEnd ?? NaN),
          deferral: callback.at - handle.dispatchedAt,
          final: patch.at - handle.dispatchedAt,
          deferralHiRes: (answeredAt.get(callback.index) ?? NaN) - start,
          finalHiRes: (answeredAt.get(patch.index) ?? NaN) - start,
          afterDeferral: (answeredAt.get(patch.index) ?? NaN) - (answeredAt.get(callback.index) ?? NaN),
        };
      },
    };
    const bareConsole: Path = {
      key: 'console',
      label: 'bare console',
      once: async () => {
        let name: string | undefined;
        const ms = await time(async () => {
          const [world] = await (await h.bot.context.servers.get(server.name)).status('0');
          name = world?.name;
        });
        if (name === WORLD) checks.console++;
        return { console: ms };
      },
    };
    const target = () => {
      if (!lastHandle) throw new Error('no interaction to PATCH yet');
      return lastHandle;
    };
    const rawRest: Path = {
      key: 'rawRest',
      label: 'emulator REST (raw fetch PATCH @original)',
      once: async () => {
        const url = `${h.emulator.apiUrl}/v10/webhooks/${appId}/${target().token}/messages/%40original`;
        const body = JSON.stringify(finalBody);
        let status = 0;
        const ms = await time(async () => {
          const res = await fetch(url, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body,
          });
          await res.arrayBuffer();
          status = res.status;
        });
        if (status === 200) checks.rawRest++;
        return { rawRest: ms };
      },
    };
    const djsRest: Path = {
      key: 'djsRest',
      label: 'same PATCH via client.rest',
      once: async () => {
        let answer: unknown;
        const ms = await time(async () => {
          answer = await h.bot.client.rest.patch(Routes.webhookMessage(appId, target().token, '@original'), {
            body: finalBody,
            auth: false,
          });
        });
        if (statusEmbedTitle(answer) === WORLD) checks.djsRest++;
        return { djsRest: ms };
      },
    };
    const lookup: Path = {
      key: 'lookup',
      label: 'servers.get() without a name',
      once: async () => {
        let name = '';
        const ms = await time(async () => {
          name = (await h.bot.context.servers.get()).name;
        });
        if (name === server.name) checks.lookup++;
        return { lookup: ms };
      },
    };

    const paths = [interaction, bareConsole, rawRest, djsRest, lookup];
    const discard: Series = {};
    for (const path of paths) for (let i = 0; i < WARMUP; i++) push(discard, await path.once());
    expect(checks).toEqual({
      interactions: WARMUP,
      console: WARMUP,
      rawRest: WARMUP,
      djsRest: WARMUP,
      lookup: WARMUP,
    });
    for (const key of Object.keys(checks) as Array<keyof typeof checks>) checks[key] = 0;

    // discord.js's own client-side global limit (50 requests/s) delays REST calls past it.
    const rateLimited: Array<{ global: boolean; route: string }> = [];
    const onRateLimited = (info: { global: boolean; route: string }) => rateLimited.push(info);
    h.bot.client.rest.on('rateLimited', onRateLimited);
    const series: Series = {};
    for (let block = 0; block < BLOCKS; block++) {
      const order = block % 2 === 0 ? paths : [...paths].reverse();
      for (const path of order) for (let i = 0; i < PER_BLOCK; i++) push(series, await path.once());
    }
    h.bot.client.rest.off('rateLimited', onRateLimited);
    expect(checks).toEqual({
      interactions: TOTAL,
      console: TOTAL,
      rawRest: TOTAL,
      djsRest: TOTAL,
      lookup: TOTAL,
    });
    expect(h.emulator.unknownRequests).toEqual([]);

    const sum = (key: string): Summary => summarize(series[key] ?? []);
    const s = {
      deferral: sum('deferral'),
      final: sum('final'),
      deferralHiRes: sum('deferralHiRes'),
      finalHiRes: sum('finalHiRes'),
      afterDeferral: sum('afterDeferral'),
      console: sum('console'),
      rawRest: sum('rawRest'),
      djsRest: sum('djsRest'),
      lookup: sum('lookup'),
    };
    const baselineMedian = round2(s.console.median + s.rawRest.median);
    const baselineP95 = round2(s.console.p95 + s.rawRest.p95);
    const row = (label: string, summary: Summary, vsBaseline = false): Row => ({
      measure: label,
      n: summary.n,
      'median ms': summary.median,
      'p95 ms': summary.p95,
      'min ms': summary.min,
      'max ms': summary.max,
      'median / (console+REST)': vsBaseline ? ratio(summary.median, baselineMedian) : null,
      'p95 / (console+REST)': vsBaseline ? ratio(summary.p95, baselineP95) : null,
    });
    const finalRatio = ratio(s.final.median, baselineMedian);
    const finalRatioHiRes = ratio(s.finalHiRes.median, baselineMedian);
    const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
    report(
      'discord-latency',
      [
        row('deferral: dispatch → callback (at)', s.deferral),
        row('final reply: dispatch → PATCH @original (at)', s.final, true),
        row('deferral, hi-res (answered)', s.deferralHiRes),
        row('final reply, hi-res (answered)', s.finalHiRes, true),
        row('after the deferral: callback → PATCH answered', s.afterDeferral),
        row('bare console: servers.get(name).status("0")', s.console),
        row('emulator REST: raw fetch PATCH @original', s.rawRest),
        row('info: same PATCH via client.rest', s.djsRest),
        row('info: servers.get() without a name', s.lookup),
      ],
      [
        `one fake headless (non-TTY); ${WARMUP} warm-up runs per path, then ${BLOCKS} blocks of ${PER_BLOCK} per path, order reversed every other block; interactions strictly one after another.`,
        `"(at)" rows: emulator's Date.now() arrival stamps minus handle.dispatchedAt (1 ms resolution); "hi-res": performance.now() before sendCommand → emulator answered.`,
        `baseline (bare console + emulator REST): ${baselineMedian} ms median, ${baselineP95} ms p95`,
        `target: deferral median < ${MAX_DEFERRAL_MS} ms: ${s.deferral.median} ms (p95 ${s.deferral.p95} ms) -> ${verdict(s.deferral.median < MAX_DEFERRAL_MS)}`,
        `target: final reply median < ${MAX_FINAL_RATIO}x (bare console + emulator REST): ${finalRatio}x (hi-res ${finalRatioHiRes}x) -> ${verdict(finalRatio < MAX_FINAL_RATIO)}`,
        `final reply from its parts (medians): deferral ${s.deferralHiRes.median} + finding the only server ${s.lookup.median} + console ${s.console.median} + PATCH via client.rest ${s.djsRest.median} = ${round2(s.deferralHiRes.median + s.lookup.median + s.console.median + s.djsRest.median)} ms (measured ${s.finalHiRes.median} ms)`,
        `discord.js's client-side global rate limit (50 requests/s) held back requests ${rateLimited.length} time(s) during the measured blocks (routes: ${[...new Set(rateLimited.map((r) => r.route))].join(', ') || 'none'}); each hold lasts until the limiter's 1 s window ends.`,
        `for information: client.rest adds ${round2(s.djsRest.median - s.rawRest.median)} ms per REST call over a raw fetch; finding the only server (no server option) costs ${s.lookup.median} ms.`,
      ],
    );

    const phases: Array<[string, string]> = [
      ['phaseGateway', 'dispatch → bot emits interactionCreate (gateway, discord.js)'],
      ['phaseDeferral', 'interactionCreate → deferral callback answered'],
      ['phaseToLookup', 'callback answered → command asks for its server'],
      ['phaseLookup', 'servers.get() without a name (list + inspect)'],
      ['phaseConsole', 'server.status("0") (worlds, focus, status)'],
      ['phaseReply', 'status parsed → PATCH @original answered (embeds, REST)'],
    ];
    const phaseSummaries = phases.map(([key]) => sum(key));
    const phaseTotal = round2(phaseSummaries.reduce((total, p) => total + p.median, 0));
    report(
      'discord-latency-phases',
      phases.map(([, label], i) => {
        const p = phaseSummaries[i] as Summary;
        return {
          phase: label,
          n: p.n,
          'median ms': p.median,
          'p95 ms': p.p95,
          'max ms': p.max,
          'share of final median': ratio(p.median, s.finalHiRes.median),
        };
      }),
      [
        `each /status interaction, stamped with performance.now() by wrappers around the bot's client, ServerSet.get and HeadlessServer.status (this run's interactions, same samples as above).`,
        `sum of the phase medians: ${phaseTotal} ms; final reply hi-res median: ${s.finalHiRes.median} ms.`,
        `load average (1 min) at the end of the run: ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} CPUs.`,
      ],
    );
  });
});
