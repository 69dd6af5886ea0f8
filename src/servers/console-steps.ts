import {
  parseActionReply,
  parseUsers,
  parseWorlds,
  type ActionContext,
  type ActionName,
  type WorldSummary,
} from '../console/parsers.js';
import { NoWorldRunningError } from '../console/console-errors.js';
import type { ConsoleExec } from '../console/session.js';
import { HeadlessFailureError, UserError } from '../errors.js';
import { resolveWorld, targetWorlds } from './world-ref.js';

export interface ActionOutcome {
  world?: string;
  /** The exact console line sent, for the audit log. */
  line: string;
  reply: string;
}

/** A world a user is in, with the user's name as that world lists it. */
export interface UserLocation {
  world: WorldSummary;
  name: string;
}

/** Saving, closing and restarting worlds take longer than a read. */
export function slowTimeoutMs(timeoutMs: number): number {
  return Math.max(60_000, timeoutMs * 4);
}

export async function listWorlds(exec: ConsoleExec): Promise<WorldSummary[]> {
  return parseWorlds(await exec('worlds'));
}

/** The world asked for, or the only one running when none was given. */
export async function oneWorld(
  exec: ConsoleExec,
  world: string | undefined,
  server: string,
): Promise<WorldSummary> {
  const worlds = await listWorlds(exec);
  if (world !== undefined && world.trim() !== '') return resolveWorld(worlds, world, server);
  const [only, ...others] = worlds;
  if (!only) throw new NoWorldRunningError(server);
  if (others.length > 0) {
    throw new UserError(
      `Server "${server}" runs ${worlds.length} worlds: say which one with the world option.`,
    );
  }
  return only;
}

export async function focus(exec: ConsoleExec, world: WorldSummary): Promise<void> {
  const result = parseActionReply('focus', await exec(`focus ${world.index}`, { expectPrompt: world.name }));
  if (!result.ok) throw new HeadlessFailureError(result.message);
}

/**
 * The user's name as the focused world lists it (by exact name, case-insensitive), if they are in it.
 * The line names the user as the headless lists them: typed case may differ.
 */
async function listedName(exec: ConsoleExec, user: string): Promise<string | undefined> {
  const wanted = user.toLowerCase();
  return parseUsers(await exec('users')).find((u) => u.name.toLowerCase() === wanted)?.name;
}

/** The worlds a user is in (by exact name, case-insensitive). */
export async function whereIs(exec: ConsoleExec, user: string): Promise<UserLocation[]> {
  const found: UserLocation[] = [];
  for (const world of await listWorlds(exec)) {
    await focus(exec, world);
    const name = await listedName(exec, user);
    if (name !== undefined) found.push({ world, name });
  }
  return found;
}

/** Focuses the world a user is in: the one given, or the only one they are in. */
export async function focusUsersWorld(
  exec: ConsoleExec,
  user: string,
  world: string | undefined,
  server: string,
): Promise<UserLocation> {
  if (world !== undefined && world.trim() !== '') {
    const target = resolveWorld(await listWorlds(exec), world, server);
    await focus(exec, target);
    const name = await listedName(exec, user);
    if (name === undefined) throw new UserError(`${user} is not in ${target.name}.`);
    return { world: target, name };
  }
  const found = await whereIs(exec, user);
  const [first, ...more] = found;
  if (!first) throw new UserError(`${user} is not in any world on server "${server}".`);
  if (more.length > 0) {
    const names = found.map((f) => f.world.name).join(', ');
    throw new UserError(`${user} is in several worlds (${names}): say which one with the world option.`);
  }
  await focus(exec, first.world);
  return first;
}

/** Sends an action line and checks its reply: a failure the headless reports is thrown. */
export async function act(
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

/** Saves one world, or every world when none is given; returns the names saved. */
export async function saveWorlds(
  exec: ConsoleExec,
  world: string | undefined,
  server: string,
  timeoutMs: number,
): Promise<string[]> {
  const saved: string[] = [];
  for (const target of targetWorlds(await listWorlds(exec), world, server)) {
    await focus(exec, target);
    const result = parseActionReply('save', await exec('save', { timeoutMs }));
    if (!result.ok) throw new HeadlessFailureError(`${target.name}: ${result.message}`);
    saved.push(target.name);
  }
  return saved;
}
