import type Docker from 'dockerode';
import type { HostConfig } from '../config.js';
import { DockerUnreachableError, UnknownServerError, UserError } from '../errors.js';
import { connectDocker, fallbackConnection, type DockerConnection } from './connection.js';
import type { ManagedContainer } from './container-info.js';
import { ManagedContainers, type ContainerGate } from './containers.js';
import { compareText } from '../text.js';

/** One Docker engine the bot manages servers on. */
export interface DockerHost {
  name: string;
  /** Where it is, as DOCKER_HOST would say it (errors and the Docker incident name it). */
  address: string;
  docker: Docker;
  containers: ManagedContainers;
}

/** One host's answer to a listing: its managed containers, or why it could not be reached. */
export type HostListing =
  | { host: DockerHost; containers: ManagedContainer[]; error?: undefined }
  | { host: DockerHost; containers?: undefined; error: DockerUnreachableError };

/** Two hosts have a managed container of the same name: a name must say one server. */
export class DuplicateServerError extends UserError {
  override name = 'DuplicateServerError';
  constructor(
    readonly server: string,
    readonly hosts: readonly string[],
  ) {
    super(
      `"${server}" is the name of a managed container on hosts ${hosts.join(' and ')}: rename one of them, server names must be unique across hosts.`,
    );
  }
}

/**
 * The managed containers of every host behind the one gate (ContainerGate) the rest of the bot
 * uses: a server name is routed to its host, and every container it returns says which host it is
 * on. A host that does not answer takes only its own servers out; an error about one of them says
 * which host is unreachable. With one host, every answer and error is that host's own.
 */
export class HostedContainers implements ContainerGate {
  /** Where each server was last seen; label selectors give no other way to know. */
  private readonly hostOf = new Map<string, DockerHost>();
  /** Names the last listing found on more than one host, with those hosts. */
  private dupes = new Map<string, string[]>();

  constructor(readonly hosts: readonly DockerHost[]) {
    if (hosts.length === 0) throw new Error('no Docker host configured');
  }

  /** Whether servers are spread over several hosts (the board groups them, errors name the host). */
  get several(): boolean {
    return this.hosts.length > 1;
  }

  host(name: string): DockerHost | undefined {
    return this.hosts.find((host) => host.name === name);
  }

  /** Each host's managed containers, asked at once; one host's failure is its listing's `error`. */
  async listEach(): Promise<HostListing[]> {
    const listings = await Promise.all(
      this.hosts.map(async (host): Promise<HostListing> => {
        try {
          return { host, containers: (await host.containers.list()).map((c) => ({ ...c, host: host.name })) };
        } catch (err) {
          if (!(err instanceof DockerUnreachableError)) throw err;
          return { host, error: this.unreachable(host, err) };
        }
      }),
    );
    const seen = new Map<string, string[]>();
    for (const { host, containers } of listings)
      for (const container of containers ?? []) {
        if (container.state === 'missing') continue;
        this.hostOf.set(container.name, host);
        seen.set(container.name, [...(seen.get(container.name) ?? []), host.name]);
      }
    this.dupes = new Map([...seen].filter(([, hosts]) => hosts.length > 1));
    return listings;
  }

  /** Names the last listing found on more than one host (start-up refuses them, commands refuse the name). */
  get duplicates(): ReadonlyMap<string, readonly string[]> {
    return this.dupes;
  }

  /** Every managed container of the hosts that answer, by name, and the hosts that do not, in their order. */
  async survey(): Promise<{
    containers: ManagedContainer[];
    down: { host: DockerHost; error: DockerUnreachableError }[];
  }> {
    const listings = await this.listEach();
    return {
      containers: listings.flatMap((l) => l.containers ?? []).sort((a, b) => compareText(a.name, b.name)),
      down: listings.flatMap(({ host, error }) => (error ? [{ host, error }] : [])),
    };
  }

  /** Every managed container of the hosts that answer; fails only when none does. */
  async list(): Promise<ManagedContainer[]> {
    const { containers, down } = await this.survey();
    if (down.length === this.hosts.length) throw down[0]!.error;
    return containers;
  }

  async get(server: string): Promise<ManagedContainer> {
    return this.on(server, async (host) => ({ ...(await host.containers.get(server)), host: host.name }));
  }

  async getRunning(server: string): Promise<ManagedContainer> {
    return this.on(server, async (host) => ({
      ...(await host.containers.getRunning(server)),
      host: host.name,
    }));
  }

  handle(container: ManagedContainer): Docker.Container {
    const host = (container.host !== undefined ? this.host(container.host) : undefined) ?? this.only();
    return host.containers.handle(container);
  }

  start(server: string): Promise<'started' | 'already running'> {
    return this.on(server, (host) => host.containers.start(server));
  }

  stop(server: string, timeoutSeconds: number): Promise<'stopped' | 'already stopped'> {
    return this.on(server, (host) => host.containers.stop(server, timeoutSeconds));
  }

  kill(server: string): Promise<void> {
    return this.on(server, (host) => host.containers.kill(server));
  }

  private async on<T>(server: string, work: (host: DockerHost) => Promise<T>, again = true): Promise<T> {
    const host = await this.route(server);
    try {
      return await work(host);
    } catch (err) {
      // Gone from where it was last seen (moved to another host, say): looked for once more everywhere.
      if (again && this.several && err instanceof UnknownServerError && this.hostOf.get(server) === host) {
        this.hostOf.delete(server);
        return this.on(server, work, false);
      }
      throw err instanceof DockerUnreachableError ? this.unreachable(host, err, server) : err;
    }
  }

  /**
   * The host a server is on: the one whose list names it, or where it was last seen, or the one
   * host of those that answer that has it. Unknown only when every host answered without it.
   */
  private async route(server: string): Promise<DockerHost> {
    if (!this.several) return this.only();
    const twice = this.dupes.get(server);
    if (twice) throw new DuplicateServerError(server, twice);
    const named = this.hosts.find((h) => h.containers.names?.includes(server));
    if (named) return named;
    const known = this.hostOf.get(server);
    if (known) return known;
    const found: DockerHost[] = [];
    const silent: { host: DockerHost; error: DockerUnreachableError }[] = [];
    await Promise.all(
      this.hosts
        .filter((h) => h.containers.names === undefined)
        .map(async (host) => {
          try {
            const container = await host.containers.get(server);
            found.push(host);
            this.hostOf.set(container.name, host);
          } catch (err) {
            if (err instanceof DockerUnreachableError) silent.push({ host, error: err });
            else if (!(err instanceof UnknownServerError)) throw err;
          }
        }),
    );
    if (found.length > 1)
      throw new DuplicateServerError(
        server,
        found.map((h) => h.name),
      );
    if (found[0]) return found[0];
    const [first] = silent;
    if (!first) throw new UnknownServerError(server);
    throw new DockerUnreachableError(
      `There is no managed server "${server}" on the hosts that answer; ${silent.map((s) => `host ${s.host.name} (${s.host.address})`).join(' and ')} ${silent.length === 1 ? 'is' : 'are'} unreachable and may have it: ${plainReason(first.error)}`,
    );
  }

  /** Which host, with its own words: "Server "lobby" is on host eu-2 (ssh://…), which is unreachable (connection refused)." */
  private unreachable(
    host: DockerHost,
    err: DockerUnreachableError,
    server?: string,
  ): DockerUnreachableError {
    if (!this.several) return err;
    const where = `host ${host.name} (${host.address})`;
    const text =
      server === undefined
        ? `Docker on ${where} is unreachable (${plainReason(err)}).`
        : `Server "${server}" is on ${where}, which is unreachable (${plainReason(err)}).`;
    return new DockerUnreachableError(text, { cause: err });
  }

  private only(): DockerHost {
    return this.hosts[0]!;
  }
}

/** "connection refused" out of "Docker is unreachable (connection refused)." */
function plainReason(err: Error): string {
  return /\((.*)\)\.?$/.exec(err.message)?.[1] ?? err.message;
}

/** A host that did not answer at start-up: the bot keeps its endpoint and tries again later. */
export interface UnreachableAtStart {
  host: string;
  reason: string;
}

/**
 * Connects to every configured host at once. One that does not answer is kept at its configured
 * endpoint (commands say it is unreachable until it answers); `docker`, when given, is the client
 * of the first host (tests hand in their own).
 */
export async function connectHosts(
  configs: readonly HostConfig[],
  docker?: Docker,
): Promise<{ hosts: DockerHost[]; unreachable: UnreachableAtStart[] }> {
  const unreachable: UnreachableAtStart[] = [];
  const hosts = await Promise.all(
    configs.map(async (config, index): Promise<DockerHost> => {
      let connection: DockerConnection;
      if (docker && index === 0) connection = { docker, address: addressOf(docker) };
      else {
        try {
          connection = await connectDocker(config.docker);
        } catch (err) {
          if (!(err instanceof DockerUnreachableError)) throw err;
          unreachable.push({ host: config.name, reason: err.message });
          connection = fallbackConnection(config.docker);
        }
      }
      return {
        name: config.name,
        address: connection.address,
        docker: connection.docker,
        containers: new ManagedContainers(connection.docker, config.managed),
      };
    }),
  );
  return { hosts, unreachable };
}

/** Where a client points, as DOCKER_HOST would say it. */
function addressOf(docker: Docker): string {
  const modem = docker.modem as { socketPath?: unknown; host?: unknown; port?: unknown; protocol?: unknown };
  if (typeof modem.socketPath === 'string' && modem.socketPath !== '') return `unix://${modem.socketPath}`;
  if (typeof modem.host !== 'string' || modem.host === '') return '';
  const scheme = typeof modem.protocol === 'string' ? modem.protocol : 'tcp';
  return modem.port === undefined || modem.port === null
    ? `${scheme}://${modem.host}`
    : `${scheme}://${modem.host}:${String(modem.port)}`;
}
