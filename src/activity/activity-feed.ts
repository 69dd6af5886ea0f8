import type { Logger } from 'pino';
import type { ActivityEvent } from './activity-event.js';
import { activityMessage } from './activity-message.js';

export interface ActivityPost {
  content: string;
  allowed_mentions: { parse: [] };
}

export interface ActivityFeedOptions {
  /** Posts one message to the activity channel. */
  post: (body: ActivityPost) => Promise<unknown>;
  logger: Logger;
  /** Least time between two messages (default 10 s). */
  intervalMs?: number;
  /** How long the first news waits for the rest of its burst (default 1 s). */
  gatherMs?: number;
  /** Whether a world's activity is kept out of the feed (`activityOptOut` in CONFIG_FILE). */
  optedOut?: (server: string, world: string) => boolean;
  /** Whether several servers are managed: then each line names its server. */
  severalServers?: () => boolean;
  now?: () => number;
  /** Runs `fn` after `ms`; returns what cancels it. */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

const INTERVAL_MS = 10_000;
const GATHER_MS = 1_000;

function realTimer(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}

/**
 * Batches activity into at most one message every 10 s: a burst (a world restarting, thirty people
 * leaving) is one message. Never pings anyone. A post that fails is logged and its news dropped,
 * so a channel the bot cannot post in does not pile messages up.
 */
export class ActivityFeed {
  private pending: ActivityEvent[] = [];
  private cancel: (() => void) | undefined;
  private lastPostAt = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(private readonly options: ActivityFeedOptions) {}

  add(events: readonly ActivityEvent[]): void {
    const { optedOut } = this.options;
    const kept = events.filter((event) => !('world' in event) || !optedOut?.(event.server, event.world));
    if (kept.length === 0 || this.stopped) return;
    this.pending.push(...kept);
    if (this.cancel) return;
    const now = this.now();
    const wait = Math.max(this.options.gatherMs ?? GATHER_MS, this.lastPostAt + this.intervalMs - now);
    this.cancel = (this.options.setTimer ?? realTimer)(() => void this.flush(), wait);
  }

  /** Drops what has not been posted yet. */
  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
    this.pending = [];
  }

  private async flush(): Promise<void> {
    this.cancel = undefined;
    const events = this.pending;
    this.pending = [];
    if (events.length === 0 || this.stopped) return;
    this.lastPostAt = this.now();
    const content = activityMessage(events, this.options.severalServers?.() ?? false);
    try {
      await this.options.post({ content, allowed_mentions: { parse: [] } });
    } catch (err) {
      this.options.logger.warn({ err, events: events.length }, 'activity feed: could not post');
    }
  }

  private get intervalMs(): number {
    return this.options.intervalMs ?? INTERVAL_MS;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
