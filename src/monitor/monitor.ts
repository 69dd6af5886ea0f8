import type { Logger } from 'pino';
import { DEFAULT_HOST } from '../config.js';
import type { ManagedContainer } from '../docker/container-info.js';
import type { ContainerEvent } from '../docker/events.js';
import type { HostEvents } from '../docker/host-events.js';
import type { ServerSet } from '../servers/server-set.js';
import { dockerKey, type Alerts, type IncidentKind, type RaiseOutcome, type ServerReturn } from './alerts.js';
import { renderBoard } from './board-render.js';
import { describeExit, exitCodeText, type ExitCause } from './exit-reason.js';
import { ExitWitness } from './exit-witness.js';
import type { BoardSnapshot, HostSnapshot, ServerSnapshot } from './snapshot.js';
import type { StatusBoard } from './status-board.js';
import { StoryLog } from './story-log.js';
import type { Sweeper } from './sweep.js';

export interface MonitorOptions {
  servers: ServerSet;
  sweeper: Sweeper;
  events: HostEvents;
  board?: StatusBoard | undefined;
  alerts?: Alerts | undefined;
  intervalMs: number;
  logger: Logger;
  /** Deaths within this window that make a restart loop. */
  restartLoop?: { count: number; windowMs: number };
  /** How long a death after a kill waits for the stop event of a `docker stop`. */
  stopWaitMs?: number;
  /**
   * How long a death's alert is held back to see whether the daemon is going away (default 5 s;
   * 0 alerts at once): deaths the daemon caused are one Docker incident, not one alert each.
   */
  deathHoldMs?: number;
  /** Runs `fn` after `ms`; returns what cancels it (tests inject their own clock). */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

interface HeldDeath {
  at: number;
  host: string;
  cancel: () => void;
}

/** A daemon went away: from the first death it caused (or when it was found unreachable) until it was seen back. */
interface Outage {
  since: number;
  backAt?: number;
  /** Servers seen dying with it. */
  servers: Set<string>;
  /** Servers running when it went away, with when they had started: a later start means the daemon restarted them. */
  runningBefore: Map<string, number | null>;
}

const DEATH_HOLD_MS = 5_000;

function realTimer(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}

const KIND_OF_CAUSE: Record<ExitCause, IncidentKind> = {
  oom: 'oom',
  stopped: 'external-stop',
  killed: 'external-kill',
  crashed: 'died',
  exited: 'died',
};

/** Sweeps in a row a console must miss before it is an incident. */
const CONSOLE_MISSES = 2;
/** After the bot restarted a server, how long a silent console is expected (worlds loading). */
const STARTUP_GRACE_MS = 3 * 60_000;

/**
 * Keeps the status board fresh and raises alerts: in real time from Docker's events, with each
 * sweep as the safety net (a missed event, a console that stopped answering, recovery). Stops
 * and restarts the bot made itself are never incidents.
 */
export class Monitor {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly misses = new Map<string, number>();
  private readonly deaths = new Map<string, number[]>();
  private readonly witness: ExitWitness;
  private lastSweep: Promise<BoardSnapshot | undefined> = Promise.resolve(undefined);
  private readonly onEvent = (event: ContainerEvent) => void this.handleEvent(event);
  private readonly story: StoryLog;
  private readonly onConnected = (info: { caughtUp: number; host?: string }) => {
    this.streaming.add(info.host ?? DEFAULT_HOST);
    this.story.eventsConnected(info.caughtUp, info.host);
  };
  private readonly onDisconnected = (err: Error, host = DEFAULT_HOST) => {
    this.streaming.delete(host);
    this.story.eventsDisconnected(err, host);
    // Docker has no shutdown event: a daemon going away refuses new calls, stops its containers
    // (their deaths still come on this stream), then drops the stream. Find out now, not at the
    // next sweep, so the incident is raised and lists the servers before their held deaths alert.
    if (!this.inOutage(host) && !this.disconnectSweep) {
      this.disconnectSweep = true;
      void this.sweepNow().finally(() => (this.disconnectSweep = false));
    }
  };
  private disconnectSweep = false;
  /** Hosts whose events stream is open. */
  private readonly streaming = new Set<string>();
  /** Hosts found unreachable while their events stream was open: since when, and what cancels the sweep that looks again. */
  private readonly doubted = new Map<string, { since: number; cancel: () => void }>();
  private readonly onReconnected = (info: { host?: string }) => {
    if (this.inOutage(info.host ?? DEFAULT_HOST)) void this.sweepNow();
  };
  private readonly held = new Map<string, HeldDeath>();
  /** Per host: its daemon's last outage, open or over. */
  private readonly outages = new Map<string, Outage>();
  /** Servers named in a resolved Docker incident as not back: not alerted again until they run. */
  private readonly leftDown = new Set<string>();
  /** Servers the daemon restarted, with when: their console gets the start-up grace. */
  private readonly restartedByDaemon = new Map<string, number>();
  private readonly sweepListeners: ((snapshot: BoardSnapshot) => void)[] = [];

  constructor(private readonly options: MonitorOptions) {
    this.witness = new ExitWitness(options.stopWaitMs);
    this.story = new StoryLog(options.logger);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const { events } = this.options;
    events.on('event', this.onEvent);
    events.on('connected', this.onConnected);
    events.on('disconnected', this.onDisconnected);
    events.on('connected', this.onReconnected);
    events.start();
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const { events } = this.options;
    events.off('event', this.onEvent);
    events.off('connected', this.onConnected);
    events.off('disconnected', this.onDisconnected);
    events.off('connected', this.onReconnected);
    events.stop();
    for (const death of this.held.values()) death.cancel();
    this.held.clear();
    for (const { cancel } of this.doubted.values()) cancel();
    this.doubted.clear();
    this.streaming.clear();
  }

  /** Called with every sweep's snapshot (automation reads consoles, users and load from it). */
  onSweep(listener: (snapshot: BoardSnapshot) => void): void {
    this.sweepListeners.push(listener);
  }

  /** Runs one sweep now (also what the timer does); resolves with what it saw. */
  sweepNow(): Promise<BoardSnapshot | undefined> {
    this.lastSweep = this.lastSweep.then(() => this.sweep());
    return this.lastSweep;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.sweepNow().finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
  }

  private async sweep(): Promise<BoardSnapshot | undefined> {
    try {
      const snapshot = await this.options.sweeper.sweep();
      this.story.sweep(snapshot);
      for (const listener of this.sweepListeners) listener(snapshot);
      await Promise.all([this.checkHealth(snapshot), this.options.board?.publish(renderBoard(snapshot))]);
      return snapshot;
    } catch (err) {
      this.options.logger.error({ err }, 'status sweep failed');
      return undefined;
    }
  }

  private async checkHealth(snapshot: BoardSnapshot): Promise<void> {
    const alerts = this.options.alerts;
    if (!alerts) return;
    const hosts: HostSnapshot[] = snapshot.hosts ?? [
      {
        name: DEFAULT_HOST,
        address: '',
        ...(snapshot.dockerError !== undefined ? { error: snapshot.dockerError } : {}),
      },
    ];
    // Each host on its own: one that is down raises its own Docker incident, the others go on.
    await Promise.all(
      hosts.map((host) => {
        const servers = snapshot.servers.filter((s) => (s.container.host ?? DEFAULT_HOST) === host.name);
        return host.error !== undefined
          ? this.hostDown(host, servers, snapshot.at, alerts)
          : this.hostUp(host.name, servers, snapshot.at, alerts);
      }),
    );
  }

  /** The host's daemon does not answer: its Docker incident, listing the servers it had. */
  private async hostDown(
    host: HostSnapshot,
    servers: ServerSnapshot[],
    at: number,
    alerts: Alerts,
  ): Promise<void> {
    const previous = this.outages.get(host.name);
    const fresh = !previous || previous.backAt !== undefined;
    const key = dockerKey(host.name);
    if (fresh && !alerts.isOpen(key) && this.lookAgainLater(host.name, at)) return;
    const folded = this.foldHeld(host.name, servers, at);
    if (!alerts.isOpen(key)) {
      const outage = this.outages.get(host.name)!;
      const unknown = fresh
        ? [...outage.runningBefore.keys()].filter((name) => !outage.servers.has(name))
        : [];
      await alerts.raise({
        server: key,
        kind: 'docker',
        detail: host.error ?? 'no answer',
        at,
        ...(folded.length > 0 ? { takenDown: folded } : {}),
        ...(unknown.length > 0 ? { lastSeenRunning: unknown } : {}),
      });
    } else if (folded.length > 0) await alerts.dockerTookDown(folded, host.name);
  }

  /**
   * A daemon shutting down closes its API first, then stops its containers, and keeps the events
   * stream open until they are stopped: an API that does not answer while the stream is open is
   * most likely a daemon going away, whose deaths are about to arrive. The incident waits for the
   * stream to drop, at most the death hold, so its first post lists them rather than calling the
   * host merely unreachable. Deaths already held, or no stream, and it is raised at once.
   */
  private lookAgainLater(host: string, at: number): boolean {
    const holdMs = this.options.deathHoldMs ?? DEATH_HOLD_MS;
    const streaming = this.streaming.has(host);
    const doubted = this.doubted.get(host);
    if (doubted) {
      if (streaming && at - doubted.since < holdMs) return true;
      this.endDoubt(host);
      return false;
    }
    const held = [...this.held.values()].some((death) => death.host === host);
    if (holdMs <= 0 || held || !streaming) return false;
    const cancel = (this.options.setTimer ?? realTimer)(() => void this.sweepNow(), holdMs);
    this.doubted.set(host, { since: at, cancel });
    return true;
  }

  private endDoubt(host: string): void {
    this.doubted.get(host)?.cancel();
    this.doubted.delete(host);
  }

  /** The host answers: an outage of it ends, and each of its servers is looked at. */
  private async hostUp(host: string, servers: ServerSnapshot[], at: number, alerts: Alerts): Promise<void> {
    this.endDoubt(host);
    await this.endOutage(host, servers, at, alerts);
    const { intentional } = this.options.servers;
    await Promise.all(
      servers.map(async (server) => {
        const { name, container } = server;
        if (container.state !== 'running') {
          this.misses.delete(name);
          // A death still being told apart (or held back) is raised by its event, with more to say
          // than a sweep; one the Docker incident already named is not alerted twice.
          if (
            !intentional.covers(name, at) &&
            !alerts.isOpen(name) &&
            !this.witness.dying(name) &&
            !this.held.has(name) &&
            !this.leftDown.has(name)
          ) {
            const kind = container.oomKilled ? 'oom' : 'stopped';
            await this.raise(name, kind, stateDetail(container), at);
          }
          return;
        }
        if (this.leftDown.delete(name)) await alerts.dockerServerBack(name, at, host);
        if (container.health === 'unhealthy') {
          // The safety net for a missed health_status event.
          if (!alerts.isOpen(name)) await this.raise(name, 'unhealthy', 'its health check fails', at);
        } else if (server.console === 'ok') {
          this.misses.delete(name);
          await alerts.recover(name);
          return;
        }
        if (server.console === 'ok') return;
        // A headless the bot just started needs time before its console answers.
        if (intentional.startedRecently(name, at, STARTUP_GRACE_MS)) return;
        const restarted = this.restartedByDaemon.get(name);
        if (restarted !== undefined && at - restarted < STARTUP_GRACE_MS) return;
        const misses = (this.misses.get(name) ?? 0) + 1;
        this.misses.set(name, misses);
        if (misses === CONSOLE_MISSES) {
          const result = await this.raise(name, 'console', server.consoleDetail ?? 'no answer', at);
          // Not posted: the next miss tries again rather than the incident going unreported.
          if (result === 'failed') this.misses.set(name, CONSOLE_MISSES - 1);
        }
      }),
    );
  }

  private async handleEvent(event: ContainerEvent): Promise<void> {
    const { intentional } = this.options.servers;
    const { name, action } = event;
    const host = event.host ?? DEFAULT_HOST;
    const at = event.time.getTime();
    if (action === 'start') {
      intentional.end(name, at);
      this.witness.started(name);
      return;
    }
    if (intentional.covers(name, at)) return;
    if (action === 'kill') this.witness.killed(name, event.signal);
    else if (action === 'stop') this.witness.stopped(name);
    else if (action === 'die') {
      const { count, windowMs } = this.restartLoop;
      const reason = describeExit(await this.witness.death(name, event.exitCode));
      const outage = this.outages.get(host);
      if (outage && this.duringOutage(outage, at)) {
        // Replayed once the stream is back, or seen while the daemon is down: the Docker incident tells it.
        if (outage.backAt === undefined && !outage.servers.has(name)) {
          outage.servers.add(name);
          await this.options.alerts?.dockerTookDown([name], host);
        }
        return;
      }
      const deaths = this.recordDeath(name, at);
      const alert = () =>
        deaths >= count
          ? this.raise(
              name,
              'restarting',
              `${deaths} deaths within ${Math.round(windowMs / 60_000)} minutes, the last ${reason.text}`,
              at,
            )
          : this.raise(name, KIND_OF_CAUSE[reason.cause], reason.text, at);
      await this.hold(name, host, at, alert);
    } else if (action === 'oom') {
      this.witness.oom(name);
      await this.raise(name, 'oom', 'the kernel killed it for lack of memory', at);
    } else if (action === 'health_status: unhealthy') {
      await this.raise(name, 'unhealthy', 'its health check fails', at);
    }
  }

  /** Alerts about the death once the hold is over, unless the daemon turned out to be going away. */
  private hold(name: string, host: string, at: number, alert: () => Promise<unknown>): Promise<unknown> {
    const holdMs = this.options.deathHoldMs ?? DEATH_HOLD_MS;
    if (holdMs <= 0) return alert();
    this.held.get(name)?.cancel();
    const setTimer = this.options.setTimer ?? realTimer;
    return new Promise<void>((resolve) => {
      const expire = () => {
        if (this.held.get(name)?.cancel !== stop) return resolve();
        // Docker is being looked at again: if it is going away, this death is folded into its incident.
        if (this.doubted.has(host)) {
          cancel = setTimer(expire, holdMs);
          return;
        }
        this.held.delete(name);
        void alert().finally(resolve);
      };
      let cancel = setTimer(expire, holdMs);
      const stop = () => {
        cancel();
        resolve();
      };
      this.held.set(name, { at, host, cancel: stop });
    });
  }

  /** A host's daemon is unreachable: the deaths held there were its doing. Returns the servers newly known to be down. */
  private foldHeld(host: string, servers: readonly ServerSnapshot[], at: number): string[] {
    const holdMs = this.options.deathHoldMs ?? DEATH_HOLD_MS;
    const held = [...this.held].filter(([, death]) => death.host === host);
    let outage = this.outages.get(host);
    if (!outage || outage.backAt !== undefined) {
      const heldSince = Math.min(...held.map(([, death]) => death.at));
      const runningBefore = new Map(
        servers
          .filter((s) => s.container.state === 'running')
          .map((s) => [s.name, s.container.startedAt?.getTime() ?? null] as const),
      );
      outage = { since: Math.min(heldSince, at - holdMs), servers: new Set(), runningBefore };
      this.outages.set(host, outage);
    }
    const folded: string[] = [];
    for (const [name, death] of held) {
      death.cancel();
      this.held.delete(name);
      this.undoDeath(name, death.at);
      if (!outage.servers.has(name)) folded.push(name);
      outage.servers.add(name);
    }
    // A death still waiting for its stop event is not held yet, but the daemon took it down too
    // (with no hold, it is alerted at once instead).
    for (const { name } of holdMs > 0 ? servers : [])
      if (this.witness.dying(name) && !outage.servers.has(name)) {
        folded.push(name);
        outage.servers.add(name);
      }
    return folded;
  }

  /** A host's Docker answers again: its open outage resolves, naming the servers that did not come back. */
  private async endOutage(
    host: string,
    servers: readonly ServerSnapshot[],
    at: number,
    alerts: Alerts,
  ): Promise<void> {
    const outage = this.outages.get(host);
    const key = dockerKey(host);
    if (!outage || outage.backAt !== undefined) {
      await alerts.recover(key);
      return;
    }
    outage.backAt = at;
    const returns: ServerReturn[] = [];
    for (const { name, container } of servers) {
      const before = outage.runningBefore.get(name);
      const started = container.startedAt?.getTime() ?? null;
      const restarted =
        container.state === 'running' &&
        started !== null &&
        (before === undefined || before === null || started > before);
      const tookDown =
        outage.servers.has(name) ||
        (outage.runningBefore.has(name) && (container.state !== 'running' || restarted));
      if (!tookDown) {
        if (outage.runningBefore.has(name)) returns.push({ name, back: true, kept: true });
        continue;
      }
      if (container.state === 'running') {
        this.restartedByDaemon.set(name, at);
        returns.push({ name, back: true });
      } else {
        this.leftDown.add(name);
        returns.push({ name, back: false, state: dockerState(container) });
      }
    }
    if (returns.length === 0) await alerts.recover(key);
    else await alerts.dockerBack(returns, host);
  }

  private inOutage(host: string): boolean {
    const outage = this.outages.get(host);
    return outage !== undefined && outage.backAt === undefined;
  }

  private duringOutage(outage: Outage, at: number): boolean {
    return at >= outage.since && (outage.backAt === undefined || at <= outage.backAt);
  }

  private undoDeath(server: string, at: number): void {
    const deaths = this.deaths.get(server);
    if (deaths)
      this.deaths.set(
        server,
        deaths.filter((t) => t !== at),
      );
  }

  /** How many deaths of the server fall within the restart-loop window, this one included. */
  private recordDeath(server: string, at: number): number {
    const recent = [...(this.deaths.get(server) ?? []).filter((t) => at - t < this.restartLoop.windowMs), at];
    this.deaths.set(server, recent);
    return recent.length;
  }

  private get restartLoop(): { count: number; windowMs: number } {
    return this.options.restartLoop ?? { count: 3, windowMs: 10 * 60_000 };
  }

  private async raise(
    server: string,
    kind: IncidentKind,
    detail: string,
    at: number,
  ): Promise<RaiseOutcome | undefined> {
    return this.options.alerts?.raise({ server, kind, detail, at });
  }
}

/** As `docker ps` says it: "Exited (0)". */
function dockerState(container: ManagedContainer): string {
  if (container.state === 'exited') return `Exited (${container.exitCode ?? '?'})`;
  return container.state === 'missing' ? 'gone' : container.state;
}

/** What a sweep can tell of a container that is not running, from `docker inspect`. */
function stateDetail(container: ManagedContainer): string {
  if (container.state === 'missing') return 'state: missing';
  const { exitCode, oomKilled } = container;
  return `state: ${container.state}, ${oomKilled ? describeExit({ exitCode, oomKilled }).text : exitCodeText(exitCode)}`;
}
