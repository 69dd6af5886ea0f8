import type { Logger } from 'pino';
import { UserError } from '../errors.js';
import { answeredServers, type BoardSnapshot } from '../monitor/snapshot.js';
import type { GraphPeriod, GraphRequest, GraphResult, PlayerHistory } from '../servers/player-history.js';
import type { Database } from '../storage/database.js';
import { HistoryStore, HOUR_MS, MINUTE_MS, type WorldCount } from './history-store.js';
import { timeTicks } from './local-time.js';
import { toSeries } from './series.js';

const DAY_MS = 24 * HOUR_MS;

/** How each period is read and drawn: a day from the minutes (5-minute steps), longer from the hours. */
const PERIODS: Record<
  GraphPeriod,
  { spanMs: number; source: 'minutes' | 'hours'; stepMs: number; words: string }
> = {
  '24h': { spanMs: DAY_MS, source: 'minutes', stepMs: 5 * MINUTE_MS, words: 'last 24 hours' },
  '7d': { spanMs: 7 * DAY_MS, source: 'hours', stepMs: HOUR_MS, words: 'last 7 days' },
  '30d': { spanMs: 30 * DAY_MS, source: 'hours', stepMs: HOUR_MS, words: 'last 30 days' },
};

export interface PlayerHistoryOptions {
  db: Database;
  /** `TZ`: the chart's time axis and the busiest hour are in it. */
  timezone: string;
  /** The monitor's sweeps; without them nothing is recorded. */
  onSweep?: ((listener: (snapshot: BoardSnapshot) => void) => void) | undefined;
  logger: Logger;
  now?: () => number;
  /** The most worlds one chart draws. */
  maxLines?: number;
}

/**
 * Users per world from every sweep into SQLite, and /graph's chart of them. A server that is
 * not running, or whose console does not answer, records nothing for that sweep: a gap, not a zero.
 * The headless's own user is first in each world's list and never counts.
 */
export class PlayerHistoryRecorder implements PlayerHistory {
  private readonly store: HistoryStore;
  private readonly now: () => number;
  private rolledUpHour: number | undefined;
  private running = false;
  private subscribed = false;

  constructor(private readonly options: PlayerHistoryOptions) {
    this.store = new HistoryStore(options.db);
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.running = true;
    if (this.subscribed || !this.options.onSweep) return;
    this.subscribed = true;
    this.options.onSweep((snapshot) => {
      if (this.running) this.record(snapshot);
    });
  }

  stop(): void {
    this.running = false;
  }

  /** One sweep's counts; the hourly rollup (and retention) runs when the sweep is in a new hour. */
  record(snapshot: BoardSnapshot): void {
    // Docker unreachable: the snapshot is the last known state, not something seen now.
    if (snapshot.dockerError !== undefined) return;
    try {
      for (const server of answeredServers(snapshot)) {
        if (server.container.state !== 'running' || server.console !== 'ok') continue;
        const counts: WorldCount[] = server.worlds.map((world) => ({
          world: world.name,
          users: Math.max(0, world.present.length - 1),
        }));
        this.store.record(server.name, snapshot.at, counts);
      }
      const hour = Math.floor(snapshot.at / HOUR_MS);
      if (hour !== this.rolledUpHour) {
        this.store.rollup(snapshot.at);
        this.rolledUpHour = hour;
      }
    } catch (err) {
      // A full disk costs history, never the sweep that feeds the board and the alerts.
      this.options.logger.warn({ err }, 'player history: could not store the sweep');
    }
  }

  /** Runs the rollup and retention now (also what a new hour's first sweep does). */
  rollup(): void {
    this.store.rollup(this.now());
  }

  async graph(request: GraphRequest): Promise<GraphResult> {
    const period = PERIODS[request.period];
    const to = this.now();
    const from = to - period.spanMs;
    // The current hour, still partial, is rolled up too, so a week's chart reaches now.
    if (period.source === 'hours') this.store.rollup(to);
    const all =
      period.source === 'hours'
        ? this.store.hours(request.server, from, to)
        : this.store.minutes(request.server, from, to);
    const samples = request.world === undefined ? all : onlyWorld(all, request, period.words);
    if (samples.size === 0) {
      throw new UserError(
        `Nothing recorded for ${request.displayName} in the ${period.words}: users are counted at each sweep of the status board while the server runs and its console answers.`,
      );
    }
    const timezone = this.options.timezone;
    const series = toSeries({
      samples,
      from,
      to,
      stepMs: period.stepMs,
      timezone,
      maxLines: this.options.maxLines ?? 10,
    });
    // Loaded on the first /graph only: chart.js and the canvas cost memory an idle bot does not need.
    const { renderChart } = await import('./chart-render.js');
    const png = renderChart({
      title: `${request.displayName}: users per world, ${period.words} (${timezone})`,
      xs: series.xs,
      lines: series.lines,
      ticks: timeTicks(from, to, request.period, timezone),
      from,
      to,
      yTitle: period.source === 'hours' ? 'users (hourly peak)' : 'users',
    });
    return {
      png,
      from,
      to,
      timezone,
      worlds: series.worlds,
      leftOff: series.leftOff,
      ...(series.busiestHour ? { busiestHour: series.busiestHour } : {}),
    };
  }
}

function onlyWorld<T>(all: Map<string, T>, request: GraphRequest, words: string): Map<string, T> {
  const wanted = (request.world ?? '').toLowerCase();
  const match = [...all.keys()].find((world) => world.toLowerCase() === wanted);
  if (match === undefined) {
    const known = [...all.keys()].join(', ');
    throw new UserError(
      `No world named "${request.world}" was recorded on ${request.displayName} in the ${words}${known ? `; recorded: ${known}` : ''}.`,
    );
  }
  return new Map([[match, all.get(match) as T]]);
}
