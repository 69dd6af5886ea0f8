/**
 * The servers layer against a real engine and the fake headless, with and without a TTY:
 * console commands, parsing, quoting, queueing, timeouts, crashes and graceful stops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoWorldRunningError, WorldDestroyedError } from '../../src/console/console-errors.js';
import { ManagedContainers } from '../../src/docker/containers.js';
import {
  ConsoleClosedError,
  ConsoleTimeoutError,
  HeadlessFailureError,
  InvalidInputError,
  UnknownServerError,
  UserError,
} from '../../src/errors.js';
import { ServerSet } from '../../src/servers/server-set.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  docker,
  execIn,
  readReceived,
  readSaves,
  removeStartedContainers,
  setHang,
  startFakeHeadless,
} from '../support/docker.js';

function serverSet(names: string[], consoleTimeoutSeconds = 5) {
  return new ServerSet(new ManagedContainers(docker, { kind: 'names', names }), {
    consoleTimeoutSeconds,
    servers: {},
  });
}

/** What the container received after the commands the test made before `mark`. */
async function receivedSince(id: string, mark: number): Promise<string[]> {
  return (await readReceived(id)).slice(mark);
}

describeDocker('HeadlessServer on a real engine', () => {
  beforeAll(async () => {
    await buildFakeHeadlessImage();
  });
  afterAll(async () => {
    await removeStartedContainers();
  });

  for (const tty of [false, true]) {
    describe(tty ? 'with a TTY' : 'without a TTY', () => {
      let id: string;
      let name: string;
      let servers: ServerSet;

      beforeAll(async () => {
        ({ id, name } = await startFakeHeadless({ tty }));
        servers = serverSet([name]);
      });
      afterAll(() => servers.close());

      it('reads the status of every world, each parsed', async () => {
        const status = await (await servers.get(name)).status();
        expect(status.map((w) => w.name)).toEqual(['Lobby World', 'Build Night']);
        expect(status[0]).toMatchObject({
          maxUsers: 16,
          accessLevel: 'Anyone',
          users: ['Lobby Bot', 'alice', 'bob smith'],
        });
        expect(status[0]?.sessionId).toMatch(/^S-/);
      });

      it('reads users despite a log line among them', async () => {
        const [lobby] = await (await servers.get(name)).users('Lobby World');
        expect(lobby?.users.map((u) => [u.name, u.role, u.silenced])).toEqual([
          ['Lobby Bot', 'Admin', false],
          ['alice', 'Builder', false],
          ['bob smith', 'Guest', true],
        ]);
      });

      it('finds the world a user is in and kicks them there, past a stack trace', async () => {
        const server = await servers.get(name);
        const mark = (await readReceived(id)).length;
        const outcome = await server.userAction('respawn', 'carol');
        expect(outcome).toMatchObject({
          world: 'Build Night',
          line: 'respawn carol',
          reply: 'carol respawned!',
        });
        expect(await receivedSince(id, mark)).toContain('focus 1');
      });

      it('quotes a user name with a space', async () => {
        const outcome = await (await servers.get(name)).userAction('silence', 'bob smith');
        expect(outcome.line).toBe('silence "bob smith"');
        expect(outcome.reply).toBe('bob smith silenced!');
      });

      it('says a user is not present without sending the action', async () => {
        const mark = (await readReceived(id)).length;
        await expect((await servers.get(name)).userAction('kick', 'mallory')).rejects.toThrow(
          /mallory is not in any world/,
        );
        expect((await receivedSince(id, mark)).filter((l) => l.startsWith('kick'))).toEqual([]);
      });

      it('refuses bad input before anything reaches the container', async () => {
        const server = await servers.get(name);
        const mark = (await readReceived(id)).length;
        const bad = ['bob\nshutdown', 'bob\rsmith', 'a\u0007b', 'say "hi', 'x'.repeat(5000), ''];
        for (const user of bad) {
          await expect(server.userAction('kick', user)).rejects.toBeInstanceOf(InvalidInputError);
        }
        await expect(server.raw('crash', 'a test')).rejects.toBeInstanceOf(InvalidInputError);
        await expect(server.raw('LOG', 'a test')).rejects.toBeInstanceOf(InvalidInputError);
        await expect(server.raw('users\nshutdown', 'a test')).rejects.toBeInstanceOf(InvalidInputError);
        expect(await receivedSince(id, mark)).toEqual([]);
      });

      it('follows the prompt through a rename', async () => {
        const server = await servers.get(name);
        await server.setWorld('name', 'Renamed Lobby', 'Lobby World');
        expect((await server.worlds()).map((w) => w.name)).toContain('Renamed Lobby');
        await server.setWorld('name', 'Lobby World', 'Renamed Lobby');
        expect((await server.status('0'))[0]?.name).toBe('Lobby World');
      });

      it('shows the headless words when it refuses', async () => {
        await expect((await servers.get(name)).raw('nosuchcommand', 'a test')).resolves.toMatchObject({
          reply: expect.stringContaining('Unknown command'),
        });
        await expect((await servers.get(name)).unban('nobody-banned')).rejects.toBeInstanceOf(
          HeadlessFailureError,
        );
      });

      it('sets the access level and hides the world, understanding the 2026 replies', async () => {
        const server = await servers.get(name);
        await expect(server.setWorld('accesslevel', 'LAN', 'Build Night')).resolves.toMatchObject({
          world: 'Build Night',
          reply: 'World Build Night now has access level LAN',
        });
        await expect(server.setWorld('hidefromlisting', 'true', 'Build Night')).resolves.toMatchObject({
          reply: 'World Build Night will now be hidden from listing',
        });
        expect((await server.status('Build Night'))[0]).toMatchObject({
          accessLevel: 'LAN',
          hiddenFromListing: true,
        });
      });

      it('answers 50 commands in flight in order', async () => {
        const server = await servers.get(name);
        const replies = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            i % 2 === 0 ? server.raw('sessionid', 'a test') : server.raw('worlds', 'a test'),
          ),
        );
        replies.forEach((r, i) => {
          if (i % 2 === 0) expect(r.reply).toMatch(/^S-[\w-]+\n$/);
          else expect(r.reply).toContain('[1] Build Night');
        });
      });
    });
  }

  for (const tty of [false, true]) {
    describe(`right after start-up, when the first command is answered "Unknown command" (${tty ? 'TTY' : 'no TTY'})`, () => {
      /** A fresh fake whose first command gets the start-up quirk, and its server. */
      async function starting() {
        const started = await startFakeHeadless({ tty, env: { FAKE_FIRST_UNKNOWN: '1' } });
        const set = serverSet([started.name]);
        return { ...started, set, server: await set.get(started.name) };
      }

      it('lists the worlds, not an empty table', async () => {
        const { id, set, server } = await starting();
        try {
          expect((await server.worlds()).map((w) => w.name)).toEqual(['Lobby World', 'Build Night']);
          expect((await readReceived(id)).filter((l) => l !== '')).toEqual(['worlds', 'worlds']);
        } finally {
          set.close();
        }
      });

      it('reads the status of every world, not "no world running"', async () => {
        const { set, server } = await starting();
        try {
          expect((await server.status()).map((w) => w.name)).toEqual(['Lobby World', 'Build Night']);
        } finally {
          set.close();
        }
      });

      it('reads the users of a world', async () => {
        const { set, server } = await starting();
        try {
          const [lobby] = await server.users('Lobby World');
          expect(lobby?.users.map((u) => u.name)).toEqual(['Lobby Bot', 'alice', 'bob smith']);
        } finally {
          set.close();
        }
      });

      it('kicks, and reports success', async () => {
        const { id, set, server } = await starting();
        try {
          await expect(server.userAction('kick', 'alice')).resolves.toMatchObject({ reply: 'alice kicked!' });
          expect((await readReceived(id)).filter((l) => l.startsWith('kick'))).toEqual(['kick alice']);
        } finally {
          set.close();
        }
      });
    });
  }

  it.each([false, true])('carries non-ASCII world and user names byte-exact (TTY: %s)', async (tty) => {
    const world = '3Dマウスパッドショップ 3D Mousepad Shop';
    const guest = 'ゆき 🐱';
    const { name } = await startFakeHeadless({
      tty,
      env: { FAKE_WORLDS: `${world}|Build Night`, FAKE_GUEST: guest },
    });
    const servers = serverSet([name]);
    try {
      const server = await servers.get(name);
      expect((await server.worlds()).map((w) => w.name)).toEqual([world, 'Build Night']);
      expect((await server.status(world))[0]).toMatchObject({
        name: world,
        users: ['Lobby Bot', 'alice', 'bob smith', guest],
      });
      await expect(server.userAction('kick', guest)).resolves.toMatchObject({
        world,
        line: `kick "${guest}"`,
        reply: `${guest} kicked!`,
      });
      await server.setWorld('name', '<b>Lobby</b> <color=#f00>ショップ</color>', world);
      expect((await server.status('0'))[0]?.name).toBe('<b>Lobby</b> <color=#f00>ショップ</color>');
      await expect(
        server.setWorld('accesslevel', 'Contacts', '<b>Lobby</b> <color=#f00>ショップ</color>'),
      ).resolves.toMatchObject({
        reply: 'World <b>Lobby</b> <color=#f00>ショップ</color> now has access level Contacts',
      });
    } finally {
      servers.close();
    }
  });

  it('says the world went away when the headless answers "destroyed in the meanwhile"', async () => {
    const { id, name } = await startFakeHeadless({ tty: false });
    const servers = serverSet([name]);
    try {
      const server = await servers.get(name);
      await server.worlds();
      await execIn(id, ['/bin/touch', '/state/destroyed']);
      const failure = server.userAction('kick', 'alice');
      await expect(failure).rejects.toBeInstanceOf(WorldDestroyedError);
      await expect(failure).rejects.toThrow('was restarted or closed while the command ran; try again.');
      await expect(server.userAction('kick', 'alice')).resolves.toMatchObject({ reply: 'alice kicked!' });
    } finally {
      servers.close();
    }
  });

  it('says there is no world running once the last world is closed (NO WORLD> prompt)', async () => {
    const { name } = await startFakeHeadless({ tty: true, env: { FAKE_WORLDS: 'Only World' } });
    const servers = serverSet([name]);
    try {
      const server = await servers.get(name);
      await expect(server.worldLifecycle('close')).resolves.toMatchObject({ world: 'Only World' });
      await expect(server.worlds()).resolves.toEqual([]);
      await expect(server.status()).rejects.toThrow('has no world running.');
      await expect(server.setWorld('maxusers', '4')).rejects.toBeInstanceOf(NoWorldRunningError);
      await expect(server.raw('status', 'a test')).rejects.toBeInstanceOf(NoWorldRunningError);
    } finally {
      servers.close();
    }
  });

  it('drives two containers at once without cross-talk', async () => {
    const a = await startFakeHeadless({ tty: false, env: { FAKE_WORLDS: 'Alpha World' } });
    const b = await startFakeHeadless({ tty: true, env: { FAKE_WORLDS: 'Beta World' } });
    const servers = serverSet([a.name, b.name]);
    try {
      const [sa, sb] = [await servers.get(a.name), await servers.get(b.name)];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? sa.status() : sb.status())),
      );
      results.forEach((r, i) => expect(r[0]?.name).toBe(i % 2 === 0 ? 'Alpha World' : 'Beta World'));
    } finally {
      servers.close();
    }
  });

  it('leaves the headless running when the bot detaches, and attaches again later', async () => {
    for (const tty of [false, true]) {
      const { id, name } = await startFakeHeadless({ tty });
      const first = serverSet([name]);
      await (await first.get(name)).worlds();
      first.close();
      const second = serverSet([name]);
      try {
        expect((await docker.getContainer(id).inspect()).State.Running).toBe(true);
        expect((await (await second.get(name)).worlds()).length).toBe(2);
      } finally {
        second.close();
      }
    }
  });

  it('refuses a container it does not manage, and touches nothing', async () => {
    const managed = await startFakeHeadless({ tty: false });
    const other = await startFakeHeadless({ tty: false });
    const servers = serverSet([managed.name]);
    try {
      await expect(servers.get(other.name)).rejects.toBeInstanceOf(UnknownServerError);
      await expect(servers.get('../../info')).rejects.toBeInstanceOf(UnknownServerError);
      await expect(servers.containers.stop(other.name, 1)).rejects.toBeInstanceOf(UnknownServerError);
      expect((await docker.getContainer(other.id).inspect()).State.Running).toBe(true);
      expect(await readReceived(other.id)).toEqual([]);
    } finally {
      servers.close();
    }
  });

  it('fails a command on a hung console, moves the queue on, and recovers', async () => {
    const { id, name } = await startFakeHeadless({ tty: false });
    const servers = serverSet([name], 1);
    try {
      const server = await servers.get(name);
      await server.worlds();
      await setHang(id, true);
      const hung = expect(server.raw('status', 'a test')).rejects.toBeInstanceOf(ConsoleTimeoutError);
      const queued = expect(server.raw('worlds', 'a test')).rejects.toBeInstanceOf(ConsoleTimeoutError);
      await Promise.all([hung, queued]);
      await setHang(id, false);
      expect((await server.worlds()).length).toBe(2);
    } finally {
      servers.close();
    }
  });

  it('fails clearly when the container dies mid-command, then works after it restarts', async () => {
    const { id, name } = await startFakeHeadless({ tty: true });
    const servers = serverSet([name]);
    try {
      const server = await servers.get(name);
      await server.worlds();
      await setHang(id, true);
      const pending = expect(server.raw('status', 'a test')).rejects.toBeInstanceOf(ConsoleClosedError);
      await docker.getContainer(id).kill();
      await pending;
      await expect(server.raw('status', 'a test')).rejects.toThrow(/is stopped/);
      await setHangOffline(id);
      await docker.getContainer(id).start();
      await expect
        .poll(async () => (await server.worlds().catch(() => [])).length, { timeout: 10_000 })
        .toBe(2);
    } finally {
      servers.close();
    }
  });

  it('saves every world through the console before a graceful stop', async () => {
    const { id, name } = await startFakeHeadless({ tty: false });
    const servers = serverSet([name]);
    try {
      const steps: string[] = [];
      const result = await (
        await servers.get(name)
      ).container.stop({
        actor: 'a test',
        onStep: (s) => steps.push(s.step),
      });
      expect(result).toEqual({ outcome: 'stopped', saved: ['Lobby World', 'Build Night'] });
      expect(steps).toEqual(['saving', 'stopping', 'stopped']);
      expect(await readSaves(id)).toEqual(['saved Lobby World', 'saved Build Night', 'stopped by signal']);
      const state = (await docker.getContainer(id).inspect()).State;
      expect([state.Running, state.ExitCode]).toEqual([false, 0]);
      expect(servers.intentional.covers(name)).toBe(true);
      await expect((await servers.get(name)).container.stop({ actor: 'a test' })).resolves.toMatchObject({
        outcome: 'already stopped',
      });
    } finally {
      servers.close();
    }
  });

  it('stops without saving when forced, and restarts to a working console', async () => {
    const { id, name } = await startFakeHeadless({ tty: true });
    const servers = serverSet([name]);
    try {
      const server = await servers.get(name);
      const result = await server.container.restart({ actor: 'a test', force: true });
      expect(result.saved).toEqual([]);
      expect(result.saveSkipped).toMatch(/forced/);
      expect(await readSaves(id)).toEqual(['stopped by signal']);
      await expect
        .poll(async () => (await server.worlds().catch(() => [])).length, { timeout: 10_000 })
        .toBe(2);
    } finally {
      servers.close();
    }
  });

  it('stops anyway, saying worlds were not saved, when the console hangs', async () => {
    const { id, name } = await startFakeHeadless({ tty: false });
    const servers = serverSet([name], 1);
    try {
      const server = await servers.get(name);
      await setHang(id, true);
      const result = await server.container.stop({ actor: 'a test' });
      expect(result.outcome).toBe('stopped');
      expect(result.saveSkipped).toMatch(/not saved/);
    } finally {
      servers.close();
    }
  });

  it('asks which server when several are managed and none is named', async () => {
    const a = await startFakeHeadless({ tty: false });
    const b = await startFakeHeadless({ tty: false });
    const servers = serverSet([a.name, b.name]);
    await expect(servers.get()).rejects.toThrow(UserError);
    await expect(servers.get()).rejects.toThrow(/2 servers are managed/);
    servers.close();
  });
});

/** The hang flag lives in the container's filesystem; clear it while stopped via a one-off start. */
async function setHangOffline(id: string): Promise<void> {
  await docker.getContainer(id).start();
  await setHang(id, false);
  await docker.getContainer(id).stop({ t: 5 });
}
