/** The zod schema of Config.json against the field list it was written from (resonite-config.md). */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  configProblems,
  headlessConfigSchema,
  objectSchema,
  START_WORLD_FIELDS,
  TOP_LEVEL_FIELDS,
} from '../../src/servers/headless-config.js';

// A copy kept in the repository, so a clean clone tests against it; the shared original, where it is, must match.
const COPY = new URL('../fixtures/resonite-config.md', import.meta.url);
const ORIGINAL = new URL('../../../shared/resonite-config.md', import.meta.url);
const markdown = readFileSync(COPY, 'utf8');

interface ListedField {
  name: string;
  type: string;
}

function listedFields(section: string): ListedField[] {
  const body = markdown.split(/^## /m).find((s) => s.startsWith(section));
  if (!body) throw new Error(`no section "${section}" in resonite-config.md`);
  return [...body.matchAll(/^- `([^`]+)`: ([^.]+)\./gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
}

const TOP = listedFields('Top level');
const WORLD = listedFields('Each entry of StartWorlds');

/** Values a field of the listed type takes, and values it must refuse. */
function samples(type: string): { good: unknown[]; bad: unknown[] } {
  const nullable = type.endsWith(' or null');
  const base = type.replace(/ or null$/, '');
  const nullCase = nullable ? { good: [null], bad: [] } : { good: [], bad: [null] };
  const byType: Record<string, { good: unknown[]; bad: unknown[] }> = {
    string: { good: ['text', ''], bad: [1, true] },
    number: { good: [60, 0.5, -1], bad: ['60', true] },
    integer: { good: [4, -1], bad: [4.5, '4'] },
    boolean: { good: [true, false], bad: ['true', 1] },
    'list of string': { good: [[], ['a', 'b']], bad: ['a', [1]] },
    'list of object': { good: [[], [{}]], bad: [{}, ['a']] },
    object: { good: [{}, { id: 'x' }], bad: [1, 'x'] },
    'map of string to string': { good: [{}, { bob: 'Admin' }], bad: [{ bob: 1 }, 'x'] },
  };
  const known = byType[base];
  if (known) return { good: [...known.good, ...nullCase.good], bad: [...known.bad, ...nullCase.bad] };
  const choices = /^one of (.+)$/.exec(base);
  if (choices) {
    const values = choices[1]!.split(' / ');
    return {
      good: [...values, values[0]!.toLowerCase(), ...nullCase.good],
      bad: ['Nope', 3, ...nullCase.bad],
    };
  }
  throw new Error(`a type the test does not know: "${type}"`);
}

describe('the Config.json schema', () => {
  it('the copy of the field list is the shared original', () => {
    if (existsSync(ORIGINAL)) expect(markdown).toBe(readFileSync(ORIGINAL, 'utf8'));
    expect(TOP.length).toBe(15);
    expect(WORLD.length).toBe(33);
  });

  it('has every listed field and no other, at the top and in each world entry', () => {
    expect(Object.keys(objectSchema(TOP_LEVEL_FIELDS).shape).sort()).toEqual(TOP.map((f) => f.name).sort());
    expect(Object.keys(objectSchema(START_WORLD_FIELDS).shape).sort()).toEqual(
      WORLD.map((f) => f.name).sort(),
    );
  });

  describe.each([
    ['top-level', TOP, (name: string, value: unknown) => ({ [name]: value })],
    ['world', WORLD, (name: string, value: unknown) => ({ StartWorlds: [{ [name]: value }] })],
  ])('each %s field has its listed type', (_, fields, wrap) => {
    it.each(fields)('$name: $type', ({ name, type }) => {
      const { good, bad } = samples(type);
      for (const value of good)
        expect(headlessConfigSchema.safeParse(wrap(name, value)).success, JSON.stringify(value)).toBe(true);
      for (const value of bad)
        expect(headlessConfigSchema.safeParse(wrap(name, value)).success, JSON.stringify(value)).toBe(false);
    });
  });

  it('matches names in any casing and keeps unknown fields', () => {
    const file = { tickRate: 30, STARTWORLDS: [{ MaxUsers: 8, custom: { any: 'thing' } }], extra: [1] };
    expect(headlessConfigSchema.safeParse(file).success).toBe(true);
    expect(configProblems({ tickrate: '30', startWorlds: [{ maxusers: 'eight' }] })).toEqual([
      'TickRate: Invalid input: expected number, received string',
      'StartWorlds[0].maxUsers: Invalid input: expected number, received string',
    ]);
  });

  it("the fake headless's own Config.json is valid", () => {
    const fake = JSON.parse(
      readFileSync(new URL('../fixtures/fake-headless/Config.json', import.meta.url), 'utf8'),
    );
    expect(configProblems(fake)).toEqual([]);
  });
});
