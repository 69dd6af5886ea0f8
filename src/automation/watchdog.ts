import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import { AUTOMATION, auditedAutomation } from '../audit/automation-audit.js';
import type { ServerOverride } from '../config.js';
import type { ContainerEvent } from '../docker/events.js';
import type { Alerts } from '../monitor/alerts.js';
import { answeredServers, type BoardSnapshot, type ServerSnapshot } from '../monitor/snapshot.js';
import type { HeadlessServer } from '../servers/headless-server.js';
import type { IntentionalStops } from '../servers/intentional-stops.js';
import { LifecycleBusyError, type Actor, type LifecycleLocks } from '../servers/lifecycle-lock.js';
import type { WatchdogState, WatchdogSwitch } from '../servers/watchdog-switch.js';
import type { KeyValueStore } from '../storage/database.js';
import { formatDuration } from '../text.js';

/** What the watchdog needs of a server: its name and its container's lifecycle. */
export type WatchedServer = Pick<HeadlessServer, 'name' | 'displayName'> & {
  container: Pick<HeadlessServer['container'], 'inspect' | 'start' | 'restart' | 'waitUntilRunning'>;
};

export interface WatchdogServers {
  get(name: string): Promise<WatchedServer>;
  intentional: Pick<IntentionalStops, 'covers'>;
  locks: Pick<LifecycleLocks, 'current'>;
}

/** Docker's events, as the Monitor also hears them (the same DockerEventsWatcher). */
export interface EventSource {
  on(event: 'event', listener: (event: ContainerEvent) => void): unknown;
  off(event: 'event', listener: (event: ContainerEvent) => void): unknown;
}

export interface WatchdogOptions {
  servers: WatchdogServers;
  /** The per-server settings of CONFIG_FILE (`autoRecover`). */
  overrides: Record<string, ServerOverride>;
  store: KeyValueStore;
  audit: AuditLog;
  guildId: string;
  events: EventSource;
  /** Registers for every sweep's snapshot (Monitor.onSweep); absent when the bot runs no monitor. */
  onSweep?: ((listener: (snapshot: BoardSnapshot) => void) => void) | undefined;
  alerts?: Pick<Alerts, 'isOpen' | 'note' | 'escalate'> | undefined;
  logger: Logger;
  /** How long a dead container is left to Docker's restart policy before the watchdog starts it (default 30 s). */
  graceMs?: number;
  /** Sweeps in a row a running server's console must miss before it is restarted (default 3). */
  consoleMisses?: number;
  /** Automatic recoveries within `windowMs` after which the next failure makes it give up (default 3 in 30 min). */
  crashLoop?: { recoveries: number; windowMs: number };
  /** After giving up, how long the server must run with its console answering before the watchdog acts again (default 30 min). */
  healthyResetMs?: number;
  /** A container started this recently is still loading its worlds: its silent console is no miss (default 3 min). */
  startupGraceMs?: number;
  /** How long after its start or restart the watchdog follows the start-up until the worlds run (default 3 min). */
  startupWaitMs?: number;
  now?: () => number;
  /** Runs `fn` after `ms`; returns what cancels it (tests inject their own clock). */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

interface Watch {
  /** When each automatic recovery of the crash-loop window was made. */
  recoveries: number[];
  gaveUpAt?: number;
  misses: number;
  /** Since when every sweep saw it running with its console answering. */
  healthySince?: number;
  /** The check a death scheduled, cancelled by a newer death or by stopping. */
  pendingDeath?: () => void;
  /** A start or restart of the watchdog's own is running. */
  acting: boolean;
  /** Counts deaths: a start-up followed after a newer death has nothing left to tell. */
  deaths: number;
  /** A line of this incident reached its alert: the rest follow there, even once it recovered. */
  onAlert: boolean;
}

interface PendingLine {
  text: string;
  at: number;
  escalate: boolean;
}

const KEY_PREFIX = 'watchdog:';
const DEFAULTS = {
  graceMs: 30_000,
  consoleMisses: 3,
  crashLoop: { recoveries: 3, windowMs: 30 * 60_000 },
  healthyResetMs: 30 * 60_000,
  startupGraceMs: 3 * 60_000,
  startupWaitMs: 3 * 60_000,
};
/** How often a timeline line waiting for its alert tries again, and for how long. */
const NOTE_RETRY_MS = 1_000;
const NOTE_PATIENCE_MS = 60_000;
/** A death check that cannot reach Docker tries again, this many times (a daemon restarting). */
const CHECK_ATTEMPTS = 10;

function realTimer(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}

/**
 * Self-healing, opt-in per server: a container that died without the bot stopping it and that
 * Docker's restart policy did not bring back within the grace is started; a running server whose
 * console misses sweeps in a row is restarted gracefully (save tried first, Docker's kill after the
 * stop timeout). A crash loop stops it: after a few recoveries within the window it gives up, says
 * so on the alert and pings on-call once. It never overlaps another lifecycle action (it stands
 * back when one runs), and every action is audited as `automation` and told on the alert's timeline.
 */
export class Watchdog implements WatchdogSwitch {
  private readonly watches = new Map<string, Watch>();
  private readonly pending = new Map<string, PendingLine[]>();
  private readonly retries = new Map<string, () => void>();
  private readonly flushes = new Map<string, Promise<void>>();
  private stopped = true;
  private readonly onEvent = (event: ContainerEvent) => this.handleEvent(event);
  private readonly settings: Required<
    Pick<
      WatchdogOptions,
      'graceMs' | 'consoleMisses' | 'crashLoop' | 'healthyResetMs' | 'startupGraceMs' | 'startupWaitMs'
    >
  >;

  constructor(private readonly options: WatchdogOptions) {
    this.settings = {
      graceMs: options.graceMs ?? DEFAULTS.graceMs,
      consoleMisses: options.consoleMisses ?? DEFAULTS.consoleMisses,
      crashLoop: options.crashLoop ?? DEFAULTS.crashLoop,
      healthyResetMs: options.healthyResetMs ?? DEFAULTS.healthyResetMs,
      startupGraceMs: options.startupGraceMs ?? DEFAULTS.startupGraceMs,
      startupWaitMs: options.startupWaitMs ?? DEFAULTS.startupWaitMs,
    };
    // The monitor has no way to unregister a listener: a stopped watchdog ignores sweeps instead.
    options.onSweep?.((snapshot) => {
      if (!this.stopped) this.handleSweep(snapshot);
    });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.options.events.on('event', this.onEvent);
  }

  stop(): void {
    this.stopped = true;
    this.options.events.off('event', this.onEvent);
    for (const watch of this.watches.values()) watch.pendingDeath?.();
    for (const cancel of this.retries.values()) cancel();
    this.retries.clear();
  }

  state(server: string): WatchdogState {
    const stored = this.options.store.get(KEY_PREFIX + server);
    const configured = this.options.overrides[server]?.autoRecover;
    const watch = this.watches.get(server);
    const windowStart = this.now() - this.settings.crashLoop.windowMs;
    return {
      enabled: stored !== undefined ? stored === 'on' : (configured ?? false),
      source: stored !== undefined ? 'command' : configured !== undefined ? 'config' : 'default',
      ...(watch?.gaveUpAt !== undefined ? { gaveUpAt: watch.gaveUpAt } : {}),
      recentRecoveries: watch?.recoveries.filter((t) => t > windowStart).length ?? 0,
      rules: {
        graceSeconds: this.settings.graceMs / 1000,
        consoleMisses: this.settings.consoleMisses,
        recoveries: this.settings.crashLoop.recoveries,
        windowMinutes: this.settings.crashLoop.windowMs / 60_000,
        healthyMinutes: this.settings.healthyResetMs / 60_000,
      },
    };
  }

  setEnabled(server: string, on: boolean, actor: Actor): WatchdogState {
    this.options.store.set(KEY_PREFIX + server, on ? 'on' : 'off');
    const watch = this.watch(server);
    if (on) {
      // An operator switching it on again has looked at the crash loop: it starts afresh.
      delete watch.gaveUpAt;
      watch.recoveries = [];
    }
    watch.misses = 0;
    this.options.logger.info({ server, enabled: on, actor }, `watchdog ${on ? 'on' : 'off'} for ${server}`);
    return this.state(server);
  }

  private handleEvent(event: ContainerEvent): void {
    if (event.action !== 'die') return;
    const { name } = event;
    const diedAt = event.time.getTime();
    if (!this.state(name).enabled || this.options.servers.intentional.covers(name, diedAt)) return;
    const watch = this.watch(name);
    watch.deaths += 1;
    watch.onAlert = false;
    watch.pendingDeath?.();
    // Left to Docker's restart policy first: a container it brings back needs nothing from us.
    const cancel = this.timer(() => {
      if (watch.pendingDeath === cancel) delete watch.pendingDeath;
      void this.checkDeath(name, diedAt, 1);
    }, this.settings.graceMs);
    watch.pendingDeath = cancel;
  }

  /** The grace is over: the container is started when it is still down and nobody else is acting. */
  private async checkDeath(name: string, diedAt: number, attempt: number): Promise<void> {
    if (this.stopped || !this.state(name).enabled) return;
    const { intentional, locks } = this.options.servers;
    let server: WatchedServer;
    let state: string;
    try {
      server = await this.options.servers.get(name);
      state = (await server.container.inspect()).state;
    } catch (err) {
      // Docker itself may be restarting: its containers are looked at again once it answers.
      if (attempt >= CHECK_ATTEMPTS) {
        this.options.logger.warn({ err, server: name }, 'watchdog: could not look at the dead server');
        return;
      }
      const watch = this.watch(name);
      const cancel = this.timer(() => {
        if (watch.pendingDeath === cancel) delete watch.pendingDeath;
        void this.checkDeath(name, diedAt, attempt + 1);
      }, this.settings.graceMs);
      watch.pendingDeath = cancel;
      return;
    }
    if (state === 'running' || state === 'restarting' || state === 'missing') {
      this.options.logger.info({ server: name, state }, `watchdog: ${name} is ${state}; nothing to do`);
      return;
    }
    if (state === 'paused' || intentional.covers(name, this.now())) return;
    const hold = locks.current(name);
    if (hold) {
      this.standBack(name, `${hold.action}, asked by ${hold.actor}`);
      return;
    }
    await this.recover(server, 'start', diedAt);
  }

  private handleSweep(snapshot: BoardSnapshot): void {
    for (const server of answeredServers(snapshot)) this.sweepServer(server, snapshot.at);
  }

  private sweepServer(server: ServerSnapshot, at: number): void {
    const { name, container } = server;
    const watch = this.watch(name);
    const answering = container.state === 'running' && server.console === 'ok';
    if (!answering) delete watch.healthySince;
    else watch.healthySince ??= at;
    if (
      watch.gaveUpAt !== undefined &&
      watch.healthySince !== undefined &&
      at - watch.healthySince >= this.settings.healthyResetMs
    ) {
      this.options.logger.info(
        { server: name },
        `watchdog: ${name} ran healthy for ${formatDuration(this.settings.healthyResetMs / 1000)}; acting again`,
      );
      delete watch.gaveUpAt;
      watch.recoveries = [];
    }
    if (!this.state(name).enabled || container.state !== 'running' || server.console !== 'not answering') {
      watch.misses = 0;
      return;
    }
    // Worlds take a while to load after any start, whoever made it.
    const started = container.startedAt?.getTime();
    if (started !== undefined && at - started < this.settings.startupGraceMs) return;
    if (watch.acting) return;
    watch.misses += 1;
    if (watch.misses < this.settings.consoleMisses) return;
    watch.misses = 0;
    watch.onAlert = false;
    const hold = this.options.servers.locks.current(name);
    if (hold) {
      this.standBack(name, `${hold.action}, asked by ${hold.actor}`);
      return;
    }
    void this.options.servers
      .get(name)
      .then((found) => this.recover(found, 'restart', at))
      .catch((err: unknown) =>
        this.options.logger.error({ err, server: name }, 'watchdog: could not restart the server'),
      );
  }

  /** One automatic recovery, unless the crash-loop budget is spent: then it gives up, once. */
  private async recover(server: WatchedServer, kind: 'start' | 'restart', since: number): Promise<void> {
    const { name } = server;
    const watch = this.watch(name);
    if (watch.acting || watch.gaveUpAt !== undefined) return;
    const now = this.now();
    const { recoveries: budget, windowMs } = this.settings.crashLoop;
    watch.recoveries = watch.recoveries.filter((t) => now - t < windowMs);
    if (watch.recoveries.length >= budget) {
      await this.giveUp(server, now);
      return;
    }
    watch.acting = true;
    watch.recoveries.push(now);
    const deaths = watch.deaths;
    try {
      if (kind === 'start' && (await this.startServer(server)) === 'already running') {
        // Someone else started it between the look and the start: not a recovery of ours.
        watch.recoveries.pop();
        return;
      }
      if (kind === 'restart') await this.restartServer(server, since);
    } catch (err) {
      if (err instanceof LifecycleBusyError) {
        // Someone else acted first: theirs is the recovery, not ours.
        watch.recoveries.pop();
        this.standBack(name, err.message);
        return;
      }
      this.options.logger.error({ err, server: name }, `watchdog: the ${kind} of ${name} failed`);
      this.tell(name, `the watchdog's ${kind} failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    } finally {
      watch.acting = false;
    }
    // Followed outside the lifecycle lock: a crash during the start-up is a new death to recover from.
    const worlds = await server.container.waitUntilRunning(this.settings.startupWaitMs);
    if (watch.deaths !== deaths) return;
    this.tell(
      name,
      worlds.length > 0
        ? `running again: ${worlds.join(', ')}`
        : `its console has not answered within ${formatDuration(this.settings.startupWaitMs / 1000)} of the start`,
    );
  }

  private async startServer(server: WatchedServer): Promise<'started' | 'already running'> {
    const { name } = server;
    const outcome = await auditedAutomation(
      this.options.audit,
      { guildId: this.options.guildId, command: 'watchdog', server: name, action: 'start' },
      () => server.container.start(AUTOMATION),
      (result) => result,
    );
    this.options.logger.info({ server: name, outcome }, `watchdog start of ${name}: ${outcome}`);
    if (outcome === 'started') this.tell(name, 'started by the watchdog');
    return outcome;
  }

  private async restartServer(server: WatchedServer, since: number): Promise<void> {
    const { name } = server;
    const misses = this.settings.consoleMisses;
    this.tell(name, `console silent for ${misses} sweeps: the watchdog restarts it (saving first)`, since);
    const result = await auditedAutomation(
      this.options.audit,
      {
        guildId: this.options.guildId,
        command: 'watchdog',
        server: name,
        action: 'restart',
        options: { reason: `console did not answer for ${misses} sweeps` },
      },
      // save first, skipped when the console times out; Docker's stop kills after the stop timeout
      () => server.container.restart({ actor: AUTOMATION, force: false }),
      (r) => `${r.outcome}${r.saved.length > 0 ? `, saved ${r.saved.join(', ')}` : ''}`,
    );
    const saved = result.saved.length > 0 ? `saved ${result.saved.join(', ')}` : result.saveSkipped;
    this.tell(name, `restarted by the watchdog${saved ? ` (${saved})` : ''}`);
  }

  private async giveUp(server: WatchedServer, now: number): Promise<void> {
    const { name } = server;
    const watch = this.watch(name);
    watch.gaveUpAt = now;
    const { recoveries, windowMs } = this.settings.crashLoop;
    const window = formatDuration(windowMs / 1000);
    const text =
      `the watchdog is giving up: ${recoveries} automatic recoveries within ${window} and it failed again. ` +
      `It leaves ${server.displayName} alone until an operator switches it on again with /watchdog, ` +
      `or it runs healthy for ${formatDuration(this.settings.healthyResetMs / 1000)}`;
    await auditedAutomation(
      this.options.audit,
      { guildId: this.options.guildId, command: 'watchdog', server: name, action: 'give up' },
      async () => this.tell(name, text, now, true),
      () => `${recoveries} recoveries within ${window}`,
    );
    this.options.logger.warn({ server: name }, `watchdog gave up on ${name}: crash loop`);
  }

  private standBack(name: string, why: string): void {
    this.options.logger.info({ server: name, why }, `watchdog stands back: ${why}`);
  }

  /**
   * A line on the incident's alert. The monitor posts a death's alert some seconds after the death
   * (it holds deaths back to tell a crash from the daemon going away), often after the watchdog
   * acted: so an incident's first line waits until the server has an open alert, retried for a
   * bounded time; waiting for an open one, rather than noting at once, keeps it off an older alert
   * that already recovered. The incident's later lines follow it there, even once a sweep saw the
   * server healthy and recovered the alert before the watchdog's "running again".
   */
  private tell(name: string, text: string, at = this.now(), escalate = false): void {
    if (!this.options.alerts) return;
    const queue = this.pending.get(name) ?? [];
    queue.push({ text, at, escalate });
    this.pending.set(name, queue);
    this.flush(name);
  }

  /** One flush per server at a time, so its lines reach the alert in the order they were told. */
  private flush(name: string): void {
    const next = (this.flushes.get(name) ?? Promise.resolve()).then(() => this.flushNow(name));
    this.flushes.set(name, next);
    void next.finally(() => {
      if (this.flushes.get(name) === next) this.flushes.delete(name);
    });
  }

  private async flushNow(name: string): Promise<void> {
    const alerts = this.options.alerts;
    const queue = this.pending.get(name);
    if (!alerts || !queue || this.retries.has(name)) return;
    const watch = this.watch(name);
    while (queue.length > 0 && (watch.onAlert || alerts.isOpen(name))) {
      const line = queue[0]!;
      const done = line.escalate
        ? await alerts.escalate(name, line.text, line.at)
        : await alerts.note(name, line.text, line.at);
      if (!done) break;
      watch.onAlert = true;
      queue.shift();
    }
    const stale = queue.filter((line) => this.now() - line.at >= NOTE_PATIENCE_MS);
    if (stale.length > 0) {
      this.options.logger.warn(
        { server: name, lines: stale.map((line) => line.text) },
        'watchdog: no alert to tell it on',
      );
      queue.splice(0, queue.length, ...queue.filter((line) => !stale.includes(line)));
    }
    if (queue.length === 0) {
      this.pending.delete(name);
      return;
    }
    const cancel = this.timer(() => {
      this.retries.delete(name);
      this.flush(name);
    }, NOTE_RETRY_MS);
    this.retries.set(name, cancel);
  }

  private watch(name: string): Watch {
    let watch = this.watches.get(name);
    if (!watch) {
      watch = { recoveries: [], misses: 0, acting: false, deaths: 0, onAlert: false };
      this.watches.set(name, watch);
    }
    return watch;
  }

  private timer(fn: () => void, ms: number): () => void {
    return (this.options.setTimer ?? realTimer)(fn, ms);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
