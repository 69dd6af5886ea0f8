import { DEFAULT_HOST, type CoreConfig } from '../config.js';
import { ConsoleSession, type ConsoleEvent } from '../console/session.js';
import { attachStream } from '../docker/attach.js';
import type { ManagedContainer } from '../docker/container-info.js';
import type { ManagedContainers } from '../docker/containers.js';
import { HostedContainers } from '../docker/hosts.js';
import { StatsReader } from '../docker/stats.js';
import { StdinClosedError, UserError } from '../errors.js';
import { HeadlessServer } from './headless-server.js';
import { IntentionalStops } from './intentional-stops.js';
import { LifecycleLocks } from './lifecycle-lock.js';
import { serverKey } from './server-key.js';

/**
 * Every managed server, each with one long-lived console session. The one place that turns a
 * server name typed by a user into a HeadlessServer, through the managed-container gate.
 */
const ONLY_SERVER_TTL_MS = 30_000;

export class ServerSet {
  private readonly servers = new Map<string, HeadlessServer>();
  private onlyName: { name: string; at: number } | undefined;
  /** Stops the bot made itself, so that the monitor does not take them for incidents. */
  readonly intentional = new IntentionalStops();
  readonly stats = new StatsReader();
  /** One start, stop or restart per server at a time. */
  readonly locks = new LifecycleLocks();
  private readonly lineListeners: ((server: string, line: string) => void)[] = [];
  /** Every host's managed containers, one gate (a lone ManagedContainers is one host). */
  readonly containers: HostedContainers;

  constructor(
    containers: HostedContainers | ManagedContainers,
    private readonly config: Pick<CoreConfig, 'consoleTimeoutSeconds' | 'servers'>,
    /** Told of each server's console attaching, re-attaching and being lost (the bot logs them). */
    private readonly onConsoleEvent?: (server: string, event: ConsoleEvent) => void,
  ) {
    this.containers =
      containers instanceof HostedContainers
        ? containers
        : new HostedContainers([{ name: DEFAULT_HOST, address: '', docker: containers.docker, containers }]);
  }

  /**
   * Called with every line any server's console prints (the activity feed reads the join lines).
   * Register before the first server is used: a console opened without a listener is not split into lines.
   */
  onConsoleLine(listener: (server: string, line: string) => void): void {
    this.lineListeners.push(listener);
  }

  list(): Promise<ManagedContainer[]> {
    return this.containers.list();
  }

  /**
   * The server a command is about. Without a name, the only managed server; a name is checked
   * against the managed containers (by name or id) before anything else happens.
   */
  async get(name?: string): Promise<HeadlessServer> {
    const wanted = name?.trim();
    if (wanted === undefined || wanted === '') return this.only();
    const cached = this.servers.get(wanted);
    if (cached) return cached;
    const container = await this.containers.get(wanted);
    return this.forContainer(container.name);
  }

  /** The managed container a button's key names (see serverKey), if it still is managed. */
  async nameForKey(key: string): Promise<string | undefined> {
    const known = [...this.servers.keys()].find((name) => serverKey(name) === key);
    if (known !== undefined) return known;
    return (await this.containers.list()).find((c) => serverKey(c.name) === key)?.name;
  }

  /** Closes every console session and stats subscription; the headless servers keep running. */
  close(): void {
    for (const server of this.servers.values()) server.console.close();
    this.servers.clear();
    this.stats.close();
  }

  private async only(): Promise<HeadlessServer> {
    // Remembered briefly: commands without a server name should not each list and inspect everything.
    const cached = this.onlyName;
    if (cached && Date.now() - cached.at < ONLY_SERVER_TTL_MS) return this.forContainer(cached.name);
    const listings = await this.containers.listEach();
    const silent = listings.find((l) => l.error !== undefined)?.error;
    const all = listings.flatMap((l) => l.containers ?? []).filter((c) => c.state !== 'missing');
    const [first, ...others] = all;
    // A host that does not answer may have more: which one is meant cannot be known.
    if (silent && others.length === 0) throw silent;
    if (!first) throw new UserError('No managed server exists.');
    if (others.length > 0) {
      throw new UserError(`${all.length} servers are managed: say which one with the server option.`);
    }
    this.onlyName = { name: first.name, at: Date.now() };
    return this.forContainer(first.name);
  }

  private forContainer(name: string): HeadlessServer {
    const existing = this.servers.get(name);
    if (existing) return existing;
    const timeoutMs = this.config.consoleTimeoutSeconds * 1000;
    const session = new ConsoleSession({
      name,
      timeoutMs,
      ...(this.onConsoleEvent
        ? { onEvent: (event: ConsoleEvent) => this.onConsoleEvent?.(name, event) }
        : {}),
      // Splitting every reply into lines costs each command; done only when something listens.
      ...(this.lineListeners.length > 0
        ? {
            onLine: (line: string) => {
              for (const listener of this.lineListeners) listener(name, line);
            },
          }
        : {}),
      connect: async () => {
        const container = await this.containers.getRunning(name);
        // Docker attaches anyway and drops what is sent: the command would only time out.
        if (container.openStdin === false) throw new StdinClosedError(name);
        return attachStream(this.containers.handle(container), container.tty);
      },
    });
    const server = new HeadlessServer(name, session, {
      containers: this.containers,
      stats: this.stats,
      timeoutMs,
      override: this.config.servers[name] ?? {},
      intentional: this.intentional,
      locks: this.locks,
    });
    this.servers.set(name, server);
    return server;
  }
}
