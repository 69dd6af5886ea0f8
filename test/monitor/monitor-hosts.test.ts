/**
 * The Monitor with several Docker hosts: a host going away is its own Docker incident, holding
 * back and folding only its own servers' deaths; the other hosts' servers are watched as before.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContainerEvent } from '../../src/docker/events.js';
import { dockerKey } from '../../src/monitor/alerts.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import type { BoardSnapshot, HostSnapshot, ServerSnapshot } from '../../src/monitor/snapshot.js';
import { ClockedMonitor, FakeEvents, RecordingAlerts, ScriptedSweeper, T0, server } from './monitor-fakes.js';

const HOLD = 5_000;

function on(host: string, snapshot: ServerSnapshot, stale = false): ServerSnapshot {
  return {
    ...snapshot,
    container: { ...snapshot.container, host },
    ...(stale ? { stale: true as const } : {}),
  };
}

function host(name: string, error?: string): HostSnapshot {
  return { name, address: `unix:///run/${name}.sock`, ...(error ? { error } : {}) };
}

describe('Monitor with several Docker hosts', () => {
  let events: FakeEvents;
  let sweeper: ScriptedSweeper;
  let alerts: RecordingAlerts;
  let monitor: Monitor;
  let clocked: ClockedMonitor;
  const advance = (ms: number) => clocked.advance(ms);
  const die = (name: string, hostName: string, at: number): ContainerEvent => ({
    action: 'die',
    id: `${name}-id`,
    name,
    labels: {},
    exitCode: 137,
    signal: null,
    time: new Date(at),
    host: hostName,
  });
  const sweep = async (snapshot: BoardSnapshot) => {
    sweeper.script.push(snapshot);
    await monitor.sweepNow();
    await alerts.settled();
  };
  const both = (
    at: number,
    eu2Error?: string,
    lobbyState: 'running' | 'exited' = 'running',
  ): BoardSnapshot => ({
    servers: [
      on('eu-1', server('lobby', { state: lobbyState })),
      on('eu-2', server('events'), eu2Error !== undefined),
    ],
    hosts: [host('eu-1'), host('eu-2', eu2Error)],
    at,
  });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    clocked = new ClockedMonitor(HOLD);
    ({ events, sweeper, alerts, monitor } = clocked);
  });
  afterEach(() => {
    monitor.stop();
    expect(sweeper.script).toEqual([]);
    vi.useRealTimers();
  });

  it('raises one Docker incident for the host that went away, listing only its servers', async () => {
    await sweep(both(T0));
    await sweep(
      both(T0 + 60_000, 'Docker on host eu-2 (unix:///run/eu-2.sock) is unreachable (connection refused).'),
    );
    await sweep(
      both(T0 + 120_000, 'Docker on host eu-2 (unix:///run/eu-2.sock) is unreachable (connection refused).'),
    );

    const raised = alerts.raises();
    expect(raised.map((i) => [i.server, i.kind, i.lastSeenRunning])).toEqual([
      [dockerKey('eu-2'), 'docker', ['events']],
    ]);
    expect(raised[0]?.detail).toContain('eu-2');
    expect(alerts.open.has(dockerKey('eu-1'))).toBe(false);
  });

  it('still alerts about a death on the host that answers while another host is down', async () => {
    await sweep(both(T0));
    await sweep(both(T0 + 1_000, 'connection refused'));
    events.emit('event', die('lobby', 'eu-1', T0 + 2_000));
    await alerts.settled();
    await advance(HOLD);
    expect(alerts.raises('lobby').map((i) => i.kind)).toEqual(['died']);
    expect(alerts.raises(dockerKey('eu-2'))).toHaveLength(1);
  });

  it('folds into a host’s incident only the deaths held on that host', async () => {
    await sweep(both(T0));
    events.emit('event', die('events', 'eu-2', T0 + 1_000));
    events.emit('event', die('lobby', 'eu-1', T0 + 1_010));
    await alerts.settled();
    clocked.now = T0 + 2_000;
    await sweep(both(T0 + 2_000, 'connection refused', 'exited'));

    const docker = alerts.raises(dockerKey('eu-2'));
    expect(docker.map((i) => i.takenDown)).toEqual([['events']]);
    // lobby's death on eu-1 is still held, and alerted as its own once the hold ends.
    expect(alerts.raises('lobby')).toEqual([]);
    await advance(HOLD);
    expect(alerts.raises('lobby').map((i) => i.kind)).toEqual(['died']);
    expect(alerts.raises('events')).toEqual([]);
  });

  it('resolves the host’s incident when it answers again, telling the alerts which host', async () => {
    await sweep(both(T0));
    await sweep(both(T0 + 60_000, 'connection refused'));
    await sweep(both(T0 + 120_000));
    expect(alerts.returns).toEqual([{ name: 'events', back: true, kept: true }]);
    expect(alerts.hostsTold).toEqual(['eu-2']);
    expect(alerts.open.has(dockerKey('eu-2'))).toBe(false);
  });
});
