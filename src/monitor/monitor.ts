import type { Logger } from 'pino';
import type { ManagedContainer } from '../docker/container-info.js';
import type { ContainerEvent, DockerEventsWatcher } from '../docker/events.js';
import type { ServerSet } from '../servers/server-set.js';
import { DOCKER_KEY, type Alerts, type IncidentKind, type RaiseOutcome } from './alerts.js';
import { renderBoard } from './board-render.js';
import { describeExit, exitCodeText, type ExitCause } from './exit-reason.js';
import { ExitWitness } from './exit-witness.js';
import type { BoardSnapshot } from './snapshot.js';
import type { StatusBoard } from './status-board.js';
import { StoryLog } from './story-log.js';
import type { Sweeper } from './sweep.js';

export interface MonitorOptions {
  servers: ServerSet;
  sweeper: Sweeper;
  events: DockerEventsWatcher;
  board?: StatusBoard | undefined;
  alerts?: Alerts | undefined;
  intervalMs: number;
  logger: Logger;
  /** Deaths within this window that make a restart loop. */
  restartLoop?: { count: number; windowMs: number };
  /** How long a death after a kill waits for the stop event of a `docker stop`. */
  stopWaitMs?: number;
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
  private readonly onConnected = (info: { caughtUp: number }) => this.story.eventsConnected(info.caughtUp);
  private readonly onDisconnected = (err: Error) => this.story.eventsDisconnected(err);

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
    events.stop();
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
    if (snapshot.dockerError !== undefined) {
      if (!alerts.isOpen(DOCKER_KEY)) {
        await alerts.raise({
          server: DOCKER_KEY,
          kind: 'docker',
          detail: snapshot.dockerError,
          at: snapshot.at,
        });
      }
      return;
    }
    await alerts.recover(DOCKER_KEY);
    const { intentional } = this.options.servers;
    await Promise.all(
      snapshot.servers.map(async (server) => {
        const { name, container } = server;
        if (container.state !== 'running') {
          this.misses.delete(name);
          // A death still being told apart is raised by its event, with more to say than a sweep.
          if (!intentional.covers(name, snapshot.at) && !alerts.isOpen(name) && !this.witness.dying(name)) {
            const kind = container.oomKilled ? 'oom' : 'stopped';
            await this.raise(name, kind, stateDetail(container), snapshot.at);
          }
          return;
        }
        if (container.health === 'unhealthy') {
          // The safety net for a missed health_status event.
          if (!alerts.isOpen(name))
            await this.raise(name, 'unhealthy', 'its health check fails', snapshot.at);
        } else if (server.console === 'ok') {
          this.misses.delete(name);
          await alerts.recover(name);
          return;
        }
        if (server.console === 'ok') return;
        // A headless the bot just started needs time before its console answers.
        if (intentional.startedRecently(name, snapshot.at, STARTUP_GRACE_MS)) return;
        const misses = (this.misses.get(name) ?? 0) + 1;
        this.misses.set(name, misses);
        if (misses === CONSOLE_MISSES) {
          const result = await this.raise(name, 'console', server.consoleDetail ?? 'no answer', snapshot.at);
          // Not posted: the next miss tries again rather than the incident going unreported.
          if (result === 'failed') this.misses.set(name, CONSOLE_MISSES - 1);
        }
      }),
    );
  }

  private async handleEvent(event: ContainerEvent): Promise<void> {
    const { intentional } = this.options.servers;
    const { name, action } = event;
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
      const deaths = this.recordDeath(name, at);
      const reason = describeExit(await this.witness.death(name, event.exitCode));
      if (deaths >= count) {
        const loop = `${deaths} deaths within ${Math.round(windowMs / 60_000)} minutes`;
        await this.raise(name, 'restarting', `${loop}, the last ${reason.text}`, at);
      } else await this.raise(name, KIND_OF_CAUSE[reason.cause], reason.text, at);
    } else if (action === 'oom') {
      this.witness.oom(name);
      await this.raise(name, 'oom', 'the kernel killed it for lack of memory', at);
    } else if (action === 'health_status: unhealthy') {
      await this.raise(name, 'unhealthy', 'its health check fails', at);
    }
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

/** What a sweep can tell of a container that is not running, from `docker inspect`. */
function stateDetail(container: ManagedContainer): string {
  if (container.state === 'missing') return 'state: missing';
  const { exitCode, oomKilled } = container;
  return `state: ${container.state}, ${oomKilled ? describeExit({ exitCode, oomKilled }).text : exitCodeText(exitCode)}`;
}
