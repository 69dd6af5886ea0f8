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

const ACTIONS = [
  'start',
  'die',
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
 * Emits 'event' (ContainerEvent), 'connected', and 'disconnected' (Error).
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
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.getEvents({
        filters: { type: ['container'], event: ACTIONS },
        ...(this.resumeFrom() !== undefined ? { since: this.resumeFrom() } : {}),
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
    this.emit('connected');
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        this.handleLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    });
    const ended = (err?: Error) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.retryLater(err ?? new Error('the Docker events stream ended'));
    };
    stream.on('error', ended);
    stream.on('end', () => ended());
    stream.on('close', () => ended());
  }

  private handleLine(line: string): void {
    if (line.trim() === '') return;
    let raw: RawEvent;
    try {
      raw = JSON.parse(line) as RawEvent;
    } catch {
      return;
    }
    const attributes = raw.Actor?.Attributes ?? {};
    const { name = '', exitCode, signal, ...labels } = attributes;
    delete labels.image;
    const nano = raw.timeNano ?? (raw.time ?? 0) * 1e9;
    // `since` has whole-second resolution, so a reconnect replays that second: skip what was seen.
    if (nano <= this.lastSeenNano) return;
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
    if (this.options.isManaged(event)) this.emit('event', event);
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
