import { EventEmitter } from 'node:events';
import type Docker from 'dockerode';

export interface ContainerEvent {
  /** Docker's action: start, die, oom, kill, stop, restart, health_status: healthy, destroy, ... */
  action: string;
  id: string;
  name: string;
  labels: Record<string, string>;
  exitCode: number | null;
  /** The signal a `kill` event sent (Docker reports its number). */
  signal: number | null;
  time: Date;
  /** The Docker host it happened on, when the bot manages several (see HostEvents). */
  host?: string;
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** Allows for a daemon whose clock runs behind ours. */
const RESUME_SLACK_SECONDS = 5;

/**
 * How far ahead of now a catch-up asks its replay to end. Podman (4.3) takes `until` as the moment
 * to stop reading its events file, so an `until` already past replays nothing; Docker ends the
 * replay at that moment instead, which keeps a reconnect this much longer.
 */
const CATCH_UP_AHEAD_MS = 1_000;

/** Attributes Podman adds to every event beside the labels (Docker's are name, image, exitCode, signal). */
const PODMAN_ATTRIBUTES = ['containerExitCode', 'podId'];

const ACTIONS = [
  'start',
  'die',
  // Podman's own name for die: its filter matches that one, though its events then say die.
  'died',
  'oom',
  'kill',
  'stop',
  'restart',
  'health_status',
  'destroy',
  'pause',
  'unpause',
];

export interface EventsWatcherOptions {
  isManaged: (event: Pick<ContainerEvent, 'id' | 'name' | 'labels'>) => boolean;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Follows Docker's events stream for the managed containers and reconnects by itself with
 * backoff; on reconnect it asks for events since the last one seen, so none are lost.
 * Emits 'event' (ContainerEvent), 'connected' ({ caughtUp }: how many events it replayed after a
 * drop), and 'disconnected' (Error) at each failed try.
 */
export class DockerEventsWatcher extends EventEmitter {
  private stream: NodeJS.ReadableStream | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private backoffMs: number;
  private lastSeenNano = 0;
  private droppedAt: number | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly options: EventsWatcherOptions,
  ) {
    super();
    this.backoffMs = options.minBackoffMs ?? 500;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const stream = this.stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    this.stream = undefined;
    stream?.destroy?.();
  }

  private async connect(): Promise<void> {
    const since = this.resumeFrom();
    // The live stream starts in the second the catch-up ends in; what both carry is deduplicated.
    const until = (Date.now() + CATCH_UP_AHEAD_MS) / 1000;
    let stream: NodeJS.ReadableStream;
    let caughtUp = 0;
    try {
      if (since !== undefined) caughtUp = await this.catchUp(since, until);
      stream = await this.docker.getEvents({
        filters: { type: ['container'], event: ACTIONS },
        ...(since !== undefined ? { since: Math.floor(until) } : {}),
      });
    } catch (err) {
      this.retryLater(err as Error);
      return;
    }
    if (this.stopped) {
      (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
      return;
    }
    this.stream = stream;
    this.backoffMs = this.options.minBackoffMs ?? 500;
    this.droppedAt = undefined;
    this.emit('connected', { caughtUp });
    const ended = (err?: Error) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.retryLater(err ?? new Error('the Docker events stream ended'));
    };
    this.follow(stream, ended);
  }

  /** Replays what happened while disconnected (a stream that ends at `until`); resolves with how many managed events it emitted. */
  private async catchUp(since: number, until: number): Promise<number> {
    const stream = await this.docker.getEvents({
      filters: { type: ['container'], event: ACTIONS },
      since,
      until,
    });
    let count = 0;
    await new Promise<void>((resolve, reject) => {
      this.follow(
        stream,
        (err) => (err ? reject(err) : resolve()),
        () => (count += 1),
      );
    });
    return count;
  }

  private follow(stream: NodeJS.ReadableStream, ended: (err?: Error) => void, emitted?: () => void): void {
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        if (this.handleLine(pending.slice(0, newline))) emitted?.();
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    });
    stream.on('error', ended);
    stream.on('end', () => ended());
    stream.on('close', () => ended());
  }

  /** Whether the line was a managed container's event, emitted. */
  private handleLine(line: string): boolean {
    if (line.trim() === '') return false;
    let raw: RawEvent;
    try {
      raw = JSON.parse(line) as RawEvent;
    } catch {
      return false;
    }
    const attributes = raw.Actor?.Attributes ?? {};
    const { name = '', exitCode, signal, ...labels } = attributes;
    delete labels.image;
    for (const key of PODMAN_ATTRIBUTES) delete labels[key];
    const nano = raw.timeNano ?? (raw.time ?? 0) * 1e9;
    // `since` has whole-second resolution, so a reconnect replays that second: skip what was seen.
    if (nano <= this.lastSeenNano) return false;
    this.lastSeenNano = nano;
    const event: ContainerEvent = {
      action: raw.Action ?? raw.status ?? '',
      id: raw.Actor?.ID ?? raw.id ?? '',
      name,
      labels,
      exitCode: exitCode === undefined ? null : Number(exitCode),
      signal: signal === undefined ? null : Number(signal),
      time: new Date(nano / 1e6),
    };
    if (!this.options.isManaged(event)) return false;
    this.emit('event', event);
    return true;
  }

  /**
   * Where a new stream picks up (seconds): the last event seen, or, when none was seen yet, a little
   * before the stream dropped, so that nothing that happened while disconnected is lost.
   */
  private resumeFrom(): number | undefined {
    if (this.lastSeenNano > 0) return Math.floor(this.lastSeenNano / 1e9);
    if (this.droppedAt === undefined) return undefined;
    return Math.floor(this.droppedAt / 1000) - RESUME_SLACK_SECONDS;
  }

  private retryLater(err: Error): void {
    if (this.stopped) return;
    this.droppedAt ??= Date.now();
    this.emit('disconnected', err);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.options.maxBackoffMs ?? 30_000, this.backoffMs * 2);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}
