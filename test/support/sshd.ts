/**
 * Debian's OpenSSH server of the test's own on 127.0.0.1, so `ssh://` Docker hosts are tested over
 * a real ssh connection: its own config, host key, authorized_keys (one generated ed25519 client
 * key), pid file and port, key logins only. `docker system dial-stdio`, which each request runs on
 * the far side, reaches the suite's engine. Stopped by its pid.
 *
 *   describeSsh('my suite', (sshd) => {
 *     it('...', async () => { await sshd.docker.ping(); });   // started in beforeAll, stopped in afterAll
 *   });
 *
 * Without sshd the suite is skipped with one line, unless REQUIRE_SSH=1 (set by .ci/run, which
 * installs openssh-server), in which case it fails.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe } from 'vitest';
import type { DockerConfig } from '../../src/config.js';
import { endpointFor } from '../../src/docker/connection.js';
import { terminate } from './child-process.js';
import { describeDocker } from './docker.js';

const run = promisify(execFile);

export const SSHD = '/usr/sbin/sshd';
export const sshdInstalled = existsSync(SSHD);

const START_MS = 10_000;
const KEPT_OUTPUT = 64 * 1024;

export interface SshServerOptions {
  /** DOCKER_HOST for the commands run over ssh; default the suite's engine. */
  remoteDockerHost?: string;
}

export class SshServer {
  /** Made by start(): a skipped suite leaves nothing behind. */
  readonly dir = join(tmpdir(), `rhb-sshd-${process.pid}-${randomBytes(4).toString('hex')}`);
  /**
   * Below Linux's ephemeral range, so no outgoing connection holds it; chosen now, because the
   * client below must exist before the server starts (suites take it when they are collected).
   */
  readonly port = 20_000 + randomInt(12_000);
  readonly user = 'root';
  readonly address = `ssh://${this.user}@127.0.0.1:${this.port}`;
  /** The client's private key, whose public half is in the server's authorized_keys. */
  readonly identityFile = join(this.dir, 'client_key');
  /** The server's host key, as `[127.0.0.1]:port` (see hostKnownHostsLine). */
  readonly knownHostsFile = join(this.dir, 'known_hosts');
  readonly hostKeyFile = join(this.dir, 'host_key');
  /** A client over ssh to this server, set up by the code under test (endpointFor). */
  readonly docker: Docker;
  private readonly config = join(this.dir, 'sshd_config');
  private readonly pidFile = join(this.dir, 'sshd.pid');
  private child: ChildProcess | undefined;
  private kept = '';

  constructor(private readonly options: SshServerOptions = {}) {
    this.docker = this.client();
  }

  /** A client to this server with other settings (a known_hosts without its key, another key). */
  client(settings: Partial<Pick<DockerConfig, 'identityFile' | 'knownHostsFile'>> = {}): Docker {
    const config = {
      tlsVerify: false,
      identityFile: this.identityFile,
      knownHostsFile: this.knownHostsFile,
      ...settings,
    };
    return new Docker(endpointFor(this.address, config).options);
  }

  /** What sshd logged (-e): its start-up, and each login accepted or refused. */
  get output(): string {
    return this.kept;
  }

  /** The known_hosts line of this server's key, as ssh-keyscan writes it. */
  hostKnownHostsLine(): string {
    const [type, key] = readFileSync(`${this.hostKeyFile}.pub`, 'utf8').trim().split(/\s+/);
    return `[127.0.0.1]:${this.port} ${type} ${key}\n`;
  }

  async start(): Promise<void> {
    if (this.child) return;
    mkdirSync(this.dir, { recursive: true });
    await generateKey(this.hostKeyFile);
    writeFileSync(join(this.dir, 'authorized_keys'), await generateKey(this.identityFile));
    writeFileSync(this.knownHostsFile, this.hostKnownHostsLine());
    const remoteDockerHost =
      this.options.remoteDockerHost ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    writeFileSync(
      this.config,
      [
        `ListenAddress 127.0.0.1:${this.port}`,
        `HostKey ${this.hostKeyFile}`,
        `PidFile ${this.pidFile}`,
        `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        // The temp folder is world-writable; sshd's ownership checks are not what is tested.
        'StrictModes no',
        `SetEnv DOCKER_HOST=${remoteDockerHost}`,
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    // Debian's sshd refuses to start without its privilege separation folder, which only its
    // service unit creates.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const child = spawn(SSHD, ['-D', '-e', '-f', this.config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    const listening = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`sshd did not listen within ${START_MS} ms:\n${this.kept}`)),
        START_MS,
      );
      child.stderr?.on('data', (chunk: Buffer) => {
        this.kept = (this.kept + chunk.toString('utf8')).slice(-KEPT_OUTPUT);
        if (this.kept.includes(`Server listening on 127.0.0.1 port ${this.port}.`)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sshd exited (${String(code)}) on start:\n${this.kept}`));
      });
    });
    try {
      await listening;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Stops the server it started (by pid) and removes its folder. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await terminate(child);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A new ed25519 key pair without a passphrase at `path` (and `path`.pub); resolves with the public line. */
export async function generateKey(path: string): Promise<string> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rhb-test', '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8');
}

/**
 * A suite against a started SshServer (and the suite's Docker engine behind it). Skipped with one
 * line without sshd, failed instead when REQUIRE_SSH=1.
 */
export function describeSsh(
  name: string,
  fn: (sshd: SshServer) => void,
  options: SshServerOptions = {},
): void {
  const sshd = new SshServer(options);
  if (!sshdInstalled) {
    if (process.env.REQUIRE_SSH !== '1') {
      console.log(`[sshd] skipping "${name}": ${SSHD} is not installed; set REQUIRE_SSH=1 to fail instead`);
      describe.skip(name, () => fn(sshd));
      return;
    }
    describe(name, () => {
      beforeAll(() => {
        throw new Error(
          `REQUIRE_SSH=1 but ${SSHD} is not installed: install openssh-server or unset REQUIRE_SSH`,
        );
      });
      fn(sshd);
    });
    return;
  }
  describeDocker(name, () => {
    // Registered before the suite's own hooks: the server is up before them and gone after them.
    beforeAll(() => sshd.start());
    afterAll(() => sshd.stop());
    fn(sshd);
  });
}
