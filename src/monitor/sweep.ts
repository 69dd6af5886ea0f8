import PQueue from 'p-queue';
import pTimeout from 'p-timeout';
import type { WorldStatus } from '../console/parsers.js';
import type { ManagedContainer } from '../docker/container-info.js';
import type { DockerHost, HostListing } from '../docker/hosts.js';
import type { ContainerStats } from '../docker/stats.js';
import { ConsoleTimeoutError, DockerUnreachableError } from '../errors.js';
import type { ServerSet } from '../servers/server-set.js';
import type { BoardSnapshot, HostSnapshot, ServerSnapshot, WorldSnapshot } from './snapshot.js';

const STATS_DEADLINE_MS = 300;
const CPU_STEP = 5;
const MEMORY_SHARE_STEP = 0.05;
const MEMORY_MIN_STEP = 16 * 1024 * 1024;

export interface SweepOptions {
  /** Servers gathered at once. */
  concurrency?: number;
  /** How long one server's console may take within a sweep before it shows as not answering. */
  consoleDeadlineMs: number;
  /** The server's next planned or scheduled restart (ms), shown on the board; automation passes it in. */
  nextRestart?: (server: string) => number | undefined;
}

/**
 * One look at every managed server: container, one-shot stats and every world through the
 * console, with bounded concurrency. A slow or hung console shows as not answering once its
 * deadline passes and delays neither the other servers nor the next sweep; while its last
 * gathering is still stuck, no new console work is queued behind it.
 */
export class Sweeper {
  private readonly stuck = new Map<string, Promise<unknown>>();
  private readonly lastStats = new Map<string, ContainerStats>();
  private readonly shownStats = new Map<string, ContainerStats>();
  private readonly queue: PQueue;
  /** Each host's last sweep that reached it: what the board keeps showing while it is gone. */
  private readonly lastKnown = new Map<string, { servers: ServerSnapshot[]; at: number }>();

  constructor(
    private readonly servers: ServerSet,
    private readonly options: SweepOptions,
  ) {
    this.queue = new PQueue({ concurrency: options.concurrency ?? 8 });
  }

  async sweep(): Promise<BoardSnapshot> {
    const { containers } = this.servers;
    const swept = await Promise.all((await containers.listEach()).map((listing) => this.sweepHost(listing)));
    const at = Date.now();
    const servers = swept.flatMap((host) => host.servers);
    const down = swept.filter((host) => host.error !== undefined);
    const snapshot: BoardSnapshot = { servers, at };
    snapshot.hosts = swept.map(({ servers: _, ...host }) => host);
    if (down.length === swept.length) {
      const [first] = down;
      snapshot.dockerError = containers.several ? 'no Docker host answers' : (first?.error ?? 'no answer');
      const seen = down.map((host) => host.lastSeenAt).filter((t) => t !== undefined);
      if (seen.length > 0) snapshot.lastSeenAt = Math.max(...seen);
    }
    return snapshot;
  }

  /** One host's servers, or, when it does not answer (or stops answering half way), its last known state. */
  private async sweepHost(listing: HostListing): Promise<HostSnapshot & { servers: ServerSnapshot[] }> {
    const { host } = listing;
    if (listing.error) return this.lastKnownState(host, listing.error.message);
    let unreachable: string | undefined;
    const snapshots = await Promise.all(
      listing.containers.map(
        (container) =>
          this.queue.add(async () => {
            try {
              return await this.gather(container);
            } catch (err) {
              if (err instanceof DockerUnreachableError) unreachable = err.message;
              const detail = err instanceof Error ? err.message : String(err);
              return { ...blank(container), console: 'error', consoleDetail: detail };
            }
          }) as Promise<ServerSnapshot>,
      ),
    );
    // Docker went away half way: what this sweep half saw is no state to show.
    if (unreachable) return this.lastKnownState(host, unreachable);
    const at = Date.now();
    this.lastKnown.set(host.name, { servers: snapshots, at });
    return { name: host.name, address: host.address, lastSeenAt: at, servers: snapshots };
  }

  /** The host is unreachable: the last state seen there, with when, for the board to show as stale. */
  private lastKnownState(host: DockerHost, error: string): HostSnapshot & { servers: ServerSnapshot[] } {
    const known = this.lastKnown.get(host.name);
    return {
      name: host.name,
      address: host.address,
      error,
      servers: (known?.servers ?? []).map((server) => ({ ...server, stale: true as const })),
      ...(known ? { lastSeenAt: known.at } : {}),
    };
  }

  private async gather(container: ManagedContainer): Promise<ServerSnapshot> {
    const next = this.options.nextRestart?.(container.name);
    const base = { ...blank(container), ...(next === undefined ? {} : { nextRestart: next }) };
    if (container.state !== 'running') return { ...base, console: 'not running' };
    const server = await this.servers.get(container.name);
    const [stats, worlds] = await Promise.all([
      this.stats(container.name, () => server.container.stats()),
      this.worlds(container.name, () => server.overview()),
    ]);
    return { ...base, displayName: server.displayName, stats: this.steady(container.name, stats), ...worlds };
  }

  /**
   * Docker's one-shot stats sometimes wait for its next collection tick (up to a second): a late
   * answer does not hold up the sweep, the last one is shown instead and replaced when it lands.
   */
  private async stats(name: string, read: () => Promise<ContainerStats>): Promise<ContainerStats | null> {
    const fresh = read().then(
      (stats) => {
        this.lastStats.set(name, stats);
        return stats;
      },
      () => null,
    );
    return pTimeout(fresh, {
      milliseconds: Math.min(STATS_DEADLINE_MS, this.options.consoleDeadlineMs),
      fallback: () => this.lastStats.get(name) ?? null,
    });
  }

  /**
   * CPU and memory jitter from sweep to sweep; the board shows a new figure only when it moved
   * meaningfully (5 CPU points, 5% of memory and at least 16 MiB), so an idle server's board is not edited every sweep.
   */
  private steady(name: string, stats: ContainerStats | null): ContainerStats | null {
    const shown = this.shownStats.get(name);
    if (!stats) return shown ?? null;
    if (
      shown &&
      shown.cpuPercent !== null &&
      stats.cpuPercent !== null &&
      Math.abs(stats.cpuPercent - shown.cpuPercent) < CPU_STEP &&
      Math.abs(stats.memoryBytes - shown.memoryBytes) <=
        Math.max(shown.memoryBytes * MEMORY_SHARE_STEP, MEMORY_MIN_STEP) &&
      stats.memoryLimitBytes === shown.memoryLimitBytes
    ) {
      return shown;
    }
    this.shownStats.set(name, stats);
    return stats;
  }

  private async worlds(
    name: string,
    load: () => Promise<WorldStatus[]>,
  ): Promise<Pick<ServerSnapshot, 'console' | 'consoleDetail' | 'worlds'>> {
    if (this.stuck.has(name)) {
      return { console: 'not answering', consoleDetail: 'still waiting for the previous answer', worlds: [] };
    }
    const work = load();
    try {
      const result = await pTimeout(work, { milliseconds: this.options.consoleDeadlineMs, message: false });
      if (result === undefined) {
        const settled = work.then(
          () => undefined,
          () => undefined,
        );
        this.stuck.set(name, settled);
        void settled.then(() => this.stuck.delete(name));
        return {
          console: 'not answering',
          consoleDetail: `no answer within ${Math.round(this.options.consoleDeadlineMs / 100) / 10} s`,
          worlds: [],
        };
      }
      return { console: 'ok', worlds: result.map(toWorldSnapshot) };
    } catch (err) {
      const timeout = err instanceof ConsoleTimeoutError;
      return {
        console: timeout ? 'not answering' : 'error',
        consoleDetail: (err as Error).message,
        worlds: [],
      };
    }
  }
}

function blank(container: ManagedContainer) {
  return { name: container.name, displayName: container.name, container, stats: null, worlds: [] };
}

function toWorldSnapshot(world: WorldStatus, index: number): WorldSnapshot {
  return {
    index,
    name: world.name,
    users: world.currentUsers,
    maxUsers: world.maxUsers,
    accessLevel: world.accessLevel,
    hidden: world.hiddenFromListing,
    present: world.users,
  };
}
