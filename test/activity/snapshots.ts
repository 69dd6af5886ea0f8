/** Sweep snapshots for the activity feed's unit tests: worlds by name, users listed host first. */
import type { ManagedContainer } from '../../src/docker/container-info.js';
import type {
  BoardSnapshot,
  ConsoleHealth,
  ServerSnapshot,
  WorldSnapshot,
} from '../../src/monitor/snapshot.js';

export function container(name: string, state: ManagedContainer['state'] = 'running'): ManagedContainer {
  return {
    id: `id-${name}`,
    name,
    state,
    health: 'none',
    startedAt: null,
    finishedAt: null,
    uptimeSeconds: null,
    restartCount: 0,
    exitCode: state === 'running' ? null : 0,
    oomKilled: false,
    tty: false,
    image: 'fake',
    labels: {},
  };
}

/** A world whose first user is the headless's own, as the console lists it. */
export function world(name: string, present: string[], maxUsers = 16, index = 0): WorldSnapshot {
  return { index, name, users: present.length, maxUsers, accessLevel: 'Anyone', hidden: false, present };
}

export function server(
  name: string,
  worlds: WorldSnapshot[],
  options: { state?: ManagedContainer['state']; console?: ConsoleHealth; displayName?: string } = {},
): ServerSnapshot {
  const state = options.state ?? 'running';
  return {
    name,
    displayName: options.displayName ?? name,
    container: container(name, state),
    stats: null,
    console: options.console ?? (state === 'running' ? 'ok' : 'not running'),
    worlds: worlds.map((w, index) => ({ ...w, index })),
  };
}

export function snapshot(...servers: ServerSnapshot[]): BoardSnapshot {
  return { servers, at: Date.now() };
}
