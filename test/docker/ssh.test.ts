/**
 * The Docker adapter on an `ssh://` host: Debian's sshd on localhost (test/support/sshd.ts), key
 * logins, the host key checked against a known_hosts file, and `docker system dial-stdio` on the
 * far side reaching the suite's engine. Each request opens its own ssh connection (docker-modem).
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { attachStream } from '../../src/docker/attach.js';
import { connectDocker } from '../../src/docker/connection.js';
import { ManagedContainers } from '../../src/docker/containers.js';
import { DockerEventsWatcher, type ContainerEvent } from '../../src/docker/events.js';
import { readLogs } from '../../src/docker/logs.js';
import { StatsReader } from '../../src/docker/stats.js';
import { DockerUnreachableError } from '../../src/errors.js';
import {
  buildFakeHeadlessImage,
  docker as engine,
  removeStartedContainers,
  startFakeHeadless,
  type StartedContainer,
} from '../support/docker.js';
import { describeSsh, generateKey, type SshServer } from '../support/sshd.js';

const run = promisify(execFile);

const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (err: unknown) => err,
  );

/** Every login sshd accepted has been closed again: no request or stream left an ssh connection open. */
function sessionsLeftOpen(sshd: SshServer): number {
  const count = (pattern: RegExp) => sshd.output.match(pattern)?.length ?? 0;
  return count(/Accepted publickey for root/g) - count(/Disconnected from user root/g);
}

describeSsh('the Docker adapter on an ssh:// host', (sshd) => {
  let plain: StartedContainer;
  let tty: StartedContainer;
  let containers: ManagedContainers;

  beforeAll(async () => {
    await buildFakeHeadlessImage();
    [plain, tty] = await Promise.all([startFakeHeadless({ tty: false }), startFakeHeadless({ tty: true })]);
    containers = new ManagedContainers(sshd.docker, { kind: 'names', names: [plain.name, tty.name] });
  });
  afterAll(async () => {
    await removeStartedContainers();
  });

  it('connects to the engine behind the ssh host, with the key file and the known_hosts file', async () => {
    const { address } = await connectDocker({
      host: sshd.address,
      tlsVerify: false,
      identityFile: sshd.identityFile,
      knownHostsFile: sshd.knownHostsFile,
    });
    expect(address).toBe(sshd.address);
    expect((await sshd.docker.info()).ID).toBe((await engine.info()).ID);
  });

  it('lists and inspects the managed containers', async () => {
    const list = await containers.list();
    expect(list.map((c) => [c.name, c.state, c.tty])).toEqual(
      [
        [plain.name, 'running', false],
        [tty.name, 'running', true],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    await expect(containers.get(tty.name)).resolves.toMatchObject({ id: tty.id, state: 'running' });
  });

  for (const withTty of [false, true]) {
    it(`answers on an attached console ${withTty ? 'with' : 'without'} a TTY, and again after it was let go`, async () => {
      const c = withTty ? tty : plain;
      for (let round = 0; round < 2; round++) {
        const attached = await attachStream(sshd.docker.getContainer(c.id), withTty);
        let text = '';
        attached.output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        try {
          attached.write('worlds\n');
          await expect
            .poll(() => text)
            .toMatch(/\[0\] Lobby World[^\n]*\r?\n\[1\] Build Night[^\n]*\r?\nLobby World>$/);
        } finally {
          attached.close();
        }
      }
    });
  }

  it('reads the logs and one-shot stats', async () => {
    expect(await readLogs(sshd.docker.getContainer(plain.id), false, 50)).toContain('World running...');
    const info = await engine.getContainer(plain.id).inspect();
    // The reader also follows the stats stream for later reads: closed, so is its ssh connection.
    const reader = new StatsReader();
    try {
      const stats = await reader.read(sshd.docker.getContainer(plain.id), new Date(info.State.StartedAt));
      expect(stats.memoryBytes).toBeGreaterThan(0);
    } finally {
      reader.close();
    }
  });

  it('streams the events of a managed container it stops and starts', async () => {
    const own = await startFakeHeadless({ tty: false });
    const gate = new ManagedContainers(sshd.docker, { kind: 'names', names: [own.name] });
    const watcher = new DockerEventsWatcher(sshd.docker, { isManaged: (e) => gate.isManaged(e) });
    const actions: string[] = [];
    watcher.on('event', (e: ContainerEvent) => actions.push(e.action));
    const connected = new Promise((resolve) => watcher.once('connected', resolve));
    watcher.start();
    try {
      await connected;
      await expect(gate.stop(own.name, 5)).resolves.toBe('stopped');
      await expect(gate.stop(own.name, 5)).resolves.toBe('already stopped');
      await expect(gate.start(own.name)).resolves.toBe('started');
      await expect.poll(() => actions).toEqual(expect.arrayContaining(['kill', 'die', 'stop', 'start']));
      expect((await engine.getContainer(own.id).inspect()).State.Running).toBe(true);
    } finally {
      watcher.stop();
    }
  });

  it('accepts the host key hashed, as `ssh-keyscan -H` writes it', async () => {
    const { stdout } = await run('ssh-keyscan', ['-H', '-p', String(sshd.port), '127.0.0.1']);
    expect(stdout).toMatch(/^\|1\|/);
    const file = join(sshd.dir, 'known_hosts.hashed');
    writeFileSync(file, stdout);
    await expect(sshd.client({ knownHostsFile: file }).ping()).resolves.toBeTruthy();
  });

  it('logs in with the ssh agent at SSH_AUTH_SOCK when no key file is set', async () => {
    const socket = join(sshd.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      await expect.poll(() => existsSync(socket)).toBe(true);
      await run('ssh-add', ['-q', sshd.identityFile], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      vi.stubEnv('SSH_AUTH_SOCK', socket);
      await expect(sshd.client({ identityFile: undefined }).ping()).resolves.toBeTruthy();
    } finally {
      vi.unstubAllEnvs();
      const gone = once(agent, 'exit');
      process.kill(agent.pid!, 'SIGTERM');
      await gone;
    }
  });

  it('works with a key that may only run `docker system dial-stdio` (a forced command)', async () => {
    const file = join(sshd.dir, 'authorized_keys');
    const key = readFileSync(file, 'utf8');
    writeFileSync(file, `restrict,command="docker system dial-stdio" ${key}`);
    try {
      await expect(containers.get(plain.name)).resolves.toMatchObject({ state: 'running' });
      const attached = await attachStream(sshd.docker.getContainer(plain.id), false);
      let text = '';
      attached.output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      try {
        attached.write('worlds\n');
        await expect.poll(() => text).toContain('[1] Build Night');
      } finally {
        attached.close();
      }
    } finally {
      writeFileSync(file, key);
    }
  });

  it('closes every ssh connection once its request or stream is done', async () => {
    // sshd says so once the far side's `docker system dial-stdio` has exited too.
    await expect.poll(() => sessionsLeftOpen(sshd), { timeout: 10_000 }).toBe(0);
    expect(sshd.output).toMatch(/Accepted publickey for root/);
  });

  describe('refuses to connect', () => {
    const refusal = async (settings: Parameters<SshServer['client']>[0]) => {
      const client = sshd.client(settings);
      const err = await failure(new ManagedContainers(client, { kind: 'names', names: [plain.name] }).list());
      expect(err).toBeInstanceOf(DockerUnreachableError);
      return (err as Error).message;
    };
    const hostName = () => `[127.0.0.1]:${sshd.port}`;

    it('to a host whose key is not in the known_hosts file, saying which file and host', async () => {
      const file = join(sshd.dir, 'known_hosts.other');
      writeFileSync(
        file,
        `# another machine only\nother.example ${sshd.hostKnownHostsLine().split(' ').slice(1).join(' ')}`,
      );
      expect(await refusal({ knownHostsFile: file })).toBe(
        `Docker is unreachable (the ssh host key of ${hostName()} (ssh-ed25519) is not in ${file}; add it with \`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${file}\` after checking its fingerprint (ssh-keygen -lf on the host's key)).`,
      );
    });

    it('to a host whose key differs from the one in the known_hosts file', async () => {
      const other = join(sshd.dir, 'impostor');
      const [type, key] = (await generateKey(other)).split(' ');
      const file = join(sshd.dir, 'known_hosts.changed');
      writeFileSync(file, `${hostName()} ${type} ${key}\n`);
      const message = await refusal({ knownHostsFile: file });
      expect(message).toContain(
        `the ssh host key of ${hostName()} (ssh-ed25519) does not match the one in ${file}`,
      );
      expect(message).toContain(`ssh-keygen -R '${hostName()}' -f ${file}`);
    });

    it('without a known_hosts file, saying it is missing', async () => {
      const file = join(sshd.dir, 'no-such-known_hosts');
      expect(await refusal({ knownHostsFile: file })).toContain(
        `the ssh host key of ${hostName()} cannot be checked: the known_hosts file ${file} does not exist`,
      );
    });

    it('with a key the server does not accept', async () => {
      const stranger = join(sshd.dir, 'stranger');
      await generateKey(stranger);
      expect(await refusal({ identityFile: stranger })).toBe(
        `Docker is unreachable (root@${hostName()} did not accept the ssh key ${stranger} (is its public key in that user's ~/.ssh/authorized_keys?)).`,
      );
      expect(sshd.output).toMatch(/Failed publickey for root/);
    });

    it('with a key file that is missing or needs a passphrase', async () => {
      const missing = join(sshd.dir, 'no-such-key');
      expect(await refusal({ identityFile: missing })).toBe(
        `Docker is unreachable (the ssh key file ${missing} does not exist).`,
      );
      const locked = join(sshd.dir, 'locked');
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', locked]);
      expect(await refusal({ identityFile: locked })).toContain(
        `the ssh key file ${locked} is protected by a passphrase, which the bot cannot type`,
      );
    });

    it('without a key file and without an ssh agent', async () => {
      vi.stubEnv('SSH_AUTH_SOCK', '');
      try {
        expect(await refusal({ identityFile: undefined })).toBe(
          `Docker is unreachable (no ssh key to log in to ${hostName()} with: set identityFile for this host, or run the bot with an ssh agent (SSH_AUTH_SOCK)).`,
        );
      } finally {
        vi.unstubAllEnvs();
      }
    });

    it('in words connectDocker lists as the place tried', async () => {
      const file = join(sshd.dir, 'known_hosts.empty');
      writeFileSync(file, '');
      const err = await failure(
        connectDocker({
          host: sshd.address,
          tlsVerify: false,
          identityFile: sshd.identityFile,
          knownHostsFile: file,
        }),
      );
      expect(err).toBeInstanceOf(DockerUnreachableError);
      expect((err as Error).message.split('\n')[1]).toBe(
        `  - ${sshd.address}: the ssh host key of ${hostName()} (ssh-ed25519) is not in ${file}; add it with \`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${file}\` after checking its fingerprint (ssh-keygen -lf on the host's key)`,
      );
    });
  });
});

describeSsh(
  'an ssh:// host whose own Docker engine does not answer',
  (sshd) => {
    it('is unreachable, in the words of `docker system dial-stdio` there', async () => {
      const err = await failure(
        new ManagedContainers(sshd.docker, { kind: 'names', names: ['lobby'] }).list(),
      );
      expect(err).toBeInstanceOf(DockerUnreachableError);
      // The docker CLI's words vary by version; they name the socket it could not reach.
      expect((err as Error).message).toMatch(
        new RegExp(
          `^Docker is unreachable \\(docker system dial-stdio on root@\\[127\\.0\\.0\\.1\\]:${sshd.port} failed: .*/nonexistent/docker\\.sock`,
        ),
      );
      await expect.poll(() => sessionsLeftOpen(sshd), { timeout: 10_000 }).toBe(0);
    });
  },
  { remoteDockerHost: 'unix:///nonexistent/docker.sock' },
);
