import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManagedContainers } from '../../src/docker/containers.js';
import { ServerPausedError } from '../../src/errors.js';
import { ServerSet } from '../../src/servers/server-set.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  docker,
  removeStartedContainers,
  startFakeHeadless,
  type StartedContainer,
} from '../support/docker.js';

describeDocker('a server paused while its console is attached', () => {
  let c: StartedContainer;
  let servers: ServerSet;

  beforeAll(async () => {
    await buildFakeHeadlessImage();
    c = await startFakeHeadless({ tty: false });
    servers = new ServerSet(new ManagedContainers(docker, { kind: 'names', names: [c.name] }), {
      consoleTimeoutSeconds: 2,
      servers: {},
    });
  });
  afterAll(async () => {
    servers?.close();
    await removeStartedContainers();
  });

  it('says the server is paused instead of timing out', async () => {
    const server = await servers.get(c.name);
    expect((await server.worlds()).map((w) => w.name)).toEqual(['Lobby World', 'Build Night']);
    await docker.getContainer(c.id).pause();
    try {
      const err = await server.worlds().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ServerPausedError);
      expect(err).toHaveProperty('message', `Server "${c.name}" is paused: unpause it first.`);
    } finally {
      await docker.getContainer(c.id).unpause();
    }
    // Unpaused, it answers again (the timed-out command's late reply is not taken for the next one).
    expect((await server.worlds()).map((w) => w.name)).toEqual(['Lobby World', 'Build Night']);
  });
});
