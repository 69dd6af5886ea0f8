/**
 * The set-up most end-to-end suites share: fake headless servers started in parallel, then a bot
 * (see bot.ts) that manages them; after the suite the bot is stopped and the servers are removed,
 * also when the set-up failed half way.
 *
 *   describeDocker('my suite', () => {
 *     const { h, server } = useBotSuite({
 *       servers: { lobby: { tty: true }, other: { tty: false, env: { FAKE_WORLDS: 'A|B' } } },
 *       harness: { monitor: true },
 *     });
 *     beforeAll(() => h.bot.monitor!.sweepNow()); // after the suite's set-up: hooks run in order
 *     it('...', async () => {
 *       await h.command('worlds', { server: server.other.name });
 *     });
 *   });
 *
 * `h` and `server.<key>` stand for what the set-up makes, so they can be taken apart at once
 * (`const { h, server: { lobby } } = ...`); reading them before the set-up finished throws.
 */
import { afterAll, beforeAll } from 'vitest';
import { startHarness, type Harness, type HarnessOptions } from './bot.js';
import {
  removeContainers,
  startFakeHeadless,
  type FakeHeadlessOptions,
  type StartedContainer,
} from './docker.js';

export interface BotSuiteOptions<K extends string> {
  /** Fake headless servers by the key tests name them with, started in parallel; the bot manages them in this order. */
  servers?: Record<K, FakeHeadlessOptions>;
  /** `containers`, if given, are names the bot manages besides the servers (e.g. one no container has). */
  harness?: Partial<HarnessOptions>;
  /** Runs once the servers are up and before the bot starts: for a server the bot must first see in another state. */
  beforeBot?: (server: Record<K, StartedContainer>) => Promise<unknown>;
}

export interface BotSuite<K extends string> {
  h: Harness;
  server: Record<K, StartedContainer>;
}

/** Registers the suite's `beforeAll` and `afterAll`; call it in the `describe` body, before the suite's own hooks. */
export function useBotSuite<K extends string = never>(options: BotSuiteOptions<K> = {}): BotSuite<K> {
  const specs = Object.entries(options.servers ?? {}) as [K, FakeHeadlessOptions][];
  const started = new Map<K, StartedContainer>();
  let harness: Harness | undefined;

  const server = Object.fromEntries(
    specs.map(([key]) => [key, lazy(`server "${key}"`, () => started.get(key))]),
  ) as Record<K, StartedContainer>;

  beforeAll(async () => {
    // Every start is waited for, failed or not: the clean-up must know each container that came up.
    const starts = await Promise.allSettled(
      specs.map(async ([key, spec]) => started.set(key, await startFakeHeadless(spec))),
    );
    const failed = starts.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    await options.beforeBot?.(server);
    harness = await startHarness({
      ...options.harness,
      containers: [...specs.map(([key]) => server[key].name), ...(options.harness?.containers ?? [])],
    });
  });

  afterAll(async () => {
    try {
      await harness?.stop();
    } finally {
      await removeContainers([...started.values()].map((c) => c.id));
    }
  });

  return { h: lazy('h', () => harness), server };
}

/** A stand-in that reads through to `current()`, and says clearly when that is not there yet. */
function lazy<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = current();
      if (!target) {
        throw new Error(
          `useBotSuite: ${what} read before the suite's set-up finished (read it in tests, or in hooks registered after useBotSuite; if the set-up failed, its error is on the suite)`,
        );
      }
      return Reflect.get(target, key, target);
    },
  });
}
