import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import { AUTOMATION, auditedAutomation } from '../audit/automation-audit.js';
import type { CoreConfig } from '../config.js';
import { STARTUP_WAIT_MS, stepText } from '../discord/lifecycle-command.js';
import { formatDurationWords } from '../duration.js';
import { UserError } from '../errors.js';
import type { AnnounceResult } from '../servers/announce.js';
import type { HeadlessServer } from '../servers/headless-server.js';
import type { Actor, LifecycleHold, LifecycleLocks } from '../servers/lifecycle-lock.js';
import type { LifecycleStep, RestartResult } from '../servers/lifecycle.js';
import {
  AlreadyPlannedError,
  MAX_PLAN_AHEAD_MS,
  type PlanRequest,
  type PlanState,
  type PlanView,
  type RestartPlanner,
} from '../servers/restart-plan.js';
import type { CountdownEvent, CountdownSink, CountdownView } from './countdown-message.js';

export const DEFAULT_RESTART_WARNINGS_MS = [600_000, 300_000, 60_000];
/** A plan's in-world warnings and countdown edits still in flight when the bot stops get this long. */
const STOP_GRACE_MS = 5_000;

/** Schedules `callback` after `delayMs`; returns what cancels it. Injected so tests drive time. */
export type SetTimer = (callback: () => void, delayMs: number) => () => void;

/** What the planner needs of a server: its name, the in-world notice and the lifecycle's restart. */
export type PlannableServer = Pick<HeadlessServer, 'name' | 'displayName' | 'announce'> & {
  container: Pick<HeadlessServer['container'], 'restart' | 'checkIdle'>;
};

export interface PlannedRestartsOptions {
  servers: { get(name: string): Promise<PlannableServer>; locks: Pick<LifecycleLocks, 'onChange'> };
  config: Pick<CoreConfig, 'servers'>;
  audit: AuditLog;
  guildId: string;
  logger: Logger;
  /** The countdown message; without an alert channel there is none, and the plan runs all the same. */
  countdown?: CountdownSink | undefined;
  now?: () => number;
  setTimer?: SetTimer;
  /** How long the restart follows the start-up until the worlds run. */
  startupWaitMs?: number;
}

interface Plan {
  view: PlanView;
  server: PlannableServer;
  /** Offsets (ms before the time) of the warnings still to send, largest first. */
  warnings: number[];
  events: CountdownEvent[];
  cancelTimer?: () => void;
  messageId?: string;
  /** The countdown's edits and the in-world notices, in order. */
  chain: Promise<void>;
}

const TAKEOVER_WORDS: Record<LifecycleHold['action'], string> = {
  restarting: 'a restart',
  stopping: 'a stop',
  starting: 'a start',
  'shutting down': 'a console shutdown',
};

/**
 * Planned restarts: one per server, announced in the worlds and in Discord at once and at each
 * warning offset still ahead, then restarted through the server's lifecycle lock like /restart.
 * Abort works until the restart begins; any other lifecycle action on the server takes over.
 */
export class PlannedRestarts implements RestartPlanner {
  private readonly plans = new Map<string, Plan>();
  private readonly listeners: ((plan: PlanView) => void)[] = [];
  private readonly now: () => number;
  private readonly setTimer: SetTimer;

  constructor(private readonly options: PlannedRestartsOptions) {
    this.now = options.now ?? Date.now;
    this.setTimer =
      options.setTimer ??
      ((callback, delayMs) => {
        const timer = setTimeout(callback, delayMs);
        return () => clearTimeout(timer);
      });
    options.servers.locks.onChange((server, hold) => {
      if (hold) this.takeOver(server, hold);
    });
  }

  async plan(request: PlanRequest): Promise<PlanView> {
    if (!Number.isFinite(request.at)) throw new Error(`A planned restart needs a time, not ${request.at}.`);
    const server = await this.options.servers.get(request.server);
    const existing = this.plans.get(server.name);
    if (existing) throw new AlreadyPlannedError(server.displayName, existing.view);
    const now = this.now();
    const ahead = request.at - now;
    if (ahead > MAX_PLAN_AHEAD_MS) throw new UserError('A restart can be planned at most 24 hours ahead.');
    // Something else is starting, stopping or restarting it: that would take the plan over at once.
    server.container.checkIdle();
    const offsets =
      request.warnings ??
      this.options.config.servers[server.name]?.restartWarnings ??
      DEFAULT_RESTART_WARNINGS_MS;
    const plan: Plan = {
      view: { ...request, server: server.name, id: randomBytes(4).toString('hex'), state: 'counting down' },
      server,
      warnings: [...new Set(offsets)].filter((offset) => offset < ahead).sort((a, b) => b - a),
      events: [],
      chain: Promise.resolve(),
    };
    this.plans.set(server.name, plan);
    this.log(
      plan,
      'planned',
      `planned restart of ${server.name} in ${formatDurationWords(ahead)}, ${request.reason}`,
    );
    // First in the plan's queue: every edit after it knows the message.
    this.enqueue(plan, () => this.postCountdown(plan));
    if (ahead <= 0) {
      void this.runRestart(plan, plan.view.actor, true).catch(() => undefined);
    } else {
      this.warn(plan, ahead, 'Announced');
      this.scheduleNext(plan);
    }
    return { ...plan.view };
  }

  next(server: string): PlanView | undefined {
    const plan = this.plans.get(server);
    return plan?.view.state === 'counting down' ? { ...plan.view } : undefined;
  }

  onEnd(listener: (plan: PlanView) => void): void {
    this.listeners.push(listener);
  }

  /** The plan with this id, as it stands, if it has not ended. */
  find(id: string): PlanView | undefined {
    const plan = this.byId(id);
    return plan ? { ...plan.view } : undefined;
  }

  /** Cancels a plan before its restart begins; refused once the restart began or after it ended. */
  abort(id: string, actor: Actor): PlanView {
    const plan = this.counting(id, ': it can no longer be aborted');
    this.end(plan, 'aborted', actor, `Aborted by ${actor}`);
    this.notify(plan, 'The planned server restart is cancelled.');
    return { ...plan.view };
  }

  /** Skips the rest of the countdown: the restart runs now, and resolves when it has ended. */
  async restartNow(id: string, actor: Actor): Promise<{ plan: PlanView; result: RestartResult }> {
    const plan = this.counting(id, '');
    plan.events.push({ at: this.now(), text: `Restart now, asked by ${actor}` });
    const result = await this.runRestart(plan, actor, false);
    return { plan: { ...plan.view }, result };
  }

  /** Cancels every countdown (the bot is stopping): each says so, within a few seconds. */
  async stop(): Promise<void> {
    const plans = [...this.plans.values()];
    for (const plan of plans) {
      if (plan.view.state === 'counting down') {
        this.end(plan, 'aborted', 'the bot stopping', 'Cancelled: the bot stopped before the restart');
      }
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(plans.map((plan) => plan.chain)),
      new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
  }

  /** The plan still counting down; `tail` ends the refusal once its restart has begun. */
  private counting(id: string, tail: string): Plan {
    const plan = this.byId(id);
    if (!plan) throw new UserError('This planned restart has already ended.');
    if (plan.view.state === 'restarting') {
      throw new UserError(`The restart of ${plan.server.displayName} has already begun${tail}.`);
    }
    return plan;
  }

  private byId(id: string): Plan | undefined {
    return [...this.plans.values()].find((plan) => plan.view.id === id);
  }

  private scheduleNext(plan: Plan): void {
    const offset = plan.warnings[0];
    const due = offset === undefined ? plan.view.at : plan.view.at - offset;
    plan.cancelTimer = this.setTimer(
      () => {
        if (plan.view.state !== 'counting down') return;
        if (offset === undefined) {
          void this.runRestart(plan, plan.view.actor, true).catch(() => undefined);
          return;
        }
        plan.warnings.shift();
        this.warn(plan, offset, `Warned ${formatDurationWords(offset)} ahead`);
        this.scheduleNext(plan);
      },
      Math.max(0, due - this.now()),
    );
  }

  /** The in-world warning, then the countdown says what it reached (in its place among the lines). */
  private warn(plan: Plan, aheadMs: number, label: string): void {
    const words = formatDurationWords(aheadMs);
    const text = `Server restart in ${words}: your world is saved first.`;
    const event = { at: this.now(), text: `${label}: warning the worlds…` };
    plan.events.push(event);
    this.enqueue(plan, async () => {
      event.text = await plan.server.announce(text).then(
        (result) => `${label}: ${reached(result)}`,
        (err: unknown) => `${label} in Discord only; in-world warning not sent: ${reason(err)}`,
      );
      this.log(plan, 'warned', `planned restart of ${plan.view.server} in ${words}: ${event.text}`);
      await this.editCountdown(plan);
    });
  }

  /** An in-world notice that changes nothing in the plan (it was cancelled). */
  private notify(plan: Plan, text: string): void {
    this.enqueue(plan, async () => {
      await plan.server.announce(text).catch(() => undefined);
    });
  }

  private async runRestart(plan: Plan, actor: Actor, due: boolean): Promise<RestartResult> {
    plan.cancelTimer?.();
    // Set before the lock is taken: the takeover listener then sees the plan's own restart.
    plan.view.state = 'restarting';
    plan.events.push({ at: this.now(), text: 'Restart began' });
    this.log(plan, 'started', `planned restart of ${plan.view.server} began, by ${actor}`);
    this.enqueue(plan, () => this.editCountdown(plan));
    const waitMs = this.options.startupWaitMs ?? STARTUP_WAIT_MS;
    const work = () =>
      plan.server.container.restart({
        actor,
        force: false,
        onStep: (step) => this.step(plan, step),
        waitForWorldsMs: waitMs,
      });
    try {
      const result = due ? await this.audited(plan, work) : await work();
      if (result.running.length === 0) {
        const problem = `the worlds were not running ${formatDurationWords(waitMs)} after the start`;
        this.fail(plan, problem);
        return result;
      }
      this.end(plan, 'done', undefined, 'Done: the server is back up');
      return result;
    } catch (err) {
      this.fail(plan, reason(err));
      if (!(err instanceof UserError)) {
        this.options.logger.error({ err, server: plan.view.server }, 'planned restart failed unexpectedly');
      }
      throw err;
    }
  }

  private audited(plan: Plan, work: () => Promise<RestartResult>): Promise<RestartResult> {
    const { view } = plan;
    const entry = {
      guildId: this.options.guildId,
      command: 'planned restart',
      server: view.server,
      action: `restart (${view.reason})`,
      options: {
        plan: view.id,
        source: view.source,
        ...(view.scheduleId ? { schedule: view.scheduleId } : {}),
      },
    };
    const summary = (result: RestartResult) =>
      `${result.outcome}; ${result.saved.length > 0 ? `saved ${result.saved.join(', ')}` : 'no world saved'}`;
    if (view.actor === AUTOMATION) return auditedAutomation(this.options.audit, entry, work, summary);
    const record = this.options.audit.begin({
      ...entry,
      memberId: view.memberId ?? view.actor,
      // The actor is `@` and the member's user name, which is their tag as the pipeline audits it.
      memberTag: view.actor.replace(/^@/, ''),
      level: 'operator',
    });
    return work().then(
      (result) => {
        record.finish('ok', summary(result));
        return result;
      },
      (err: unknown) => {
        record.finish('failed', reason(err));
        throw err;
      },
    );
  }

  private step(plan: Plan, step: LifecycleStep): void {
    plan.events.push({ at: this.now(), text: stepText(step) });
    this.enqueue(plan, () => this.editCountdown(plan));
  }

  private fail(plan: Plan, problem: string): void {
    this.end(plan, 'failed', undefined, `Failed: ${problem}`);
    this.enqueue(plan, async () => {
      const countdown = this.options.countdown;
      if (!countdown || plan.messageId === undefined) return;
      await countdown.ping(plan.messageId, this.viewOf(plan), problem).catch((err: unknown) => {
        this.options.logger.warn(
          { err, server: plan.view.server },
          'could not ping on-call about the planned restart',
        );
      });
    });
  }

  private takeOver(server: string, hold: LifecycleHold): void {
    const plan = this.plans.get(server);
    if (!plan || plan.view.state !== 'counting down') return;
    const by = `${TAKEOVER_WORDS[hold.action]} by ${hold.actor}`;
    this.end(plan, 'taken over', by, `Taken over by ${by}`);
  }

  private end(plan: Plan, state: PlanState, endedBy: string | undefined, text: string): void {
    plan.cancelTimer?.();
    plan.view.state = state;
    if (endedBy !== undefined) plan.view.endedBy = endedBy;
    if (this.plans.get(plan.view.server) === plan) this.plans.delete(plan.view.server);
    plan.events.push({ at: this.now(), text });
    this.log(
      plan,
      state,
      `planned restart of ${plan.view.server} ${state}${endedBy ? ` (${endedBy})` : ''}: ${text}`,
    );
    this.enqueue(plan, () => this.editCountdown(plan));
    for (const listener of this.listeners) {
      try {
        listener({ ...plan.view });
      } catch (err) {
        this.options.logger.error({ err, server: plan.view.server }, 'a planned restart listener failed');
      }
    }
  }

  private async postCountdown(plan: Plan): Promise<void> {
    const countdown = this.options.countdown;
    if (!countdown) return;
    try {
      plan.messageId = await countdown.post(this.viewOf(plan));
    } catch (err) {
      this.options.logger.warn({ err, server: plan.view.server }, 'could not post the restart countdown');
    }
  }

  private async editCountdown(plan: Plan): Promise<void> {
    const countdown = this.options.countdown;
    if (!countdown || plan.messageId === undefined) return;
    await countdown.edit(plan.messageId, this.viewOf(plan)).catch((err: unknown) => {
      this.options.logger.warn({ err, server: plan.view.server }, 'could not update the restart countdown');
    });
  }

  private viewOf(plan: Plan): CountdownView {
    return { plan: { ...plan.view }, displayName: plan.server.displayName, events: [...plan.events] };
  }

  private enqueue(plan: Plan, work: () => Promise<void>): void {
    plan.chain = plan.chain.then(work).catch((err: unknown) => {
      this.options.logger.warn({ err, server: plan.view.server }, 'planned restart bookkeeping failed');
    });
  }

  private log(plan: Plan, event: string, message: string): void {
    const { id, server, actor, source, at } = plan.view;
    this.options.logger.info({ plan: id, server, actor, source, at, event }, message);
  }
}

function reached(result: AnnounceResult): string {
  const parts = [`${result.worlds} ${result.worlds === 1 ? 'world' : 'worlds'} reached`];
  if (result.worldFailures > 0) parts.push(`${result.worldFailures} refused the impulse`);
  if (result.usersMessaged + result.messageFailures > 0) {
    parts.push(`${result.usersMessaged} ${result.usersMessaged === 1 ? 'user' : 'users'} messaged`);
  }
  if (result.messageFailures > 0) parts.push(`${result.messageFailures} not reached`);
  return parts.join(', ');
}

function reason(err: unknown): string {
  return err instanceof UserError ? err.message : 'an unexpected error (see the bot log)';
}
