/**
 * Properties of what the bot reads: on any text at all, every parser returns a value or throws only
 * what it documents (UnrecognisedReplyError, or a UserError for the moderator), never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBareUnknownCommand, worldProblem } from '../../src/console/headless-answers.js';
import {
  ACTION_NAMES,
  UnrecognisedReplyError,
  parseActionReply,
  parseBans,
  parseFriendRequests,
  parseSessionId,
  parseSessionUrl,
  parseStatus,
  parseUsers,
  parseWorlds,
  type ActionContext,
} from '../../src/console/parsers.js';
import { PromptFramer } from '../../src/console/prompt-framer.js';
import { CONSOLE_COMMANDS } from '../../src/console/quoting.js';
import { UserError } from '../../src/errors.js';
import { anyText } from './arbitraries.js';
import * as captures from './captures.js';

const RUNS = 10_000;

const CAPTURED_LINES = Object.values(captures)
  .filter((value): value is string => typeof value === 'string')
  .concat(Object.values(captures.VERBATIM_REPLIES), captures.stackTrace())
  .flatMap((text) => text.split('\n'));

const KEYS = ['Name', 'SessionID', 'Current Users', 'Users', 'Tags', 'Description', 'Uptime', 'ResoniteLink'];

/** A line of console output: captured, keyed like a reply line with any value, or anything at all. */
const consoleLine = fc.oneof(
  fc.constantFrom(...CAPTURED_LINES),
  fc.tuple(fc.constantFrom(...KEYS), anyText(30)).map(([key, value]) => `${key}: ${value}`),
  fc
    .tuple(anyText(20), fc.constantFrom('\tID: ', '\tRole: ', 'Users: ', '\tUserID: ', ' now has role ', '>'))
    .map(([left, glue]) => left + glue),
  fc.constantFrom('', '\t', '   at ', 'SIGNALR: x', 'Unknown command', 'NO WORLD>'),
  anyText(60),
);

const consoleText = fc
  .tuple(fc.array(consoleLine, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, end]) => lines.join(end));

const actionContext: fc.Arbitrary<ActionContext> = fc.record(
  {
    user: anyText(20),
    userId: anyText(12),
    world: anyText(20),
    role: anyText(10),
    accessLevel: anyText(10),
    hidden: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** Runs `parse`, letting through only the errors it documents. */
function parsesOrRefuses(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof UnrecognisedReplyError || error instanceof UserError)) throw error;
  }
}

describe.each<[string, (text: string) => unknown]>([
  ['parseStatus', parseStatus],
  ['parseUsers', parseUsers],
  ['parseWorlds', parseWorlds],
  ['parseBans', parseBans],
  ['parseFriendRequests', parseFriendRequests],
  ['parseSessionUrl', parseSessionUrl],
  ['parseSessionId', parseSessionId],
  ['isBareUnknownCommand', isBareUnknownCommand],
])('%s on any console text', (_name, parse) => {
  it(`returns or throws only its documented errors (${RUNS} texts)`, () => {
    fc.assert(
      fc.property(consoleText, (text) => parsesOrRefuses(() => parse(text))),
      { numRuns: RUNS },
    );
  });
});

describe('parseActionReply on any console text', () => {
  it(`returns a result for every action and any context, never throwing (${RUNS} texts)`, () => {
    fc.assert(
      fc.property(consoleText, actionContext, (text, context) => {
        for (const action of ACTION_NAMES) {
          const result = parseActionReply(action, text, context);
          if (typeof result.ok !== 'boolean') expect(result).toHaveProperty('ok');
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('worldProblem on any console text', () => {
  it(`returns a UserError or nothing (${RUNS} texts)`, () => {
    const prompt = fc.oneof(fc.constant('NO WORLD'), fc.constant(null), anyText(20));
    fc.assert(
      fc.property(
        consoleText,
        fc.constantFrom(undefined, ...CONSOLE_COMMANDS),
        prompt,
        fc.oneof(fc.constant('NO WORLD'), anyText(20)),
        (text, command, before, after) => {
          const problem = worldProblem('lobby', command, before, { text, prompt: after });
          if (problem !== undefined && !(problem instanceof UserError))
            expect(problem).toBeInstanceOf(UserError);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('PromptFramer with a known prompt', () => {
  it(`loses no text, whatever the output and however it is cut into chunks (${RUNS} outputs)`, () => {
    fc.assert(
      fc.property(
        fc.oneof(anyText(20), fc.constantFrom('<b>Lobby</b>', captures.MOUSEPAD_SHOP, 'A>B')),
        fc.array(fc.oneof(consoleText, fc.constant('\n')), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (prompt, replies, cuts) => {
          const output = replies.map((reply) => `${reply}${prompt}>`).join('');
          const framer = new PromptFramer();
          framer.prompt = prompt;
          let framed = '';
          let at = 0;
          for (const cut of [
            ...cuts.map((c) => c % (output.length + 1)).sort((a, b) => a - b),
            output.length,
          ]) {
            framer.push(output.slice(at, Math.max(at, cut)));
            at = Math.max(at, cut);
            for (let frame = framer.next(); frame; frame = framer.next())
              framed += `${frame.text}${frame.prompt}>`;
          }
          if (framed + framer.pending() !== output) expect(framed + framer.pending()).toBe(output);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
