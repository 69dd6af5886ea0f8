import type { Logger } from 'pino';
import { AUTOMATION } from '../audit/automation-audit.js';
import { formatDurationWords } from '../duration.js';
import { UserError } from '../errors.js';
import type { PlanView, RestartPlanner } from '../servers/restart-plan.js';
import type { RunOutcome, ScheduleBook, ScheduleRequest, ScheduleView } from '../servers/schedule-book.js';
import {
  describeSpec,
  emptyAfterEarliest,
  lastRunAtOrBefore,
  nextRuns,
  parseWarnings,
  parseWhen,
  type ScheduleSpec,
} from './schedule-spec.js';
import type { ScheduleRow, ScheduleStore } from './schedule-store.js';

/** Who is on a server, as far as a schedule needs to know. */
export interface Occupancy {
  running: boolean;
  /** When the container started (ms), when running. */
  startedAt: number | null;
  /** Users present besides the headless's own, over every world; undefined when the console did not answer. */
  others: readonly string[] | undefined;
}

export interface SchedulerClock {
  now(): number;
  /** Calls `callback` once after `delayMs` (a test clock may await what it returns); returns what cancels it. */
  setTimer(callback: () => Promise<void>, delayMs: number): () => void;
}

export interface SchedulerOptions {
  store: ScheduleStore;
  planner: RestartPlanner;
  /** IANA zone cron-like schedules are read in (TZ). */
  timezone: string;
  /** The server's own warning offsets (ms, largest first), used unless a schedule overrides them. */
  warnings(server: string): readonly number[];
  occupancy(server: string): Promise<Occupancy>;
  logger: Logger;
  clock?: SchedulerClock;
  /** How often a run waiting for its server to empty looks again (default 1 min). */
  emptyCheckMs?: number;
  /** How long an only_when_empty run waits for users to leave before it restarts anyway (default 6 h). */
  emptyWaitMs?: number;
  /** A run missed while the bot was down still fires on start-up this late, not later (default 5 min). */
  lateGraceMs?: number;
}

const MINUTE = 60_000;
// setTimeout's limit is about 24.8 days; waking once a day and looking again costs nothing.
const MAX_TIMER_MS = 24 * 60 * MINUTE;

const realClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (callback, delayMs) => {
    const timer = setTimeout(() => void callback(), delayMs);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

interface Entry {
  row: ScheduleRow;
  spec: ScheduleSpec;
  warnings: readonly number[];
  /** The next due time comes after this (the last handled run's due time, or the creation). */
  cursor: number;
  /** When a waiting run or an `empty after` condition is looked at next. */
  checkAt?: number;
  /** Users present at the last look, while waiting. */
  present?: number;
  /** The next due time, for the cursor it was found from (every arm asks for it). */
  due?: { cursor: number; at: number | undefined };
}

/**
 * Turns every due run into a planned restart. One timer, set for the nearest moment anything is
 * due (a plan to make ahead of a run by its largest warning, a run that waits for its server to
 * empty, an `empty after` condition to look at); never a poll per schedule.
 *
 * - A run is planned ahead of its due time by its largest warning offset, so the planner sends
 *   every warning; when a restart is already planned for the server, the run is merged into it.
 * - only_when_empty: at the due time, a server with users present waits (looked at every
 *   `emptyCheckMs`) and restarts at once when it empties; after `emptyWaitMs` it is planned with
 *   the normal warnings, users or not.
 * - A run missed while the bot was down fires on start-up only within `lateGraceMs` of its due
 *   time; otherwise it is recorded as missed and the schedule goes on from now.
 */
export class Scheduler implements ScheduleBook {
  private readonly entries = new Map<number, Entry>();
  private readonly clock: SchedulerClock;
  /** The due time of each plan made for a run, to record how it ended. */
  private readonly planned = new Map<string, { scheduleId: number; dueAt: number }>();
  private cancelTimer: (() => void) | undefined;
  private running = false;
  private ticking = false;
  private again = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? realClock;
    options.planner.onEnd((plan) => this.planEnded(plan));
  }

  /** Loads the stored schedules and handles what came due while the bot was down. */
  start(): void {
    for (const row of this.options.store.all()) {
      try {
        this.entries.set(row.id, this.entry(row, true));
      } catch (err) {
        this.options.logger.error(
          { err, schedule: row.id },
          `schedule #${row.id} can no longer be read: ${(err as Error).message}`,
        );
      }
    }
    this.running = true;
    this.changed();
  }

  /** Stops the timer; resolves once a look in progress has finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.idle;
  }

  add(request: ScheduleRequest): ScheduleView {
    const spec = parseWhen(request.when, this.options.timezone);
    const warn = request.warn === undefined ? null : parseWarnings(request.warn).map(offsetText).join(',');
    const row = this.options.store.add({
      server: request.server,
      when: spec.text,
      warn,
      onlyWhenEmpty: request.onlyWhenEmpty,
      createdBy: request.actor,
      createdAt: this.clock.now(),
    });
    const entry = this.entry(row, false);
    this.entries.set(row.id, entry);
    this.changed();
    return this.view(entry);
  }

  list(server?: string): ScheduleView[] {
    return [...this.entries.values()]
      .filter((entry) => server === undefined || entry.row.server === server)
      .map((entry) => this.view(entry));
  }

  remove(id: number): ScheduleView {
    const entry = this.known(id);
    const view = this.view(entry);
    this.options.store.remove(id);
    this.entries.delete(id);
    this.changed();
    return view;
  }

  skip(id: number): ScheduleView {
    const entry = this.known(id);
    const plan = this.options.planner.next(entry.row.server);
    if (plan?.scheduleId === id) {
      throw new UserError(
        `Schedule #${id}'s run is already counting down to <t:${seconds(plan.at)}:F>: use Abort on its countdown message.`,
      );
    }
    const now = this.clock.now();
    if (entry.row.waitingSince !== null && entry.spec.kind !== 'empty after') {
      this.record(
        entry,
        entry.row.waitingSince,
        'skipped',
        'skipped while it waited for the server to empty',
      );
    } else {
      this.options.store.setSkipNext(id, true);
      entry.row = { ...entry.row, skipNext: true };
    }
    this.options.logger.info(
      { schedule: id, server: entry.row.server, at: now },
      `schedule #${id}: next run skipped`,
    );
    this.changed();
    return this.view(entry);
  }

  nextRun(server: string): number | undefined {
    let soonest: number | undefined;
    for (const entry of this.entries.values()) {
      if (entry.row.server !== server || entry.row.waitingSince !== null) continue;
      const [first, second] = nextRuns(entry.spec, entry.cursor, 2, entry.row.createdAt);
      const next = entry.row.skipNext ? second : first;
      if (next !== undefined && (soonest === undefined || next < soonest)) soonest = next;
    }
    return soonest;
  }

  private entry(row: ScheduleRow, loading: boolean): Entry {
    const spec = parseWhen(row.when, this.options.timezone);
    const warnings = row.warn === null ? this.options.warnings(row.server) : parseWarnings(row.warn);
    // A plan still counting down when the bot stopped is gone with it: its run is looked at again
    // (planned again, fired if within the grace, or missed).
    const replan = loading && row.lastOutcome === 'planned' && row.lastDueAt !== null;
    const cursor = replan ? (row.lastDueAt as number) - 1 : (row.lastDueAt ?? row.createdAt);
    return { row, spec, warnings, cursor };
  }

  private known(id: number): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new UserError(`There is no schedule #${id}; /schedule list shows them.`);
    return entry;
  }

  private view(entry: Entry): ScheduleView {
    const { row, spec } = entry;
    const plan = this.options.planner.next(row.server);
    const waiting = row.waitingSince;
    return {
      id: row.id,
      server: row.server,
      when: row.when,
      description: describeSpec(spec),
      warnings: entry.warnings,
      warnOverride: row.warn !== null,
      onlyWhenEmpty: row.onlyWhenEmpty,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      skipNext: row.skipNext,
      next: nextRuns(spec, entry.cursor, 3, row.createdAt),
      ...(plan?.scheduleId === row.id ? { planned: plan.at } : {}),
      ...(waiting === null
        ? {}
        : {
            waiting: {
              since: waiting,
              ...(spec.kind === 'empty after' ? {} : { until: waiting + this.emptyWaitMs }),
              ...(entry.present === undefined ? {} : { present: entry.present }),
            },
          }),
      ...(row.lastOutcome === null || row.lastDueAt === null || row.lastRunAt === null
        ? {}
        : {
            last: {
              dueAt: row.lastDueAt,
              at: row.lastRunAt,
              outcome: row.lastOutcome,
              ...(row.lastDetail === null ? {} : { detail: row.lastDetail }),
            },
          }),
    };
  }

  private get emptyWaitMs(): number {
    return this.options.emptyWaitMs ?? 6 * 60 * MINUTE;
  }

  private get emptyCheckMs(): number {
    return this.options.emptyCheckMs ?? MINUTE;
  }

  /** Something changed: look again now, or once the look in progress is done. */
  private changed(): void {
    if (!this.running) return;
    if (this.ticking) this.again = true;
    else this.arm();
  }

  private arm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (!this.running) return;
    const now = this.clock.now();
    let wake = Infinity;
    for (const entry of this.entries.values()) wake = Math.min(wake, this.wakeOf(entry));
    if (wake === Infinity) return;
    const delay = Math.min(Math.max(0, wake - now), MAX_TIMER_MS);
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = undefined;
      this.idle = this.tick();
      return this.idle;
    }, delay);
  }

  /** When the entry next needs a look (ms). */
  private wakeOf(entry: Entry): number {
    if (entry.row.waitingSince !== null || entry.spec.kind === 'empty after')
      return entry.checkAt ?? -Infinity;
    const due = dueOf(entry);
    if (due === undefined) return Infinity;
    // checkAt holds back a run whose last look failed.
    return Math.max(entry.row.onlyWhenEmpty ? due : due - lead(entry), entry.checkAt ?? -Infinity);
  }

  private async tick(): Promise<void> {
    this.ticking = true;
    try {
      do {
        this.again = false;
        const now = this.clock.now();
        const due = [...this.entries.values()].filter((entry) => this.wakeOf(entry) <= now);
        // Servers are looked at side by side; one server's schedules one after the other, so two
        // runs due together on one server plan one restart, not two.
        const byServer = new Map<string, Entry[]>();
        for (const entry of due)
          byServer.set(entry.row.server, [...(byServer.get(entry.row.server) ?? []), entry]);
        await Promise.all(
          [...byServer.values()].map(async (entries) => {
            for (const entry of entries) {
              if (this.running && this.entries.get(entry.row.id) === entry) await this.look(entry);
            }
          }),
        );
      } while (this.again && this.running);
    } finally {
      this.ticking = false;
      this.arm();
    }
  }

  private async look(entry: Entry): Promise<void> {
    try {
      if (entry.spec.kind === 'empty after') await this.lookEmptyAfter(entry, entry.spec);
      else if (entry.row.waitingSince !== null) await this.lookWaiting(entry, entry.row.waitingSince);
      else await this.lookDue(entry);
    } catch (err) {
      // A look that failed is tried again a minute later, not in a tight loop.
      entry.checkAt = this.clock.now() + this.emptyCheckMs;
      this.options.logger.error({ err, schedule: entry.row.id }, `schedule #${entry.row.id}: run failed`);
    }
  }

  private async lookDue(entry: Entry): Promise<void> {
    const now = this.clock.now();
    const { spec, row } = entry;
    let due = dueOf(entry);
    if (due === undefined) return;
    const grace = this.options.lateGraceMs ?? 5 * MINUTE;
    if (now - due > grace) {
      const latest = lastRunAtOrBefore(spec, now, entry.cursor) ?? due;
      if (now - latest > grace) {
        this.record(entry, latest, 'missed', 'the bot was not running when it was due');
        return;
      }
      const before = lastRunAtOrBefore(spec, latest - 1, entry.cursor);
      if (before !== undefined)
        this.record(entry, before, 'missed', 'the bot was not running when it was due');
      due = latest;
    }
    if (row.skipNext) {
      this.options.store.setSkipNext(row.id, false);
      entry.row = { ...entry.row, skipNext: false };
      this.record(entry, due, 'skipped', 'skipped with /schedule skip');
      return;
    }
    if (!row.onlyWhenEmpty) {
      await this.fire(entry, due, Math.max(due, now));
      return;
    }
    const occupancy = await this.options.occupancy(row.server);
    if (!occupancy.running) {
      this.record(entry, due, 'skipped', `${row.server} was not running`);
    } else if (occupancy.others?.length === 0) {
      await this.fire(entry, due, now);
    } else {
      this.options.store.setWaiting(row.id, due);
      entry.row = { ...entry.row, waitingSince: due };
      this.stillWaiting(entry, occupancy, now, due + this.emptyWaitMs);
    }
  }

  private async lookWaiting(entry: Entry, since: number): Promise<void> {
    const { row } = entry;
    const occupancy = await this.options.occupancy(row.server);
    const now = this.clock.now();
    const until = since + this.emptyWaitMs;
    if (!occupancy.running) {
      this.record(entry, since, 'skipped', `${row.server} stopped while the run waited for it to empty`);
    } else if (occupancy.others?.length === 0) {
      await this.fire(entry, since, now);
    } else if (now >= until) {
      const present =
        occupancy.others === undefined ? '' : `; ${plural(occupancy.others.length, 'user')} still on`;
      await this.fire(
        entry,
        since,
        now + lead(entry),
        `waited ${formatDurationWords(this.emptyWaitMs)}${present}`,
      );
    } else {
      this.stillWaiting(entry, occupancy, now, until);
    }
  }

  private async lookEmptyAfter(
    entry: Entry,
    spec: Extract<ScheduleSpec, { kind: 'empty after' }>,
  ): Promise<void> {
    const { row } = entry;
    const occupancy = await this.options.occupancy(row.server);
    const now = this.clock.now();
    if (!occupancy.running || occupancy.startedAt === null) {
      this.setWaiting(entry, null);
      entry.checkAt = now + this.emptyCheckMs;
      return;
    }
    const earliest = emptyAfterEarliest(spec, occupancy.startedAt, row.lastDueAt ?? undefined);
    if (now < earliest) {
      this.setWaiting(entry, null);
      entry.checkAt = earliest;
      return;
    }
    if (occupancy.others?.length !== 0) {
      if (row.waitingSince === null) this.setWaiting(entry, earliest);
      this.stillWaiting(entry, occupancy, now, Infinity);
      return;
    }
    if (row.skipNext) {
      this.options.store.setSkipNext(row.id, false);
      entry.row = { ...entry.row, skipNext: false };
      this.record(entry, now, 'skipped', 'skipped with /schedule skip');
      return;
    }
    await this.fire(entry, now, now);
  }

  private stillWaiting(entry: Entry, occupancy: Occupancy, now: number, until: number): void {
    entry.present = occupancy.others?.length;
    entry.checkAt = Math.min(now + this.emptyCheckMs, until);
  }

  private setWaiting(entry: Entry, since: number | null): void {
    if (entry.row.waitingSince === since) return;
    this.options.store.setWaiting(entry.row.id, since);
    entry.row = { ...entry.row, waitingSince: since };
    delete entry.present;
  }

  /** Plans the run's restart at `at`, or merges it into one already planned for the server. */
  private async fire(entry: Entry, dueAt: number, at: number, note?: string): Promise<void> {
    const { row } = entry;
    const { planner } = this.options;
    const existing = planner.next(row.server);
    if (existing) {
      this.record(entry, dueAt, 'merged', alreadyPlanned(existing));
      return;
    }
    let plan: PlanView;
    try {
      plan = await planner.plan({
        server: row.server,
        at,
        actor: AUTOMATION,
        reason: `schedule #${row.id}: ${describeSpec(entry.spec)}`,
        source: 'schedule',
        scheduleId: row.id,
        ...(row.warn === null ? {} : { warnings: entry.warnings }),
      });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      const other = planner.next(row.server);
      this.record(entry, dueAt, other ? 'merged' : 'failed', other ? alreadyPlanned(other) : err.message);
      return;
    }
    this.planned.set(plan.id, { scheduleId: row.id, dueAt });
    this.record(entry, dueAt, 'planned', note ?? null);
  }

  private record(entry: Entry, dueAt: number, outcome: RunOutcome, detail: string | null): void {
    const { row } = entry;
    const at = this.clock.now();
    this.options.store.recordRun(row.id, { dueAt, at, outcome, detail });
    entry.row = {
      ...row,
      lastDueAt: dueAt,
      lastRunAt: at,
      lastOutcome: outcome,
      lastDetail: detail,
      waitingSince: null,
    };
    entry.cursor = dueAt;
    delete entry.checkAt;
    delete entry.present;
    this.options.logger.info(
      { schedule: row.id, server: row.server, outcome, dueAt, detail },
      `schedule #${row.id} (${row.server}): run due ${new Date(dueAt).toISOString()} ${outcome}${detail ? `: ${detail}` : ''}`,
    );
  }

  private planEnded(plan: PlanView): void {
    // Plans ended by the bot's own shutdown are not outcomes: the run is planned again on start-up.
    if (!this.running) return;
    const run = this.planned.get(plan.id);
    if (!run) return;
    this.planned.delete(plan.id);
    const outcome: RunOutcome =
      plan.state === 'counting down' || plan.state === 'restarting' ? 'planned' : plan.state;
    const detail = plan.endedBy ?? null;
    this.options.store.recordEnd(run.scheduleId, run.dueAt, outcome, detail);
    const entry = this.entries.get(run.scheduleId);
    if (entry && entry.row.lastDueAt === run.dueAt) {
      entry.row = { ...entry.row, lastOutcome: outcome, lastDetail: detail };
    }
  }
}

function dueOf(entry: Entry): number | undefined {
  if (entry.due?.cursor !== entry.cursor) {
    const [at] = nextRuns(entry.spec, entry.cursor, 1, entry.row.createdAt);
    entry.due = { cursor: entry.cursor, at };
  }
  return entry.due.at;
}

function lead(entry: Entry): number {
  return Math.max(0, ...entry.warnings);
}

function alreadyPlanned(plan: PlanView): string {
  return `a restart was already planned for <t:${seconds(plan.at)}:F> (${plan.reason})`;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** 900000 as `15m`, the way the override was typed. */
function offsetText(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${rest ? `${rest}s` : ''}`;
}
