import pTimeout from 'p-timeout';
import type { WorldSummary } from '../console/parsers.js';
import type { ServerSet } from '../servers/server-set.js';
import type { WorldUsers } from '../servers/headless-server.js';

interface Entry<T> {
  value?: T;
  at: number;
  inflight?: Promise<T>;
}

export interface LookupOptions {
  /** How long an answer is fresh. */
  ttlMs?: number;
  /** How long autocomplete may wait for a refresh before answering from what it has. */
  waitMs?: number;
}

/**
 * A short cache of what autocomplete offers (servers, worlds, users), so answers come within
 * Discord's 3 s even when a console is slow: a stale or missing entry starts a refresh, and the
 * answer waits for it only briefly before using the old value, or nothing.
 */
export class Lookups {
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly servers: ServerSet,
    options: LookupOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 15_000;
    this.waitMs = options.waitMs ?? 1_500;
  }

  async serverNames(): Promise<string[]> {
    const list = await this.cached('servers', async () => (await this.servers.list()).map((c) => c.name));
    return list ?? [];
  }

  async worlds(server: string | undefined): Promise<WorldSummary[]> {
    const value = await this.cached(`worlds:${server ?? ''}`, async () =>
      (await this.servers.get(server)).worlds(),
    );
    return value ?? [];
  }

  async users(server: string | undefined): Promise<WorldUsers[]> {
    const value = await this.cached(`users:${server ?? ''}`, async () =>
      (await this.servers.get(server)).users(),
    );
    return value ?? [];
  }

  private async cached<T>(key: string, load: () => Promise<T>): Promise<T | undefined> {
    const entry = (this.entries.get(key) as Entry<T> | undefined) ?? { at: 0 };
    this.entries.set(key, entry);
    if (entry.value !== undefined && Date.now() - entry.at < this.ttlMs) return entry.value;
    entry.inflight ??= load()
      .then((value) => {
        entry.value = value;
        entry.at = Date.now();
        return value;
      })
      .finally(() => {
        entry.inflight = undefined;
        // A name typed into autocomplete that led nowhere leaves no entry behind.
        if (entry.value === undefined) this.entries.delete(key);
      });
    try {
      return (await pTimeout(entry.inflight, { milliseconds: this.waitMs, message: false })) ?? entry.value;
    } catch {
      return entry.value;
    }
  }
}
