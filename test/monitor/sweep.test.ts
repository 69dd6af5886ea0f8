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

/** list() always answers; get() answers until Docker "goes away", then throws as the adapter does. */
function scriptedServers() {
  const state = { dockerGone: false };
  const world = {
    name: 'Lobby World',
    currentUsers: 2,
    maxUsers: 16,
    accessLevel: 'Anyone',
    hiddenFromListing: false,
    users: ['Lobby Bot', 'alice'],
  };
  const servers = {
    list: () => Promise.resolve([running('lobby'), running('other')]),
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
    expect(stale.servers).toEqual(seen.servers);
  });
});
