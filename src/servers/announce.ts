import { parseActionReply, parseUsers } from '../console/parsers.js';
import { buildCommandLine } from '../console/quoting.js';
import type { ConsoleExec } from '../console/session.js';
import { ConsoleClosedError, ConsoleTimeoutError } from '../errors.js';
import { act, focus, listWorlds } from './console-steps.js';

export const DEFAULT_IMPULSE_TAG = 'HeadlessRestart';

export interface AnnounceOptions {
  /** The dynamic impulse tag worlds built to react listen on. */
  tag: string;
  /** Also `message` each present user; it reaches only the headless's contacts. */
  messageUsers: boolean;
}

/** What an in-world notice reached: each failure is counted, none stops the rest. */
export interface AnnounceResult {
  worlds: number;
  /** Worlds whose impulse the headless refused. */
  worldFailures: number;
  usersMessaged: number;
  /** Users a message did not reach (not a contact, or the headless refused it). */
  messageFailures: number;
}

/**
 * There is no broadcast chat: the text goes to every running world as a dynamic impulse, and (when
 * asked) to each present user by `message`. The headless's own user is the first each world lists;
 * it is never messaged. A console that stops answering ends the messaging, every user left counted.
 */
export async function announceInWorlds(
  exec: ConsoleExec,
  text: string,
  options: AnnounceOptions,
): Promise<AnnounceResult> {
  const impulse = buildCommandLine('dynamicimpulsestring', options.tag, text);
  const result: AnnounceResult = { worlds: 0, worldFailures: 0, usersMessaged: 0, messageFailures: 0 };
  const users = new Map<string, string>();
  for (const world of await listWorlds(exec)) {
    result.worlds += 1;
    await focus(exec, world);
    if (!parseActionReply('dynamicimpulsestring', await exec(impulse)).ok) result.worldFailures += 1;
    if (!options.messageUsers) continue;
    const [, ...others] = parseUsers(await exec('users'));
    for (const user of others) {
      if (user.present) users.set(user.id ?? user.name.toLowerCase(), user.name);
    }
  }
  let consoleGone = false;
  for (const name of users.values()) {
    if (consoleGone) {
      result.messageFailures += 1;
      continue;
    }
    try {
      await act(exec, 'message', buildCommandLine('message', name, text), { user: name });
      result.usersMessaged += 1;
    } catch (err) {
      result.messageFailures += 1;
      consoleGone = err instanceof ConsoleTimeoutError || err instanceof ConsoleClosedError;
    }
  }
  return result;
}
