import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.js';
import type { CountdownSink, CountdownView } from '../../src/automation/countdown-message.js';
import { PlannedRestarts, type PlannableServer } from '../../src/automation/planned-restarts.js';
import { UserError } from '../../src/errors.js';
import type { AnnounceResult } from '../../src/servers/announce.js';
import { LifecycleBusyError, LifecycleLocks } from '../../src/servers/lifecycle-lock.js';
import type { RestartOptions, RestartResult } from '../../src/servers/lifecycle.js';
import type { PlanView } from '../../src/servers/restart-plan.js';
import { openMemoryDatabase } from '../../src/storage/database.js';

const MINUTE = 60_000;
const START = Date.UTC(2026, 11, 1, 4, 0, 0);

/** A clock and timers the test moves by hand. */
class FakeTime {
  now = START;
  private timers: { at: number; run: () => void; cancelled: boolean }[] = [];

  setTimer = (run: () => void, delayMs: number) => {
    const timer = { at: this.now + delayMs, run, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };

  /** Moves time on, firing each timer due on the way at its own time. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      this.now = Math.max(this.now, due.at);
      due.run();
      await settle();
    }
    this.now = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

const REACHED: AnnounceResult = { worlds: 2, worldFailures: 0, usersMessaged: 1, messageFailures: 1 };

/** A server whose restart runs through the real lifecycle lock and waits for `finish` when asked to. */
function fakeServer(locks: LifecycleLocks, time: FakeTime, name = 'lobby') {
  const announced: { at: number; text: string }[] = [];
  const restarts: string[] = [];
  let hold: Promise<void> | undefined;
  let release: () => void = () => undefined;
  const server: PlannableServer = {
    name,
    displayName: `${name} display`,
    announce: (text: string) => {
      announced.push({ at: time.now, text });
      return Promise.resolve(REACHED);
    },
    container: {
      checkIdle: () => locks.check(name, `${name} display`),
      restart: (options: RestartOptions) =>
        locks.run(name, `${name} display`, { action: 'restarting', actor: options.actor }, async () => {
          restarts.push(options.actor);
          options.onStep?.({ step: 'saving', worlds: ['Lobby World'] });
          await hold;
          options.onStep?.({ step: 'stopping' });
          options.onStep?.({ step: 'starting' });
          options.onStep?.({ step: 'running', worlds: ['Lobby World'] });
          const result: RestartResult = {
            outcome: 'stopped',
            saved: ['Lobby World'],
            running: ['Lobby World'],
          };
          return result;
        }),
    },
  };
  return {
    server,
    announced,
    restarts,
    /** Makes the next restart wait in its save step until released. */
    holdInSave: () => {
      hold = new Promise((resolve) => (release = resolve));
      return () => release();
    },
  };
}

function fakeCountdown() {
  const views: CountdownView[] = [];
  const pings: string[] = [];
  const sink: CountdownSink = {
    post: (view) => {
      views.push(view);
      return Promise.resolve('message-1');
    },
    edit: (_id, view) => {
      views.push(view);
      return Promise.resolve();
    },
    ping: (_id, _view, text) => {
      pings.push(text);
      return Promise.resolve();
    },
  };
  return { sink, views, pings, last: () => views.at(-1) };
}

function setup(warnings?: string[]) {
  const time = new FakeTime();
  const locks = new LifecycleLocks();
  const lobby = fakeServer(locks, time);
  const countdown = fakeCountdown();
  const audit = new AuditLog(openMemoryDatabase(), () => time.now);
  const ended: PlanView[] = [];
  const planner = new PlannedRestarts({
    servers: {
      locks,
      get: (name: string) => {
        if (name !== 'lobby')
          return Promise.reject(new UserError(`There is no managed server called "${name}".`));
        return Promise.resolve(lobby.server);
      },
    },
    config: { servers: warnings ? { lobby: { restartWarnings: warnings.map(minutes) } } : {} },
    audit,
    guildId: 'guild-1',
    logger: pino({ level: 'silent' }),
    countdown: countdown.sink,
    now: () => time.now,
    setTimer: time.setTimer,
  });
  planner.onEnd((plan) => ended.push(plan));
  return { time, locks, lobby, countdown, audit, planner, ended };
}

function minutes(text: string): number {
  return Number(text.replace('m', '')) * MINUTE;
}

const manual = (at: number) =>
  ({
    server: 'lobby',
    at,
    actor: '@alice',
    memberId: '42',
    reason: 'asked by @alice',
    source: 'manual',
  }) as const;

describe('PlannedRestarts', () => {
  it('warns at once and at each offset still ahead: 7 minutes ahead warns now, at 5 and at 1, never at 10', async () => {
    const { time, lobby, planner } = setup();
    await planner.plan(manual(START + 7 * MINUTE));
    await settle();
    await time.advance(7 * MINUTE - 1);
    expect(lobby.announced).toEqual([
      { at: START, text: 'Server restart in 7 minutes: your world is saved first.' },
      { at: START + 2 * MINUTE, text: 'Server restart in 5 minutes: your world is saved first.' },
      { at: START + 6 * MINUTE, text: 'Server restart in 1 minute: your world is saved first.' },
    ]);
    expect(lobby.restarts).toEqual([]);
    await time.advance(1);
    expect(lobby.restarts).toEqual(['@alice']);
  });

  it('uses the per-server offsets from the config', async () => {
    const { time, lobby, planner } = setup(['3m']);
    await planner.plan(manual(START + 4 * MINUTE));
    await settle();
    await time.advance(4 * MINUTE);
    expect(lobby.announced.map((a) => a.at)).toEqual([START, START + MINUTE]);
  });

  it('shows each warning, each restart step and the end on the countdown, then disables it', async () => {
    const { time, countdown, planner, ended } = setup();
    const plan = await planner.plan(manual(START + 2 * MINUTE));
    await time.advance(2 * MINUTE);
    const texts = countdown.last()?.events.map((e) => e.text);
    expect(texts).toEqual([
      'Announced: 2 worlds reached, 1 user messaged, 1 not reached',
      'Warned 1 minute ahead: 2 worlds reached, 1 user messaged, 1 not reached',
      'Restart began',
      'Saving Lobby World…',
      'Stopping the container…',
      'Starting the container…',
      'Running: Lobby World',
      'Done: the server is back up',
    ]);
    expect(countdown.last()?.plan.state).toBe('done');
    expect(ended).toEqual([expect.objectContaining({ id: plan.id, state: 'done' })]);
    expect(planner.next('lobby')).toBeUndefined();
  });

  it('audits the restart at its time with the planner as actor, or automation for a schedule', async () => {
    const { time, planner, audit } = setup();
    await planner.plan(manual(START + MINUTE));
    await time.advance(MINUTE);
    await planner.plan({
      server: 'lobby',
      at: time.now + MINUTE,
      actor: 'automation',
      reason: 'schedule #3: every day at 04:00',
      source: 'schedule',
      scheduleId: 3,
    });
    await time.advance(MINUTE);
    const rows = audit.latest({ server: 'lobby' });
    expect(rows.map((r) => [r.memberTag, r.memberId, r.command, r.action, r.outcome])).toEqual([
      ['automation', 'automation', 'planned restart', 'restart (schedule #3: every day at 04:00)', 'ok'],
      ['alice', '42', 'planned restart', 'restart (asked by @alice)', 'ok'],
    ]);
  });

  it('aborts before the stop begins: nothing restarts and the countdown says who aborted', async () => {
    const { time, lobby, countdown, planner, ended } = setup();
    const plan = await planner.plan(manual(START + 10 * MINUTE));
    await time.advance(3 * MINUTE);
    expect(planner.abort(plan.id, '@bob')).toMatchObject({ state: 'aborted', endedBy: '@bob' });
    await time.advance(20 * MINUTE);
    expect(lobby.restarts).toEqual([]);
    expect(countdown.last()?.plan.state).toBe('aborted');
    expect(countdown.last()?.events.at(-1)?.text).toBe('Aborted by @bob');
    expect(lobby.announced.at(-1)?.text).toBe('The planned server restart is cancelled.');
    expect(ended.map((p) => p.state)).toEqual(['aborted']);
    expect(() => planner.abort(plan.id, '@bob')).toThrow('This planned restart has already ended.');
  });

  it('refuses Abort once the restart began, and the restart goes on', async () => {
    const { time, lobby, planner } = setup();
    const release = lobby.holdInSave();
    const plan = await planner.plan(manual(START + MINUTE));
    await time.advance(MINUTE);
    expect(lobby.restarts).toEqual(['@alice']);
    expect(() => planner.abort(plan.id, '@bob')).toThrow(
      new UserError('The restart of lobby display has already begun: it can no longer be aborted.'),
    );
    release();
    await settle();
    expect(planner.find(plan.id)).toBeUndefined();
  });

  it('Restart now runs at once as the presser, and the timer does not run it a second time', async () => {
    const { time, lobby, planner } = setup();
    const plan = await planner.plan(manual(START + 10 * MINUTE));
    const { result } = await planner.restartNow(plan.id, '@carol');
    expect(result.saved).toEqual(['Lobby World']);
    await time.advance(20 * MINUTE);
    expect(lobby.restarts).toEqual(['@carol']);
  });

  it('refuses a second Restart now while the first runs: one restart', async () => {
    const { lobby, planner } = setup();
    const release = lobby.holdInSave();
    const plan = await planner.plan(manual(START + 10 * MINUTE));
    const first = planner.restartNow(plan.id, '@carol');
    await expect(planner.restartNow(plan.id, '@dave')).rejects.toThrow(
      new UserError('The restart of lobby display has already begun.'),
    );
    release();
    await first;
    expect(lobby.restarts).toEqual(['@carol']);
  });

  it('is taken over by any other lifecycle hold on the server, saying by what and whom', async () => {
    const { time, lobby, locks, countdown, planner, ended } = setup();
    await planner.plan(manual(START + 10 * MINUTE));
    await locks.run('lobby', 'lobby display', { action: 'stopping', actor: '@dave' }, () =>
      Promise.resolve(),
    );
    await time.advance(20 * MINUTE);
    expect(lobby.restarts).toEqual([]);
    expect(ended).toEqual([expect.objectContaining({ state: 'taken over', endedBy: 'a stop by @dave' })]);
    expect(countdown.last()?.events.at(-1)?.text).toBe('Taken over by a stop by @dave');
    expect(countdown.last()?.plan.state).toBe('taken over');
  });

  it('refuses a second plan for the server, saying when the first one is', async () => {
    const { planner } = setup();
    await planner.plan(manual(START + 10 * MINUTE));
    const unix = Math.floor((START + 10 * MINUTE) / 1000);
    await expect(planner.plan(manual(START + 5 * MINUTE))).rejects.toThrow(
      `lobby display already has a restart planned <t:${unix}:R> (asked by @alice): abort it first.`,
    );
    expect(planner.next('lobby')?.at).toBe(START + 10 * MINUTE);
  });

  it('refuses a plan more than 24 hours ahead, and one while another lifecycle action runs', async () => {
    const { planner, locks } = setup();
    await expect(planner.plan(manual(START + 24 * 60 * MINUTE + 1))).rejects.toThrow(
      'at most 24 hours ahead',
    );
    let release: () => void = () => undefined;
    const held = locks.run(
      'lobby',
      'lobby display',
      { action: 'restarting', actor: '@erin' },
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    await expect(planner.plan(manual(START + MINUTE))).rejects.toBeInstanceOf(LifecycleBusyError);
    release();
    await held;
    expect(planner.next('lobby')).toBeUndefined();
  });

  it('restarts at once, without warnings, a plan whose time has come', async () => {
    const { lobby, planner } = setup();
    await planner.plan(manual(START));
    await settle();
    expect(lobby.announced).toEqual([]);
    expect(lobby.restarts).toEqual(['@alice']);
  });

  it('fails when the restart fails, pinging on-call with why', async () => {
    const { time, lobby, locks, countdown, planner, ended } = setup();
    lobby.server.container.restart = (options) =>
      locks.run('lobby', 'lobby display', { action: 'restarting', actor: options.actor }, () =>
        Promise.reject(new UserError('Docker said no.')),
      );
    await planner.plan(manual(START + MINUTE));
    await time.advance(MINUTE);
    expect(ended.map((p) => p.state)).toEqual(['failed']);
    expect(countdown.last()?.events.at(-1)?.text).toBe('Failed: Docker said no.');
    expect(countdown.pings).toEqual(['Docker said no.']);
  });

  it('stops its timers when the bot stops, saying so on the countdown', async () => {
    const { time, lobby, countdown, planner } = setup();
    await planner.plan(manual(START + 10 * MINUTE));
    await planner.stop();
    await time.advance(20 * MINUTE);
    expect(lobby.restarts).toEqual([]);
    expect(countdown.last()?.events.at(-1)?.text).toBe('Cancelled: the bot stopped before the restart');
  });
});
