/** The Docker adapter against a real engine: the managed-container gate, lifecycle, logs, stats, events. */
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { attachStream } from '../../src/docker/attach.js';
import { ManagedContainers } from '../../src/docker/containers.js';
import { DockerEventsWatcher, type ContainerEvent } from '../../src/docker/events.js';
import { readLogs } from '../../src/docker/logs.js';
import { StatsReader } from '../../src/docker/stats.js';
import { UnknownServerError } from '../../src/errors.js';
import { execIn, uniqueName } from '../support/docker.js';
import { DockerProxy } from '../support/docker-proxy.js';
import { describeEngines } from '../support/engines.js';

// On Docker straight, through the socket proxy (deploy/socket-proxy), on Podman: `docker` is the client under test.
describeEngines('ManagedContainers on a real engine', (engine) => {
  const { kind, client: docker, buildFakeHeadlessImage, startFakeHeadless, removeStartedContainers } = engine;
  const label = uniqueName('label');
  let plain: { id: string; name: string };
  let tty: { id: string; name: string };
  let unmanaged: { id: string; name: string };

  beforeAll(async () => {
    await buildFakeHeadlessImage();
    [plain, tty, unmanaged] = await Promise.all([
      startFakeHeadless({ tty: false, labels: { 'rhb.group': label } }),
      startFakeHeadless({ tty: true, labels: { 'rhb.group': label } }),
      startFakeHeadless({ tty: false }),
    ]);
  });
  afterAll(async () => {
    await removeStartedContainers();
  });

  it('lists the named containers with state, uptime and restart count, and a missing one as missing', async () => {
    const containers = new ManagedContainers(docker, {
      kind: 'names',
      names: [plain.name, tty.name, 'not-there'],
    });
    const list = await containers.list();
    expect(list.map((c) => [c.name, c.state])).toEqual(
      [
        [plain.name, 'running'],
        [tty.name, 'running'],
        ['not-there', 'missing'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    const ttyEntry = list.find((c) => c.name === tty.name);
    expect(ttyEntry).toMatchObject({ tty: true, health: 'none', restartCount: 0, exitCode: null });
    expect(ttyEntry?.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('selects by label and ignores everything else', async () => {
    const containers = new ManagedContainers(docker, { kind: 'label', key: 'rhb.group', value: label });
    expect((await containers.list()).map((c) => c.name).sort()).toEqual([plain.name, tty.name].sort());
    await expect(containers.get(unmanaged.name)).rejects.toBeInstanceOf(UnknownServerError);
    await expect(containers.get(plain.id.slice(0, 12))).resolves.toMatchObject({ name: plain.name });
  });

  it('refuses to stop, start or kill a container it does not manage', async () => {
    const containers = new ManagedContainers(docker, { kind: 'names', names: [plain.name] });
    await expect(containers.stop(unmanaged.name, 1)).rejects.toBeInstanceOf(UnknownServerError);
    await expect(containers.kill(unmanaged.name)).rejects.toBeInstanceOf(UnknownServerError);
    await expect(containers.get(unmanaged.id)).rejects.toBeInstanceOf(UnknownServerError);
    expect((await docker.getContainer(unmanaged.id).inspect()).State.Running).toBe(true);
  });

  it('treats starting a running container and stopping a stopped one as already done', async () => {
    const own = await startFakeHeadless({ tty: false });
    const containers = new ManagedContainers(docker, { kind: 'names', names: [own.name] });
    await expect(containers.start(own.name)).resolves.toBe('already running');
    await expect(containers.stop(own.name, 5)).resolves.toBe('stopped');
    // The image's STOPSIGNAL (SIGINT, as the headless's), answered by the fake's trap.
    expect(await readLogs(docker.getContainer(own.id), false, 5)).toContain('Received SIGINT, shutting down');
    expect((await containers.get(own.name)).exitCode).toBe(0);
    await expect(containers.stop(own.name, 5)).resolves.toBe('already stopped');
    await expect(containers.getRunning(own.name)).rejects.toThrow(`Server "${own.name}" is stopped.`);
    await expect(containers.start(own.name)).resolves.toBe('started');
  });

  it('counts the restarts its restart policy made', async () => {
    const own = await startFakeHeadless({ tty: true, restartPolicy: 'on-failure:3' });
    const containers = new ManagedContainers(docker, { kind: 'names', names: [own.name] });
    await execIn(own.id, ['/bin/touch', '/state/crash'], engine.docker);
    const attached = await attachStream(docker.getContainer(own.id), true);
    try {
      attached.write('status\n');
      await expect
        .poll(async () => (await containers.get(own.name)).restartCount, { timeout: 10_000 })
        .toBe(1);
      // Docker counts the restart as it schedules it, a moment before the container runs again.
      await expect.poll(async () => (await containers.get(own.name)).state).toBe('running');
    } finally {
      attached.close();
    }
  });

  it('reads the tail of the logs, demultiplexed and without ANSI codes', async () => {
    for (const c of [plain, tty]) {
      const logs = await readLogs(docker.getContainer(c.id), c === tty, 50);
      expect(logs).toContain('World running...');
      expect(logs).not.toMatch(/\x1b|\r|[\x00-\x08]/);
    }
    const lines = (await readLogs(docker.getContainer(plain.id), false, 1)).trimEnd().split('\n');
    expect(lines).toHaveLength(1);
  });

  it('reads one-shot stats with memory and a CPU figure', async () => {
    const reader = new StatsReader();
    const info = await docker.getContainer(plain.id).inspect();
    const first = await reader.read(docker.getContainer(plain.id), new Date(info.State.StartedAt));
    expect(first.memoryBytes).toBeGreaterThan(0);
    expect(first.cpuPercent).not.toBeNull();
    const second = await reader.read(docker.getContainer(plain.id), new Date(info.State.StartedAt));
    expect(second.cpuPercent).toBeGreaterThanOrEqual(0);
  });

  it('streams die and start events for managed containers only', async () => {
    const own = await startFakeHeadless({ tty: false });
    const other = await startFakeHeadless({ tty: false });
    const containers = new ManagedContainers(docker, { kind: 'names', names: [own.name] });
    const watcher = new DockerEventsWatcher(docker, { isManaged: (e) => containers.isManaged(e) });
    const events: ContainerEvent[] = [];
    const connected = new Promise((resolve) => watcher.once('connected', resolve));
    const sawStart = new Promise<void>((resolve) =>
      watcher.on('event', (e: ContainerEvent) => {
        events.push(e);
        if (e.action === 'start') resolve();
      }),
    );
    watcher.start();
    try {
      await connected;
      await docker.getContainer(other.id).kill();
      await docker.getContainer(own.id).kill();
      await docker.getContainer(own.id).start();
      await sawStart;
      expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['kill', 'die', 'start']));
      expect(new Set(events.map((e) => e.name))).toEqual(new Set([own.name]));
      expect(events.find((e) => e.action === 'die')?.exitCode).toBe(137);
      // Podman's kill event names no signal (README, "Podman").
      expect(events.find((e) => e.action === 'kill')?.signal).toBe(kind === 'docker' ? 9 : null);
      const { Config } = await docker.getContainer(own.id).inspect();
      expect(events.find((e) => e.action === 'start')?.labels).toEqual(Config.Labels);
    } finally {
      watcher.stop();
    }
  });

  it('catches up on the events it missed while its stream was cut', async () => {
    const own = await startFakeHeadless({ tty: false });
    const socketPath = (docker.modem as { socketPath?: unknown }).socketPath;
    // The default client finds Docker's socket by itself (a function in its modem).
    const relay = new DockerProxy(typeof socketPath === 'string' ? socketPath : '/var/run/docker.sock');
    await relay.up();
    const watcher = new DockerEventsWatcher(new Docker({ socketPath: relay.socketPath }), {
      isManaged: (e) => e.name === own.name,
      minBackoffMs: 50,
    });
    const actions: string[] = [];
    const caughtUp: number[] = [];
    watcher.on('event', (e: ContainerEvent) => actions.push(e.action));
    watcher.on('connected', (info: { caughtUp: number }) => caughtUp.push(info.caughtUp));
    watcher.start();
    try {
      await expect.poll(() => caughtUp).toEqual([0]);
      await docker.getContainer(own.id).kill();
      await expect.poll(() => actions).toContain('die');
      await relay.down();
      await docker.getContainer(own.id).start();
      await relay.up();
      // It retries with backoff, then replays: a catch-up ends a second ahead (src/docker/events.ts).
      await expect.poll(() => caughtUp, { timeout: 10_000 }).toEqual([0, 1]);
      expect(actions.filter((a) => a === 'start')).toHaveLength(1);
    } finally {
      watcher.stop();
      await relay.down();
    }
  });
});
