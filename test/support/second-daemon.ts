/**
 * A second dockerd of the test's own (its own data root, exec root, pidfile, unix socket and
 * containerd namespaces; no iptables, no bridge), so a test can stop and restart a daemon for real
 * while the suite's main engine keeps running. Stopped by its pid only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { terminate } from './child-process.js';
import { waitUntilAnswering } from './docker.js';

export class SecondDaemon {
  readonly dir = mkdtempSync('/tmp/rhb-d2-');
  readonly socketPath = join(this.dir, 'docker.sock');
  readonly docker = new Docker({ socketPath: this.socketPath });
  private readonly pidFile = join(this.dir, 'docker.pid');
  private readonly ns = `rhb${process.pid}${this.dir.slice(-6).replace(/[^a-zA-Z0-9]/g, '')}`;
  private child: ChildProcess | undefined;

  async start(): Promise<void> {
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    mkdirSync(join(this.dir, 'exec'), { recursive: true });
    const log = openSync(join(this.dir, 'log'), 'a');
    const child = spawn(
      'dockerd',
      [
        '--iptables=false',
        '--bridge=none',
        '--data-root',
        join(this.dir, 'data'),
        '--exec-root',
        join(this.dir, 'exec'),
        '--pidfile',
        this.pidFile,
        '-H',
        `unix://${this.socketPath}`,
        '--containerd-namespace',
        this.ns,
        '--containerd-plugins-namespace',
        `${this.ns}p`,
      ],
      { detached: true, stdio: ['ignore', log, log] },
    );
    closeSync(log);
    child.unref();
    if (child.pid === undefined) throw new Error('dockerd did not start');
    this.child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`dockerd exited (${code}): ${this.log()}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([
      waitUntilAnswering(this.docker, 'second dockerd', {
        timeoutMs: 60_000,
        pollMs: 200,
        log: () => this.log(),
      }),
      exited,
    ]);
  }

  /** SIGTERM, then waits for the process to be gone (it stops its containers first). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await terminate(child, 60_000);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the daemon and removes its folders (containerd's state of its namespace goes with it). */
  async remove(): Promise<void> {
    await this.stop();
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '';
    }
  }
}
