import type Docker from 'dockerode';
import type { ManagedSelector } from '../config.js';
import { ServerPausedError, ServerStoppedError, UnknownServerError } from '../errors.js';
import { missingContainer, summarize, type ManagedContainer } from './container-info.js';
import { statusOf, translateDockerError } from './docker-errors.js';
import { compareText } from '../text.js';

/** Docker's own rule for container names; anything else never reaches a Docker URL. */
const CONTAINER_REF = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

/** What the bot does to its servers' containers, on one host or across several (HostedContainers). */
export interface ContainerGate {
  list(): Promise<ManagedContainer[]>;
  get(server: string): Promise<ManagedContainer>;
  getRunning(server: string): Promise<ManagedContainer>;
  handle(container: ManagedContainer): Docker.Container;
  start(server: string): Promise<'started' | 'already running'>;
  stop(server: string, timeoutSeconds: number): Promise<'stopped' | 'already stopped'>;
  kill(server: string): Promise<void>;
}

/**
 * The managed containers, and the one gate every Docker call about a server goes through:
 * a container outside HEADLESS_CONTAINERS / HEADLESS_LABEL is never touched.
 */
export class ManagedContainers implements ContainerGate {
  constructor(
    readonly docker: Docker,
    private readonly selector: ManagedSelector,
  ) {}

  /** The configured container names, when the servers are picked by name rather than by label. */
  get names(): readonly string[] | undefined {
    return this.selector.kind === 'names' ? this.selector.names : undefined;
  }

  /** The label selector as written ("key=value"), when the servers are picked by label. */
  get label(): string | undefined {
    return this.selector.kind === 'label' ? `${this.selector.key}=${this.selector.value}` : undefined;
  }

  /** Every managed container with state, health, uptime and restart count; configured but absent ones as missing. */
  async list(): Promise<ManagedContainer[]> {
    const found = await this.listSummaries();
    const infos = await Promise.all(
      found.map(async (c) => {
        try {
          return summarize(await this.docker.getContainer(c.Id).inspect());
        } catch (err) {
          if (statusOf(err) === 404) return undefined; // removed between list and inspect
          throw translateDockerError(err, c.Names[0] ?? c.Id);
        }
      }),
    );
    const present = infos.filter((c): c is ManagedContainer => c !== undefined);
    if (this.selector.kind === 'names') {
      for (const name of this.selector.names) {
        if (!present.some((c) => matchesRef(c, name))) present.push(missingContainer(name));
      }
    }
    return present.sort((a, b) => compareText(a.name, b.name));
  }

  /** Inspects one managed server by name or id; UnknownServerError for anything not managed. */
  async get(server: string): Promise<ManagedContainer> {
    if (!CONTAINER_REF.test(server)) throw new UnknownServerError(server);
    if (this.selector.kind === 'names' && !this.selector.names.includes(server)) {
      // Not configured by that name: it may still be a managed container's id or name given by id.
      const managed = (await this.list()).find((c) => c.state !== 'missing' && matchesRef(c, server));
      if (!managed) throw new UnknownServerError(server);
      return managed;
    }
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.docker.getContainer(server).inspect();
    } catch (err) {
      throw translateDockerError(err, server);
    }
    const container = summarize(info);
    if (!this.isManaged(container)) throw new UnknownServerError(server);
    return container;
  }

  /** The container of a running server, for work that needs it running. */
  async getRunning(server: string): Promise<ManagedContainer> {
    const container = await this.get(server);
    if (container.state === 'paused') throw new ServerPausedError(container.name);
    if (container.state !== 'running') throw new ServerStoppedError(container.name);
    return container;
  }

  handle(container: ManagedContainer): Docker.Container {
    return this.docker.getContainer(container.id);
  }

  isManaged(container: Pick<ManagedContainer, 'id' | 'name' | 'labels'>): boolean {
    if (this.selector.kind === 'label') return container.labels[this.selector.key] === this.selector.value;
    return this.selector.names.some((ref) => matchesRef(container, ref));
  }

  /** Starts a server; "already running" (304) is not an error. */
  async start(server: string): Promise<'started' | 'already running'> {
    const container = await this.get(server);
    try {
      await this.handle(container).start();
      return 'started';
    } catch (err) {
      if (statusOf(err) === 304) return 'already running';
      throw translateDockerError(err, container.name);
    }
  }

  /** Docker's stop: the image's stop signal (SIGINT for the headless), then SIGKILL after the timeout. */
  async stop(server: string, timeoutSeconds: number): Promise<'stopped' | 'already stopped'> {
    const container = await this.get(server);
    try {
      await this.handle(container).stop({ t: timeoutSeconds });
      return 'stopped';
    } catch (err) {
      if (statusOf(err) === 304) return 'already stopped';
      throw translateDockerError(err, container.name);
    }
  }

  async kill(server: string): Promise<void> {
    const container = await this.getRunning(server);
    try {
      await this.handle(container).kill();
    } catch (err) {
      throw translateDockerError(err, container.name, () => new ServerStoppedError(container.name));
    }
  }

  private async listSummaries(): Promise<Docker.ContainerInfo[]> {
    const filters =
      this.selector.kind === 'label' ? { label: [`${this.selector.key}=${this.selector.value}`] } : undefined;
    let all: Docker.ContainerInfo[];
    try {
      all = await this.docker.listContainers({ all: true, ...(filters ? { filters } : {}) });
    } catch (err) {
      throw translateDockerError(err, 'any');
    }
    if (this.selector.kind === 'label') return all;
    const names = this.selector.names;
    return all.filter((c) =>
      names.some((ref) => c.Names.some((n) => n === `/${ref}`) || (ref.length >= 12 && c.Id.startsWith(ref))),
    );
  }
}

function matchesRef(container: Pick<ManagedContainer, 'id' | 'name'>, ref: string): boolean {
  return container.name === ref || (ref.length >= 12 && container.id.startsWith(ref));
}
