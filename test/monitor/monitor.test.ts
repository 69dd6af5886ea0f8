/**
 * Monitor's decisions, without Docker or Discord: scripted Docker events and sweeps in, recorded
 * raise/recover calls out. The bot's own stops (IntentionalStops) are never incidents.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContainerEvent } from '../../src/docker/events.js';
import type { HostEvents } from '../../src/docker/host-events.js';
import { DOCKER_KEY, type Alerts } from '../../src/monitor/alerts.js';
import { Monitor } from '../../src/monitor/monitor.js';
import type { BoardSnapshot } from '../../src/monitor/snapshot.js';
import type { Sweeper } from '../../src/monitor/sweep.js';
import type { ServerSet } from '../../src/servers/server-set.js';
import { IntentionalStops } from '../../src/servers/intentional-stops.js';

import { ClockedMonitor, FakeEvents, RecordingAlerts, ScriptedSweeper, T0, server } from './monitor-fakes.js';

describe('Monitor', () => {
  let events: FakeEvents;
  let sweeper: ScriptedSweeper;
  let alerts: RecordingAlerts;
  let intentional: IntentionalStops;
  let monitor: Monitor;

  const event = (
    action: string,
    name: string,
    at: number,
    exitCode: number | null = null,
    signal: number | null = null,
  ): ContainerEvent => ({
    action,
    id: `${name}-id`,
    name,
    labels: {},
    exitCode,
    signal,
    time: new Date(at),
  });
  const emit = (e: ContainerEvent) => events.emit('event', e);
  const sweep = async (snapshot: BoardSnapshot) => {
    sweeper.script.push(snapshot);
    const seen = await monitor.sweepNow();
    expect(seen).toBe(snapshot);
    await alerts.settled();
  };

  beforeEach(() => {
    // start() schedules the first sweep with setTimeout: fake timers keep it (and the interval) from
    // ever firing, so that only sweepNow() sweeps.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    events = new FakeEvents();
    sweeper = new ScriptedSweeper();
    alerts = new RecordingAlerts();
    intentional = new IntentionalStops();
    monitor = new Monitor({
      servers: { intentional } as unknown as ServerSet,
      sweeper: sweeper as unknown as Sweeper,
      events: events as unknown as HostEvents,
      alerts: alerts as unknown as Alerts,
      intervalMs: 60_000,
      logger: pino({ level: 'silent' }),
      restartLoop: { count: 3, windowMs: 10 * 60_000 },
      // The hold is tested on its own below, with its own clock.
      deathHoldMs: 0,
    });
    monitor.start();
  });
  afterEach(() => {
    monitor.stop();
    expect(sweeper.script).toEqual([]);
    vi.useRealTimers();
  });

  it('follows the events source from start to stop', () => {
    expect(events.started).toBe(1);
    expect(events.listenerCount('event')).toBe(1);
    monitor.stop();
    expect(events.stopped).toBe(1);
    expect(events.listenerCount('event')).toBe(0);
    expect(sweeper.sweeps).toBe(0);
  });

  describe('Docker events', () => {
    it('raises died, in words, for a crash: the exit code and the signal it stands for', async () => {
      emit(event('die', 'lobby', T0, 1));
      emit(event('die', 'other', T0, 139));
      await alerts.settled();
      expect(alerts.raises()).toEqual([
        { server: 'lobby', kind: 'died', detail: 'crashed: exit code 1', at: T0 },
        { server: 'other', kind: 'died', detail: 'crashed: exit code 139 (SIGSEGV)', at: T0 },
      ]);
    });

    it('tells a docker stop from outside the bot by its kill and stop events around the death', async () => {
      emit(event('kill', 'lobby', T0, null, 2));
      emit(event('die', 'lobby', T0 + 30, 0));
      emit(event('stop', 'lobby', T0 + 40));
      await alerts.settled();
      expect(alerts.raises()).toEqual([
        {
          server: 'lobby',
          kind: 'external-stop',
          detail: 'stopped from outside the bot (docker stop), exit code 0',
          at: T0 + 30,
        },
      ]);
    });

    it('tells a docker kill by its kill event, naming the signal, once no stop event follows', async () => {
      emit(event('kill', 'lobby', T0, null, 9));
      emit(event('die', 'lobby', T0 + 30, 137));
      await alerts.settled();
      expect(alerts.raises()).toEqual([]);
      await vi.advanceTimersByTimeAsync(2_000);
      await alerts.settled();
      expect(alerts.raises()).toEqual([
        {
          server: 'lobby',
          kind: 'external-kill',
          detail: 'killed from outside the bot (docker kill, SIGKILL), exit code 137',
          at: T0 + 30,
        },
      ]);
    });

    it('with no hold, tells a death still waiting for its stop event on its own, not in the Docker incident', async () => {
      emit(event('kill', 'lobby', T0, null, 15));
      emit(event('die', 'lobby', T0 + 30, 143));
      await alerts.settled();
      await sweep({ servers: [server('lobby')], dockerError: 'connect ENOENT', at: T0 + 100 });
      await vi.advanceTimersByTimeAsync(2_000);
      await alerts.settled();
      expect(alerts.raises().map((i) => [i.server, i.kind, i.takenDown])).toEqual([
        [DOCKER_KEY, 'docker', undefined],
        ['lobby', 'external-kill', undefined],
      ]);
    });

    it('forgets a kill once the container started again, so its next death is a crash', async () => {
      emit(event('kill', 'lobby', T0, null, 1));
      emit(event('start', 'lobby', T0 + 1_000));
      emit(event('die', 'lobby', T0 + 60_000, 2));
      await alerts.settled();
      expect(alerts.raises().map((i) => i.detail)).toEqual(['crashed: exit code 2']);
    });

    it('describes a death after an oom event as an OOM kill', async () => {
      emit(event('oom', 'hungry', T0));
      emit(event('die', 'hungry', T0 + 10, 137));
      await alerts.settled();
      expect(alerts.raises('hungry').at(-1)).toEqual({
        server: 'hungry',
        kind: 'oom',
        detail: 'killed: out of memory (exit code 137)',
        at: T0 + 10,
      });
    });

    it('raises restarting on the third death within the restart-loop window', async () => {
      emit(event('die', 'looper', T0, 1));
      emit(event('start', 'looper', T0 + 1_000));
      emit(event('die', 'looper', T0 + 60_000, 1));
      emit(event('start', 'looper', T0 + 61_000));
      emit(event('die', 'looper', T0 + 120_000, 1));
      await alerts.settled();
      expect(alerts.raises('looper').map((i) => i.kind)).toEqual(['died', 'died', 'restarting']);
      expect(alerts.raises('looper')[2]!.detail).toBe(
        '3 deaths within 10 minutes, the last crashed: exit code 1',
      );
    });

    it('does not count deaths older than the restart-loop window', async () => {
      emit(event('die', 'slow', T0, 1));
      emit(event('die', 'slow', T0 + 6 * 60_000, 1));
      emit(event('die', 'slow', T0 + 12 * 60_000, 1));
      await alerts.settled();
      expect(alerts.raises('slow').map((i) => i.kind)).toEqual(['died', 'died', 'died']);
    });

    it('raises oom', async () => {
      emit(event('oom', 'hungry', T0));
      await alerts.settled();
      expect(alerts.raises()).toMatchObject([{ server: 'hungry', kind: 'oom', at: T0 }]);
    });

    it('raises unhealthy', async () => {
      emit(event('health_status: unhealthy', 'sick', T0));
      await alerts.settled();
      expect(alerts.raises()).toMatchObject([{ server: 'sick', kind: 'unhealthy', at: T0 }]);
    });

    it('ignores the other actions', async () => {
      for (const action of ['kill', 'stop', 'restart', 'health_status: healthy', 'pause', 'destroy']) {
        emit(event(action, 'lobby', T0));
      }
      await alerts.settled();
      expect(alerts.calls).toEqual([]);
    });

    it('does not alert on a death inside a stop the bot made', async () => {
      intentional.begin('lobby', T0);
      emit(event('die', 'lobby', T0 + 2_000, 0));
      emit(event('oom', 'lobby', T0 + 2_000));
      await alerts.settled();
      expect(alerts.calls).toEqual([]);
      // Another server is not covered by lobby's window.
      emit(event('die', 'other', T0 + 2_000, 0));
      await alerts.settled();
      expect(alerts.raises().map((i) => i.server)).toEqual(['other']);
    });

    it('a start ends the window, so a later death alerts', async () => {
      intentional.begin('lobby', T0);
      emit(event('die', 'lobby', T0 + 1_000, 0));
      emit(event('start', 'lobby', T0 + 10_000));
      await alerts.settled();
      expect(alerts.calls).toEqual([]);
      emit(event('die', 'lobby', T0 + 60_000, 139));
      await alerts.settled();
      expect(alerts.raises()).toEqual([
        { server: 'lobby', kind: 'died', detail: 'crashed: exit code 139 (SIGSEGV)', at: T0 + 60_000 },
      ]);
    });
  });

  describe('sweeps', () => {
    it('raises stopped for a container that is not running, once', async () => {
      await sweep({ servers: [server('lobby', { state: 'exited' })], at: T0 });
      expect(alerts.raises()).toEqual([
        { server: 'lobby', kind: 'stopped', detail: 'state: exited, exit code 0', at: T0 },
      ]);
      await sweep({ servers: [server('lobby', { state: 'exited' })], at: T0 + 60_000 });
      expect(alerts.raises()).toHaveLength(1);
    });

    it('says from docker inspect that a container the events missed was OOM-killed', async () => {
      const oomed = server('hungry', { state: 'exited' });
      oomed.container = { ...oomed.container, exitCode: 137, oomKilled: true };
      await sweep({ servers: [oomed], at: T0 });
      expect(alerts.raises()).toEqual([
        {
          server: 'hungry',
          kind: 'oom',
          detail: 'state: exited, killed: out of memory (exit code 137)',
          at: T0,
        },
      ]);
    });

    it('does not raise stopped when the death already has an open alert', async () => {
      emit(event('die', 'lobby', T0, 1));
      await alerts.settled();
      await sweep({ servers: [server('lobby', { state: 'exited' })], at: T0 + 5_000 });
      expect(alerts.raises().map((i) => i.kind)).toEqual(['died']);
    });

    it('does not raise for a container the bot stopped', async () => {
      intentional.begin('lobby', T0);
      await sweep({ servers: [server('lobby', { state: 'exited' })], at: T0 + 60_000 });
      await sweep({ servers: [server('lobby', { state: 'exited' })], at: T0 + 3_600_000 });
      expect(alerts.raises()).toEqual([]);
    });

    it('raises console only on the second miss in a row, and only once', async () => {
      const missing = (at: number) => ({
        servers: [server('lobby', { console: 'not answering', detail: 'no answer within 5 s' })],
        at,
      });
      await sweep(missing(T0));
      expect(alerts.raises()).toEqual([]);
      await sweep(missing(T0 + 60_000));
      expect(alerts.raises()).toEqual([
        { server: 'lobby', kind: 'console', detail: 'no answer within 5 s', at: T0 + 60_000 },
      ]);
      await sweep(missing(T0 + 120_000));
      expect(alerts.raises()).toHaveLength(1);
    });

    it('raises the console incident again at the next miss when posting it failed', async () => {
      const missing = (at: number) => ({ servers: [server('lobby', { console: 'not answering' })], at });
      await sweep(missing(T0));
      alerts.results.push('failed');
      await sweep(missing(T0 + 60_000));
      expect(alerts.raises()).toHaveLength(1);
      expect(alerts.isOpen('lobby')).toBe(false);
      await sweep(missing(T0 + 120_000));
      expect(alerts.raises().map((i) => [i.kind, i.at])).toEqual([
        ['console', T0 + 60_000],
        ['console', T0 + 120_000],
      ]);
      await sweep(missing(T0 + 180_000));
      expect(alerts.raises()).toHaveLength(2);
    });

    it('a miss between answers is not an incident', async () => {
      await sweep({ servers: [server('lobby', { console: 'not answering' })], at: T0 });
      await sweep({ servers: [server('lobby')], at: T0 + 60_000 });
      await sweep({ servers: [server('lobby', { console: 'not answering' })], at: T0 + 120_000 });
      expect(alerts.raises()).toEqual([]);
    });

    it('recovers a server whose console answers again', async () => {
      await sweep({ servers: [server('lobby', { console: 'error' })], at: T0 });
      await sweep({ servers: [server('lobby', { console: 'error', detail: 'closed' })], at: T0 + 60_000 });
      expect(alerts.raises().map((i) => i.kind)).toEqual(['console']);
      expect(alerts.isOpen('lobby')).toBe(true);
      await sweep({ servers: [server('lobby')], at: T0 + 120_000 });
      expect(alerts.recovers('lobby')).toEqual(['lobby']);
      expect(alerts.isOpen('lobby')).toBe(false);
    });

    it('does not recover a container that is still unhealthy', async () => {
      emit(event('health_status: unhealthy', 'sick', T0));
      await alerts.settled();
      await sweep({ servers: [server('sick', { health: 'unhealthy' })], at: T0 + 60_000 });
      expect(alerts.recovers('sick')).toEqual([]);
      await sweep({ servers: [server('sick', { health: 'healthy' })], at: T0 + 120_000 });
      expect(alerts.recovers('sick')).toEqual(['sick']);
    });

    it('raises unhealthy from a sweep when the health event was missed', async () => {
      await sweep({ servers: [server('sick', { health: 'unhealthy' })], at: T0 });
      await sweep({ servers: [server('sick', { health: 'unhealthy' })], at: T0 + 60_000 });
      expect(alerts.raises('sick')).toMatchObject([{ kind: 'unhealthy', at: T0 }]);
    });

    it('gives a server the bot just restarted time before its silent console is an incident', async () => {
      intentional.begin('booting', T0 - 10_000);
      intentional.end('booting', T0 - 5_000);
      const silent = (at: number) => ({
        servers: [server('booting', { console: 'not answering' as const })],
        at,
      });
      await sweep(silent(T0));
      await sweep(silent(T0 + 60_000));
      expect(alerts.raises('booting')).toEqual([]);
      await sweep(silent(T0 + 3 * 60_000));
      await sweep(silent(T0 + 4 * 60_000));
      expect(alerts.raises('booting').map((i) => i.kind)).toEqual(['console']);
    });

    it('raises one docker incident while Docker is unreachable, and recovers it when it is back', async () => {
      const down = (at: number): BoardSnapshot => ({ servers: [], dockerError: 'connect ENOENT', at });
      await sweep(down(T0));
      await sweep(down(T0 + 60_000));
      await sweep(down(T0 + 120_000));
      expect(alerts.raises()).toEqual([
        { server: DOCKER_KEY, kind: 'docker', detail: 'connect ENOENT', at: T0 },
      ]);
      expect(alerts.recovers(DOCKER_KEY)).toEqual([]);
      await sweep({ servers: [server('lobby')], at: T0 + 180_000 });
      expect(alerts.recovers(DOCKER_KEY)).toEqual([DOCKER_KEY]);
      expect(alerts.isOpen(DOCKER_KEY)).toBe(false);
      expect(alerts.raises()).toHaveLength(1);
    });

    it('raises the docker incident again at the next sweep when posting it failed', async () => {
      alerts.results.push('failed');
      await sweep({ servers: [], dockerError: 'connect ENOENT', at: T0 });
      await sweep({ servers: [], dockerError: 'connect ENOENT', at: T0 + 60_000 });
      expect(alerts.raises().map((i) => i.at)).toEqual([T0, T0 + 60_000]);
    });

    it('survives a failing sweep and sweeps again', async () => {
      expect(await monitor.sweepNow()).toBeUndefined();
      await sweep({ servers: [server('lobby')], at: T0 });
      expect(sweeper.sweeps).toBe(2);
    });
  });
});

describe('Monitor holding deaths back to see whether Docker is going away', () => {
  const HOLD = 5_000;
  const dockerIncident = (
    detail: string,
    at: number,
    servers: { takenDown: string[] } | { lastSeenRunning: string[] },
  ) => ({
    server: DOCKER_KEY,
    kind: 'docker',
    detail,
    at,
    ...servers,
  });
  let events: FakeEvents;
  let sweeper: ScriptedSweeper;
  let alerts: RecordingAlerts;
  let monitor: Monitor;
  let clocked: ClockedMonitor;
  const advance = (ms: number) => clocked.advance(ms);
  const die = (name: string, at: number, exitCode = 0): ContainerEvent => ({
    action: 'die',
    id: `${name}-id`,
    name,
    labels: {},
    exitCode,
    signal: null,
    time: new Date(at),
  });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    clocked = new ClockedMonitor(HOLD);
    ({ events, sweeper, alerts, monitor } = clocked);
  });
  afterEach(() => {
    monitor.stop();
    vi.useRealTimers();
  });

  it('folds deaths into one Docker incident when the daemon becomes unreachable within the hold', async () => {
    events.emit('event', die('lobby', T0));
    events.emit('event', die('plain', T0 + 10));
    await alerts.settled();
    expect(alerts.raises()).toEqual([]);
    sweeper.script.push({
      servers: [server('lobby'), server('plain')],
      dockerError: 'connect ENOENT',
      at: T0 + 1_000,
    });
    events.emit('disconnected', new Error('the Docker events stream ended'));
    await alerts.settled();
    await advance(HOLD * 2);
    expect(alerts.raises()).toEqual([
      dockerIncident('connect ENOENT', T0 + 1_000, { takenDown: ['lobby', 'plain'] }),
    ]);

    sweeper.script.push({
      servers: [
        { ...server('lobby'), container: { ...server('lobby').container, startedAt: new Date(T0 + 20_000) } },
        server('plain', { state: 'exited' }),
      ],
      at: T0 + 30_000,
    });
    await monitor.sweepNow();
    await alerts.settled();
    expect(alerts.returns).toEqual([
      { name: 'lobby', back: true },
      { name: 'plain', back: false, state: 'Exited (0)' },
    ]);
    // The one left down was named in the Docker incident: no alert of its own.
    sweeper.script.push({
      servers: [server('lobby'), server('plain', { state: 'exited' })],
      at: T0 + 90_000,
    });
    await monitor.sweepNow();
    await alerts.settled();
    expect(alerts.raises().map((i) => i.server)).toEqual([DOCKER_KEY]);
  });

  it('raises the incident as soon as the events stream drops and Docker is gone, listing the servers last seen running', async () => {
    sweeper.script.push({ servers: [server('lobby'), server('plain')], at: T0 });
    await monitor.sweepNow();
    sweeper.script.push({
      servers: [server('lobby'), server('plain')],
      dockerError: 'connect ENOENT',
      lastSeenAt: T0,
      at: T0 + 1_000,
    });
    events.emit('disconnected', new Error('the Docker events stream ended'));
    // Every failed reconnect says so again; one sweep is enough while the outage is open.
    events.emit('disconnected', new Error('connect ENOENT'));
    await alerts.settled();
    expect(alerts.raises()).toEqual([
      dockerIncident('connect ENOENT', T0 + 1_000, { lastSeenRunning: ['lobby', 'plain'] }),
    ]);
    events.emit('disconnected', new Error('connect ENOENT'));
    await alerts.settled();
    expect(sweeper.sweeps).toBe(2);

    // Back: lobby was restarted by the daemon, plain kept running (Docker was only out of reach of it).
    const restarted = server('lobby');
    sweeper.script.push({
      servers: [
        { ...restarted, container: { ...restarted.container, startedAt: new Date(T0 + 20_000) } },
        server('plain'),
      ],
      at: T0 + 30_000,
    });
    await monitor.sweepNow();
    await alerts.settled();
    expect(alerts.returns).toEqual([
      { name: 'lobby', back: true },
      { name: 'plain', back: true, kept: true },
    ]);
  });

  it('edits the Docker incident when a server it left down runs again, and never alerts about that server', async () => {
    sweeper.script.push({ servers: [server('lobby')], at: T0 });
    await monitor.sweepNow();
    sweeper.script.push({ servers: [server('lobby')], dockerError: 'connect ENOENT', at: T0 + 1_000 });
    await monitor.sweepNow();
    sweeper.script.push({ servers: [server('lobby', { state: 'exited' })], at: T0 + 30_000 });
    await monitor.sweepNow();
    expect(alerts.returns).toEqual([{ name: 'lobby', back: false, state: 'Exited (0)' }]);
    sweeper.script.push({ servers: [server('lobby')], at: T0 + 90_000 });
    await monitor.sweepNow();
    sweeper.script.push({ servers: [server('lobby')], at: T0 + 150_000 });
    await monitor.sweepNow();
    await alerts.settled();
    expect(alerts.cameBack).toEqual(['lobby']);
    expect(alerts.raises().map((i) => i.server)).toEqual([DOCKER_KEY]);
  });

  it('waits for the events stream to drop when Docker stops answering while it is open, so the first post lists the deaths', async () => {
    events.emit('connected', { caughtUp: 0 });
    // A daemon shutting down: its API refuses, then its containers die on the stream still open.
    sweeper.script.push({
      servers: [server('lobby'), server('plain')],
      dockerError: 'connect ECONNREFUSED',
      at: T0,
    });
    await monitor.sweepNow();
    // Another sweep within the hold, the stream still open, waits too.
    sweeper.script.push({
      servers: [server('lobby'), server('plain')],
      dockerError: 'connect ECONNREFUSED',
      at: T0 + 50,
    });
    await monitor.sweepNow();
    await alerts.settled();
    expect(alerts.raises()).toEqual([]);
    events.emit('event', die('lobby', T0 + 100));
    events.emit('event', die('plain', T0 + 120));
    sweeper.script.push({
      servers: [server('lobby'), server('plain')],
      dockerError: 'connect ENOENT',
      at: T0 + 900,
    });
    events.emit('disconnected', new Error('the Docker events stream ended'));
    await alerts.settled();
    expect(alerts.raises()).toEqual([
      dockerIncident('connect ENOENT', T0 + 900, { takenDown: ['lobby', 'plain'] }),
    ]);
    // Neither the deaths' holds nor the look-again sweep alert a second time.
    await advance(HOLD * 2);
    expect(alerts.raises()).toHaveLength(1);
    expect(sweeper.sweeps).toBe(3);
  });

  it('raises the incident once the hold is over when the stream stays open (Docker out of reach, not going away)', async () => {
    events.emit('connected', { caughtUp: 0 });
    sweeper.script.push({ servers: [server('lobby')], at: T0 });
    await monitor.sweepNow();
    sweeper.script.push({
      servers: [server('lobby')],
      dockerError: 'connect ETIMEDOUT',
      lastSeenAt: T0,
      at: T0 + 1_000,
    });
    await monitor.sweepNow();
    await advance(HOLD - 1);
    expect(alerts.raises()).toEqual([]);
    sweeper.script.push({
      servers: [server('lobby')],
      dockerError: 'connect ETIMEDOUT',
      lastSeenAt: T0,
      at: T0 + 6_000,
    });
    await advance(1);
    await alerts.settled();
    expect(alerts.raises()).toEqual([
      dockerIncident('connect ETIMEDOUT', T0 + 6_000, { lastSeenRunning: ['lobby'] }),
    ]);
  });

  it('folds a death seen while Docker is looked at again, even when that sweep ends after its hold', async () => {
    events.emit('connected', { caughtUp: 0 });
    sweeper.script.push({ servers: [server('lobby')], dockerError: 'connect ECONNREFUSED', at: T0 });
    await monitor.sweepNow();
    events.emit('event', die('lobby', T0));
    await alerts.settled();
    // The look-again sweep and the death's hold are due together; the sweep answers after the hold.
    sweeper.script.push({ servers: [server('lobby')], dockerError: 'connect ECONNREFUSED', at: T0 + HOLD });
    await advance(HOLD);
    await alerts.settled();
    expect(alerts.raises()).toEqual([
      dockerIncident('connect ECONNREFUSED', T0 + HOLD, { takenDown: ['lobby'] }),
    ]);
    await advance(HOLD * 2);
    expect(alerts.raises()).toHaveLength(1);
  });

  it('alerts about a death seen during a blip once Docker answers again, its stream open all along', async () => {
    events.emit('connected', { caughtUp: 0 });
    sweeper.script.push({ servers: [server('lobby')], dockerError: 'connect ECONNRESET', at: T0 });
    await monitor.sweepNow();
    events.emit('event', die('lobby', T0, 1));
    await alerts.settled();
    sweeper.script.push({ servers: [server('lobby', { state: 'exited' })], at: T0 + HOLD });
    await advance(HOLD);
    await advance(HOLD);
    expect(alerts.raises()).toEqual([
      { server: 'lobby', kind: 'died', detail: 'crashed: exit code 1', at: T0 },
    ]);
  });

  it('raises nothing when Docker answers again within the hold, its stream open all along', async () => {
    events.emit('connected', { caughtUp: 0 });
    sweeper.script.push({ servers: [server('lobby')], dockerError: 'connect ECONNRESET', at: T0 });
    await monitor.sweepNow();
    sweeper.script.push({ servers: [server('lobby')], at: T0 + 2_000 });
    await monitor.sweepNow();
    await advance(HOLD * 2);
    expect(alerts.raises()).toEqual([]);
    expect(sweeper.sweeps).toBe(2);
  });

  it('raises at once when deaths are already held as Docker stops answering, its stream still open', async () => {
    events.emit('connected', { caughtUp: 0 });
    events.emit('event', die('lobby', T0));
    await alerts.settled();
    sweeper.script.push({ servers: [server('lobby')], dockerError: 'connect ECONNREFUSED', at: T0 + 500 });
    await monitor.sweepNow();
    await alerts.settled();
    expect(alerts.raises()).toEqual([
      dockerIncident('connect ECONNREFUSED', T0 + 500, { takenDown: ['lobby'] }),
    ]);
  });

  it('folds a death still waiting for its stop event into the Docker incident, and never alerts about it', async () => {
    events.emit('event', { ...die('lobby', T0 - 1), action: 'kill', signal: 15 });
    events.emit('event', die('lobby', T0));
    await alerts.settled();
    sweeper.script.push({ servers: [server('lobby')], dockerError: 'connect ENOENT', at: T0 + 200 });
    events.emit('disconnected', new Error('the Docker events stream ended'));
    await alerts.settled();
    expect(alerts.raises()).toEqual([dockerIncident('connect ENOENT', T0 + 200, { takenDown: ['lobby'] })]);
    // The stop event never comes (the daemon is gone): the wait ends, and the death is already told.
    await vi.advanceTimersByTimeAsync(10_000);
    await advance(HOLD * 2);
    expect(alerts.raises()).toHaveLength(1);
    expect(alerts.tookDown).toEqual([]);
  });

  it('alerts about a death as before once the hold is over, when Docker stays up', async () => {
    events.emit('event', die('lobby', T0, 1));
    await alerts.settled();
    await advance(HOLD - 1);
    expect(alerts.raises()).toEqual([]);
    await advance(1);
    expect(alerts.raises()).toEqual([
      { server: 'lobby', kind: 'died', detail: 'crashed: exit code 1', at: T0 },
    ]);
  });
});
