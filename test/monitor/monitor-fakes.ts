/** Stand-ins for the Monitor's unit tests: scripted events and sweeps in, recorded alert calls out. */
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { DEFAULT_HOST } from '../../src/config.js';
import type { ContainerState, Health, ManagedContainer } from '../../src/docker/container-info.js';
import type { HostEvents } from '../../src/docker/host-events.js';
import { dockerKey, type Alerts, type Incident, type ServerReturn } from '../../src/monitor/alerts.js';
import { Monitor } from '../../src/monitor/monitor.js';
import type { BoardSnapshot, ConsoleHealth, ServerSnapshot } from '../../src/monitor/snapshot.js';
import type { Sweeper } from '../../src/monitor/sweep.js';
import { IntentionalStops } from '../../src/servers/intentional-stops.js';
import type { ServerSet } from '../../src/servers/server-set.js';

export const T0 = 1_700_000_000_000;

export class FakeEvents extends EventEmitter {
  started = 0;
  stopped = 0;
  start(): void {
    this.started += 1;
  }
  stop(): void {
    this.stopped += 1;
  }
}

/** Returns the scripted snapshots in order; sweeping past the script is a test bug. */
export class ScriptedSweeper {
  readonly script: BoardSnapshot[] = [];
  sweeps = 0;
  sweep(): Promise<BoardSnapshot> {
    this.sweeps += 1;
    const next = this.script.shift();
    if (!next) return Promise.reject(new Error('no scripted snapshot left'));
    return Promise.resolve(next);
  }
}

type Call = { op: 'raise'; incident: Incident } | { op: 'recover'; server: string };

/** Records raise/recover; an alert is open from a successful raise until its recover. */
export class RecordingAlerts {
  readonly calls: Call[] = [];
  readonly open = new Set<string>();
  /** Results of the next raises (default 'posted'); 'failed' leaves the alert closed. */
  readonly results: ('posted' | 'updated' | 'failed')[] = [];
  pending: Promise<unknown>[] = [];

  isOpen(server: string): boolean {
    return this.open.has(server);
  }
  raise(incident: Incident): Promise<'posted' | 'updated' | 'failed'> {
    this.calls.push({ op: 'raise', incident });
    const result = this.results.shift() ?? (this.open.has(incident.server) ? 'updated' : 'posted');
    if (result !== 'failed') this.open.add(incident.server);
    const done = Promise.resolve(result);
    this.pending.push(done);
    return done;
  }
  readonly tookDown: string[] = [];
  readonly returns: ServerReturn[] = [];
  /** Which host each dockerTookDown / dockerBack / dockerServerBack call was about, in order. */
  readonly hostsTold: string[] = [];
  dockerTookDown(servers: string[], host = DEFAULT_HOST): Promise<void> {
    this.tookDown.push(...servers);
    this.hostsTold.push(host);
    return Promise.resolve();
  }
  readonly cameBack: string[] = [];
  dockerServerBack(server: string, _at?: number, host = DEFAULT_HOST): Promise<void> {
    this.cameBack.push(server);
    this.hostsTold.push(host);
    return Promise.resolve();
  }
  dockerBack(returns: ServerReturn[], host = DEFAULT_HOST): Promise<void> {
    this.returns.push(...returns);
    this.hostsTold.push(host);
    this.open.delete(dockerKey(host));
    return Promise.resolve();
  }
  recover(server: string): Promise<void> {
    this.calls.push({ op: 'recover', server });
    this.open.delete(server);
    const done = Promise.resolve();
    this.pending.push(done);
    return done;
  }

  raises(server?: string): Incident[] {
    return this.calls
      .filter((c): c is Extract<Call, { op: 'raise' }> => c.op === 'raise')
      .map((c) => c.incident)
      .filter((i) => server === undefined || i.server === server);
  }
  recovers(server?: string): string[] {
    return this.calls
      .filter((c): c is Extract<Call, { op: 'recover' }> => c.op === 'recover')
      .map((c) => c.server)
      .filter((s) => server === undefined || s === server);
  }
  /** Waits for everything recorded so far (and what that triggers) to settle. */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export function container(name: string, state: ContainerState, health: Health = 'none'): ManagedContainer {
  return {
    id: `${name}-id`.padEnd(12, '0'),
    name,
    state,
    health,
    startedAt: state === 'running' ? new Date(T0 - 3_600_000) : null,
    finishedAt: null,
    uptimeSeconds: state === 'running' ? 3600 : null,
    restartCount: 0,
    exitCode: state === 'running' ? null : 0,
    oomKilled: false,
    tty: false,
    image: 'resonite-headless:test',
    labels: {},
  };
}

export function server(
  name: string,
  options: { state?: ContainerState; health?: Health; console?: ConsoleHealth; detail?: string } = {},
): ServerSnapshot {
  const state = options.state ?? 'running';
  return {
    name,
    displayName: name,
    container: container(name, state, options.health),
    stats: null,
    console: options.console ?? (state === 'running' ? 'ok' : 'not running'),
    ...(options.detail ? { consoleDetail: options.detail } : {}),
    worlds: [],
  };
}

/**
 * A started Monitor that holds deaths back `holdMs`, on an injected clock: its timers fire only
 * when the test moves time on with `advance` (or sets `now`). Stop it in afterEach.
 */
export class ClockedMonitor {
  readonly events = new FakeEvents();
  readonly sweeper = new ScriptedSweeper();
  readonly alerts = new RecordingAlerts();
  readonly monitor: Monitor;
  now = T0;
  private readonly timers: { at: number; fn: () => void; cancelled: boolean }[] = [];

  constructor(holdMs: number) {
    this.monitor = new Monitor({
      servers: { intentional: new IntentionalStops() } as unknown as ServerSet,
      sweeper: this.sweeper as unknown as Sweeper,
      events: this.events as unknown as HostEvents,
      alerts: this.alerts as unknown as Alerts,
      intervalMs: 60_000,
      logger: pino({ level: 'silent' }),
      deathHoldMs: holdMs,
      setTimer: (fn, ms) => {
        const timer = { at: this.now + ms, fn, cancelled: false };
        this.timers.push(timer);
        return () => (timer.cancelled = true);
      },
    });
    this.monitor.start();
  }

  async advance(ms: number): Promise<void> {
    this.now += ms;
    for (const t of this.timers.filter((t) => t.at <= this.now && !t.cancelled)) {
      t.cancelled = true;
      t.fn();
    }
    await this.alerts.settled();
  }
}
