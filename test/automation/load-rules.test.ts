/**
 * Load rules judged from sweeps on an injected clock: a load sustained for the rule's minutes
 * plans one restart through the planner (with its warnings ahead), a spike plans nothing.
 */
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.js';
import { LoadRules } from '../../src/automation/load-rules.js';
import type { ServerOverride } from '../../src/config.js';
import { missingContainer } from '../../src/docker/container-info.js';
import type { ContainerStats } from '../../src/docker/stats.js';
import { UserError } from '../../src/errors.js';
import type { BoardSnapshot } from '../../src/monitor/snapshot.js';
import type { PlanRequest, PlanView } from '../../src/servers/restart-plan.js';
import { openMemoryDatabase } from '../../src/storage/database.js';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const GIB = 2 ** 30;

/** Records plans; one pending per server, as the real planner keeps them. */
class FakePlanner {
  readonly requests: PlanRequest[] = [];
  readonly pending = new Map<string, PlanView>();
  private readonly listeners: ((plan: PlanView) => void)[] = [];
  async plan(request: PlanRequest): Promise<PlanView> {
    if (this.pending.has(request.server)) throw new UserError('already planned');
    this.requests.push(request);
    const view: PlanView = { ...request, id: String(this.requests.length), state: 'counting down' };
    this.pending.set(request.server, view);
    return view;
  }
  next(server: string): PlanView | undefined {
    return this.pending.get(server);
  }
  onEnd(listener: (plan: PlanView) => void): void {
    this.listeners.push(listener);
  }
  end(server: string): void {
    const plan = this.pending.get(server)!;
    this.pending.delete(server);
    for (const listener of this.listeners) listener({ ...plan, state: 'done' });
  }
}

const memory = (used: number, limit = 8 * GIB): ContainerStats => ({
  cpuPercent: 20,
  memoryBytes: used,
  memoryLimitBytes: limit,
  memoryPercent: (used / limit) * 100,
});
const cpu = (percent: number | null): ContainerStats => ({ ...memory(GIB), cpuPercent: percent });

describe('LoadRules', () => {
  let now: number;
  let planner: FakePlanner;
  let listeners: ((snapshot: BoardSnapshot) => void)[];
  let audit: AuditLog;

  beforeEach(() => {
    now = T0;
    planner = new FakePlanner();
    listeners = [];
    audit = new AuditLog(openMemoryDatabase());
  });

  function rules(override: ServerOverride) {
    const loadRules = new LoadRules({
      overrides: { lobby: override },
      planner,
      onSweep: (listener) => listeners.push(listener),
      audit,
      guildId: '1',
      logger: pino({ level: 'silent' }),
      now: () => now,
    });
    loadRules.start();
    return loadRules;
  }

  /** One sweep a minute for `minutes` minutes, each seeing `stats`. */
  async function sweeps(minutes: number, stats: ContainerStats | null): Promise<void> {
    for (let i = 0; i < minutes; i++) {
      const snapshot: BoardSnapshot = {
        at: now,
        servers: [
          {
            name: 'lobby',
            displayName: 'Lobby',
            container: { ...missingContainer('lobby'), state: 'running' },
            stats,
            console: 'ok',
            worlds: [],
          },
        ],
      };
      for (const listener of listeners) listener(snapshot);
      await new Promise((resolve) => setImmediate(resolve));
      now += MINUTE;
    }
  }

  const memoryRule: ServerOverride = {
    loadRules: { memory: { above: { kind: 'share', share: 0.9, text: '90%' }, forMinutes: 10 } },
  };

  it('plans one restart, the largest warning ahead, once memory stayed above 90% of its limit for 10 minutes', async () => {
    rules(memoryRule);
    await sweeps(10, memory(7.5 * GIB));
    expect(planner.requests).toEqual([]);
    const at = now;
    await sweeps(1, memory(7.5 * GIB));
    expect(planner.requests).toEqual([
      {
        server: 'lobby',
        at: at + 10 * MINUTE,
        actor: 'automation',
        reason: 'memory above 90% of its limit for 10 minutes',
        source: 'load',
      },
    ]);
    const [row] = audit.latest({ server: 'lobby' });
    expect(row).toMatchObject({ memberId: 'automation', command: 'load rule', outcome: 'ok' });
  });

  it('plans nothing for a spike: one sweep below starts the minutes again', async () => {
    rules(memoryRule);
    await sweeps(8, memory(7.5 * GIB));
    await sweeps(1, memory(4 * GIB));
    await sweeps(8, memory(7.5 * GIB));
    expect(planner.requests).toEqual([]);
  });

  it('does not plan again while its plan is pending, and again only once the load is sustained anew', async () => {
    rules(memoryRule);
    await sweeps(11, memory(7.5 * GIB));
    await sweeps(30, memory(7.5 * GIB));
    expect(planner.requests).toHaveLength(1);
    planner.end('lobby');
    await sweeps(10, memory(7.5 * GIB));
    expect(planner.requests).toHaveLength(1);
    await sweeps(1, memory(7.5 * GIB));
    expect(planner.requests).toHaveLength(2);
  });

  it('leaves it to a restart someone else planned', async () => {
    rules(memoryRule);
    await planner.plan({
      server: 'lobby',
      at: now + 3_600_000,
      actor: '@otto',
      reason: 'asked',
      source: 'manual',
    });
    await sweeps(20, memory(7.5 * GIB));
    expect(planner.requests).toHaveLength(1);
    expect(audit.latest({ server: 'lobby' })).toEqual([]);
  });

  it('judges an absolute size and CPU, each with its own minutes, using restartWarnings for the lead', async () => {
    rules({
      restartWarnings: [120_000, 30_000],
      loadRules: {
        memory: { above: { kind: 'bytes', bytes: 6 * GIB, text: '6GiB' }, forMinutes: 5 },
        cpu: { above: 95, forMinutes: 3 },
      },
    });
    await sweeps(3, cpu(180));
    expect(planner.requests).toEqual([]);
    const at = now;
    await sweeps(1, cpu(180));
    expect(planner.requests).toEqual([
      expect.objectContaining({ at: at + 120_000, reason: 'CPU above 95% for 3 minutes' }),
    ]);
    planner.end('lobby');
    await sweeps(6, memory(6.5 * GIB));
    expect(planner.requests.at(-1)).toMatchObject({ reason: 'memory above 6GiB for 5 minutes' });
  });

  it('keeps counting across a sweep without a CPU sample', async () => {
    rules({ loadRules: { cpu: { above: 95, forMinutes: 3 } } });
    await sweeps(2, cpu(99));
    await sweeps(1, cpu(null));
    await sweeps(1, cpu(99));
    expect(planner.requests).toHaveLength(1);
  });
});
