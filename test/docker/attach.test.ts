/**
 * Attaching to a console whose container is not running, against a real engine: straight through
 * the Docker adapter, and through the servers layer the bot uses.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachStream } from '../../src/docker/attach.js';
import type { ManagedContainer } from '../../src/docker/container-info.js';
import { ManagedContainers } from '../../src/docker/containers.js';
import { ConsoleClosedError, ServerPausedError, ServerStoppedError } from '../../src/errors.js';
import { ServerSet } from '../../src/servers/server-set.js';
import { execIn, type StartedContainer } from '../support/docker.js';
import { describeEngines } from '../support/engines.js';

/** Lets a test change the container right after the bot checked that it runs, before it attaches. */
class ChangesAfterCheck extends ManagedContainers {
  afterCheck: ((container: ManagedContainer) => Promise<void>) | undefined;

  override async getRunning(server: string): Promise<ManagedContainer> {
    const container = await super.getRunning(server);
    const change = this.afterCheck;
    this.afterCheck = undefined;
    await change?.(container);
    return container;
  }
}

const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (err: unknown) => err,
  );
const PAUSED = (name: string) => `Server "${name}" is paused: unpause it first.`;
const STOPPED = (name: string) => `Server "${name}" is stopped.`;

// The code under test gets `client` (the engine's, the socket proxy's, Podman's); pausing goes to the engine.
describeEngines('attaching to a container that is not running', (engine) => {
  const { client, docker, buildFakeHeadlessImage, startFakeHeadless, removeStartedContainers } = engine;
  beforeAll(async () => {
    await buildFakeHeadlessImage();
  });
  afterAll(async () => {
    await removeStartedContainers();
  });

  for (const tty of [false, true]) {
    describe(tty ? 'with a TTY' : 'without a TTY', () => {
      let c: StartedContainer;
      beforeAll(async () => {
        c = await startFakeHeadless({ tty });
      });
      const handle = () => docker.getContainer(c.id);

      it('says a paused container is paused', async () => {
        await handle().pause();
        try {
          const err = await failure(attachStream(client.getContainer(c.id), tty));
          expect(err).toBeInstanceOf(ServerPausedError);
          expect(err).toHaveProperty('message', PAUSED(c.name));
        } finally {
          await handle().unpause();
        }
      });

      it('says a stopped container is stopped', async () => {
        await handle().stop({ t: 5 });
        try {
          const err = await failure(attachStream(client.getContainer(c.id), tty));
          expect(err).toBeInstanceOf(ServerStoppedError);
          expect(err).toHaveProperty('message', STOPPED(c.name));
        } finally {
          await handle().start();
        }
      });
    });
  }
});

describeEngines('a console attached, let go and attached again', (engine) => {
  const { kind, client, docker, buildFakeHeadlessImage, startFakeHeadless, removeStartedContainers } = engine;
  beforeAll(async () => {
    await buildFakeHeadlessImage();
  });
  afterAll(async () => {
    await removeStartedContainers();
  });

  /** Sends `worlds` over a fresh attach and resolves with the output once the prompt follows the list. */
  async function worlds(id: string, tty: boolean): Promise<string> {
    const attached = await attachStream(client.getContainer(id), tty);
    let text = '';
    attached.output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    try {
      attached.write('worlds\n');
      await expect.poll(() => text).toMatch(/\[1\] Build Night[^\n]*\r?\nLobby World>$/);
      return text;
    } finally {
      attached.close();
    }
  }

  for (const tty of [false, true]) {
    // Podman's conmon closes a non-TTY container's stdin when an attach ends (README, "Podman").
    const keepsStdin = kind === 'docker' || tty;
    it(`${tty ? 'with' : 'without'} a TTY, answers ${keepsStdin ? 'again' : 'the first attach only'}`, async () => {
      const c = await startFakeHeadless({ tty });
      expect(await worlds(c.id, tty)).toContain('[0] Lobby World');
      if (keepsStdin) {
        expect(await worlds(c.id, tty)).toContain('[0] Lobby World');
      } else {
        // At the end of its input the fake idles in `sleep 3600`, hearing nothing more.
        await expect
          .poll(async () => (await execIn(c.id, ['/bin/ps'], docker)).stdout)
          .toContain('sleep 3600');
      }
    });
  }
});

describeEngines(
  'console commands to a server that is not running, through the servers layer',
  ({ kind, client, docker, buildFakeHeadlessImage, startFakeHeadless, removeStartedContainers }) => {
    let c: StartedContainer;
    let containers: ChangesAfterCheck;
    let servers: ServerSet | undefined;

    beforeAll(async () => {
      await buildFakeHeadlessImage();
      // Each test attaches anew, which a non-TTY console survives on Docker only (see above).
      c = await startFakeHeadless({ tty: kind === 'podman' });
      containers = new ChangesAfterCheck(client, { kind: 'names', names: [c.name] });
    });
    // A fresh set each time: its console is not attached yet, so the command attaches.
    beforeEach(() => {
      servers?.close();
      servers = new ServerSet(containers, { consoleTimeoutSeconds: 5, servers: {} });
    });
    afterAll(async () => {
      servers?.close();
      await removeStartedContainers();
    });
    const handle = () => docker.getContainer(c.id);
    const worlds = async () => (await servers!.get(c.name)).worlds();
    const worldNames = async () => (await worlds()).map((w) => w.name);

    it('says the server is paused, then answers once it is unpaused', async () => {
      await handle().pause();
      try {
        const err = await failure(worlds());
        expect(err).toBeInstanceOf(ServerPausedError);
        expect(err).toHaveProperty('message', PAUSED(c.name));
      } finally {
        await handle().unpause();
      }
      expect(await worldNames()).toEqual(['Lobby World', 'Build Night']);
    });

    it('says the server is paused when it was paused after the bot found it running', async () => {
      containers.afterCheck = (found) => docker.getContainer(found.id).pause();
      try {
        const err = await failure(worlds());
        expect(err).toBeInstanceOf(ServerPausedError);
        expect(err).toHaveProperty('message', PAUSED(c.name));
      } finally {
        await handle().unpause();
      }
      expect(await worldNames()).toEqual(['Lobby World', 'Build Night']);
    });

    it('says the server is stopped when it stopped after the bot found it running', async () => {
      containers.afterCheck = (found) => docker.getContainer(found.id).stop({ t: 5 });
      const err = await failure(worlds());
      expect(err).toBeInstanceOf(ServerStoppedError);
      expect(err).toHaveProperty('message', STOPPED(c.name));
      await handle().start();
    });
  },
);

describe('a console stream that fails while its container is inspected', () => {
  it('fails the attach as closed, without an unhandled stream error', async () => {
    const stream = new PassThrough();
    const running = {
      Id: 'c0ffee',
      Name: '/lobby',
      RestartCount: 0,
      State: {
        Status: 'running',
        Running: true,
        Paused: false,
        StartedAt: '',
        FinishedAt: '',
        ExitCode: 0,
        OOMKilled: false,
      },
      Config: { Tty: true, Image: 'headless', Labels: {} },
    };
    const container = {
      id: 'c0ffee',
      modem: { dial: (_: unknown, done: (err: null, socket: PassThrough) => void) => done(null, stream) },
      inspect: async () => {
        const closed = new Promise((resolve) => stream.once('close', resolve));
        stream.destroy(new Error('connection reset'));
        await closed;
        return running;
      },
    } as unknown as Docker.Container;
    const err = await failure(attachStream(container, true));
    expect(err).toBeInstanceOf(ConsoleClosedError);
    expect(err).toHaveProperty('server', 'lobby');
  });
});
