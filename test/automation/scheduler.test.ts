import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { Scheduler, type Occupancy, type SchedulerClock } from '../../src/automation/scheduler.js';
import { ScheduleStore } from '../../src/automation/schedule-store.js';
import { UserError } from '../../src/errors.js';
import type { PlanRequest, PlanState, PlanView, RestartPlanner } from '../../src/servers/restart-plan.js';
import { openMemoryDatabase, type Database } from '../../src/storage/database.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WARNINGS = [10 * MINUTE, 5 * MINUTE, MINUTE];
const at = (text: string) => Date.parse(text);

/** A clock whose timers run when the test moves time on; each timer's work is awaited before the next. */
class TestClock implements SchedulerClock {
  private timers: { at: number; callback: () => Promise<void>; id: number }[] = [];
  private ids = 0;
  constructor(public time: number) {}

  now = () => this.time;

  setTimer = (callback: () => Promise<void>, delayMs: number) => {
    const id = ++this.ids;
    this.timers.push({ at: this.time + delayMs, callback, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  };

  get pending(): number {
    return this.timers.length;
  }

  /** Moves to `to` (ms, or an ISO time), running every timer due on the way at its own time. */
  async advanceTo(to: number | string): Promise<void> {
    const target = typeof to === 'string' ? at(to) : to;
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.at);
      await next.callback();
    }
    this.time = Math.max(this.time, target);
  }
}

interface MadePlan extends PlanView {
  madeAt: number;
}

/** The planner's contract as the scheduler relies on it: one plan per server, refused while one counts down. */
class FakePlanner implements RestartPlanner {
  readonly plans: MadePlan[] = [];
  private readonly listeners: ((plan: PlanView) => void)[] = [];
  failWith: Error | undefined;
  constructor(private readonly clock: TestClock) {}

  async plan(request: PlanRequest): Promise<PlanView> {
    if (this.failWith) throw this.failWith;
    const existing = this.next(request.server);
    if (existing) throw new UserError(`${request.server} already has a restart planned.`);
    const plan: MadePlan = {
      ...request,
      id: `p${this.plans.length + 1}`,
      state: 'counting down',
      madeAt: this.clock.now(),
    };
    this.plans.push(plan);
    return plan;
  }

  next(server: string): PlanView | undefined {
    return this.plans.find((plan) => plan.server === server && plan.state === 'counting down');
  }

  onEnd(listener: (plan: PlanView) => void): void {
    this.listeners.push(listener);
  }

  end(plan: PlanView, state: PlanState, endedBy?: string): void {
    const made = this.plans.find((p) => p.id === plan.id) as MadePlan;
    made.state = state;
    if (endedBy) made.endedBy = endedBy;
    for (const listener of this.listeners) listener(made);
  }
}

let db: Database;
let store: ScheduleStore;
let clock: TestClock;
let planner: FakePlanner;
let occupancy: Map<string, Occupancy>;
let looks: string[];

function scheduler(options: { emptyWaitMs?: number } = {}): Scheduler {
  return new Scheduler({
    store,
    planner,
    timezone: 'UTC',
    warnings: () => WARNINGS,
    occupancy: async (server) => {
      looks.push(server);
      return occupancy.get(server) ?? { running: true, startedAt: 0, others: [] };
    },
    logger: pino({ level: 'silent' }),
    clock,
    ...options,
  });
}

function add(
  s: Scheduler,
  when: string,
  extra: { server?: string; warn?: string; onlyWhenEmpty?: boolean } = {},
) {
  return s.add({
    server: extra.server ?? 'lobby',
    when,
    warn: extra.warn,
    onlyWhenEmpty: extra.onlyWhenEmpty ?? false,
    actor: '@otto',
  });
}

beforeEach(() => {
  db = openMemoryDatabase();
  store = new ScheduleStore(db);
  clock = new TestClock(at('2026-05-01T00:00:00Z'));
  planner = new FakePlanner(clock);
  occupancy = new Map();
  looks = [];
});

describe('due runs become planned restarts', () => {
  it('plans a run ahead of its due time by the largest warning, for the due time', async () => {
    const s = scheduler();
    s.start();
    const view = add(s, 'daily 04:00');
    expect(view.next).toEqual([
      at('2026-05-01T04:00:00Z'),
      at('2026-05-02T04:00:00Z'),
      at('2026-05-03T04:00:00Z'),
    ]);
    await clock.advanceTo('2026-05-01T03:49:59Z');
    expect(planner.plans).toEqual([]);
    await clock.advanceTo('2026-05-01T03:50:00Z');
    expect(planner.plans).toEqual([
      {
        server: 'lobby',
        at: at('2026-05-01T04:00:00Z'),
        actor: 'automation',
        reason: 'schedule #1: At 04:00 (UTC)',
        source: 'schedule',
        scheduleId: view.id,
        id: 'p1',
        state: 'counting down',
        madeAt: at('2026-05-01T03:50:00Z'),
      },
    ]);
    expect(s.list()[0]).toMatchObject({ planned: at('2026-05-01T04:00:00Z'), last: { outcome: 'planned' } });
  });

  it('a warn override sets how far ahead the run is planned', async () => {
    const s = scheduler();
    s.start();
    const view = add(s, 'daily 04:00', { warn: '5m, 15m' });
    expect(view).toMatchObject({ warnings: [15 * MINUTE, 5 * MINUTE], warnOverride: true });
    await clock.advanceTo('2026-05-01T03:44:59Z');
    expect(planner.plans).toEqual([]);
    await clock.advanceTo('2026-05-01T03:45:00Z');
    expect(planner.plans.map((p) => [p.madeAt, p.warnings])).toEqual([
      [at('2026-05-01T03:45:00Z'), [15 * MINUTE, 5 * MINUTE]],
    ]);
  });

  it('runs day after day, and records how each plan ended', async () => {
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00');
    await clock.advanceTo('2026-05-01T04:00:00Z');
    planner.end(planner.plans[0] as PlanView, 'aborted', '@bob');
    expect(s.list()[0]?.last).toMatchObject({
      dueAt: at('2026-05-01T04:00:00Z'),
      outcome: 'aborted',
      detail: '@bob',
    });
    await clock.advanceTo('2026-05-02T03:50:00Z');
    expect(planner.plans.map((p) => p.at)).toEqual([at('2026-05-01T04:00:00Z'), at('2026-05-02T04:00:00Z')]);
    planner.end(planner.plans[1] as PlanView, 'done');
    expect(store.get(1)).toMatchObject({ lastOutcome: 'done', lastDueAt: at('2026-05-02T04:00:00Z') });
  });

  it('keeps one timer, for the nearest moment, however many schedules there are', async () => {
    const s = scheduler();
    s.start();
    for (let i = 0; i < 100; i++) add(s, `${i % 60} ${i % 24} * * *`, { server: `s${i % 20}` });
    await clock.advanceTo(clock.now());
    expect(clock.pending).toBe(1);
    for (let hour = 1; hour <= 24; hour++) {
      await clock.advanceTo(at('2026-05-01T00:00:00Z') + hour * HOUR);
      expect(clock.pending).toBe(1);
      // Each restart is over within the hour it was due in.
      for (const plan of planner.plans)
        if (plan.state === 'counting down' && plan.at <= clock.now()) planner.end(plan, 'done');
    }
    expect(planner.plans).toHaveLength(100);
    expect(planner.plans.every((p) => p.madeAt === p.at - 10 * MINUTE)).toBe(true);
  });

  it('does not double a restart already planned for the server: the run is merged and says why', async () => {
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00');
    await planner.plan({
      server: 'lobby',
      at: at('2026-05-01T03:58:00Z'),
      actor: '@alice',
      reason: 'asked by @alice',
      source: 'manual',
    });
    await clock.advanceTo('2026-05-01T03:50:00Z');
    expect(planner.plans).toHaveLength(1);
    expect(s.list()[0]?.last).toEqual({
      dueAt: at('2026-05-01T04:00:00Z'),
      at: at('2026-05-01T03:50:00Z'),
      outcome: 'merged',
      detail: `a restart was already planned for <t:${at('2026-05-01T03:58:00Z') / 1000}:F> (asked by @alice)`,
    });
  });

  it('two schedules of one server due together plan one restart', async () => {
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00');
    add(s, '0 4 * * *');
    await clock.advanceTo('2026-05-01T03:50:00Z');
    expect(planner.plans).toHaveLength(1);
    expect(
      s
        .list()
        .map((v) => v.last?.outcome)
        .sort(),
    ).toEqual(['merged', 'planned']);
  });

  it('records a run the planner refuses as failed, with its words', async () => {
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00');
    planner.failWith = new UserError('Server "lobby" is stopped.');
    await clock.advanceTo('2026-05-01T03:50:00Z');
    expect(s.list()[0]?.last).toMatchObject({ outcome: 'failed', detail: 'Server "lobby" is stopped.' });
    planner.failWith = undefined;
    await clock.advanceTo('2026-05-02T03:50:00Z');
    expect(planner.plans).toHaveLength(1);
  });

  it('a run whose planning broke is tried again a minute later, not in a loop', async () => {
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00');
    planner.failWith = new Error('socket hang up');
    const plan = planner.plan.bind(planner);
    let calls = 0;
    planner.plan = (request) => {
      calls += 1;
      return plan(request);
    };
    await clock.advanceTo('2026-05-01T03:52:30Z');
    expect(calls).toBe(3);
    planner.failWith = undefined;
    await clock.advanceTo('2026-05-01T03:53:00Z');
    expect(planner.plans.map((p) => [p.at, p.madeAt])).toEqual([
      [at('2026-05-01T04:00:00Z'), at('2026-05-01T03:53:00Z')],
    ]);
  });

  it('every 12h runs 12 h, 24 h, ... after the schedule was added', async () => {
    await clock.advanceTo('2026-05-01T09:30:00Z');
    const s = scheduler();
    s.start();
    add(s, 'every 12h');
    await clock.advanceTo('2026-05-01T21:30:00Z');
    expect(planner.plans.map((p) => new Date(p.at).toISOString())).toEqual(['2026-05-01T21:30:00.000Z']);
    planner.end(planner.plans[0] as PlanView, 'done');
    await clock.advanceTo('2026-05-02T10:00:00Z');
    expect(planner.plans.map((p) => new Date(p.at).toISOString())).toEqual([
      '2026-05-01T21:30:00.000Z',
      '2026-05-02T09:30:00.000Z',
    ]);
  });
});

describe('skip, remove, add', () => {
  it('skip skips the next run only', async () => {
    const s = scheduler();
    s.start();
    const { id } = add(s, 'daily 04:00');
    expect(s.skip(id)).toMatchObject({ skipNext: true });
    expect(s.nextRun('lobby')).toBe(at('2026-05-02T04:00:00Z'));
    await clock.advanceTo('2026-05-01T23:00:00Z');
    expect(planner.plans).toEqual([]);
    expect(s.list()[0]).toMatchObject({
      skipNext: false,
      last: { outcome: 'skipped', dueAt: at('2026-05-01T04:00:00Z') },
    });
    await clock.advanceTo('2026-05-02T03:50:00Z');
    expect(planner.plans.map((p) => p.at)).toEqual([at('2026-05-02T04:00:00Z')]);
  });

  it('skip is refused while the run counts down (Abort is for that)', async () => {
    const s = scheduler();
    s.start();
    const { id } = add(s, 'daily 04:00');
    await clock.advanceTo('2026-05-01T03:55:00Z');
    expect(() => s.skip(id)).toThrow(/already counting down .* use Abort/);
    expect(store.get(id)?.skipNext).toBe(false);
  });

  it('remove stops a schedule; an unknown id is refused', async () => {
    const s = scheduler();
    s.start();
    const { id } = add(s, 'daily 04:00');
    expect(s.remove(id).id).toBe(id);
    expect(() => s.remove(id)).toThrow(UserError);
    expect(() => s.skip(99)).toThrow('There is no schedule #99');
    await clock.advanceTo('2026-05-03T00:00:00Z');
    expect(planner.plans).toEqual([]);
    expect(store.all()).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('a bad when or warn is refused and nothing is stored', () => {
    const s = scheduler();
    s.start();
    expect(() => add(s, '61 * * * *')).toThrow('minute field 61 is out of range 0-59');
    expect(() => add(s, 'daily 04:00', { warn: '15m,banana' })).toThrow('warn:');
    expect(store.all()).toEqual([]);
  });

  it('nextRun is the soonest run of the server, the other servers aside', () => {
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00');
    add(s, 'daily 02:00');
    add(s, 'daily 01:00', { server: 'other' });
    expect(s.nextRun('lobby')).toBe(at('2026-05-01T02:00:00Z'));
    expect(s.nextRun('other')).toBe(at('2026-05-01T01:00:00Z'));
    expect(s.nextRun('nowhere')).toBeUndefined();
  });
});

describe('only_when_empty', () => {
  const busy: Occupancy = { running: true, startedAt: 0, others: ['alice', 'bob smith'] };
  const empty: Occupancy = { running: true, startedAt: 0, others: [] };

  it('restarts at once at the due time when nobody is on (no warnings ahead, nobody to warn)', async () => {
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00', { onlyWhenEmpty: true });
    await clock.advanceTo('2026-05-01T03:59:59Z');
    expect(planner.plans).toEqual([]);
    expect(looks).toEqual([]);
    await clock.advanceTo('2026-05-01T04:00:00Z');
    expect(planner.plans.map((p) => [p.at, p.madeAt])).toEqual([
      [at('2026-05-01T04:00:00Z'), at('2026-05-01T04:00:00Z')],
    ]);
  });

  it('waits while users are present, shown in the list, then restarts at once when they are gone', async () => {
    occupancy.set('lobby', busy);
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00', { onlyWhenEmpty: true });
    await clock.advanceTo('2026-05-01T04:30:00Z');
    expect(planner.plans).toEqual([]);
    expect(s.list()[0]?.waiting).toEqual({
      since: at('2026-05-01T04:00:00Z'),
      until: at('2026-05-01T10:00:00Z'),
      present: 2,
    });
    expect(s.nextRun('lobby')).toBeUndefined();
    occupancy.set('lobby', empty);
    await clock.advanceTo('2026-05-01T04:31:00Z');
    expect(planner.plans.map((p) => [p.at, p.madeAt])).toEqual([
      [at('2026-05-01T04:31:00Z'), at('2026-05-01T04:31:00Z')],
    ]);
    expect(s.list()[0]).toMatchObject({ last: { dueAt: at('2026-05-01T04:00:00Z'), outcome: 'planned' } });
    expect(s.list()[0]?.waiting).toBeUndefined();
  });

  it('after the limit it restarts anyway, with the normal warnings', async () => {
    occupancy.set('lobby', busy);
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00', { onlyWhenEmpty: true });
    await clock.advanceTo('2026-05-01T09:59:59Z');
    expect(planner.plans).toEqual([]);
    await clock.advanceTo('2026-05-01T10:00:00Z');
    expect(planner.plans.map((p) => [p.madeAt, p.at])).toEqual([
      [at('2026-05-01T10:00:00Z'), at('2026-05-01T10:10:00Z')],
    ]);
    expect(s.list()[0]?.last).toMatchObject({
      outcome: 'planned',
      detail: 'waited 6 hours; 2 users still on',
    });
  });

  it('looks once a minute while waiting, not more', async () => {
    occupancy.set('lobby', busy);
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00', { onlyWhenEmpty: true });
    await clock.advanceTo('2026-05-01T05:00:00Z');
    expect(looks).toHaveLength(61);
  });

  it('a stopped server is not restarted by its schedule', async () => {
    occupancy.set('lobby', { running: false, startedAt: null, others: [] });
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00', { onlyWhenEmpty: true });
    await clock.advanceTo('2026-05-01T05:00:00Z');
    expect(planner.plans).toEqual([]);
    expect(s.list()[0]?.last).toMatchObject({ outcome: 'skipped', detail: 'lobby was not running' });
  });

  it('a console that does not answer counts as not empty', async () => {
    occupancy.set('lobby', { running: true, startedAt: 0, others: undefined });
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00', { onlyWhenEmpty: true });
    await clock.advanceTo('2026-05-01T04:10:00Z');
    expect(planner.plans).toEqual([]);
    expect(s.list()[0]?.waiting).toEqual({
      since: at('2026-05-01T04:00:00Z'),
      until: at('2026-05-01T10:00:00Z'),
    });
  });

  it('skip while waiting gives up that run', async () => {
    occupancy.set('lobby', busy);
    const s = scheduler();
    s.start();
    const { id } = add(s, 'daily 04:00', { onlyWhenEmpty: true });
    await clock.advanceTo('2026-05-01T04:10:00Z');
    s.skip(id);
    occupancy.set('lobby', empty);
    await clock.advanceTo('2026-05-01T12:00:00Z');
    expect(planner.plans).toEqual([]);
    expect(s.list()[0]).toMatchObject({ skipNext: false, last: { outcome: 'skipped' } });
  });
});

describe('empty after', () => {
  it('restarts once nobody is on and the container has run long enough; then counts again from the restart', async () => {
    const startedAt = at('2026-04-30T20:00:00Z');
    occupancy.set('lobby', { running: true, startedAt, others: ['alice'] });
    const s = scheduler();
    s.start();
    const view = add(s, 'empty after 12h');
    expect(view.next).toEqual([]);
    await clock.advanceTo('2026-05-01T07:59:00Z');
    expect(looks).toHaveLength(1);
    await clock.advanceTo('2026-05-01T08:30:00Z');
    expect(planner.plans).toEqual([]);
    expect(s.list()[0]?.waiting).toEqual({ since: at('2026-05-01T08:00:00Z'), present: 1 });
    occupancy.set('lobby', { running: true, startedAt, others: [] });
    await clock.advanceTo('2026-05-01T08:31:00Z');
    expect(planner.plans.map((p) => p.at)).toEqual([at('2026-05-01T08:31:00Z')]);
    planner.end(planner.plans[0] as PlanView, 'done');
    occupancy.set('lobby', { running: true, startedAt: at('2026-05-01T08:32:00Z'), others: [] });
    await clock.advanceTo('2026-05-01T20:31:59Z');
    expect(planner.plans).toHaveLength(1);
    await clock.advanceTo('2026-05-01T20:32:00Z');
    expect(planner.plans.map((p) => p.at)).toEqual([at('2026-05-01T08:31:00Z'), at('2026-05-01T20:32:00Z')]);
  });
});

describe('a bot restart', () => {
  it('keeps the schedules and their outcomes', async () => {
    const first = scheduler();
    first.start();
    add(first, 'daily 04:00', { warn: '15m' });
    await clock.advanceTo('2026-05-01T03:45:00Z');
    planner.end(planner.plans[0] as PlanView, 'done');
    await first.stop();
    const second = scheduler();
    second.start();
    expect(second.list()).toMatchObject([
      { id: 1, when: 'daily 04:00', warnings: [15 * MINUTE], createdBy: '@otto', last: { outcome: 'done' } },
    ]);
  });

  it('does not fire a run missed by more than 5 minutes; lists it as missed and goes on', async () => {
    const first = scheduler();
    first.start();
    add(first, 'daily 04:00');
    await first.stop();
    await clock.advanceTo('2026-05-01T04:05:01Z');
    const second = scheduler();
    second.start();
    await clock.advanceTo(clock.now());
    expect(planner.plans).toEqual([]);
    expect(second.list()[0]).toMatchObject({
      last: { dueAt: at('2026-05-01T04:00:00Z'), outcome: 'missed' },
      next: [at('2026-05-02T04:00:00Z'), at('2026-05-03T04:00:00Z'), at('2026-05-04T04:00:00Z')],
    });
    await clock.advanceTo('2026-05-02T03:50:00Z');
    expect(planner.plans.map((p) => p.at)).toEqual([at('2026-05-02T04:00:00Z')]);
  });

  it('fires a run missed by at most 5 minutes at once', async () => {
    const first = scheduler();
    first.start();
    add(first, 'daily 04:00');
    await first.stop();
    await clock.advanceTo('2026-05-01T04:05:00Z');
    const second = scheduler();
    second.start();
    await clock.advanceTo(clock.now());
    expect(planner.plans.map((p) => [p.at, p.madeAt])).toEqual([
      [at('2026-05-01T04:05:00Z'), at('2026-05-01T04:05:00Z')],
    ]);
  });

  it('after days down, the runs before the last one are missed, and only a last one within 5 minutes fires', async () => {
    const first = scheduler();
    first.start();
    add(first, 'every 1h');
    await first.stop();
    await clock.advanceTo('2026-05-03T00:02:00Z');
    const second = scheduler();
    second.start();
    await clock.advanceTo(clock.now());
    expect(planner.plans.map((p) => p.at)).toEqual([at('2026-05-03T00:02:00Z')]);
    expect(store.get(1)).toMatchObject({ lastDueAt: at('2026-05-03T00:00:00Z'), lastOutcome: 'planned' });
  });

  it('plans again a run whose countdown the bot restart lost', async () => {
    const first = scheduler();
    first.start();
    add(first, 'daily 04:00');
    await clock.advanceTo('2026-05-01T03:50:00Z');
    await first.stop();
    // The planner's countdown died with the bot.
    const lost = planner.plans[0] as PlanView;
    planner.plans.length = 0;
    await clock.advanceTo('2026-05-01T03:53:00Z');
    const second = scheduler();
    second.start();
    await clock.advanceTo(clock.now());
    expect(planner.plans.map((p) => [p.at, p.madeAt])).toEqual([[lost.at, at('2026-05-01T03:53:00Z')]]);
  });

  it('a run waiting for its server to empty keeps waiting, up to the same limit', async () => {
    occupancy.set('lobby', { running: true, startedAt: 0, others: ['alice'] });
    const first = scheduler();
    first.start();
    add(first, 'daily 04:00', { onlyWhenEmpty: true });
    await clock.advanceTo('2026-05-01T04:10:00Z');
    await first.stop();
    await clock.advanceTo('2026-05-01T07:00:00Z');
    const second = scheduler();
    second.start();
    await clock.advanceTo('2026-05-01T09:59:00Z');
    expect(planner.plans).toEqual([]);
    expect(second.list()[0]?.waiting?.since).toBe(at('2026-05-01T04:00:00Z'));
    await clock.advanceTo('2026-05-01T10:00:00Z');
    expect(planner.plans.map((p) => p.at)).toEqual([at('2026-05-01T10:10:00Z')]);
  });

  it('a plan ended by the shutdown itself is no outcome: the run is planned again on start-up', async () => {
    const first = scheduler();
    first.start();
    add(first, 'daily 04:00');
    await clock.advanceTo('2026-05-01T03:50:00Z');
    await first.stop();
    planner.end(planner.plans[0] as PlanView, 'aborted', 'the bot stopping');
    expect(store.get(1)?.lastOutcome).toBe('planned');
    const second = scheduler();
    second.start();
    await clock.advanceTo(clock.now());
    expect(planner.plans.map((p) => p.state)).toEqual(['aborted', 'counting down']);
  });

  it('stops its timer when stopped', async () => {
    const s = scheduler();
    s.start();
    add(s, 'daily 04:00');
    await s.stop();
    expect(clock.pending).toBe(0);
    await clock.advanceTo('2026-05-02T00:00:00Z');
    expect(planner.plans).toEqual([]);
  });
});

describe('waiting with an hour limit', () => {
  it('the limit is the scheduler option', async () => {
    occupancy.set('lobby', { running: true, startedAt: 0, others: ['alice'] });
    const s = scheduler({ emptyWaitMs: HOUR });
    s.start();
    add(s, 'daily 04:00', { onlyWhenEmpty: true });
    await clock.advanceTo('2026-05-01T05:00:00Z');
    expect(planner.plans.map((p) => p.at)).toEqual([at('2026-05-01T05:10:00Z')]);
    expect(s.list()[0]?.last?.detail).toBe('waited 1 hour; 1 user still on');
  });
});
