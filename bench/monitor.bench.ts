/**
 * The monitor at scale (issue 4).
 *
 * (a) Sweep time for 1, 5, 20 and 50 managed fake headless containers (non-TTY, two worlds each):
 *     a `ServerSet` + `Sweeper` built directly (console deadline 5 s, default concurrency), one
 *     cold sweep (consoles attach, first stats reads), then SWEEPS sweeps back to back; median and
 *     growth against 1 container. Containers are started in parallel batches, removed after.
 * (b) Discord REST calls per hour of a real `StatusBoard` for 20 servers against the local Discord
 *     emulator, with an injected clock: one initial publish, then one simulated hour at the default
 *     sweep interval with (i) a board that changes every minute (a user joins or leaves a world),
 *     (ii) an unchanged board, and, for information, (iii) idle servers whose uptime keeps running.
 * Only sanity assertions here: goals are printed, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST } from 'discord.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotConfig } from '../src/config.js';
import type { ManagedContainer } from '../src/docker/container-info.js';
import { ManagedContainers } from '../src/docker/containers.js';
import { renderBoard } from '../src/monitor/board-render.js';
import type { BoardSnapshot, ServerSnapshot, WorldSnapshot } from '../src/monitor/snapshot.js';
import { StatusBoard, type PublishOutcome } from '../src/monitor/status-board.js';
import { Sweeper } from '../src/monitor/sweep.js';
import { ServerSet } from '../src/servers/server-set.js';
import { KeyValueStore, openDatabase } from '../src/storage/database.js';
import { startDiscordEmulator, type DiscordEmulator } from '../test/discord-emulator/index.js';
import { TOKEN } from '../test/support/bot.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  docker,
  removeStartedContainers,
  startFakeHeadless,
  type StartedContainer,
} from '../test/support/docker.js';
import { ratio, report, round2, summarize, time, type Row } from './stats.js';

const SIZES = [1, 5, 20, 50] as const;
const SWEEPS = 10;
const CONSOLE_DEADLINE_MS = 5000;
const START_BATCH = 10;
/** Pause between the cold sweep and the measured ones (the bot sweeps every 60 s). */
const SETTLE_MS = 3000;
const WORLDS = ['Lobby World', 'Build Night'];
/** Targets, printed next to the figures. */
const MAX_SWEEP_50_MS = 1000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeDocker('monitor: sweep time by number of servers', () => {
  const containers: StartedContainer[] = [];

  beforeAll(async () => {
    await buildFakeHeadlessImage();
    const largest = SIZES[SIZES.length - 1] as number;
    for (let start = 0; start < largest; start += START_BATCH) {
      const batch = Array.from({ length: Math.min(START_BATCH, largest - start) }, () =>
        startFakeHeadless({
          tty: false,
          env: { FAKE_WORLDS: WORLDS.join('|') },
          labels: { 'rhb.bench': 'monitor-sweep' },
        }),
      );
      containers.push(...(await Promise.all(batch)));
    }
  });
  afterAll(async () => {
    await removeStartedContainers();
  });

  it(`sweeps ${SIZES.join(', ')} servers`, async () => {
    const rows: Row[] = [];
    const medians = new Map<number, number>();
    for (const size of SIZES) {
      const names = containers.slice(0, size).map((c) => c.name);
      const servers = new ServerSet(new ManagedContainers(docker, { kind: 'names', names }), {
        consoleTimeoutSeconds: CONSOLE_DEADLINE_MS / 1000,
        servers: {},
      });
      const sweeper = new Sweeper(servers, { consoleDeadlineMs: CONSOLE_DEADLINE_MS });
      try {
        let snapshot: BoardSnapshot | undefined;
        const cold = await time(async () => {
          snapshot = await sweeper.sweep();
        });
        // Sweeps are a minute apart in the bot: by the next one, every container's stats stream
        // (started by the cold sweep) has its first sample.
        await delay(SETTLE_MS);
        const samples: number[] = [];
        let healthy = 0;
        let withoutStats = 0;
        for (let i = 0; i < SWEEPS; i++) {
          samples.push(
            await time(async () => {
              snapshot = await sweeper.sweep();
            }),
          );
          const ok = snapshot?.servers.filter(
            (x) => x.console === 'ok' && x.worlds.map((w) => w.name).join('|') === WORLDS.join('|'),
          );
          if (snapshot?.dockerError === undefined && ok?.length === size) healthy++;
          withoutStats += snapshot?.servers.filter((x) => x.stats === null).length ?? 0;
        }
        expect(healthy, `${size} servers: sweeps where every server answered with both worlds`).toBe(SWEEPS);
        const s = summarize(samples);
        medians.set(size, s.median);
        const base = medians.get(SIZES[0]) ?? s.median;
        rows.push({
          servers: size,
          'cold sweep ms': round2(cold),
          sweeps: s.n,
          'median ms': s.median,
          'p95 ms': s.p95,
          'min ms': s.min,
          'max ms': s.max,
          'growth vs 1': ratio(s.median, base),
          'linear would be': size,
          'ms per server': round2(s.median / size),
          'servers shown without stats': withoutStats,
        });
      } finally {
        servers.close();
      }
    }
    const at50 = medians.get(50) ?? Number.NaN;
    const growth = ratio(at50, medians.get(1) ?? Number.NaN);
    const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
    report('monitor-sweep', rows, [
      `fake headless, non-TTY, worlds ${WORLDS.join(' + ')} each; ServerSet + Sweeper (console deadline ${CONSOLE_DEADLINE_MS} ms, default concurrency); one cold sweep, a ${SETTLE_MS / 1000} s pause, then ${SWEEPS} sweeps back to back per size.`,
      `each sweep: list + inspect of every managed container, one stats read and worlds + (focus + status) x 2 on each console.`,
      `target: 50 servers median < ${MAX_SWEEP_50_MS} ms: ${at50} ms -> ${verdict(at50 < MAX_SWEEP_50_MS)}`,
      `target: growth well below linear: 50 servers take ${growth}x the time of 1 (linear: 50x; judged MET under half of linear) -> ${verdict(growth < 25)}`,
      `cold sweep: each container's first stats read is one-shot, answered at the engine's next collector round and cut off at 300 ms, in waves of the sweep's concurrency (8): about ceil(n / 8) x 300 ms; later reads come from the stats stream it starts.`,
    ]);
  });
});

// ------------------------------------------------------------------ (b) REST calls per hour

const SERVERS = 20;
const AT0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const MINUTE = 60_000;

function container(index: number, uptimeSeconds: number): ManagedContainer {
  const name = `headless-${String(index + 1).padStart(2, '0')}`;
  return {
    id: `${index.toString(16).padStart(12, '0')}${'a'.repeat(52)}`,
    name,
    state: 'running',
    health: 'none',
    startedAt: new Date(AT0 - uptimeSeconds * 1000),
    finishedAt: null,
    uptimeSeconds,
    restartCount: 0,
    exitCode: null,
    oomKilled: false,
    tty: false,
    image: 'resonite-headless',
    labels: {},
  };
}

function world(index: number, name: string, present: string[]): WorldSnapshot {
  return {
    index,
    name,
    users: present.length,
    maxUsers: 16,
    accessLevel: 'Anyone',
    hidden: false,
    present,
  };
}

/**
 * 20 servers × 2 worlds at `at`. `extra` holds the servers where "Visitor" is in the lobby;
 * `uptimeRuns` makes each container's uptime grow with the clock (servers started at staggered times).
 */
function snapshot(at: number, extra: ReadonlySet<number>, uptimeRuns: boolean): BoardSnapshot {
  const servers: ServerSnapshot[] = Array.from({ length: SERVERS }, (_, i) => {
    const startedSecondsAgo = 2 * 86_400 + i * 173; // two days and a bit, staggered
    const uptime = startedSecondsAgo + (uptimeRuns ? Math.floor((at - AT0) / 1000) : 0);
    const c = container(i, uptime);
    return {
      name: c.name,
      displayName: c.name,
      container: c,
      stats: {
        cpuPercent: 12 + i,
        memoryBytes: (900 + 10 * i) * 1024 ** 2,
        memoryLimitBytes: 4 * 1024 ** 3,
        memoryPercent: ((900 + 10 * i) / 4096) * 100,
      },
      console: 'ok',
      worlds: [
        world(0, 'Lobby World', ['headless', 'alice', ...(extra.has(i) ? ['Visitor'] : [])]),
        world(1, 'Build Night', ['headless', 'bob', 'carol']),
      ],
    };
  });
  return { servers, at };
}

interface Simulation {
  label: string;
  channel: string;
  /** Snapshot at minute m (0 is the initial publish). */
  at: (minute: number) => BoardSnapshot;
}

describe('monitor: status board REST calls per hour, 20 servers', () => {
  let emulator: DiscordEmulator;
  let rest: REST;
  let dataDir: string;
  let db: ReturnType<typeof openDatabase> | undefined;

  beforeAll(async () => {
    emulator = await startDiscordEmulator({
      token: TOKEN,
      channels: [{ name: 'board-changing' }, { name: 'board-unchanged' }, { name: 'board-uptime' }],
    });
    rest = new REST({ api: emulator.apiUrl }).setToken(TOKEN);
    dataDir = mkdtempSync(join(tmpdir(), 'rhb-bench-board-'));
  });
  afterAll(async () => {
    rest?.clearHashSweeper();
    rest?.clearHandlerSweeper();
    db?.close();
    await emulator?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts the REST requests of one simulated hour', async () => {
    // The bot's defaults: sweep interval and heartbeat, as loadBotConfig gives them.
    const defaults = loadBotConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: emulator.applicationId,
      DISCORD_GUILD_ID: emulator.guildId,
      HEADLESS_CONTAINERS: 'headless',
    }).status;
    const intervalMs = defaults.intervalSeconds * 1000;
    const heartbeatMs = defaults.heartbeatMinutes * MINUTE;
    const publishes = Math.round((60 * MINUTE) / intervalMs);
    const store = new KeyValueStore((db = openDatabase(dataDir)));
    const logger = pino({ level: 'silent' });

    // (i): minute m toggles "Visitor" in the lobby of server m mod 20, so every minute differs.
    const visitors = new Set<number>();
    let lastMinute = 0;
    const changing = (minute: number) => {
      for (let m = lastMinute + 1; m <= minute; m++) {
        const server = m % SERVERS;
        if (visitors.has(server)) visitors.delete(server);
        else visitors.add(server);
      }
      lastMinute = minute;
      return snapshot(AT0 + minute * intervalMs, new Set(visitors), false);
    };
    const simulations: Simulation[] = [
      {
        label: '(i) changes every minute (a user joins or leaves)',
        channel: 'board-changing',
        at: changing,
      },
      {
        label: '(ii) unchanged',
        channel: 'board-unchanged',
        at: (minute) => snapshot(AT0 + minute * intervalMs, new Set(), false),
      },
      {
        label: 'info (iii) idle, uptimes keep running',
        channel: 'board-uptime',
        at: (minute) => snapshot(AT0 + minute * intervalMs, new Set(), true),
      },
    ];

    const rows: Row[] = [];
    const perHour = new Map<string, number>();
    for (const simulation of simulations) {
      const channelId = emulator.channel(simulation.channel).id;
      let now = AT0;
      const board = new StatusBoard({ rest, channelId, store, heartbeatMs, logger, now: () => now });
      const ofChannel = (since: number) =>
        emulator.requests.slice(since).filter((r) => r.path.startsWith(`/channels/${channelId}/`));

      const before = emulator.requests.length;
      const first = await board.publish(renderBoard(simulation.at(0)));
      const initial = ofChannel(before);
      const hourStart = emulator.requests.length;
      const outcomes: Record<PublishOutcome, number> = {
        posted: 0,
        edited: 0,
        heartbeat: 0,
        unchanged: 0,
        failed: 0,
      };
      for (let minute = 1; minute <= publishes; minute++) {
        now = AT0 + minute * intervalMs;
        outcomes[await board.publish(renderBoard(simulation.at(minute)))]++;
      }
      const hour = ofChannel(hourStart);
      expect(first).toBe('posted');
      expect(initial.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 200']);
      expect(outcomes.failed).toBe(0);
      expect(hour.every((r) => r.status === 200)).toBe(true);
      expect(emulator.requests.length - before).toBe(initial.length + hour.length); // nothing else
      expect(emulator.channelMessages(channelId)).toHaveLength(1);
      perHour.set(simulation.label, hour.length);
      rows.push({
        board: simulation.label,
        publishes: publishes,
        'REST in the hour': hour.length,
        POST: hour.filter((r) => r.method === 'POST').length,
        PATCH: hour.filter((r) => r.method === 'PATCH').length,
        edited: outcomes.edited,
        heartbeat: outcomes.heartbeat,
        unchanged: outcomes.unchanged,
        'initial post': initial.length,
      });
    }

    const changed = perHour.get(simulations[0]!.label) ?? Number.NaN;
    const unchanged = perHour.get(simulations[1]!.label) ?? Number.NaN;
    const uptime = perHour.get(simulations[2]!.label) ?? Number.NaN;
    const heartbeats = Math.floor((publishes * intervalMs) / heartbeatMs);
    const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
    report('monitor-board-rest', rows, [
      `${SERVERS} servers × 2 worlds rendered with renderBoard; a real StatusBoard against the emulator with an injected clock: 1 initial publish, then ${publishes} publishes ${defaults.intervalSeconds} s apart (one hour); heartbeat ${defaults.heartbeatMinutes} min (the defaults).`,
      `(i) changing board: ${changed} REST requests in the hour (+1 initial post).`,
      `(ii) unchanged board: ${unchanged} REST requests in the hour (+1 initial post).`,
      `target: the unchanged board makes only heartbeat edits, ${heartbeats} an hour (+1 initial post): ${unchanged} -> ${verdict(unchanged === heartbeats)}`,
      `for information: idle servers whose uptime runs make ${uptime} requests an hour: the board shows uptime in whole hours past a day, so each server's line changes once an hour.`,
    ]);
  });
});
