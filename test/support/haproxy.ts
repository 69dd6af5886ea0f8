/**
 * Debian's haproxy running the repository's own socket proxy rules (deploy/socket-proxy/haproxy.cfg,
 * the very file compose mounts) on a temp unix socket in front of the real engine. Stopped by its pid.
 *
 *   const proxy = new SocketProxy();   // proxy.socketPath and proxy.docker are there at once
 *   beforeAll(() => proxy.start());
 *   afterAll(() => proxy.stop());
 *
 * `describeDockerAndProxy` runs a Docker suite twice: with a client straight on the engine, and
 * with one through the proxy. Without haproxy the proxied run is skipped with one line, unless
 * REQUIRE_DOCKER=1 (CI installs haproxy), in which case it fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe } from 'vitest';
import { PROJECT_ROOT } from './build.js';
import { terminate } from './child-process.js';
import { describeDocker, docker } from './docker.js';

export const PROXY_RULES = join(PROJECT_ROOT, 'deploy', 'socket-proxy', 'haproxy.cfg');

const START_MS = 10_000;
/** Enough of the request log to say why a start failed or what the proxy saw. */
const KEPT_OUTPUT = 64 * 1024;

/** Debian installs it in /usr/sbin, which a non-root PATH often lacks. */
function findHaproxy(): string | undefined {
  for (const candidate of ['haproxy', '/usr/sbin/haproxy', '/usr/local/sbin/haproxy']) {
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

export const haproxyBinary = findHaproxy();

export interface SocketProxyOptions {
  /** The proxy's IDLE_TIMEOUT (a silent request or answer, such as the events stream), e.g. "3s"; default the file's. */
  idleTimeout?: string;
  /** The proxy's TUNNEL_TIMEOUT (a quiet console attach); default the file's. */
  tunnelTimeout?: string;
  /** The engine's socket; default the one the suite's client uses. */
  target?: string;
}

export class SocketProxy {
  readonly socketPath = join(mkdtempSync(join(tmpdir(), 'rhb-haproxy-')), 'proxy.sock');
  /** A client that reaches the engine only through the proxy. */
  readonly docker = new Docker({ socketPath: this.socketPath });
  private child: ChildProcess | undefined;
  private kept = '';

  constructor(private readonly options: SocketProxyOptions = {}) {}

  /** What haproxy printed: its warnings, and one line per request (method, path, status). */
  get output(): string {
    return this.kept;
  }

  async start(): Promise<void> {
    if (this.child) return;
    if (!haproxyBinary) throw new Error('haproxy is not installed (apt-get install haproxy)');
    const target = this.options.target ?? engineSocket();
    const child = spawn(haproxyBinary, ['-db', '-f', PROXY_RULES], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        PROXY_BIND: `unix@${this.socketPath}`,
        DOCKER_SOCKET: target,
        ...(this.options.idleTimeout ? { IDLE_TIMEOUT: this.options.idleTimeout } : {}),
        ...(this.options.tunnelTimeout ? { TUNNEL_TIMEOUT: this.options.tunnelTimeout } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.kept = (this.kept + chunk.toString('utf8')).slice(-KEPT_OUTPUT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`haproxy exited (${String(code)}) on start:\n${this.kept}`);
    });
    exited.catch(() => undefined);
    try {
      await Promise.race([this.answers(), exited]);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Stops the proxy it started (by pid); every connection through it is cut. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await terminate(child);
  }

  /** Resolves once a ping through the proxy comes back (the socket appears a moment after the spawn). */
  private async answers(): Promise<void> {
    const deadline = Date.now() + START_MS;
    for (;;) {
      if (existsSync(this.socketPath)) {
        try {
          await this.docker.ping();
          return;
        } catch (err) {
          if (Date.now() > deadline) throw err;
        }
      }
      if (Date.now() > deadline) throw new Error(`haproxy did not open ${this.socketPath}:\n${this.kept}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function engineSocket(): string {
  const socketPath = (docker.modem as { socketPath?: unknown }).socketPath;
  return typeof socketPath === 'string' && socketPath !== '' ? socketPath : '/var/run/docker.sock';
}

/** `describeDocker` that also needs haproxy; skipped with one line without it, failed with REQUIRE_DOCKER=1. */
export function describeProxy(name: string, fn: () => void): void {
  if (haproxyBinary || process.env.REQUIRE_DOCKER === '1') {
    describeDocker(name, fn);
    return;
  }
  console.log(`[haproxy] skipping "${name}": haproxy is not installed; set REQUIRE_DOCKER=1 to fail instead`);
  describe.skip(name, fn);
}

/**
 * Runs a Docker suite once with the engine's own client and once with a client through the socket
 * proxy. Only the code under test gets `client`; a test's own set-up (create, pause, exec) uses the
 * engine directly, since the proxy refuses those calls.
 */
export function describeDockerAndProxy(name: string, suite: (client: Docker) => void): void {
  describeDocker(name, () => suite(docker));
  describeProxy(`${name}, through the socket proxy`, () => {
    const proxy = new SocketProxy();
    beforeAll(() => proxy.start());
    afterAll(() => proxy.stop());
    suite(proxy.docker);
  });
}
