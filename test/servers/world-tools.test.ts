/** The world tools' input checks and the exact console lines they build. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitConsoleArgs } from '../../src/console/quoting.js';
import { InvalidInputError } from '../../src/errors.js';
import {
  checkedAwayKickMinutes,
  checkedUserId,
  impulseCommand,
  spawnCommand,
  type WorldCommand,
} from '../../src/servers/world-tools.js';
import { anyText } from '../console/arbitraries.js';

const refusal = (build: () => unknown): string => {
  try {
    build();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

/** The command built, or undefined when the input was refused as bad input. */
function builtOrRefused(build: () => WorldCommand): WorldCommand | undefined {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    return undefined;
  }
}

describe('impulseCommand', () => {
  it('sends a plain impulse when no value is given', () => {
    expect(impulseCommand({ tag: 'OpenDoors' })).toEqual({
      action: 'dynamicimpulse',
      line: 'dynamicimpulse OpenDoors',
    });
  });

  it('sends a value as a string by default, quoted when it holds spaces', () => {
    expect(impulseCommand({ tag: 'Notice', value: 'Event at 8' })).toEqual({
      action: 'dynamicimpulsestring',
      line: 'dynamicimpulsestring Notice "Event at 8"',
    });
    expect(impulseCommand({ tag: 'My Tag', value: 'x', type: 'string' }).line).toBe(
      'dynamicimpulsestring "My Tag" x',
    );
  });

  it.each([
    ['int', '42', 'dynamicimpulseint Score 42'],
    ['int', '-2147483648', 'dynamicimpulseint Score -2147483648'],
    ['int', '+7', 'dynamicimpulseint Score +7'],
    ['float', '1.5', 'dynamicimpulsefloat Score 1.5'],
    ['float', '-.25', 'dynamicimpulsefloat Score -.25'],
    ['float', '2e3', 'dynamicimpulsefloat Score 2e3'],
    ['float', '3', 'dynamicimpulsefloat Score 3'],
  ] as const)('sends a %s value %s as typed', (type, value, line) => {
    expect(impulseCommand({ tag: 'Score', value, type })).toEqual({ action: `dynamicimpulse${type}`, line });
  });

  it.each([
    ['int', '1.5', 'not a whole number'],
    ['int', 'twelve', 'not a whole number'],
    ['int', '0x10', 'not a whole number'],
    ['int', '1 000', 'not a whole number'],
    ['int', '2147483648', 'out of range for a whole number (-2147483648 to 2147483647)'],
    ['int', '-2147483649', 'out of range'],
    ['float', '1,5', 'not a number'],
    ['float', 'NaN', 'not a number'],
    ['float', 'Infinity', 'not a number'],
    ['float', '.', 'not a number'],
    ['float', '1e39', 'too large for a float'],
  ] as const)('refuses the %s value %j', (type, value, message) => {
    expect(refusal(() => impulseCommand({ tag: 'Score', value, type }))).toContain(message);
  });

  it('refuses a type without a value, and a tag or value the console cannot carry', () => {
    expect(refusal(() => impulseCommand({ tag: 'Score', type: 'int' }))).toContain('needs a value');
    expect(refusal(() => impulseCommand({ tag: 'a"b' }))).toContain(
      'The impulse tag contains a double quote',
    );
    expect(refusal(() => impulseCommand({ tag: 'x', value: 'one\ntwo' }))).toContain(
      'The impulse text must be on one line',
    );
    expect(refusal(() => impulseCommand({ tag: 'x'.repeat(257) }))).toContain('too long');
  });

  it('sends any tag and text it takes as one line that splits back into them', () => {
    fc.assert(
      fc.property(anyText(40), anyText(80), (tag, value) => {
        const built = builtOrRefused(() => impulseCommand({ tag, value }));
        if (built) expect(splitConsoleArgs(built.line)).toEqual(['dynamicimpulsestring', tag, value]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes for a number only what splits back into that number', () => {
    fc.assert(
      fc.property(anyText(20), fc.constantFrom('int', 'float' as const), (value, type) => {
        const built = builtOrRefused(() => impulseCommand({ tag: 'n', value, type }));
        if (built) {
          expect(splitConsoleArgs(built.line)).toEqual([`dynamicimpulse${type}`, 'n', value]);
          expect(Number.isFinite(Number(value))).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('spawnCommand', () => {
  it.each([
    ['resrec:///U-alice/R-3f2a9c1e-7b4d-4e8a-9c11-2b8d5f6e0c11', true, true],
    ['resrec:///G-Build-Club/R-Chair_01', false, true],
    ['resrec:///U-bob.smith/R-x', true, false],
  ])('spawns %s active %s persistent %s', (url, active, persistent) => {
    expect(spawnCommand(url, active, persistent)).toEqual({
      action: 'spawn',
      line: `spawn ${url} ${active} ${persistent}`,
    });
  });

  it.each([
    'https://example.com/item',
    'resrec:///U-alice',
    'resrec:///U-alice/R-x/extra',
    'resrec:///U-alice/R-x?y=1',
    'resrec:///X-alice/R-x',
    'resrec://U-alice/R-x',
    'RESREC:///U-alice/R-x',
    'resrec:///U-/R-x',
    'resrec:///U-../R-x',
    'resrec:///U-alice/R-',
    'resrec:///U-al ice/R-x',
    'resrec:///U-alice/R-x ',
    'resrec:///U-alice/r-x',
    'resrec:///U-alice/R-"x"',
    ' resrec:///U-alice/R-x',
  ])('refuses %j', (url) => {
    expect(refusal(() => spawnCommand(url, true, true))).toContain(
      'The record URL must be resrec:///U-<user id>/R-<record id> or resrec:///G-<group id>/R-<record id>',
    );
  });

  it('sends any URL it takes as one line of exactly three arguments', () => {
    fc.assert(
      fc.property(anyText(60), (tail) => {
        const url = `resrec:///U-${tail}`;
        const built = builtOrRefused(() => spawnCommand(url, true, false));
        if (built) expect(splitConsoleArgs(built.line)).toEqual(['spawn', url, 'true', 'false']);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('checkedUserId', () => {
  it.each(['U-alice', 'U-bob-smith', 'U-1a2b3c4d', 'U-ぬこ', 'U-a_b.c'])('takes %s', (id) => {
    expect(checkedUserId(id)).toBe(id);
  });

  it.each(['alice', 'u-alice', 'U-', 'U-.x', 'U-bob smith', 'U-a/b', 'U-a"b', 'G-club', 'U-a\u200bb'])(
    'refuses %j',
    (id) => {
      expect(refusal(() => checkedUserId(id))).toContain('is U- followed by letters, digits');
    },
  );
});

describe('checkedAwayKickMinutes', () => {
  it.each([
    [1, '1'],
    [30, '30'],
    [1440, '1440'],
    [-1, '-1'],
  ])('takes %i', (minutes, text) => {
    expect(checkedAwayKickMinutes(minutes)).toBe(text);
  });

  it.each([0, -2, 1441, 1.5, Number.NaN])('refuses %d', (minutes) => {
    expect(refusal(() => checkedAwayKickMinutes(minutes))).toBe(
      'The away kick must be 1 to 1440 minutes, or -1 to switch it off.',
    );
  });
});
