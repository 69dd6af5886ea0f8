import type { JoinLine } from '../console/parsers.js';
import type { BoardSnapshot, ServerSnapshot } from '../monitor/snapshot.js';
import type { ActivityEvent } from './activity-event.js';

interface WorldState {
  index: number;
  maxUsers: number;
  /** Everyone in the world but the headless's own user. */
  users: Set<string>;
}

interface ServerState {
  display: string;
  running: boolean;
  /** Unknown until its console answers a sweep (and again after it stopped). */
  worlds: Map<string, WorldState> | undefined;
  /** Seen starting: the worlds its console first shows are news, not the state found at start-up. */
  cameUp: boolean;
  /** The headless's own user names (the first user of each world): never someone joining. */
  hosts: Set<string>;
  /**
   * Joins the console told before a sweep saw them (world and user), with how many sweeps may still
   * miss them: a sweep that read a world just before the join must not make it a leave.
   */
  heard: Map<string, number>;
}

/** Sweeps that may miss a user the console told joining before the user counts as gone. */
const HEARD_GRACE_SWEEPS = 1;

const heardKey = (world: string, user: string): string => `${world}\u0000${user}`;

/**
 * What changed between sweeps (users, worlds, servers), and joins as the console tells them; the two
 * never tell the same join twice. The first look at a server is its starting state, not news. Nothing
 * changes while Docker is unreachable or a console does not answer: the last known state stands.
 */
export class ActivityTracker {
  private readonly servers = new Map<string, ServerState>();

  sweep(snapshot: BoardSnapshot): ActivityEvent[] {
    if (snapshot.dockerError !== undefined) return [];
    const events: ActivityEvent[] = [];
    const seen = new Set<string>();
    for (const server of snapshot.servers) {
      seen.add(server.name);
      // Its host did not answer: nobody is known to have left.
      if (!server.stale) events.push(...this.sweepServer(server));
    }
    for (const name of this.servers.keys()) if (!seen.has(name)) this.servers.delete(name);
    return events;
  }

  /** A join line from the server's console: news at once, unless a sweep already has the user there. */
  joined(server: string, join: JoinLine): ActivityEvent[] {
    const state = this.servers.get(server);
    if (!state?.running || state.hosts.has(join.user)) return [];
    const world = state.worlds?.get(join.world);
    const key = heardKey(join.world, join.user);
    if (world?.users.has(join.user) || state.heard.has(key)) return [];
    state.heard.set(key, HEARD_GRACE_SWEEPS);
    world?.users.add(join.user);
    return [
      {
        kind: 'joined',
        server,
        display: state.display,
        world: join.world,
        user: join.user,
        ...(world ? { count: { users: world.users.size + 1, maxUsers: world.maxUsers } } : {}),
      },
    ];
  }

  private sweepServer(server: ServerSnapshot): ActivityEvent[] {
    const { name, displayName: display } = server;
    const running = server.container.state === 'running';
    const answered = running && server.console === 'ok';
    let state = this.servers.get(name);
    if (!state) {
      state = { display, running, worlds: undefined, cameUp: false, hosts: new Set(), heard: new Map() };
      this.servers.set(name, state);
      if (answered) state.worlds = this.worldsOf(server, state);
      return [];
    }
    state.display = display;
    const events: ActivityEvent[] = [];
    if (running !== state.running) {
      events.push({ kind: running ? 'server-up' : 'server-down', server: name, display });
      state.running = running;
      state.worlds = undefined;
      state.cameUp = running;
      state.heard.clear();
    }
    if (!answered) return events;
    const now = this.worldsOf(server, state);
    const before = state.worlds;
    if (before === undefined) {
      if (state.cameUp)
        for (const [world, after] of now) events.push(...this.started(server, state, world, after));
    } else {
      events.push(...this.diffWorlds(server, state, before, now));
    }
    this.ageHeard(server, state);
    state.worlds = now;
    state.cameUp = false;
    return events;
  }

  private worldsOf(server: ServerSnapshot, state: ServerState): Map<string, WorldState> {
    const worlds = new Map<string, WorldState>();
    for (const world of server.worlds) {
      const [host, ...others] = world.present;
      if (host !== undefined) state.hosts.add(host);
      worlds.set(world.name, { index: world.index, maxUsers: world.maxUsers, users: new Set(others) });
    }
    return worlds;
  }

  private diffWorlds(
    server: ServerSnapshot,
    state: ServerState,
    before: Map<string, WorldState>,
    now: Map<string, WorldState>,
  ): ActivityEvent[] {
    const events: ActivityEvent[] = [];
    const closed = [...before.keys()].filter((world) => !now.has(world));
    const opened = [...now.keys()].filter((world) => !before.has(world));
    // A world renamed keeps its place in the list: the same world, not one closed and one started.
    const renamedFrom = new Map<string, string>();
    if (before.size === now.size)
      for (const world of opened) {
        const index = now.get(world)?.index;
        const old = closed.find((name) => before.get(name)?.index === index);
        if (old !== undefined) renamedFrom.set(world, old);
      }
    const renamed = new Set(renamedFrom.values());
    for (const world of closed)
      if (!renamed.has(world))
        events.push({ kind: 'world-closed', server: server.name, display: state.display, world });
    for (const [world, after] of now) {
      const old = before.get(renamedFrom.get(world) ?? world);
      if (old) events.push(...this.diffUsers(server, state, world, old, after));
      else events.push(...this.started(server, state, world, after));
    }
    return events;
  }

  private started(server: ServerSnapshot, state: ServerState, world: string, after: WorldState) {
    const events: ActivityEvent[] = [
      { kind: 'world-started', server: server.name, display: state.display, world },
    ];
    const count = countOf(server, world);
    for (const user of after.users)
      if (!state.heard.has(heardKey(world, user)))
        events.push({ kind: 'joined', server: server.name, display: state.display, world, user, count });
    return events;
  }

  private diffUsers(
    server: ServerSnapshot,
    state: ServerState,
    world: string,
    before: WorldState,
    after: WorldState,
  ): ActivityEvent[] {
    const events: ActivityEvent[] = [];
    const count = countOf(server, world);
    const base = { server: server.name, display: state.display, world, count };
    for (const user of after.users)
      if (!before.users.has(user) && !state.heard.has(heardKey(world, user)))
        events.push({ kind: 'joined', ...base, user });
    for (const user of before.users) {
      if (after.users.has(user)) continue;
      // Told by the console but not in this sweep yet: still there until the grace runs out.
      if (state.heard.has(heardKey(world, user))) after.users.add(user);
      else events.push({ kind: 'left', ...base, user });
    }
    return events;
  }

  /** Joins this sweep saw are settled; the others lose a sweep of grace. */
  private ageHeard(server: ServerSnapshot, state: ServerState): void {
    for (const [key, left] of state.heard) {
      const [world = '', user = ''] = key.split('\u0000');
      const seen = server.worlds.some((w) => w.name === world && w.present.slice(1).includes(user));
      if (seen || left <= 1) state.heard.delete(key);
      else state.heard.set(key, left - 1);
    }
  }
}

function countOf(server: ServerSnapshot, world: string): { users: number; maxUsers: number } | undefined {
  const found = server.worlds.find((w) => w.name === world);
  return found ? { users: found.users, maxUsers: found.maxUsers } : undefined;
}
