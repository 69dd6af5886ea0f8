import type { ServerOverride } from '../config.js';
import { maskConsoleSecretsInText } from '../console/secrets.js';
import type { ConsoleSession } from '../console/session.js';
import type { ManagedContainer } from '../docker/container-info.js';
import type { ContainerGate } from '../docker/containers.js';
import { readLogs } from '../docker/logs.js';
import type { ContainerStats, StatsReader } from '../docker/stats.js';
import { ConsoleClosedError, ConsoleTimeoutError } from '../errors.js';
import { listWorlds, saveWorlds, slowTimeoutMs } from './console-steps.js';
import type { IntentionalStops } from './intentional-stops.js';
import type { Actor, LifecycleAction, LifecycleLocks } from './lifecycle-lock.js';
import type { RestartOptions, RestartResult, StopOptions, StopResult } from './lifecycle.js';

export interface ServerDeps {
  containers: ContainerGate;
  stats: StatsReader;
  timeoutMs: number;
  override: ServerOverride;
  /** Where the bot notes its own stops, so the monitor does not alert about them. */
  intentional: IntentionalStops;
  /** One start, stop or restart per server at a time, shared by every server of the set. */
  locks: LifecycleLocks;
}

const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

/** One headless's container: started, stopped (its worlds saved first) and read through Docker. */
export class ServerLifecycle {
  constructor(
    private readonly name: string,
    private readonly displayName: string,
    private readonly console: ConsoleSession,
    private readonly deps: ServerDeps,
  ) {}

  /** Refuses at once when another lifecycle action runs (checked again when the action starts). */
  checkIdle(): void {
    this.deps.locks.check(this.name, this.displayName);
  }

  start(actor: Actor): Promise<'started' | 'already running'> {
    return this.exclusive('starting', actor, () => this.startNow());
  }

  stop(options: StopOptions): Promise<StopResult> {
    return this.exclusive('stopping', options.actor, () => this.stopNow(options));
  }

  /** Graceful stop, start, then (when asked) following the start-up until the worlds run. */
  restart(options: RestartOptions): Promise<RestartResult> {
    return this.exclusive('restarting', options.actor, async () => {
      const stopped = await this.stopNow(options);
      options.onStep?.({ step: 'starting' });
      await this.startNow();
      options.onStep?.({ step: 'started' });
      const waitMs = options.waitForWorldsMs ?? 0;
      if (waitMs <= 0) return { ...stopped, running: [] };
      const running = await this.waitUntilRunning(waitMs);
      options.onStep?.(
        running.length > 0
          ? { step: 'running', worlds: running }
          : { step: 'not-answering', seconds: waitMs / 1000 },
      );
      return { ...stopped, running };
    });
  }

  /**
   * A `shutdown` typed into the console: the headless saves nothing and exits, which is the bot's
   * own stop (no "died" alert), and no other lifecycle action may run meanwhile.
   */
  shutdown<T>(actor: Actor, send: () => Promise<T>): Promise<T> {
    return this.exclusive('shutting down', actor, async () => {
      this.deps.intentional.begin(this.name);
      try {
        return await send();
      } catch (err) {
        // The stream closing is how a shutdown ends; anything else means it may not have happened.
        if (!(err instanceof ConsoleClosedError)) this.deps.intentional.end(this.name);
        throw err;
      }
    });
  }

  inspect(): Promise<ManagedContainer> {
    return this.deps.containers.get(this.name);
  }

  private exclusive<T>(action: LifecycleAction, actor: Actor, work: () => Promise<T>): Promise<T> {
    return this.deps.locks.run(this.name, this.displayName, { action, actor }, work);
  }

  private async startNow(): Promise<'started' | 'already running'> {
    const outcome = await this.deps.containers.start(this.name);
    this.deps.intentional.end(this.name);
    return outcome;
  }

  /**
   * Graceful stop: every world saved through the console, then Docker's stop (the image's SIGINT,
   * which the headless treats as a clean shutdown; SIGKILL only after the timeout). A console that
   * does not answer does not block the stop: the result says the worlds were not saved.
   */
  private async stopNow(options: StopOptions): Promise<StopResult> {
    const container = await this.inspect();
    if (container.state !== 'running' && container.state !== 'restarting' && container.state !== 'paused') {
      return { outcome: 'already stopped', saved: [] };
    }
    const { saved, saveSkipped } = await this.saveBeforeStop(options, container);
    options.onStep?.({ step: 'stopping' });
    this.deps.intentional.begin(this.name);
    let outcome: StopResult['outcome'];
    try {
      outcome = await this.deps.containers.stop(
        this.name,
        this.deps.override.stopTimeoutSeconds ?? DEFAULT_STOP_TIMEOUT_SECONDS,
      );
    } catch (err) {
      // It did not stop: its later deaths are incidents again.
      this.deps.intentional.end(this.name);
      throw err;
    }
    options.onStep?.({ step: 'stopped' });
    if (outcome === 'already stopped') outcome = 'went down meanwhile';
    return { outcome, saved, ...(saveSkipped ? { saveSkipped } : {}) };
  }

  /**
   * After a start, the headless needs tens of seconds before its console answers: asks for the
   * worlds with growing pauses until some run or the deadline passes. Returns their names.
   */
  async waitUntilRunning(deadlineMs: number): Promise<string[]> {
    const deadline = Date.now() + deadlineMs;
    for (let pause = 250; ; pause = Math.min(pause * 2, 4000)) {
      const names = await this.console.group(listWorlds).then(
        (worlds) => worlds.map((w) => w.name),
        () => [],
      );
      if (names.length > 0) return names;
      if (Date.now() + pause > deadline) return [];
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  async logs(lines: number): Promise<string> {
    const container = await this.inspect();
    // A TTY echoes what was typed, so a `login` line with its password can be in the output.
    return maskConsoleSecretsInText(
      await readLogs(this.deps.containers.handle(container), container.tty, lines),
    );
  }

  async stats(): Promise<ContainerStats> {
    const container = await this.deps.containers.getRunning(this.name);
    return this.deps.stats.read(this.deps.containers.handle(container), container.startedAt);
  }

  private async saveBeforeStop(options: StopOptions, container: ManagedContainer) {
    if (options.force) return { saved: [], saveSkipped: 'forced stop: worlds were not saved' };
    if (this.deps.override.saveBeforeStop === false) {
      return { saved: [], saveSkipped: 'saving before stop is disabled for this server' };
    }
    if (container.state !== 'running') return { saved: [], saveSkipped: `the server is ${container.state}` };
    try {
      const saved = await this.console.group(async (exec) => {
        const worlds = await listWorlds(exec);
        options.onStep?.({ step: 'saving', worlds: worlds.map((w) => w.name) });
        return worlds.length === 0
          ? []
          : saveWorlds(exec, undefined, this.name, slowTimeoutMs(this.deps.timeoutMs));
      });
      return { saved };
    } catch (err) {
      if (!(err instanceof ConsoleTimeoutError || err instanceof ConsoleClosedError)) throw err;
      const reason = `worlds were not saved: ${err.message}`;
      options.onStep?.({ step: 'save-skipped', reason });
      return { saved: [], saveSkipped: reason };
    }
  }
}
