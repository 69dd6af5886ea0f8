/**
 * The sweeper's view when Docker goes away: the last state it saw, marked with when, never a
 * half-gathered sweep. The ServerSet is a scripted stand-in (unit test of the sweeper alone).
 */
import { describe, expect, it } from 'vitest';
import type { ManagedContainer } from '../../src/docker/container-info.js';
import { DockerUnreachableError } from '../../src/errors.js';
import { Sweeper } from '../../src/monitor/sweep.js';
import type { ServerSet } from '../../src/servers/server-set.js';

function running(name: string): ManagedContainer {
  return {
    id: `${name}-id`.padEnd(12, '0'),
    name,
    state: 'running',
    health: 'none',
    startedAt: new Date(0),
    finishedAt: null,
    uptimeSeconds: 60,
    restartCount: 0,
    exitCode: null,
    oomKilled: false,
    tty: false,
    image: 'resonite-headless:test',
    labels: {},
  };
}

/**
 * One host (or two, eu-1 with lobby and eu-2 with other): listings answer until a host "goes
 * away"; get() answers until Docker goes away half way, then throws as the adapter does.
 */
function scriptedServers(hostNames: string[] = ['docker']) {
  const state = { dockerGone: false, hostDown: new Set<string>() };
  const world = {
    name: 'Lobby World',
    currentUsers: 2,
    maxUsers: 16,
    accessLevel: 'Anyone',
    hiddenFromListing: false,
    users: ['Lobby Bot', 'alice'],
  };
  const on = (name: string, host: string) => ({ ...running(name), host });
  const listing = () =>
    hostNames.length === 1
      ? [
          {
            host: { name: hostNames[0], address: 'unix:///d1.sock' },
            containers: [on('lobby', hostNames[0]!), on('other', hostNames[0]!)],
          },
        ]
      : hostNames.map((host, index) =>
          state.hostDown.has(host)
            ? {
                host: { name: host, address: `unix:///d${index}.sock` },
                error: new DockerUnreachableError(
                  `Docker on host ${host} is unreachable (connection refused).`,
                ),
              }
            : {
                host: { name: host, address: `unix:///d${index}.sock` },
                containers: [on(index === 0 ? 'lobby' : 'other', host)],
              },
        );
  const servers = {
    containers: { several: hostNames.length > 1, listEach: () => Promise.resolve(listing()) },
    get: (name: string) => {
      if (state.dockerGone && name === 'other') {
        return Promise.reject(new DockerUnreachableError('Docker is unreachable: connect ENOENT'));
      }
      return Promise.resolve({
        displayName: name,
        container: { stats: () => Promise.reject(new Error('no stats here')) },
        overview: () => Promise.resolve([world]),
      });
    },
  };
  return { servers: servers as unknown as ServerSet, state };
}

describe('Sweeper', () => {
  it('shows the last known state, with when it was seen, when Docker goes away half way through a sweep', async () => {
    const { servers, state } = scriptedServers();
    const sweeper = new Sweeper(servers, { consoleDeadlineMs: 1_000 });
    const seen = await sweeper.sweep();
    expect(seen.dockerError).toBeUndefined();
    expect(seen.servers.map((s) => [s.name, s.console, s.worlds.length])).toEqual([
      ['lobby', 'ok', 1],
      ['other', 'ok', 1],
    ]);

    state.dockerGone = true;
    const stale = await sweeper.sweep();
    expect(stale.dockerError).toBe('Docker is unreachable: connect ENOENT');
    expect(stale.lastSeenAt).toBe(seen.at);
    expect(stale.servers).toEqual(seen.servers.map((server) => ({ ...server, stale: true })));
  });

  it('keeps sweeping the hosts that answer while one does not, showing its last known state', async () => {
    const { servers, state } = scriptedServers(['eu-1', 'eu-2']);
    const sweeper = new Sweeper(servers, { consoleDeadlineMs: 1_000 });
    const seen = await sweeper.sweep();
    expect(seen.hosts?.map((h) => [h.name, h.error])).toEqual([
      ['eu-1', undefined],
      ['eu-2', undefined],
    ]);

    state.hostDown.add('eu-2');
    const half = await sweeper.sweep();
    expect(half.dockerError).toBeUndefined();
    expect(half.hosts?.map((h) => [h.name, h.error, h.lastSeenAt])).toEqual([
      ['eu-1', undefined, half.at],
      ['eu-2', 'Docker on host eu-2 is unreachable (connection refused).', seen.at],
    ]);
    expect(half.servers.map((s) => [s.name, s.container.host, s.console, s.stale])).toEqual([
      ['lobby', 'eu-1', 'ok', undefined],
      ['other', 'eu-2', 'ok', true],
    ]);

    state.hostDown.add('eu-1');
    const none = await sweeper.sweep();
    expect(none.dockerError).toBe('no Docker host answers');
    expect(none.servers.every((s) => s.stale)).toBe(true);
  });
});
