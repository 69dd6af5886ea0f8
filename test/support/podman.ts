/**
 * A Podman API service of the test's own (`podman system service` on a unix socket, with its own
 * storage, run and tmp folders under /tmp), serving Docker's Engine API, so the Docker adapter can be
 * tested against Podman as well. Stopped by its pid only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { terminate } from './child-process.js';
import { waitUntilAnswering } from './docker.js';

/**
 * Podman sets a container's open-files and processes limits to their maximum by default, above this
 * machine's hard limits, which runc may not raise: "error setting rlimit type 7" (NOFILE), then
 * type 6 (NPROC). The events go to a file, as there is no journald; the locks to files in our own
 * tmp folder, not the machine-wide shared memory segment another Podman would reset. An exec's
 * conmon waits `exit_command_delay` (5 minutes by default) before it exits, past the service.
 */
const CONTAINERS_CONF = `[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
lock_type = "file"
exit_command_delay = 5
`;

/** Whether a `podman` binary is on PATH (the service itself needs root on these machines). */
export function podmanInstalled(): boolean {
  return spawnSync('podman', ['--version'], { stdio: 'ignore' }).status === 0;
}

export class PodmanService {
  readonly dir = `/tmp/rhb-podman-${process.pid}-${randomBytes(4).toString('hex')}`;
  readonly socketPath = join(this.dir, 'podman.sock');
  /** Usable before start(): it connects on first call. */
  readonly docker = new Docker({ socketPath: this.socketPath });
  private child: ChildProcess | undefined;

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const conf = join(this.dir, 'containers.conf');
    writeFileSync(conf, CONTAINERS_CONF);
    const log = openSync(join(this.dir, 'log'), 'a');
    const child = spawn(
      'podman',
      [
        // vfs: no overlay mounts that would outlive the service and keep the folder from being removed.
        '--storage-driver',
        'vfs',
        '--root',
        join(this.dir, 'storage'),
        '--runroot',
        join(this.dir, 'run'),
        '--tmpdir',
        join(this.dir, 'tmp'),
        'system',
        'service',
        '--time=0',
        `unix://${this.socketPath}`,
      ],
      { detached: true, stdio: ['ignore', log, log], env: { ...process.env, CONTAINERS_CONF: conf } },
    );
    closeSync(log);
    child.unref();
    if (child.pid === undefined) throw new Error('podman did not start');
    this.child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`podman service exited (${code}): ${this.log()}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([
      waitUntilAnswering(this.docker, 'podman service', {
        timeoutMs: 30_000,
        pollMs: 100,
        log: () => this.log(),
      }),
      exited,
    ]);
  }

  /**
   * Removes every container of this service (they run under conmon and would outlive it), stops
   * the service and removes its folders.
   */
  async remove(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const containers = await this.docker.listContainers({ all: true });
      await Promise.all(containers.map((c) => this.docker.getContainer(c.Id).remove({ force: true })));
      await terminate(child);
    }
    await this.helpersGone();
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }

  /**
   * Resolves once no process works in this service's folders any more: a removed container's or an
   * exec's conmon, and the `podman container cleanup` it runs as it exits, still write there a
   * moment after the service is gone (an exec's only after `exit_command_delay`).
   */
  private async helpersGone(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const helpers = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && this.worksHere(pid));
      if (helpers.length === 0) return;
      if (Date.now() > deadline) throw new Error(`processes ${helpers.join(', ')} still work in ${this.dir}`);
      // They announce nothing to us: polling is the only way to see them go.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private worksHere(pid: string): boolean {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(this.dir);
    } catch {
      return false; // gone meanwhile
    }
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '';
    }
  }
}
