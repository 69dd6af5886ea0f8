/**
 * Properties of what the bot sends: every value a user can type is either refused before anything
 * is sent, or arrives at the headless as exactly one line that splits back into the same arguments.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  buildCommandLine,
  quoteArg,
  splitConsoleArgs,
  validateRawConsoleLine,
} from '../../src/console/quoting.js';
import { InvalidInputError } from '../../src/errors.js';
import { anyText } from './arbitraries.js';

const RUNS = 10_000;

/** Every character any convention takes for the end of a line (Unicode, .NET, Python's splitlines). */
const ANY_LINE_BREAK = /[\n\v\f\r\u001c-\u001e\u0085\u2028\u2029]/;

/** What the headless reads: the line as UTF-8 on its stdin. */
function received(line: string): string {
  return Buffer.from(`${line}\n`, 'utf8').toString('utf8').slice(0, -1);
}

/**
 * A headless that splits on plain spaces only, with the common .NET idiom of quoted groups or runs
 * of non-space characters, quotes trimmed: a line must mean the same to it as to splitConsoleArgs.
 */
function splitOnSpacesOnly(line: string): string[] {
  return Array.from(line.matchAll(/"[^"]+?"|[^ ]+/g), (match) => match[0].replace(/^"+|"+$/g, ''));
}

/** The line `build` makes, or undefined when it refused the input as an InvalidInputError. */
function builtOrRefused(build: () => string): string | undefined {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) expect(error).toBeInstanceOf(InvalidInputError);
    return undefined;
  }
}

/** `expect(actual).toEqual(expected)`, without its cost when they are equal (tens of thousands of runs). */
function expectEqual(actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
}

function expectOneLineWithWords(line: string, words: string[]): void {
  expectEqual(ANY_LINE_BREAK.test(line), false);
  expectEqual(splitConsoleArgs(received(line)), words);
  expectEqual(splitOnSpacesOnly(received(line)), words);
}

describe.each([
  { kind: 'user name', command: 'kick', maxLength: 40, args: (v: string) => [v] },
  { kind: 'user name with a role', command: 'role', maxLength: 40, args: (v: string) => [v, 'Builder'] },
  { kind: 'world name', command: 'name', maxLength: 60, args: (v: string) => [v] },
  { kind: 'message', command: 'message', maxLength: 300, args: (v: string) => ['bob smith', v] },
  { kind: 'description', command: 'description', maxLength: 300, args: (v: string) => [v] },
  {
    kind: 'impulse text',
    command: 'dynamicimpulsestring',
    maxLength: 80,
    args: (v: string) => ['notice', v],
  },
])('a $kind from anywhere in Unicode', ({ command, maxLength, args }) => {
  it(`is refused, or sent as one line that splits back into it (${RUNS} values)`, () => {
    fc.assert(
      fc.property(anyText(maxLength), (value) => {
        const line = builtOrRefused(() => buildCommandLine(command, ...args(value)));
        if (line !== undefined) expectOneLineWithWords(line, [command, ...args(value)]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('quoteArg', () => {
  it(`refuses a value, or quotes it so that it splits back whole (${RUNS} values)`, () => {
    fc.assert(
      fc.property(anyText(60), (value) => {
        const quoted = builtOrRefused(() => quoteArg(value));
        if (quoted !== undefined) expectOneLineWithWords(`say ${quoted}`, ['say', value]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('validateRawConsoleLine', () => {
  /**
   * Whether a headless could take the word for crash or log: matched case-insensitively, with
   * compatibility letters folded (NFKC) and, as .NET's culture-aware comparisons do, invisible
   * characters (zero-width, bidi, soft hyphen) ignored.
   */
  const forbidden = (word: string | undefined): boolean =>
    word !== undefined &&
    ['crash', 'log'].includes(
      word
        .normalize('NFKC')
        .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
        .toLowerCase(),
    );

  const forbiddenWord = fc.constantFrom('crash', 'CRASH', 'log', 'Log', 'craſh', '"crash"', '"log"');
  const invisible = fc.constantFrom(
    '\u200b',
    '\u200c',
    '\u200d',
    '\ufeff',
    '\u00ad',
    '\u202e',
    '\u2066',
    '\u034f',
  );
  const rawLine = fc.oneof(
    anyText(120),
    fc.tuple(fc.constantFrom('kick', 'status', 'message'), anyText(60)).map(([word, rest]) => word + rest),
    fc.tuple(anyText(3), forbiddenWord, anyText(20)).map((parts) => parts.join('')),
    fc.tuple(forbiddenWord, fc.nat(), invisible, anyText(10)).map(([word, at, mark, rest]) => {
      const cut = at % (word.length + 1);
      return word.slice(0, cut) + mark + word.slice(cut) + rest;
    }),
  );

  it(`refuses a raw line, or passes one line that reads the same and is neither crash nor log (${RUNS} lines)`, () => {
    fc.assert(
      fc.property(rawLine, (line) => {
        const checked = builtOrRefused(() => validateRawConsoleLine(line).line);
        if (checked === undefined) return;
        const words = splitConsoleArgs(line);
        expectEqual(ANY_LINE_BREAK.test(checked), false);
        expectEqual(splitConsoleArgs(received(checked)), words);
        expectEqual(forbidden(words[0]), false);
        expectEqual(forbidden(splitOnSpacesOnly(received(checked))[0]), false);
      }),
      { numRuns: RUNS },
    );
  });
});
