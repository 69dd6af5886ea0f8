import type { ServerOverride } from '../config.js';
import {
  parseActionReply,
  parseBans,
  parseFriendRequests,
  parseSessionUrl,
  parseStatus,
  parseUsers,
  parseWorlds,
  type ActionContext,
  type ActionName,
  type Ban,
  type WorldStatus,
  type WorldSummary,
  type WorldUser,
} from '../console/parsers.js';
import { buildCommandLine, validateRawConsoleLine } from '../console/quoting.js';
import type { ConsoleExec, ConsoleSession } from '../console/session.js';
import { ConsoleClosedError, ConsoleTimeoutError, HeadlessFailureError, UserError } from '../errors.js';
import type { ManagedContainers } from '../docker/containers.js';
import type { ManagedContainer } from '../docker/container-info.js';
import { readLogs } from '../docker/logs.js';
import type { ContainerStats, StatsReader } from '../docker/stats.js';
import type { IntentionalStops } from './intentional-stops.js';
import type { StopOptions, StopResult } from './lifecycle.js';
import { resolveWorld, targetWorlds } from './world-ref.js';

export const USER_ACTIONS = ['kick', 'silence', 'unsilence', 'respawn'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export const WORLD_SETTINGS = ['name', 'description', 'accesslevel', 'maxusers', 'hidefromlisting'] as const;
export type WorldSetting = (typeof WORLD_SETTINGS)[number];

export interface WorldUsers {
  world: WorldSummary;
  users: WorldUser[];
}

export interface ActionOutcome {
  world?: string;
  /** The exact console line sent, for the audit log. */
  line: string;
  reply: string;
}

export interface ServerDeps {
  containers: ManagedContainers;
  stats: StatsReader;
  timeoutMs: number;
  override: ServerOverride;
  /** Where the bot notes its own stops, so the monitor does not alert about them. */
  intentional: IntentionalStops;
}

const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

/** One managed headless: its container joined with its console. */
export class HeadlessServer {
  constructor(
    readonly name: string,
    readonly console: ConsoleSession,
    private readonly deps: ServerDeps,
  ) {}

  get displayName(): string {
    return this.deps.override.displayName ?? this.name;
  }

  /** Saving, closing and restarting worlds take longer than a read. */
  private get slowTimeoutMs(): number {
    return Math.max(60_000, this.deps.timeoutMs * 4);
  }

  container(): Promise<ManagedContainer> {
    return this.deps.containers.get(this.name);
  }

  async worlds(): Promise<WorldSummary[]> {
    return parseWorlds(await this.console.run('worlds'));
  }

  async status(world?: string): Promise<WorldStatus[]> {
    return this.console.group(async (exec) => {
      const results: WorldStatus[] = [];
      for (const target of targetWorlds(await this.listWorlds(exec), world, this.name)) {
        await this.focus(exec, target);
        results.push(parseStatus(await exec('status')));
      }
      return results;
    });
  }

  /** Every world's status, or none when no world runs (the status board's view). */
  async overview(): Promise<WorldStatus[]> {
    return this.console.group(async (exec) => {
      const results: WorldStatus[] = [];
      for (const world of await this.listWorlds(exec)) {
        await this.focus(exec, world);
        results.push(parseStatus(await exec('status')));
      }
      return results;
    });
  }

  async users(world?: string): Promise<WorldUsers[]> {
    return this.console.group(async (exec) => {
      const results: WorldUsers[] = [];
      for (const target of targetWorlds(await this.listWorlds(exec), world, this.name)) {
        await this.focus(exec, target);
        results.push({ world: target, users: parseUsers(await exec('users')) });
      }
      return results;
    });
  }

  /** kick, silence, unsilence, respawn: in the world where the user is, or the one given. */
  async userAction(action: UserAction, user: string, world?: string): Promise<ActionOutcome> {
    buildCommandLine(action, user); // refuses bad input before anything is sent
    return this.inUsersWorld(user, world, (exec, target, name) =>
      this.act(exec, action, buildCommandLine(action, name), { user: name }, target),
    );
  }

  async role(user: string, role: string, world?: string): Promise<ActionOutcome> {
    buildCommandLine('role', user, role); // refuses bad input before anything is sent
    return this.inUsersWorld(user, world, (exec, target, name) =>
      this.act(exec, 'role', buildCommandLine('role', name, role), { user: name, role }, target),
    );
  }

  /** Bans from every session of this server; a user who is not present is banned by name. */
  async ban(user: string): Promise<ActionOutcome> {
    const probe = buildCommandLine('ban', user);
    return this.console.group(async (exec) => {
      const found = await this.whereIs(exec, user);
      const [first] = found;
      if (first) {
        await this.focus(exec, first.world);
        return this.act(exec, 'ban', probe, { user }, first.world);
      }
      const line = buildCommandLine('banbyname', user);
      return this.act(exec, 'ban', line, { user });
    });
  }

  async unban(user: string): Promise<ActionOutcome> {
    const line = buildCommandLine('unban', user);
    return this.console.group((exec) => this.act(exec, 'unban', line, {}));
  }

  async bans(): Promise<Ban[]> {
    return parseBans(await this.console.run('listbans'));
  }

  async invite(user: string): Promise<ActionOutcome> {
    const line = buildCommandLine('invite', user);
    return this.console.group((exec) => this.act(exec, 'invite', line, { user }));
  }

  async message(user: string, text: string): Promise<ActionOutcome> {
    const line = buildCommandLine('message', user, text);
    return this.console.group((exec) => this.act(exec, 'message', line, { user }));
  }

  async friendRequests(): Promise<string[]> {
    return parseFriendRequests(await this.console.run('friendrequests'));
  }

  async acceptFriendRequest(user: string): Promise<ActionOutcome> {
    const line = buildCommandLine('acceptfriendrequest', user);
    return this.console.group((exec) => this.act(exec, 'acceptfriendrequest', line, { user }));
  }

  /** Saves one world, or every world when none is given; returns the names saved. */
  async save(world?: string): Promise<string[]> {
    return this.console.group(async (exec) => this.saveWorlds(exec, world));
  }

  async setWorld(setting: WorldSetting, value: string, world?: string): Promise<ActionOutcome> {
    const line = buildCommandLine(setting, value);
    return this.console.group(async (exec) => {
      const target = await this.oneWorld(exec, world);
      await this.focus(exec, target);
      const context: ActionContext =
        setting === 'accesslevel'
          ? { world: target.name, accessLevel: value }
          : setting === 'hidefromlisting'
            ? { world: target.name, hidden: value === 'true' }
            : {};
      return this.act(exec, setting, line, context, target);
    });
  }

  /** Closes or restarts a world (the headless's own world lifecycle, not the container's). */
  async worldLifecycle(action: 'close' | 'restart', world?: string): Promise<ActionOutcome> {
    return this.console.group(async (exec) => {
      const target = await this.oneWorld(exec, world);
      await this.focus(exec, target);
      return this.act(exec, action, action, {}, target, this.slowTimeoutMs);
    });
  }

  async startWorld(kind: 'url' | 'template', value: string): Promise<ActionOutcome> {
    const line = buildCommandLine(kind === 'url' ? 'startworldurl' : 'startworldtemplate', value);
    const reply = await this.console.run(line, { timeoutMs: this.slowTimeoutMs });
    const result = parseActionReply('restart', reply);
    if (!result.ok) throw new HeadlessFailureError(result.message);
    return { line, reply };
  }

  async sessionUrl(world?: string): Promise<string> {
    return this.console.group(async (exec) => {
      await this.focus(exec, await this.oneWorld(exec, world));
      return parseSessionUrl(await exec('sessionurl'));
    });
  }

  /** An admin's raw console line: validated, then sent as is; the reply is returned verbatim. */
  async raw(line: string): Promise<{ line: string; reply: string }> {
    const checked = validateRawConsoleLine(line);
    return { line: checked.line, reply: await this.console.run(checked.line) };
  }

  async start(): Promise<'started' | 'already running'> {
    const outcome = await this.deps.containers.start(this.name);
    this.deps.intentional.end(this.name);
    return outcome;
  }

  /**
   * Graceful stop: every world saved through the console, then Docker's stop (the image's SIGINT,
   * which the headless treats as a clean shutdown; SIGKILL only after the timeout). A console that
   * does not answer does not block the stop: the result says the worlds were not saved.
   */
  async stop(options: StopOptions = {}): Promise<StopResult> {
    const container = await this.container();
    if (container.state !== 'running' && container.state !== 'restarting' && container.state !== 'paused') {
      return { outcome: 'already stopped', saved: [] };
    }
    const { saved, saveSkipped } = await this.saveBeforeStop(options, container);
    options.onStep?.({ step: 'stopping' });
    this.deps.intentional.begin(this.name);
    let outcome: StopResult['outcome'];
    try {
      outcome = await this.deps.containers.stop(
        this.name,
        this.deps.override.stopTimeoutSeconds ?? DEFAULT_STOP_TIMEOUT_SECONDS,
      );
    } catch (err) {
      // It did not stop: its later deaths are incidents again.
      this.deps.intentional.end(this.name);
      throw err;
    }
    options.onStep?.({ step: 'stopped' });
    return { outcome, saved, ...(saveSkipped ? { saveSkipped } : {}) };
  }

  async restart(options: StopOptions = {}): Promise<StopResult> {
    const stopped = await this.stop(options);
    options.onStep?.({ step: 'starting' });
    await this.start();
    options.onStep?.({ step: 'started' });
    return stopped;
  }

  /**
   * After a start, the headless needs tens of seconds before its console answers: asks for the
   * worlds with growing pauses until some run or the deadline passes. Returns their names.
   */
  async waitUntilRunning(deadlineMs: number): Promise<string[]> {
    const deadline = Date.now() + deadlineMs;
    for (let pause = 250; ; pause = Math.min(pause * 2, 4000)) {
      const names = await this.worlds().then(
        (worlds) => worlds.map((w) => w.name),
        () => [],
      );
      if (names.length > 0) return names;
      if (Date.now() + pause > deadline) return [];
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  async logs(lines: number): Promise<string> {
    const container = await this.container();
    return readLogs(this.deps.containers.handle(container), container.tty, lines);
  }

  async stats(): Promise<ContainerStats> {
    const container = await this.deps.containers.getRunning(this.name);
    return this.deps.stats.read(this.deps.containers.handle(container), container.startedAt);
  }

  private async saveBeforeStop(options: StopOptions, container: ManagedContainer) {
    if (options.force) return { saved: [], saveSkipped: 'forced stop: worlds were not saved' };
    if (this.deps.override.saveBeforeStop === false) {
      return { saved: [], saveSkipped: 'saving before stop is disabled for this server' };
    }
    if (container.state !== 'running') return { saved: [], saveSkipped: `the server is ${container.state}` };
    try {
      const saved = await this.console.group(async (exec) => {
        const worlds = await this.listWorlds(exec);
        options.onStep?.({ step: 'saving', worlds: worlds.map((w) => w.name) });
        return worlds.length === 0 ? [] : this.saveWorlds(exec);
      });
      return { saved };
    } catch (err) {
      if (!(err instanceof ConsoleTimeoutError || err instanceof ConsoleClosedError)) throw err;
      const reason = `worlds were not saved: ${err.message}`;
      options.onStep?.({ step: 'save-skipped', reason });
      return { saved: [], saveSkipped: reason };
    }
  }

  private async saveWorlds(exec: ConsoleExec, world?: string): Promise<string[]> {
    const saved: string[] = [];
    for (const target of targetWorlds(await this.listWorlds(exec), world, this.name)) {
      await this.focus(exec, target);
      const result = parseActionReply('save', await exec('save', { timeoutMs: this.slowTimeoutMs }));
      if (!result.ok) throw new HeadlessFailureError(`${target.name}: ${result.message}`);
      saved.push(target.name);
    }
    return saved;
  }

  private async listWorlds(exec: ConsoleExec): Promise<WorldSummary[]> {
    return parseWorlds(await exec('worlds'));
  }

  private async oneWorld(exec: ConsoleExec, world: string | undefined): Promise<WorldSummary> {
    const worlds = await this.listWorlds(exec);
    if (world !== undefined && world.trim() !== '') return resolveWorld(worlds, world, this.name);
    const [only, ...others] = worlds;
    if (!only) throw new UserError(`Server "${this.name}" has no world running.`);
    if (others.length > 0) {
      throw new UserError(
        `Server "${this.name}" runs ${worlds.length} worlds: say which one with the world option.`,
      );
    }
    return only;
  }

  private async focus(exec: ConsoleExec, world: WorldSummary): Promise<void> {
    const result = parseActionReply('focus', await exec(`focus ${world.index}`));
    if (!result.ok) throw new HeadlessFailureError(result.message);
  }

  /** The worlds a user is in (by exact name, case-insensitive). */
  private async whereIs(exec: ConsoleExec, user: string): Promise<WorldUsers[]> {
    const found: WorldUsers[] = [];
    const wanted = user.toLowerCase();
    for (const world of await this.listWorlds(exec)) {
      await this.focus(exec, world);
      const users = parseUsers(await exec('users'));
      if (users.some((u) => u.name.toLowerCase() === wanted)) found.push({ world, users });
    }
    return found;
  }

  private async inUsersWorld(
    user: string,
    world: string | undefined,
    work: (exec: ConsoleExec, target: WorldSummary, name: string) => Promise<ActionOutcome>,
  ): Promise<ActionOutcome> {
    const wanted = user.toLowerCase();
    // The line names the user as the headless lists them: typed case may differ.
    const listed = (users: WorldUser[]) => users.find((u) => u.name.toLowerCase() === wanted)?.name;
    return this.console.group(async (exec) => {
      if (world !== undefined && world.trim() !== '') {
        const target = resolveWorld(await this.listWorlds(exec), world, this.name);
        await this.focus(exec, target);
        const name = listed(parseUsers(await exec('users')));
        if (name === undefined) throw new UserError(`${user} is not in ${target.name}.`);
        return work(exec, target, name);
      }
      const found = await this.whereIs(exec, user);
      const [first, ...more] = found;
      if (!first) throw new UserError(`${user} is not in any world on server "${this.name}".`);
      if (more.length > 0) {
        const names = found.map((f) => f.world.name).join(', ');
        throw new UserError(`${user} is in several worlds (${names}): say which one with the world option.`);
      }
      await this.focus(exec, first.world);
      return work(exec, first.world, listed(first.users) ?? user);
    });
  }

  private async act(
    exec: ConsoleExec,
    action: ActionName,
    line: string,
    context: ActionContext,
    world?: WorldSummary,
    timeoutMs?: number,
  ): Promise<ActionOutcome> {
    const reply = await exec(line, timeoutMs === undefined ? undefined : { timeoutMs });
    const result = parseActionReply(action, reply, context);
    if (!result.ok) throw new HeadlessFailureError(result.message);
    return { line, reply: result.line, ...(world ? { world: world.name } : {}) };
  }
}
