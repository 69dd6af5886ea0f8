import {
  parseActionReply,
  parseBans,
  parseFriendRequests,
  parseSessionUrl,
  parseStatus,
  parseUsers,
  UnrecognisedReplyError,
  type ActionContext,
  type Ban,
  type WorldStatus,
  type WorldSummary,
  type WorldUser,
} from '../console/parsers.js';
import { buildCommandLine, validateRawConsoleLine } from '../console/quoting.js';
import type { ConsoleExec, ConsoleSession, ExecOptions } from '../console/session.js';
import { ConsoleTimeoutError, HeadlessFailureError } from '../errors.js';
import {
  act,
  focus,
  focusUsersWorld,
  listWorlds,
  oneWorld,
  saveWorlds,
  slowTimeoutMs,
  whereIs,
  type ActionOutcome,
} from './console-steps.js';
import { announceInWorlds, DEFAULT_IMPULSE_TAG, type AnnounceResult } from './announce.js';
import type { Actor } from './lifecycle-lock.js';
import { ServerLifecycle, type ServerDeps } from './server-lifecycle.js';
import { actionLineObserver } from './sent-lines.js';
import { SharedReads } from './shared-reads.js';
import { targetWorlds } from './world-ref.js';
import { checkedUserId, type WorldCommand } from './world-tools.js';

export type { ActionOutcome } from './console-steps.js';
export type { ServerDeps } from './server-lifecycle.js';

export const USER_ACTIONS = ['kick', 'silence', 'unsilence', 'respawn'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export const WORLD_SETTINGS = [
  'name',
  'description',
  'accesslevel',
  'maxusers',
  'hidefromlisting',
  'awaykickinterval',
] as const;
export type WorldSetting = (typeof WORLD_SETTINGS)[number];

/** A world's status with the URL members open it by, when the headless gave one. */
export interface WorldStatusWithUrl extends WorldStatus {
  sessionUrl?: string;
}

export interface WorldUsers {
  world: WorldSummary;
  users: WorldUser[];
}

/** One managed headless: its container joined with its console. */
export class HeadlessServer {
  /** The container's side: start, graceful stop, restart (one at a time), Docker's logs and stats. */
  readonly container: ServerLifecycle;
  readonly displayName: string;
  private readonly reads = new SharedReads();

  constructor(
    readonly name: string,
    readonly console: ConsoleSession,
    private readonly deps: ServerDeps,
  ) {
    this.displayName = deps.override.displayName ?? name;
    this.container = new ServerLifecycle(name, this.displayName, console, deps);
  }

  /**
   * Console work, with a timeout explained: a paused or stopped container's console cannot answer,
   * and saying so beats "did not answer within 15 s".
   */
  private async group<T>(work: (exec: ConsoleExec) => Promise<T>): Promise<T> {
    // Taken here, in the caller's context: the queue may run the work from another one.
    const observe = actionLineObserver();
    const exec = (send: ConsoleExec): ConsoleExec =>
      observe
        ? (line, options) => {
            observe(line);
            return send(line, options);
          }
        : send;
    try {
      return await this.console.group((send) => work(exec(send)));
    } catch (err) {
      if (err instanceof ConsoleTimeoutError) await this.deps.containers.getRunning(this.name);
      throw err;
    }
  }

  private run(line: string, options?: ExecOptions): Promise<string> {
    return this.group((exec) => exec(line, options));
  }

  async worlds(): Promise<WorldSummary[]> {
    return this.reads.share('worlds', () => this.group(listWorlds));
  }

  async status(world?: string): Promise<WorldStatus[]> {
    return this.reads.share(`status ${world ?? ''}`, () =>
      this.group(async (exec) => {
        const results: WorldStatus[] = [];
        for (const target of targetWorlds(await listWorlds(exec), world, this.name)) {
          await focus(exec, target);
          results.push(parseStatus(await exec('status')));
        }
        return results;
      }),
    );
  }

  /** As `status`, each world with its session URL (one more line per world: only /status asks). */
  async statusWithSessionUrls(world?: string): Promise<WorldStatusWithUrl[]> {
    return this.reads.share(`status+url ${world ?? ''}`, () =>
      this.group(async (exec) => {
        const results: WorldStatusWithUrl[] = [];
        for (const target of targetWorlds(await listWorlds(exec), world, this.name)) {
          await focus(exec, target);
          const status = parseStatus(await exec('status'));
          const url = optionalSessionUrl(await exec('sessionurl'));
          results.push(url === undefined ? status : { ...status, sessionUrl: url });
        }
        return results;
      }),
    );
  }

  /** Every world's status, or none when no world runs (the status board's view). */
  async overview(): Promise<WorldStatus[]> {
    return this.reads.share('overview', () =>
      this.group(async (exec) => {
        const results: WorldStatus[] = [];
        for (const world of await listWorlds(exec)) {
          await focus(exec, world);
          results.push(parseStatus(await exec('status')));
        }
        return results;
      }),
    );
  }

  async users(world?: string): Promise<WorldUsers[]> {
    return this.reads.share(`users ${world ?? ''}`, () =>
      this.group(async (exec) => {
        const results: WorldUsers[] = [];
        for (const target of targetWorlds(await listWorlds(exec), world, this.name)) {
          await focus(exec, target);
          results.push({ world: target, users: parseUsers(await exec('users')) });
        }
        return results;
      }),
    );
  }

  /** kick, silence, unsilence, respawn: in the world where the user is, or the one given. */
  async userAction(action: UserAction, user: string, world?: string): Promise<ActionOutcome> {
    buildCommandLine(action, user); // refuses bad input before anything is sent
    return this.group(async (exec) => {
      const found = await focusUsersWorld(exec, user, world, this.name);
      return act(exec, action, buildCommandLine(action, found.name), { user: found.name }, found.world);
    });
  }

  async role(user: string, role: string, world?: string): Promise<ActionOutcome> {
    buildCommandLine('role', user, role); // refuses bad input before anything is sent
    return this.group(async (exec) => {
      const found = await focusUsersWorld(exec, user, world, this.name);
      return act(
        exec,
        'role',
        buildCommandLine('role', found.name, role),
        { user: found.name, role },
        found.world,
      );
    });
  }

  /** Bans from every session of this server; a user who is not present is banned by name. */
  async ban(user: string): Promise<ActionOutcome> {
    buildCommandLine('ban', user); // refuses bad input before anything is sent
    return this.group(async (exec) => {
      const found = await whereIs(exec, user);
      const [first] = found;
      if (first) {
        await focus(exec, first.world);
        // The name as the headless lists it, as for a kick: typed case may differ.
        return act(exec, 'ban', buildCommandLine('ban', first.name), { user: first.name }, first.world);
      }
      const line = buildCommandLine('banbyname', user);
      return act(exec, 'ban', line, { user });
    });
  }

  /** Bans a user ID from every session of this server, present or not. */
  async banById(id: string): Promise<ActionOutcome> {
    const line = buildCommandLine('banbyid', checkedUserId(id));
    return this.group((exec) => act(exec, 'banbyid', line, {}));
  }

  async unbanById(id: string): Promise<ActionOutcome> {
    const line = buildCommandLine('unbanbyid', checkedUserId(id));
    return this.group((exec) => act(exec, 'unbanbyid', line, {}));
  }

  async unban(user: string): Promise<ActionOutcome> {
    const line = buildCommandLine('unban', user);
    return this.group((exec) => act(exec, 'unban', line, {}));
  }

  async bans(): Promise<Ban[]> {
    return this.reads.share('listbans', async () => parseBans(await this.run('listbans')));
  }

  async invite(user: string): Promise<ActionOutcome> {
    const line = buildCommandLine('invite', user);
    return this.group((exec) => act(exec, 'invite', line, { user }));
  }

  async message(user: string, text: string): Promise<ActionOutcome> {
    const line = buildCommandLine('message', user, text);
    return this.group((exec) => act(exec, 'message', line, { user }));
  }

  /** A notice to everyone in the worlds (a planned restart's warning), as this server is configured to send it. */
  async announce(text: string): Promise<AnnounceResult> {
    return this.group((exec) =>
      announceInWorlds(exec, text, {
        tag: this.deps.override.restartImpulseTag ?? DEFAULT_IMPULSE_TAG,
        messageUsers: this.deps.override.messageUsersBeforeRestart ?? false,
      }),
    );
  }

  async friendRequests(): Promise<string[]> {
    return this.reads.share('friendrequests', async () =>
      parseFriendRequests(await this.run('friendrequests')),
    );
  }

  async acceptFriendRequest(user: string): Promise<ActionOutcome> {
    const line = buildCommandLine('acceptfriendrequest', user);
    return this.group((exec) => act(exec, 'acceptfriendrequest', line, { user }));
  }

  /** Saves one world, or every world when none is given; returns the names saved. */
  async save(world?: string): Promise<string[]> {
    return this.group(async (exec) => saveWorlds(exec, world, this.name, slowTimeoutMs(this.deps.timeoutMs)));
  }

  async setWorld(setting: WorldSetting, value: string, world?: string): Promise<ActionOutcome> {
    const line = buildCommandLine(setting, value);
    return this.group(async (exec) => {
      const target = await oneWorld(exec, world, this.name);
      await focus(exec, target);
      const context: ActionContext =
        setting === 'accesslevel'
          ? { world: target.name, accessLevel: value }
          : setting === 'hidefromlisting'
            ? { world: target.name, hidden: value === 'true' }
            : {};
      return act(exec, setting, line, context, target);
    });
  }

  /** An in-world command (an impulse, a spawn) in one world: the one given, or the only one. */
  async inWorld(command: WorldCommand, world?: string): Promise<ActionOutcome> {
    return this.group(async (exec) => {
      const target = await oneWorld(exec, world, this.name);
      await focus(exec, target);
      return act(exec, command.action, command.line, {}, target);
    });
  }

  /** Closes or restarts a world (the headless's own world lifecycle, not the container's). */
  async worldLifecycle(action: 'close' | 'restart', world?: string): Promise<ActionOutcome> {
    return this.group(async (exec) => {
      const target = await oneWorld(exec, world, this.name);
      await focus(exec, target);
      return act(exec, action, action, {}, target, slowTimeoutMs(this.deps.timeoutMs));
    });
  }

  async startWorld(kind: 'url' | 'template', value: string): Promise<ActionOutcome> {
    const line = buildCommandLine(kind === 'url' ? 'startworldurl' : 'startworldtemplate', value);
    const reply = await this.run(line, { timeoutMs: slowTimeoutMs(this.deps.timeoutMs) });
    const result = parseActionReply('restart', reply);
    if (!result.ok) throw new HeadlessFailureError(result.message);
    return { line, reply };
  }

  async sessionUrl(world?: string): Promise<string> {
    return this.group(async (exec) => {
      await focus(exec, await oneWorld(exec, world, this.name));
      return parseSessionUrl(await exec('sessionurl'));
    });
  }

  /**
   * An admin's raw console line: validated, then sent as is; the reply is returned verbatim. A
   * `shutdown` is a lifecycle action like a stop: one at a time, and not an incident.
   */
  async raw(line: string, actor: Actor): Promise<{ line: string; reply: string }> {
    const checked = validateRawConsoleLine(line);
    const send = () => this.run(checked.line);
    const reply = checked.command === 'shutdown' ? await this.container.shutdown(actor, send) : await send();
    return { line: checked.line, reply };
  }
}

/** A world between sessions may have no URL to give: its status is still worth showing. */
function optionalSessionUrl(reply: string): string | undefined {
  try {
    return parseSessionUrl(reply);
  } catch (err) {
    if (err instanceof UnrecognisedReplyError) return undefined;
    throw err;
  }
}
