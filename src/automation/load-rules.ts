import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import { AUTOMATION, auditedAutomation } from '../audit/automation-audit.js';
import type { LoadRules as ServerLoadRules, ServerOverride } from '../config.js';
import { UserError } from '../errors.js';
import type { ContainerStats } from '../docker/stats.js';
import { answeredServers, type BoardSnapshot, type ServerSnapshot } from '../monitor/snapshot.js';
import type { PlanView, RestartPlanner } from '../servers/restart-plan.js';
import { DEFAULT_RESTART_WARNINGS_MS } from './planned-restarts.js';

type RuleName = keyof ServerLoadRules;

export interface LoadRulesOptions {
  /** The per-server settings of CONFIG_FILE: `loadRules`, and `restartWarnings` for how far ahead to plan. */
  overrides: Record<string, ServerOverride>;
  planner: Pick<RestartPlanner, 'plan' | 'next' | 'onEnd'>;
  /** Registers for every sweep's snapshot (Monitor.onSweep). */
  onSweep: (listener: (snapshot: BoardSnapshot) => void) => void;
  audit: AuditLog;
  guildId: string;
  logger: Logger;
  now?: () => number;
}

interface RuleWatch {
  /** The first sweep of the current run of sweeps over the threshold. */
  since?: number;
  /** The restart this rule planned, while it is pending (`''` while the plan is being made). */
  planId?: string;
}

/**
 * Load rules per server: memory above a share of its limit or a size, CPU above a percentage,
 * each sustained for some minutes as the sweeps see it, plan a restart with the usual warnings
 * ahead. They never restart at once, and one rule plans one restart at a time.
 */
export class LoadRules {
  private readonly watches = new Map<string, RuleWatch>();
  private stopped = true;

  constructor(private readonly options: LoadRulesOptions) {
    // Neither the monitor nor the planner can unregister a listener: stopped rules ignore them.
    options.onSweep((snapshot) => {
      if (!this.stopped) this.handleSweep(snapshot);
    });
    options.planner.onEnd((plan) => this.planEnded(plan));
  }

  start(): void {
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
  }

  private handleSweep(snapshot: BoardSnapshot): void {
    for (const server of answeredServers(snapshot)) {
      const rules = this.options.overrides[server.name]?.loadRules;
      if (!rules) continue;
      for (const rule of ['memory', 'cpu'] as const) {
        if (rules[rule]) this.judge(server, rule, rules, snapshot.at);
      }
    }
  }

  private judge(server: ServerSnapshot, rule: RuleName, rules: ServerLoadRules, at: number): void {
    const watch = this.watch(server.name, rule);
    const over = server.container.state === 'running' ? isOver(rule, rules, server.stats) : false;
    // A sweep without a sample says nothing either way: the run of sweeps over it goes on.
    if (over === undefined) return;
    if (!over) {
      delete watch.since;
      return;
    }
    watch.since ??= at;
    const forMinutes = rules[rule]!.forMinutes;
    if (watch.planId !== undefined || at - watch.since < forMinutes * 60_000) return;
    // A restart already planned (by a person, a schedule or the other rule) will do.
    if (this.options.planner.next(server.name)) return;
    watch.planId = '';
    void this.plan(server.name, rule, reason(rule, rules), watch);
  }

  private async plan(server: string, rule: RuleName, why: string, watch: RuleWatch): Promise<void> {
    const offsets = this.options.overrides[server]?.restartWarnings ?? DEFAULT_RESTART_WARNINGS_MS;
    const at = this.now() + Math.max(0, ...offsets);
    try {
      const plan = await auditedAutomation(
        this.options.audit,
        {
          guildId: this.options.guildId,
          command: 'load rule',
          server,
          action: 'plan restart',
          options: { rule, reason: why },
        },
        () => this.options.planner.plan({ server, at, actor: AUTOMATION, reason: why, source: 'load' }),
        (view) => `restart planned <t:${Math.floor(view.at / 1000)}:R>`,
      );
      watch.planId = plan.id;
      this.options.logger.info({ server, rule, reason: why }, `load rule planned a restart of ${server}`);
    } catch (err) {
      delete watch.planId;
      // Already planned, or a lifecycle action runs: nothing to do now; the next sweep looks again.
      if (err instanceof UserError) return;
      this.options.logger.error({ err, server, rule }, 'load rule: could not plan the restart');
    }
  }

  private planEnded(plan: PlanView): void {
    for (const rule of ['memory', 'cpu'] as const) {
      const watch = this.watches.get(key(plan.server, rule));
      if (!watch || watch.planId !== plan.id) continue;
      // Whatever ended it, the load must be sustained anew before the rule plans again.
      delete watch.planId;
      delete watch.since;
    }
  }

  private watch(server: string, rule: RuleName): RuleWatch {
    let watch = this.watches.get(key(server, rule));
    if (!watch) {
      watch = {};
      this.watches.set(key(server, rule), watch);
    }
    return watch;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

function key(server: string, rule: RuleName): string {
  return `${rule}\u0000${server}`;
}

/** Whether the sample is over the rule's threshold; undefined when there is no sample to judge. */
function isOver(rule: RuleName, rules: ServerLoadRules, stats: ContainerStats | null): boolean | undefined {
  if (!stats) return undefined;
  if (rule === 'cpu') return stats.cpuPercent === null ? undefined : stats.cpuPercent > rules.cpu!.above;
  const { above } = rules.memory!;
  if (above.kind === 'bytes') return stats.memoryBytes > above.bytes;
  if (stats.memoryLimitBytes <= 0) return undefined;
  return stats.memoryBytes > above.share * stats.memoryLimitBytes;
}

/** In the countdown's words: "memory above 90% of its limit for 10 minutes". */
function reason(rule: RuleName, rules: ServerLoadRules): string {
  if (rule === 'cpu') return `CPU above ${rules.cpu!.above}% for ${minutes(rules.cpu!.forMinutes)}`;
  const { above, forMinutes } = rules.memory!;
  const what = above.kind === 'share' ? `${above.text} of its limit` : above.text;
  return `memory above ${what} for ${minutes(forMinutes)}`;
}

function minutes(n: number): string {
  return n === 1 ? '1 minute' : `${n} minutes`;
}
