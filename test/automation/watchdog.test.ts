/**
 * The watchdog's decisions, without Docker or Discord: Docker events and sweeps in, on an injected
 * clock; starts, restarts, audit rows and alert lines out. The real audit log, key-value store,
 * intentional stops and lifecycle locks; fakes for the servers and the alerts.
 */
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.js';
import { Watchdog, type WatchdogOptions, type WatchedServer } from '../../src/automation/watchdog.js';
import type { ServerOverride } from '../../src/config.js';
import { missingContainer, type ContainerState } from '../../src/docker/container-info.js';
import type { ContainerEvent } from '../../src/docker/events.js';
import type { BoardSnapshot, ConsoleHealth } from '../../src/monitor/snapshot.js';
import { IntentionalStops } from '../../src/servers/intentional-stops.js';
import { LifecycleBusyError, LifecycleLocks } from '../../src/servers/lifecycle-lock.js';
import type { RestartOptions, RestartResult } from '../../src/servers/lifecycle.js';
import { KeyValueStore, openMemoryDatabase, type Database } from '../../src/storage/database.js';

const T0 = 1_700_000_000_000;
const GRACE = 30_000;
const MINUTE = 60_000;

/** Timers on a clock the test moves; each due timer runs, then the async work it started settles. */
class FakeClock {
  now = T0;
  private timers: { at: number; fn: () => void }[] = [];
  setTimer = (fn: () => void, ms: number) => {
    const timer = { at: this.now + ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  };
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
      await settle();
    }
    this.now = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A server whose container is in the state the test sets; start and restart are recorded. */
function fakeServer(name: string) {
  let state: ContainerState = 'exited';
  const restarts: RestartOptions[] = [];
  const server = {
    name,
    displayName: name,
    setState(next: ContainerState) {
      state = next;
    },
    restarts,
    container: {
      inspect: vi.fn(async () => ({ ...missingContainer(name), state })),
      start: vi.fn(async (_actor: string): Promise<'started' | 'already running'> => {
        state = 'running';
        return 'started';
      }),
      restart: vi.fn(async (options: RestartOptions): Promise<RestartResult> => {
        restarts.push(options);
        state = 'running';
        return {
          outcome: 'stopped',
          saved: [],
          saveSkipped: 'worlds were not saved: no answer',
          running: [],
        };
      }),
      waitUntilRunning: vi.fn(async () => ['Lobby World']),
    },
  };
  return server satisfies WatchedServer;
}

interface Line {
  server: string;
  text: string;
  at: number;
  escalated: boolean;
}

/** The alerts the monitor raises: open per server as the test says; notes and escalations recorded. */
class FakeAlerts {
  readonly open = new Set<string>();
  readonly lines: Line[] = [];
  isOpen(server: string): boolean {
    return this.open.has(server);
  }
  async note(server: string, text: string, at = 0): Promise<boolean> {
    this.lines.push({ server, text, at, escalated: false });
    return true;
  }
  async escalate(server: string, text: string, at = 0): Promise<boolean> {
    this.lines.push({ server, text, at, escalated: true });
    return true;
  }
  texts(): string[] {
    return this.lines.map((line) => line.text);
  }
}

function die(name: string, at: number): ContainerEvent {
  return { action: 'die', id: 'x', name, labels: {}, exitCode: 1, signal: null, time: new Date(at) };
}

function sweep(
  at: number,
  name: string,
  console: ConsoleHealth,
  state: ContainerState = 'running',
  startedAt = T0 - 60 * MINUTE,
): BoardSnapshot {
  return {
    at,
    servers: [
      {
        name,
        displayName: name,
        container: { ...missingContainer(name), state, startedAt: new Date(startedAt) },
        stats: null,
        console,
        worlds: [],
      },
    ],
  };
}

describe('Watchdog', () => {
  let clock: FakeClock;
  let db: Database;
  let audit: AuditLog;
  let store: KeyValueStore;
  let events: EventEmitter;
  let alerts: FakeAlerts;
  let intentional: IntentionalStops;
  let locks: LifecycleLocks;
  let lobby: ReturnType<typeof fakeServer>;
  let sweepListeners: ((snapshot: BoardSnapshot) => void)[];

  beforeEach(() => {
    clock = new FakeClock();
    db = openMemoryDatabase();
    audit = new AuditLog(db);
    store = new KeyValueStore(db);
    events = new EventEmitter();
    alerts = new FakeAlerts();
    intentional = new IntentionalStops();
    locks = new LifecycleLocks();
    lobby = fakeServer('lobby');
    sweepListeners = [];
  });

  function watchdog(overrides: Record<string, ServerOverride> = {}, extra: Partial<WatchdogOptions> = {}) {
    const dog = new Watchdog({
      servers: { get: async () => lobby, intentional, locks },
      overrides,
      store,
      audit,
      guildId: '1',
      events,
      onSweep: (listener) => sweepListeners.push(listener),
      alerts,
      logger: pino({ level: 'silent' }),
      now: () => clock.now,
      setTimer: clock.setTimer,
      ...extra,
    });
    dog.start();
    return dog;
  }

  function enabled(extra: Partial<WatchdogOptions> = {}) {
    const dog = watchdog({}, extra);
    dog.setEnabled('lobby', true, '@otto');
    return dog;
  }

  /** A death, its alert raised by the monitor, and the grace waited out. */
  async function crash(): Promise<void> {
    lobby.setState('exited');
    events.emit('event', die('lobby', clock.now));
    alerts.open.add('lobby');
    await clock.advance(GRACE);
  }

  const sweepNow = async (snapshot: BoardSnapshot) => {
    for (const listener of sweepListeners) listener(snapshot);
    await settle();
  };

  const automationRows = () =>
    audit.latest({ limit: 50 }).filter((row) => row.memberId === 'automation' && row.command === 'watchdog');

  it('starts a dead server after the grace, only when it is still down, and tells the alert', async () => {
    enabled();
    lobby.setState('exited');
    events.emit('event', die('lobby', clock.now));
    alerts.open.add('lobby');
    await clock.advance(GRACE - 1);
    expect(lobby.container.start).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(lobby.container.start).toHaveBeenCalledWith('automation');
    expect(alerts.texts()).toEqual(['started by the watchdog', 'running again: Lobby World']);
    const [row] = automationRows();
    expect(row).toMatchObject({ action: 'start', outcome: 'ok', server: 'lobby', memberTag: 'automation' });
  });

  it("leaves a server alone that Docker's restart policy brought back within the grace", async () => {
    enabled();
    events.emit('event', die('lobby', clock.now));
    lobby.setState('running');
    await clock.advance(GRACE);
    expect(lobby.container.inspect).toHaveBeenCalled();
    expect(lobby.container.start).not.toHaveBeenCalled();
    expect(automationRows()).toEqual([]);
  });

  it('looks again when Docker could not be reached at the end of the grace', async () => {
    enabled();
    lobby.container.inspect.mockRejectedValueOnce(new Error('Docker is unreachable'));
    await crash();
    expect(lobby.container.start).not.toHaveBeenCalled();
    await clock.advance(GRACE);
    expect(lobby.container.start).toHaveBeenCalledTimes(1);
  });

  it('does nothing about a stop the bot made itself', async () => {
    enabled();
    intentional.begin('lobby', clock.now);
    events.emit('event', die('lobby', clock.now + 500));
    await clock.advance(GRACE);
    expect(lobby.container.inspect).not.toHaveBeenCalled();
    expect(lobby.container.start).not.toHaveBeenCalled();
  });

  it('is off unless switched on or autoRecover says so; the switch beats the config and persists', async () => {
    const off = watchdog();
    expect(off.state('lobby')).toMatchObject({ enabled: false, source: 'default' });
    events.emit('event', die('lobby', clock.now));
    await clock.advance(GRACE);
    expect(lobby.container.start).not.toHaveBeenCalled();
    off.stop();

    const configured = watchdog({ lobby: { autoRecover: true } });
    expect(configured.state('lobby')).toMatchObject({ enabled: true, source: 'config' });
    configured.setEnabled('lobby', false, '@otto');
    configured.stop();

    // A bot restart: a new watchdog on the same store.
    const later = watchdog({ lobby: { autoRecover: true } });
    expect(later.state('lobby')).toMatchObject({ enabled: false, source: 'command' });
    events.emit('event', die('lobby', clock.now));
    await clock.advance(GRACE);
    expect(lobby.container.start).not.toHaveBeenCalled();
  });

  it('stands back while another lifecycle action runs on the server', async () => {
    enabled();
    let release!: () => void;
    const held = locks.run('lobby', 'lobby', { action: 'restarting', actor: '@otto' }, () => {
      return new Promise<void>((resolve) => (release = resolve));
    });
    await crash();
    expect(lobby.container.start).not.toHaveBeenCalled();
    release();
    await held;
  });

  it('stands back when another action takes the lock between its look and its start', async () => {
    const dog = enabled();
    lobby.container.start.mockRejectedValueOnce(
      new LifecycleBusyError('lobby', { action: 'starting', actor: '@otto', since: clock.now }),
    );
    await crash();
    expect(lobby.container.start).toHaveBeenCalledTimes(1);
    expect(alerts.texts()).toEqual([]);
    expect(dog.state('lobby').recentRecoveries).toBe(0);
  });

  it('counts no recovery when someone else started it between its look and its start', async () => {
    const dog = enabled();
    lobby.container.start.mockResolvedValueOnce('already running');
    await crash();
    expect(alerts.texts()).toEqual([]);
    expect(dog.state('lobby').recentRecoveries).toBe(0);
  });

  it('restarts a running server whose console missed three sweeps in a row, saving first', async () => {
    enabled();
    alerts.open.add('lobby');
    await sweepNow(sweep(clock.now, 'lobby', 'not answering'));
    await sweepNow(sweep(clock.now + MINUTE, 'lobby', 'ok'));
    await sweepNow(sweep(clock.now + 2 * MINUTE, 'lobby', 'not answering'));
    await sweepNow(sweep(clock.now + 3 * MINUTE, 'lobby', 'not answering'));
    expect(lobby.container.restart).not.toHaveBeenCalled();
    await sweepNow(sweep(clock.now + 4 * MINUTE, 'lobby', 'not answering'));
    expect(lobby.restarts).toEqual([{ actor: 'automation', force: false }]);
    expect(alerts.texts()).toEqual([
      'console silent for 3 sweeps: the watchdog restarts it (saving first)',
      'restarted by the watchdog (worlds were not saved: no answer)',
      'running again: Lobby World',
    ]);
    expect(automationRows()[0]).toMatchObject({ action: 'restart', outcome: 'ok' });
  });

  it('does not count a silent console while the server is still starting', async () => {
    enabled();
    const startedAt = clock.now;
    // Five silent sweeps within its first three minutes, then one after: one miss so far.
    for (const at of [30, 60, 90, 120, 150, 200].map((s) => startedAt + s * 1000)) {
      await sweepNow(sweep(at, 'lobby', 'not answering', 'running', startedAt));
    }
    expect(lobby.container.restart).not.toHaveBeenCalled();
  });

  it('gives up after three recoveries within 30 minutes, escalating exactly once', async () => {
    enabled();
    for (let i = 0; i < 3; i++) {
      await crash();
      await clock.advance(5 * MINUTE);
    }
    expect(lobby.container.start).toHaveBeenCalledTimes(3);
    await crash();
    await crash();
    expect(lobby.container.start).toHaveBeenCalledTimes(3);
    const escalations = alerts.lines.filter((line) => line.escalated);
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.text).toContain('giving up: 3 automatic recoveries within 30m');
    expect(automationRows().map((row) => row.action)).toEqual(['give up', 'start', 'start', 'start']);
  });

  it('counts only the recoveries of the last 30 minutes', async () => {
    enabled();
    for (let i = 0; i < 5; i++) {
      await crash();
      await clock.advance(15 * MINUTE);
    }
    expect(lobby.container.start).toHaveBeenCalledTimes(5);
    expect(alerts.lines.filter((line) => line.escalated)).toEqual([]);
  });

  it('acts again after an operator switches it on again', async () => {
    const dog = enabled();
    for (let i = 0; i < 4; i++) await crash();
    expect(dog.state('lobby').gaveUpAt).toBe(clock.now);
    dog.setEnabled('lobby', true, '@otto');
    expect(dog.state('lobby').gaveUpAt).toBeUndefined();
    await crash();
    expect(lobby.container.start).toHaveBeenCalledTimes(4);
  });

  it('acts again once the server ran healthy for 30 minutes after giving up', async () => {
    const dog = enabled();
    for (let i = 0; i < 4; i++) await crash();
    lobby.setState('running');
    await sweepNow(sweep(clock.now, 'lobby', 'ok'));
    await sweepNow(sweep(clock.now + 29 * MINUTE, 'lobby', 'ok'));
    expect(dog.state('lobby').gaveUpAt).toBeDefined();
    await sweepNow(sweep(clock.now + 30 * MINUTE, 'lobby', 'ok'));
    expect(dog.state('lobby').gaveUpAt).toBeUndefined();
    await clock.advance(30 * MINUTE);
    await crash();
    expect(lobby.container.start).toHaveBeenCalledTimes(4);
  });

  it("holds its lines until the death's alert is open, keeping when each happened", async () => {
    enabled();
    lobby.setState('exited');
    events.emit('event', die('lobby', clock.now));
    await clock.advance(GRACE);
    const startedAt = clock.now;
    expect(lobby.container.start).toHaveBeenCalled();
    expect(alerts.lines).toEqual([]);
    await clock.advance(3_000);
    expect(alerts.lines).toEqual([]);
    alerts.open.add('lobby');
    await clock.advance(1_000);
    expect(alerts.lines.map(({ text, at }) => ({ text, at }))).toEqual([
      { text: 'started by the watchdog', at: startedAt },
      { text: 'running again: Lobby World', at: startedAt },
    ]);
  });

  it('follows an alert that recovered once its first line is on it', async () => {
    enabled();
    let finish!: (worlds: string[]) => void;
    lobby.container.waitUntilRunning.mockImplementationOnce(
      () => new Promise<string[]>((resolve) => (finish = resolve)),
    );
    await crash();
    expect(alerts.texts()).toEqual(['started by the watchdog']);
    alerts.open.delete('lobby'); // a sweep saw it healthy first
    finish(['Lobby World']);
    await settle();
    expect(alerts.texts()).toEqual(['started by the watchdog', 'running again: Lobby World']);
  });
});
