/**
 * HostedContainers and HostEvents on a real engine: three "hosts" (two clients of the suite's engine
 * with their own selectors, and one socket where no daemon listens), so that routing by name, by
 * label, errors naming the host that does not answer, and duplicate names are all real calls.
 * Two real daemons under the whole bot are in test/e2e/hosts.test.ts.
 */
import { once } from 'node:events';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerEvent } from '../../src/docker/events.js';
import { ManagedContainers } from '../../src/docker/containers.js';
import { HostEvents } from '../../src/docker/host-events.js';
import { DuplicateServerError, HostedContainers, type DockerHost } from '../../src/docker/hosts.js';
import { DockerUnreachableError, UnknownServerError } from '../../src/errors.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  removeContainers,
  removeStartedContainers,
  startFakeHeadless,
  uniqueName,
  type StartedContainer,
} from '../support/docker.js';
import { DockerProxy } from '../support/docker-proxy.js';

const DEAD_SOCKET = '/tmp/rhb-no-daemon-here.sock';

describeDocker('HostedContainers across hosts', () => {
  const label = uniqueName('hosts');
  let lobby: StartedContainer;
  let events: StartedContainer;
  const host = (
    name: string,
    managed: ConstructorParameters<typeof ManagedContainers>[1],
    socketPath = '/var/run/docker.sock',
  ): DockerHost => {
    const docker = new Docker({ socketPath });
    return {
      name,
      address: `unix://${socketPath}`,
      docker,
      containers: new ManagedContainers(docker, managed),
    };
  };
  let eu1: DockerHost;
  let eu2: DockerHost;
  let gone: DockerHost;

  beforeAll(async () => {
    await buildFakeHeadlessImage();
    [lobby, events] = await Promise.all([
      startFakeHeadless({ tty: false }),
      startFakeHeadless({ tty: false, labels: { 'rhb.hosts': label } }),
    ]);
    eu1 = host('eu-1', { kind: 'names', names: [lobby.name] });
    eu2 = host('eu-2', { kind: 'label', key: 'rhb.hosts', value: label });
    gone = host('eu-3', { kind: 'label', key: 'rhb.hosts', value: label }, DEAD_SOCKET);
  }, 120_000);
  afterAll(() => removeStartedContainers());

  it('routes each server to its host, by its list of names or by its label, and says which host', async () => {
    const hosts = new HostedContainers([eu1, eu2]);
    await expect(hosts.get(lobby.name)).resolves.toMatchObject({ name: lobby.name, host: 'eu-1' });
    await expect(hosts.get(events.name)).resolves.toMatchObject({ name: events.name, host: 'eu-2' });
    expect((await hosts.list()).map((c) => [c.name, c.host])).toEqual(
      [
        [lobby.name, 'eu-1'],
        [events.name, 'eu-2'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    await expect(hosts.get('not-managed-anywhere')).rejects.toBeInstanceOf(UnknownServerError);
  });

  it('lists the hosts that answer and names the one that does not; its servers’ errors say so and touch nothing', async () => {
    const hosts = new HostedContainers([eu1, gone]);
    const listings = await hosts.listEach();
    expect(listings.map((l) => [l.host.name, l.containers?.map((c) => c.name), l.error?.message])).toEqual([
      ['eu-1', [lobby.name], undefined],
      ['eu-3', undefined, `Docker on host eu-3 (unix://${DEAD_SOCKET}) is unreachable (no socket there).`],
    ]);
    expect((await hosts.list()).map((c) => c.name)).toEqual([lobby.name]);

    // events is on eu-2, which is not part of this set: eu-3 may have it, and does not answer.
    const refusal = hosts.get(events.name);
    await expect(refusal).rejects.toBeInstanceOf(DockerUnreachableError);
    await expect(refusal).rejects.toThrow(
      `There is no managed server "${events.name}" on the hosts that answer; host eu-3 (unix://${DEAD_SOCKET}) is unreachable and may have it: no socket there`,
    );
    const before = (await eu2.docker.getContainer(events.id).inspect()).State.StartedAt;
    await expect(hosts.stop(events.name, 1)).rejects.toBeInstanceOf(DockerUnreachableError);
    expect((await eu2.docker.getContainer(events.id).inspect()).State).toMatchObject({
      Running: true,
      StartedAt: before,
    });
  });

  it('names the host a server was seen on when that host stops answering, and touches nothing', async () => {
    const proxy = new DockerProxy();
    await proxy.up();
    try {
      const relayed = host('eu-2', { kind: 'label', key: 'rhb.hosts', value: label }, proxy.socketPath);
      const hosts = new HostedContainers([eu1, relayed]);
      await hosts.listEach();
      await proxy.down();
      const refusal = hosts.kill(events.name);
      await expect(refusal).rejects.toBeInstanceOf(DockerUnreachableError);
      // Refused at connect, or cut on a kept-alive connection: either way the host is named.
      const words = `Server "${events.name}" is on host eu-2 (unix://${proxy.socketPath}), which is unreachable`;
      await expect(refusal).rejects.toThrow(words);
      await expect(refusal).rejects.toThrow(/\((no socket there|the connection was cut)\)\.$/);
      expect((await eu2.docker.getContainer(events.id).inspect()).State.Running).toBe(true);
      await expect(hosts.getRunning(lobby.name)).resolves.toMatchObject({ host: 'eu-1', state: 'running' });
    } finally {
      await proxy.down();
    }
  });

  it('refuses a name found on two hosts, naming both, and still serves the others', async () => {
    const both = host('eu-2', { kind: 'label', key: 'rhb.hosts', value: label });
    const twice = host('eu-1', { kind: 'names', names: [lobby.name, events.name] });
    const hosts = new HostedContainers([twice, both]);
    await hosts.listEach();
    expect([...hosts.duplicates]).toEqual([[events.name, ['eu-1', 'eu-2']]]);
    const refusal = hosts.start(events.name);
    await expect(refusal).rejects.toBeInstanceOf(DuplicateServerError);
    await expect(refusal).rejects.toThrow(
      `"${events.name}" is the name of a managed container on hosts eu-1 and eu-2`,
    );
    await expect(hosts.get(lobby.name)).resolves.toMatchObject({ host: 'eu-1' });
  });

  it('finds a server again on the host it moved to', async () => {
    const first = host('eu-a', { kind: 'label', key: 'rhb.hosts.move', value: `${label}-a` });
    const second = host('eu-b', { kind: 'label', key: 'rhb.hosts.move', value: `${label}-b` });
    const name = uniqueName('moving');
    const before = await startFakeHeadless({ tty: false, name, labels: { 'rhb.hosts.move': `${label}-a` } });
    const hosts = new HostedContainers([first, second]);
    await expect(hosts.get(name)).resolves.toMatchObject({ host: 'eu-a' });
    // The same name, now managed on the other host (here: the label of the other host's selector).
    await removeContainers([before.id]);
    await startFakeHeadless({ tty: false, name, labels: { 'rhb.hosts.move': `${label}-b` } });
    await expect(hosts.getRunning(name)).resolves.toMatchObject({ host: 'eu-b', state: 'running' });
  });

  describe('HostEvents', () => {
    it('tags each event with the host whose selector manages it', async () => {
      const hosts = new HostedContainers([eu1, eu2]);
      const watcher = new HostEvents(hosts);
      const seen: ContainerEvent[] = [];
      watcher.on('event', (e: ContainerEvent) => seen.push(e));
      const connected = Promise.all([once(watcher, 'connected'), once(watcher, 'connected')]);
      watcher.start();
      try {
        await connected;
        await eu1.docker.getContainer(lobby.id).restart({ t: 1 });
        await eu2.docker.getContainer(events.id).restart({ t: 1 });
        await expect
          .poll(() => seen.filter((e) => e.action === 'start').map((e) => [e.name, e.host]), {
            timeout: 30_000,
          })
          .toEqual([
            [lobby.name, 'eu-1'],
            [events.name, 'eu-2'],
          ]);
      } finally {
        watcher.stop();
      }
    });

    it('says which host’s stream was lost', async () => {
      const watcher = new HostEvents(new HostedContainers([eu1, gone]), {
        minBackoffMs: 50,
        maxBackoffMs: 50,
      });
      const lost = once(watcher, 'disconnected');
      watcher.start();
      try {
        const [err, hostName] = (await lost) as [Error, string];
        expect(hostName).toBe('eu-3');
        expect(err).toBeInstanceOf(Error);
      } finally {
        watcher.stop();
      }
    });
  });
});
