import { NoWorldRunningError, WorldDestroyedError } from './console-errors.js';
import { withoutLogNoise } from './noise.js';
import { NO_WORLD_PROMPT, type Frame } from './prompt-framer.js';
import type { ConsoleCommand } from './quoting.js';

/**
 * Commands that act on the focused world, so they have nothing to act on at the `NO WORLD>` prompt.
 * Not `ban`: it bans from every session of the server.
 */
const NEEDS_WORLD: ReadonlySet<ConsoleCommand> = new Set<ConsoleCommand>([
  'status',
  'users',
  'sessionurl',
  'sessionid',
  'copysessionurl',
  'copysessionid',
  'kick',
  'silence',
  'unsilence',
  'respawn',
  'role',
  'invite',
  'save',
  'close',
  'restart',
  'name',
  'description',
  'accesslevel',
  'hidefromlisting',
  'maxusers',
  'awaykickinterval',
  'enableresonitelink',
  'dynamicimpulse',
  'dynamicimpulsestring',
  'dynamicimpulseint',
  'dynamicimpulsefloat',
  'spawn',
  'import',
  'importminecraft',
]);

function answerLines(text: string): string[] {
  return withoutLogNoise(text.split('\n')).map((line) => line.trim());
}

/**
 * A reply that is `Unknown command` and nothing else but log output. Right after start-up the
 * headless answers a valid command so and did nothing, so the same line can safely be sent again.
 */
export function isBareUnknownCommand(text: string): boolean {
  // Every reply passes here: only one that mentions it is split into lines.
  if (!/unknown command/i.test(text)) return false;
  const lines = answerLines(text);
  return lines.length === 1 && /^Unknown command\.?$/i.test(lines[0] ?? '');
}

/**
 * What a reply says about the world itself, whatever the command: it was destroyed while the command
 * ran, or there was none (the prompt was `NO WORLD>` before and after a command that needs one).
 */
export function worldProblem(
  server: string,
  command: ConsoleCommand | undefined,
  promptBefore: string | null,
  reply: Frame,
): Error | undefined {
  if (
    /destroyed in the meanwhile/i.test(reply.text) &&
    answerLines(reply.text).some((line) => /^The world has been destroyed in the meanwhile\.?$/i.test(line))
  ) {
    return new WorldDestroyedError(server);
  }
  const noWorld = promptBefore === NO_WORLD_PROMPT && reply.prompt === NO_WORLD_PROMPT;
  if (noWorld && command !== undefined && NEEDS_WORLD.has(command)) return new NoWorldRunningError(server);
  return undefined;
}
