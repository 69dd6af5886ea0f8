/**
 * The engines the Docker adapter is tested against: the suite's Docker engine (straight, then
 * through the socket proxy, see haproxy.ts, then as an ssh:// host, see sshd.ts), and Podman's
 * Docker-compatible API (a service of the suite's own, see podman.ts). A suite written once as
 *
 *   describeEngines('my suite', ({ client, docker, startFakeHeadless, removeStartedContainers }) => { ... });
 *
 * runs once per engine: `my suite`, `my suite, through the socket proxy`, `my suite, over ssh`,
 * `my suite, on Podman`.
 *
 * Docker's runs skip or fail as `describeDockerAndProxy` does. Podman's skips, saying so in one
 * line, when no `podman` is installed, and fails instead when REQUIRE_PODMAN=1 (set by .ci/run,
 * which installs it). The ssh run does the same without sshd and with REQUIRE_SSH=1.
 */
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  buildFakeHeadlessImage,
  docker,
  removeContainers,
  removeStartedContainers,
  startFakeHeadless,
  type FakeHeadlessOptions,
  type StartedContainer,
} from './docker.js';
import { describeDockerAndProxy } from './haproxy.js';
import { PodmanService, podmanInstalled } from './podman.js';
import { describeSsh } from './sshd.js';

export interface TestEngine {
  /** For the rare assertion on a documented difference between the engines (README, "Podman"). */
  readonly kind: 'docker' | 'podman';
  /** The client the code under test gets (maybe through the socket proxy, which refuses set-up calls). */
  readonly client: Docker;
  /** The engine's own client, for a test's set-up (create, pause, exec). */
  readonly docker: Docker;
  buildFakeHeadlessImage(): Promise<string>;
  /** The fake headless on this engine; see `startFakeHeadless` in docker.ts. */
  startFakeHeadless(options: Omit<FakeHeadlessOptions, 'docker'>): Promise<StartedContainer>;
  /** Removes every container this suite started on this engine: call it in `afterAll`. */
  removeStartedContainers(): Promise<void>;
}

export function describeEngines(name: string, fn: (engine: TestEngine) => void): void {
  describeDockerAndProxy(name, (client) =>
    fn({
      kind: 'docker',
      client,
      docker,
      buildFakeHeadlessImage: () => buildFakeHeadlessImage(),
      startFakeHeadless: (options) => startFakeHeadless(options),
      removeStartedContainers,
    }),
  );
  describeSsh(`${name}, over ssh`, (sshd) =>
    fn({
      kind: 'docker',
      client: sshd.docker,
      docker,
      buildFakeHeadlessImage: () => buildFakeHeadlessImage(),
      startFakeHeadless: (options) => startFakeHeadless(options),
      removeStartedContainers,
    }),
  );
  describePodman(`${name}, on Podman`, fn);
}

function describePodman(name: string, fn: (engine: TestEngine) => void): void {
  const service = new PodmanService();
  if (!podmanInstalled()) {
    if (process.env.REQUIRE_PODMAN !== '1') {
      console.log(
        `[podman] skipping "${name}": podman is not installed; set REQUIRE_PODMAN=1 to fail instead`,
      );
      describe.skip(name, () => fn(podmanEngine(service)));
      return;
    }
    describe(name, () => {
      beforeAll(() => {
        throw new Error('REQUIRE_PODMAN=1 but podman is not installed: install it or unset REQUIRE_PODMAN');
      });
      fn(podmanEngine(service));
    });
    return;
  }
  describe(name, () => {
    // Registered before the suite's own hooks: the service is up before them and removed after them.
    beforeAll(() => service.start());
    afterAll(() => service.remove());
    fn(podmanEngine(service));
  });
}

function podmanEngine(service: PodmanService): TestEngine {
  const client = service.docker;
  const started = new Set<string>();
  return {
    kind: 'podman',
    client,
    docker: client,
    buildFakeHeadlessImage: () => buildFakeHeadlessImage(client),
    startFakeHeadless: async (options) => {
      const container = await startFakeHeadless({ ...options, docker: client });
      started.add(container.id);
      return container;
    },
    removeStartedContainers: async () => {
      await removeContainers(started, client);
      started.clear();
    },
  };
}
