/** Config.json paths and values as /config set reads them: the file's casing, clear refusals. */
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import {
  parseConfigPath,
  parseConfigValue,
  resolveConfigPath,
  withValue,
} from '../../src/servers/config-path.js';
import { START_WORLD_FIELDS, TOP_LEVEL_FIELDS, type FieldShape } from '../../src/servers/headless-config.js';

const FILE = {
  tickRate: 60,
  loginPassword: 'secret',
  startWorlds: [{ sessionName: 'Lobby', MaxUsers: 32, defaultUserRoles: { Bob: 'Admin' } }],
  custom: 1,
};

describe('parseConfigPath', () => {
  it('reads fields and indexes', () => {
    expect(parseConfigPath('startWorlds[0].maxUsers')).toEqual(['startWorlds', 0, 'maxUsers']);
    expect(parseConfigPath(' TickRate ')).toEqual(['TickRate']);
    expect(parseConfigPath('startWorlds[12].tags[3]')).toEqual(['startWorlds', 12, 'tags', 3]);
  });

  it.each(['', '[0]', '.tickRate', 'startWorlds[x]', 'startWorlds[0]..maxUsers', 'tick rate', 'a[0', 'a-b'])(
    'refuses %j, saying what a path looks like',
    (text) => {
      expect(() => parseConfigPath(text)).toThrow(InvalidInputError);
      expect(() => parseConfigPath(text)).toThrow(/path|field name/);
    },
  );
});

describe('resolveConfigPath', () => {
  const resolve = (path: string) => resolveConfigPath(FILE, parseConfigPath(path));

  it('spells each part as the file does, whatever the casing typed', () => {
    expect(resolve('STARTWORLDS[0].maxusers')).toMatchObject({
      parts: ['startWorlds', 0, 'MaxUsers'],
      current: 32,
      shape: START_WORLD_FIELDS.maxUsers,
    });
    expect(resolve('TickRate')).toMatchObject({ parts: ['tickRate'], current: 60 });
  });

  it("a field not in the file yet takes its neighbours' casing", () => {
    expect(resolve('UniverseID')).toMatchObject({ parts: ['universeID'], current: undefined });
    expect(resolveConfigPath({ TickRate: 60 }, ['logsfolder']).parts).toEqual(['LogsFolder']);
    expect(resolve('startWorlds[0].autoSleep')).toMatchObject({ parts: ['startWorlds', 0, 'autoSleep'] });
  });

  it('reads into maps by their own keys', () => {
    expect(resolve('startWorlds[0].defaultUserRoles.Bob')).toMatchObject({ current: 'Admin' });
  });

  it.each([
    ['nope', /no field `nope` at the top of Config.json/],
    ['startWorlds[0].maxUser', /no field `maxUser` in startWorlds\[0\]/],
    ['startWorlds[1].maxUsers', /startWorlds has 1 entries \(\[0\] to \[0\]\): there is no \[1\]/],
    ['tickRate[0]', /tickRate is not a list/],
    ['tickRate.x', /tickRate is a number.*no field `x`/],
    ['custom', /no field `custom`/],
    ['dataFolder[0]', /dataFolder is not a list/],
    ['startWorlds[0].tags[0]', /startWorlds\[0\].tags is not set in the file, so it has no \[0\]/],
    ['allowedUrlHosts[0]', /allowedUrlHosts is not set in the file/],
  ])('refuses %s', (path, message) => {
    expect(() => resolve(path)).toThrow(message);
  });
});

describe('parseConfigValue', () => {
  const at = (shape: FieldShape, text: string) => parseConfigValue(text, shape, 'here');

  it('types the value by its field', () => {
    expect(at(TOP_LEVEL_FIELDS.TickRate!, '30.5')).toBe(30.5);
    expect(at(START_WORLD_FIELDS.maxUsers!, '16')).toBe(16);
    expect(at(START_WORLD_FIELDS.autoSleep!, 'FALSE')).toBe(false);
    expect(at(START_WORLD_FIELDS.accessLevel!, 'contactsplus')).toBe('ContactsPlus');
    expect(at(TOP_LEVEL_FIELDS.Comment!, 'a comment')).toBe('a comment');
    expect(at(TOP_LEVEL_FIELDS.Comment!, '"  spaced  "')).toBe('  spaced  ');
    expect(at(TOP_LEVEL_FIELDS.Comment!, 'null')).toBeNull();
    expect(at(START_WORLD_FIELDS.forcePort!, 'null')).toBeNull();
    expect(at(START_WORLD_FIELDS.tags!, '["a", "b"]')).toEqual(['a', 'b']);
    expect(at(START_WORLD_FIELDS.defaultUserRoles!, '{"bob": "Admin"}')).toEqual({ bob: 'Admin' });
  });

  it.each([
    [START_WORLD_FIELDS.maxUsers!, 'sixteen', /here must be a whole number, not `sixteen`/],
    [START_WORLD_FIELDS.maxUsers!, '16.5', /whole number/],
    [TOP_LEVEL_FIELDS.TickRate!, '1e999', /a number/],
    [TOP_LEVEL_FIELDS.TickRate!, 'null', /here cannot be null: it must be a number/],
    [START_WORLD_FIELDS.autoSleep!, 'yes', /true or false/],
    [
      START_WORLD_FIELDS.accessLevel!,
      'Everyone',
      /one of Private, LAN, Contacts, ContactsPlus, RegisteredUsers, Anyone/,
    ],
    [START_WORLD_FIELDS.tags!, 'a,b', /a JSON list/],
    [START_WORLD_FIELDS.tags!, '[1]', /a JSON list/],
    [START_WORLD_FIELDS.defaultUserRoles!, '{"bob": 1}', /a JSON object/],
  ])('refuses a wrong value (%#)', (shape, text, message) => {
    expect(() => at(shape, text)).toThrow(InvalidInputError);
    expect(() => at(shape, text)).toThrow(message);
  });
});

describe('withValue', () => {
  it('sets a copy, leaving the original and unknown fields as they were', () => {
    const changed = withValue(FILE, ['startWorlds', 0, 'MaxUsers'], 16) as typeof FILE;
    expect(changed.startWorlds[0]!.MaxUsers).toBe(16);
    expect(changed.custom).toBe(1);
    expect(FILE.startWorlds[0]!.MaxUsers).toBe(32);
  });
});
