import { describe, expect, it } from 'vitest';
import { NoWorldRunningError, WorldDestroyedError } from '../../src/console/console-errors.js';
import { isBareUnknownCommand, worldProblem } from '../../src/console/headless-answers.js';
import { NO_WORLD_PROMPT } from '../../src/console/prompt-framer.js';
import { UserError } from '../../src/errors.js';
import { STATUS, STATUS_DUMP, UNKNOWN_COMMAND, WORLD_DESTROYED, stackTrace } from './captures.js';

const lines = (...parts: string[]): string => parts.join('\n');

describe('isBareUnknownCommand', () => {
  it.each([
    `${UNKNOWN_COMMAND}\n`,
    'unknown command.',
    lines(STATUS_DUMP, UNKNOWN_COMMAND, ...stackTrace(), ''),
    `  ${UNKNOWN_COMMAND}  `,
  ])('takes %j for the start-up quirk', (text) => {
    expect(isBareUnknownCommand(text)).toBe(true);
  });

  it.each([
    '',
    lines(UNKNOWN_COMMAND, 'Invite sent!'),
    'Unknown command: frob',
    lines(UNKNOWN_COMMAND, UNKNOWN_COMMAND),
  ])('does not take %j for it', (text) => {
    expect(isBareUnknownCommand(text)).toBe(false);
  });
});

describe('worldProblem', () => {
  it('says a world destroyed in the meanwhile in clear words', () => {
    const problem = worldProblem('lobby', 'status', 'Lobby World', {
      text: lines(STATUS_DUMP, WORLD_DESTROYED, ''),
      prompt: 'Lobby World',
    });
    expect(problem).toBeInstanceOf(WorldDestroyedError);
    expect(problem).toBeInstanceOf(UserError);
    expect(problem?.message).toBe(
      'The world on server "lobby" was restarted or closed while the command ran; try again.',
    );
  });

  it('says there is no world when a world command ran at the NO WORLD prompt', () => {
    const problem = worldProblem('lobby', 'kick', NO_WORLD_PROMPT, { text: 'x\n', prompt: NO_WORLD_PROMPT });
    expect(problem).toBeInstanceOf(NoWorldRunningError);
    expect(problem?.message).toBe('Server "lobby" has no world running.');
  });

  it('finds nothing wrong with worlds at the NO WORLD prompt, or a close that left no world', () => {
    expect(
      worldProblem('lobby', 'worlds', NO_WORLD_PROMPT, { text: '', prompt: NO_WORLD_PROMPT }),
    ).toBeUndefined();
    expect(
      worldProblem('lobby', 'close', 'Lobby World', { text: '', prompt: NO_WORLD_PROMPT }),
    ).toBeUndefined();
    expect(
      worldProblem('lobby', 'status', 'Lobby World', { text: STATUS, prompt: 'Lobby World' }),
    ).toBeUndefined();
  });

  it('finds nothing wrong with an unknown command at the NO WORLD prompt', () => {
    expect(
      worldProblem('lobby', undefined, NO_WORLD_PROMPT, {
        text: 'Unknown command\n',
        prompt: NO_WORLD_PROMPT,
      }),
    ).toBeUndefined();
  });
});
