import { describe, it, expect } from 'vitest';
import {
  ACTION_NAMES,
  MAX_REPLY_MESSAGE_LENGTH,
  UnrecognisedReplyError,
  parseActionReply,
  parseBans,
  parseFriendRequests,
  parseSessionId,
  parseSessionUrl,
  parseStatus,
  parseUsers,
  parseWorlds,
  type ActionName,
  type WorldStatus,
} from '../../src/console/parsers.js';
import { UserError } from '../../src/errors.js';

const lines = (...parts: string[]): string => parts.join('\n');

const STACK_TRACE = [
  'System.NullReferenceException: Object reference not set to an instance of an object.',
  '   at FrooxEngine.UserRoot.get_HeadPosition() in /src/UserRoot.cs:line 120',
  '   at FrooxEngine.Headless.HeadlessCommands.<>c.<Respawn>b__5_0(User user)',
  '--- End of stack trace from previous location ---',
  '   at System.Threading.Tasks.Task.Execute()',
];

const STATUS_SAMPLE = lines(
  'Name: Lobby World',
  'SessionID: S-4e1c2a9b-1f0d-4c3e-9a77-2b8d5f6e0c11',
  'Current Users: 3',
  'Present Users: 2',
  'Max Users: 16',
  'Uptime: 01:12:35.4423964',
  'Access Level: Anyone',
  'Hidden from listing: False',
  'Mobile Friendly: False',
  'Description: Welcome!',
  'Tags: social, hangout',
  'Users: Lobby Bot, alice, bob smith',
  'ResoniteLink: off',
);

const STATUS_SAMPLE_PARSED: WorldStatus = {
  name: 'Lobby World',
  sessionId: 'S-4e1c2a9b-1f0d-4c3e-9a77-2b8d5f6e0c11',
  currentUsers: 3,
  presentUsers: 2,
  maxUsers: 16,
  uptime: '01:12:35.4423964',
  uptimeSeconds: 4355,
  accessLevel: 'Anyone',
  hiddenFromListing: false,
  mobileFriendly: false,
  description: 'Welcome!',
  tags: ['social', 'hangout'],
  users: ['Lobby Bot', 'alice', 'bob smith'],
  resoniteLink: 'off',
};

describe('parseStatus', () => {
  it('reads every field of the reference sample', () => {
    expect(parseStatus(STATUS_SAMPLE)).toStrictEqual(STATUS_SAMPLE_PARSED);
  });

  it('leaves resoniteLink out for builds that do not print it', () => {
    const status = parseStatus(STATUS_SAMPLE.replace('\nResoniteLink: off', ''));
    expect(status).not.toHaveProperty('resoniteLink');
    expect(status.users).toEqual(['Lobby Bot', 'alice', 'bob smith']);
  });

  it('ignores SIGNALR lines between status fields', () => {
    const text = STATUS_SAMPLE.replace(
      'Max Users: 16',
      'SIGNALR: BroadcastStatus S-4e1c\nMax Users: 16\nRunning refresh on: Lobby World',
    );
    expect(parseStatus(text)).toStrictEqual(STATUS_SAMPLE_PARSED);
  });

  it('ignores a stack trace and timestamped log lines in the middle of the reply', () => {
    const text = STATUS_SAMPLE.replace(
      'Access Level: Anyone',
      ['15:04:05.123 ( 60 FPS)\tUser joined', ...STACK_TRACE, 'Access Level: Anyone'].join('\n'),
    );
    expect(parseStatus(text)).toStrictEqual(STATUS_SAMPLE_PARSED);
  });

  it('tolerates Windows line ends and trailing spaces', () => {
    const text = STATUS_SAMPLE.split('\n')
      .map((line) => `${line}  `)
      .join('\r\n');
    expect(parseStatus(text)).toStrictEqual(STATUS_SAMPLE_PARSED);
  });

  it('reads the days part of a long uptime', () => {
    const status = parseStatus(STATUS_SAMPLE.replace('01:12:35.4423964', '1.02:03:04.5'));
    expect(status.uptime).toBe('1.02:03:04.5');
    expect(status.uptimeSeconds).toBe(86_400 + 2 * 3_600 + 3 * 60 + 4);
  });

  it('reads an uptime without a fraction', () => {
    expect(parseStatus(STATUS_SAMPLE.replace('01:12:35.4423964', '00:00:09')).uptimeSeconds).toBe(9);
  });

  it('keeps an unreadable uptime as text and counts it as zero seconds', () => {
    const status = parseStatus(STATUS_SAMPLE.replace('01:12:35.4423964', 'a while'));
    expect(status.uptime).toBe('a while');
    expect(status.uptimeSeconds).toBe(0);
  });

  it('reads True flags', () => {
    const status = parseStatus(
      STATUS_SAMPLE.replace('Hidden from listing: False', 'Hidden from listing: True').replace(
        'Mobile Friendly: False',
        'Mobile Friendly: True',
      ),
    );
    expect(status.hiddenFromListing).toBe(true);
    expect(status.mobileFriendly).toBe(true);
  });

  it('gives empty tag and user lists when the headless prints nothing after the colon', () => {
    const status = parseStatus(
      STATUS_SAMPLE.replace('Tags: social, hangout', 'Tags: ')
        .replace('Users: Lobby Bot, alice, bob smith', 'Users:')
        .replace('Description: Welcome!', 'Description:'),
    );
    expect(status.tags).toEqual([]);
    expect(status.users).toEqual([]);
    expect(status.description).toBe('');
  });

  it('reads a world name containing ">" and a description containing ": "', () => {
    const status = parseStatus(
      STATUS_SAMPLE.replace('Name: Lobby World', 'Name: Lobby > Hub >').replace(
        'Description: Welcome!',
        'Description: Rules: be nice',
      ),
    );
    expect(status.name).toBe('Lobby > Hub >');
    expect(status.description).toBe('Rules: be nice');
  });

  it('keeps the extra lines of a multi-line description', () => {
    const text = STATUS_SAMPLE.replace('Description: Welcome!', 'Description: Welcome!\nBe kind.\nHave fun.');
    expect(parseStatus(text).description).toBe('Welcome!\nBe kind.\nHave fun.');
  });

  it('does not absorb stray lines after the last field', () => {
    const status = parseStatus(`${STATUS_SAMPLE}\nsomething else\nName: Other World`);
    expect(status.name).toBe('Lobby World');
    expect(status.resoniteLink).toBe('off');
  });

  it('ignores a field line whose value has the wrong shape', () => {
    const text = STATUS_SAMPLE.replace('Max Users: 16', 'Max Users: many\nMax Users: 16');
    expect(parseStatus(text).maxUsers).toBe(16);
  });

  it('does not mistake the Current Users line for the Users list', () => {
    const status = parseStatus(STATUS_SAMPLE);
    expect(status.currentUsers).toBe(3);
    expect(status.users).toHaveLength(3);
  });

  it('throws a plain UnrecognisedReplyError when there is no Name line', () => {
    const attempt = (): WorldStatus => parseStatus('Unknown command');
    expect(attempt).toThrow(UnrecognisedReplyError);
    expect(attempt).toThrow(/"Name:"/);
    try {
      attempt();
    } catch (error) {
      expect(error).not.toBeInstanceOf(UserError);
    }
  });
});

const USERS_SAMPLE = lines(
  'Lobby Bot\tID: U-1a2b3c4d\tRole: Admin\tPresent: False\tPing: 0 ms\tFPS: 59.857086\tSilenced: False',
  'alice\tID: U-alice\tRole: Builder\tPresent: True\tPing: 41 ms\tFPS: 72.01\tSilenced: False',
  'bob smith\tID: U-bob-smith\tRole: Guest\tPresent: True\tPing: 120 ms\tFPS: 45.5\tSilenced: True',
);

describe('parseUsers', () => {
  it('reads every user of the reference sample', () => {
    expect(parseUsers(USERS_SAMPLE)).toStrictEqual([
      {
        name: 'Lobby Bot',
        id: 'U-1a2b3c4d',
        role: 'Admin',
        present: false,
        ping: 0,
        fps: 59.857086,
        silenced: false,
      },
      { name: 'alice', id: 'U-alice', role: 'Builder', present: true, ping: 41, fps: 72.01, silenced: false },
      {
        name: 'bob smith',
        id: 'U-bob-smith',
        role: 'Guest',
        present: true,
        ping: 120,
        fps: 45.5,
        silenced: true,
      },
    ]);
  });

  it('gives a null id to the logged-out headless user', () => {
    const [user] = parseUsers(
      'Lobby Bot\tID: \tRole: Admin\tPresent: False\tPing: 0 ms\tFPS: 60\tSilenced: False',
    );
    expect(user?.id).toBeNull();
    expect(user?.name).toBe('Lobby Bot');
  });

  it('ignores noise and a stack trace between user lines', () => {
    const [first, second, third] = USERS_SAMPLE.split('\n');
    const text = lines(
      'SIGNALR: BroadcastStatus',
      first ?? '',
      ...STACK_TRACE,
      second ?? '',
      'User joined Lobby World: carol',
      third ?? '',
    );
    expect(parseUsers(text).map((user) => user.name)).toEqual(['Lobby Bot', 'alice', 'bob smith']);
  });

  it('ignores lines that miss a field of the strict pattern', () => {
    const text = lines(
      'mallory\tID: U-mallory\tRole: Guest\tPresent: True\tPing: 5 ms\tFPS: 60',
      'eve ID: U-eve Role: Guest Present: True Ping: 5 ms FPS: 60 Silenced: False',
      'trent\tID: U-trent\tRole: Guest\tPresent: Maybe\tPing: 5 ms\tFPS: 60\tSilenced: False',
      USERS_SAMPLE,
    );
    expect(parseUsers(text)).toHaveLength(3);
  });

  it('reads an FPS printed with a decimal comma', () => {
    const [user] = parseUsers(
      'alice\tID: U-alice\tRole: Guest\tPresent: True\tPing: 3 ms\tFPS: 59,5\tSilenced: False',
    );
    expect(user?.fps).toBe(59.5);
  });

  it('returns no users for an unrelated reply', () => {
    expect(parseUsers('Unknown command')).toEqual([]);
  });
});

const WORLDS_SAMPLE = lines(
  '[0] Lobby World                     Users: 3\tPresent: 2\tAccessLevel: Anyone\tMaxUsers: 16',
  '[1] Build Night                     Users: 1\tPresent: 0\tAccessLevel: Contacts\tMaxUsers: 8',
);

describe('parseWorlds', () => {
  it('reads the reference sample and trims the name padding', () => {
    expect(parseWorlds(WORLDS_SAMPLE)).toStrictEqual([
      { index: 0, name: 'Lobby World', users: 3, present: 2, accessLevel: 'Anyone', maxUsers: 16 },
      { index: 1, name: 'Build Night', users: 1, present: 0, accessLevel: 'Contacts', maxUsers: 8 },
    ]);
  });

  it('reads a long name followed by a single space, a tab, or nothing before Users:', () => {
    const long = 'The Very Long World Name Of Community Events';
    const text = lines(
      `[2] ${long} Users: 5\tPresent: 4\tAccessLevel: LAN\tMaxUsers: 32`,
      `[3] ${long}\tUsers: 0\tPresent: 0\tAccessLevel: Private\tMaxUsers: 1`,
      `[4] ${long}Users: 7\tPresent: 7\tAccessLevel: RegisteredUsers\tMaxUsers: 10`,
    );
    expect(parseWorlds(text).map((world) => [world.index, world.name, world.users])).toEqual([
      [2, long, 5],
      [3, long, 0],
      [4, long, 7],
    ]);
  });

  it('reads world names containing ">" and the words "Users: "', () => {
    const text = lines(
      '[0] Hub > Games >                   Users: 2\tPresent: 1\tAccessLevel: Anyone\tMaxUsers: 16',
      '[1] Users: 9 Club                   Users: 4\tPresent: 4\tAccessLevel: ContactsPlus\tMaxUsers: 12',
    );
    expect(parseWorlds(text).map((world) => [world.name, world.users])).toEqual([
      ['Hub > Games >', 2],
      ['Users: 9 Club', 4],
    ]);
  });

  it('ignores noise and stack traces between world lines', () => {
    const [first, second] = WORLDS_SAMPLE.split('\n');
    const text = lines(
      first ?? '',
      'Running refresh on: Lobby World',
      ...STACK_TRACE,
      second ?? '',
      'World running...',
    );
    expect(parseWorlds(text).map((world) => world.name)).toEqual(['Lobby World', 'Build Night']);
  });

  it('ignores a line missing the MaxUsers field', () => {
    expect(parseWorlds('[0] Lobby World   Users: 3\tPresent: 2\tAccessLevel: Anyone')).toEqual([]);
  });
});

describe('parseBans', () => {
  it('reads the reference sample', () => {
    expect(parseBans('[0]\tUsername: griefer1\tUserID: U-griefer1\tMachineIds: abc123def')).toStrictEqual([
      { index: 0, username: 'griefer1', userId: 'U-griefer1', machineIds: ['abc123def'] },
    ]);
  });

  it('splits several machine ids on commas and spaces and accepts none', () => {
    const text = lines(
      '[0]\tUsername: griefer1\tUserID: U-griefer1\tMachineIds: abc, def ghi',
      '[1]\tUsername: troll two\tUserID: \tMachineIds: ',
      '[2]\tUsername: troll3\tUserID: U-troll3\tMachineIds:',
    );
    expect(parseBans(text)).toStrictEqual([
      { index: 0, username: 'griefer1', userId: 'U-griefer1', machineIds: ['abc', 'def', 'ghi'] },
      { index: 1, username: 'troll two', userId: null, machineIds: [] },
      { index: 2, username: 'troll3', userId: 'U-troll3', machineIds: [] },
    ]);
  });

  it('ignores noise between ban lines and lines that are not bans', () => {
    const text = lines(
      'SIGNALR: BroadcastSession',
      '[0]\tUsername: a\tUserID: U-a\tMachineIds: m1',
      ...STACK_TRACE,
      '[x]\tUsername: b\tUserID: U-b\tMachineIds: m2',
      '[1]\tUsername: c\tUserID: U-c\tMachineIds: m3',
    );
    expect(parseBans(text).map((ban) => ban.username)).toEqual(['a', 'c']);
  });
});

describe('parseFriendRequests', () => {
  it('reads one user name per line, names with spaces included', () => {
    expect(parseFriendRequests(lines('alice', 'bob smith', 'Carol'))).toEqual([
      'alice',
      'bob smith',
      'Carol',
    ]);
  });

  it('leaves out noise lines, stack traces and Unknown command', () => {
    const text = lines(
      'SIGNALR: BroadcastStatus',
      'alice',
      ...STACK_TRACE,
      '',
      'Unknown command',
      'bob smith',
    );
    expect(parseFriendRequests(text)).toEqual(['alice', 'bob smith']);
  });

  it('gives an empty list when nobody asked', () => {
    expect(parseFriendRequests('')).toEqual([]);
  });
});

describe('parseSessionUrl and parseSessionId', () => {
  const url = 'http://cloudx.azurewebsites.net/open/session/S-4e1c2a9b-1f0d-4c3e-9a77-2b8d5f6e0c11';

  it('reads the session URL among noise', () => {
    expect(parseSessionUrl(lines('SIGNALR: BroadcastStatus', url, 'World running...'))).toBe(url);
  });

  it('reads the session id among noise', () => {
    expect(parseSessionId(lines('Running refresh on: x', 'S-4e1c2a9b-1f0d-4c3e-9a77-2b8d5f6e0c11'))).toBe(
      'S-4e1c2a9b-1f0d-4c3e-9a77-2b8d5f6e0c11',
    );
  });

  it('reads a custom session id', () => {
    expect(parseSessionId('S-U-alice:MyWorld')).toBe('S-U-alice:MyWorld');
  });

  it('throws when the reply has no URL', () => {
    expect(() => parseSessionUrl('Unknown command')).toThrow(UnrecognisedReplyError);
  });

  it('throws when the reply has no session id', () => {
    expect(() => parseSessionId(lines('Unknown command', 'Session: none'))).toThrow(UnrecognisedReplyError);
  });
});

describe('parseActionReply', () => {
  it.each<[ActionName, string, string]>([
    ['kick', 'alice kicked!', 'alice'],
    ['ban', 'alice banned!', 'alice'],
    ['silence', 'alice silenced!', 'alice'],
    ['unsilence', 'alice unsilenced!', 'alice'],
    ['respawn', 'alice respawned!', 'alice'],
    ['kick', 'bob smith kicked!', 'Bob Smith'],
  ])('accepts the %s reply %j for user %j', (action, reply, user) => {
    expect(parseActionReply(action, reply, { user })).toEqual({ ok: true, line: reply });
  });

  it.each<[ActionName, string]>([
    ['invite', 'Invite sent!'],
    ['message', 'Message sent!'],
    ['acceptfriendrequest', 'Request accepted!'],
    ['sendfriendrequest', 'Contact request sent to U-alice.'],
    ['unban', 'Removed 1 matching bans'],
    ['unbanbyname', 'Removed 2 matching bans'],
    ['unbanbyid', 'Removed 1 matching bans'],
    ['gc', 'GC finished'],
    ['role', 'alice now has role Builder!'],
    ['accesslevel', 'World Lobby World now has access level LAN'],
    ['hidefromlisting', 'World Lobby World will now show in listing'],
  ])('accepts the verbatim %s reply %j', (action, reply) => {
    expect(parseActionReply(action, reply)).toEqual({ ok: true, line: reply });
  });

  it('accepts a banbyid reply whatever name the ID belongs to, and nothing else', () => {
    const text = lines(...STACK_TRACE, 'bob smith banned!');
    expect(parseActionReply('banbyid', text)).toEqual({ ok: true, line: 'bob smith banned!' });
    expect(parseActionReply('banbyid', 'User not found')).toEqual({ ok: false, message: 'User not found' });
  });

  it('accepts a success line that follows a stack trace', () => {
    const text = lines(...STACK_TRACE, 'alice respawned!');
    expect(parseActionReply('respawn', text, { user: 'alice' })).toEqual({
      ok: true,
      line: 'alice respawned!',
    });
  });

  it('accepts a success line surrounded by SIGNALR and user-joined lines', () => {
    const text = lines('SIGNALR: BroadcastStatus', 'alice kicked!', 'User left Lobby World: alice');
    expect(parseActionReply('kick', text, { user: 'alice' })).toEqual({ ok: true, line: 'alice kicked!' });
  });

  it('refuses a success line about another user', () => {
    expect(parseActionReply('kick', 'bob kicked!', { user: 'alice' })).toEqual({
      ok: false,
      message: 'bob kicked!',
    });
  });

  it('does not take "unsilenced" for "silenced"', () => {
    expect(parseActionReply('silence', 'alice unsilenced!', { user: 'alice' }).ok).toBe(false);
  });

  it('reports the headless words without the noise when the user is not found', () => {
    const text = lines(...STACK_TRACE, 'SIGNALR: BroadcastStatus', 'User not found');
    expect(parseActionReply('kick', text, { user: 'alice' })).toEqual({
      ok: false,
      message: 'User not found',
    });
  });

  it('reports an empty message when the headless said nothing', () => {
    expect(parseActionReply('ban', lines('', 'SIGNALR: x'), { user: 'alice' })).toEqual({
      ok: false,
      message: '',
    });
  });

  it('treats Unknown command as a failure even next to a success line', () => {
    expect(parseActionReply('invite', lines('Unknown command', 'Invite sent!'))).toEqual({
      ok: false,
      message: 'Unknown command\nInvite sent!',
    });
  });

  it('cuts a long failure message to the limit', () => {
    const result = parseActionReply('message', 'x'.repeat(1000));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message.length).toBeLessThanOrEqual(MAX_REPLY_MESSAGE_LENGTH);
      expect(result.message.endsWith('…')).toBe(true);
    }
  });

  it('reports that there is no friend request from the user', () => {
    expect(parseActionReply('acceptfriendrequest', "There's no friend request from this user")).toEqual({
      ok: false,
      message: "There's no friend request from this user",
    });
  });

  it('checks the role in a role reply', () => {
    const reply = 'alice now has role Builder!';
    expect(parseActionReply('role', reply, { user: 'ALICE', role: 'builder' }).ok).toBe(true);
    expect(parseActionReply('role', reply, { user: 'alice', role: 'Admin' }).ok).toBe(false);
    expect(parseActionReply('role', reply, { user: 'bob', role: 'Builder' }).ok).toBe(false);
  });

  it('reads a role reply for a user name with spaces', () => {
    expect(
      parseActionReply('role', 'bob smith now has role Guest!', { user: 'bob smith', role: 'Guest' }).ok,
    ).toBe(true);
  });

  it('checks the user id of a contact request, and accepts the id when only the name is known', () => {
    const reply = 'Contact request sent to U-alice.';
    expect(parseActionReply('sendfriendrequest', reply, { userId: 'U-alice' }).ok).toBe(true);
    expect(parseActionReply('sendfriendrequest', reply, { userId: 'U-bob' }).ok).toBe(false);
    expect(parseActionReply('sendfriendrequest', reply, { user: 'alice' }).ok).toBe(true);
  });

  it('treats Removed 0 matching bans as a failure', () => {
    expect(parseActionReply('unban', 'Removed 0 matching bans')).toEqual({
      ok: false,
      message: 'Removed 0 matching bans',
    });
  });

  it('checks the world and level of an access level reply, world names with ">" included', () => {
    const reply = 'World Hub > Games now has access level Contacts';
    expect(parseActionReply('accesslevel', reply, { world: 'hub > games', accessLevel: 'Contacts' }).ok).toBe(
      true,
    );
    expect(parseActionReply('accesslevel', reply, { world: 'Hub', accessLevel: 'Contacts' }).ok).toBe(false);
    expect(parseActionReply('accesslevel', reply, { world: 'Hub > Games', accessLevel: 'Anyone' }).ok).toBe(
      false,
    );
  });

  it('tells showing from hiding in a hidefromlisting reply', () => {
    const show = 'World Lobby World will now show in listing';
    expect(parseActionReply('hidefromlisting', show, { world: 'Lobby World', hidden: false }).ok).toBe(true);
    expect(parseActionReply('hidefromlisting', show, { world: 'Lobby World', hidden: true }).ok).toBe(false);
    expect(parseActionReply('hidefromlisting', show, { world: 'Build Night' }).ok).toBe(false);
  });

  it.each([
    'World Lobby World will now be hidden from listing',
    'World Lobby World will now hide from listing',
    'World Lobby World will now not show in listing',
  ])('accepts the hide wording %j', (reply) => {
    expect(parseActionReply('hidefromlisting', reply, { world: 'Lobby World', hidden: true })).toEqual({
      ok: true,
      line: reply,
    });
  });

  it.each<ActionName>([
    'save',
    'close',
    'restart',
    'name',
    'description',
    'maxusers',
    'awaykickinterval',
    'focus',
    'dynamicimpulse',
    'dynamicimpulsestring',
    'dynamicimpulseint',
    'dynamicimpulsefloat',
    'spawn',
  ])('treats a silent %s as a success', (action) => {
    expect(parseActionReply(action, '')).toEqual({ ok: true, line: '' });
  });

  it('treats a silent command as a success despite log lines and a stack trace', () => {
    const text = lines(
      'SIGNALR: BroadcastStatus',
      ...STACK_TRACE,
      'World running...',
      '15:04:05.123 ( 60 FPS)\tSaved',
    );
    expect(parseActionReply('restart', text)).toEqual({ ok: true, line: '' });
  });

  it.each([
    'Unknown command',
    'World not found',
    'Invalid number',
    'Error saving world',
    'Usage: maxusers <number>',
    'Could not find world',
    "Couldn't parse the value",
    'Cannot close the userspace',
    "Can't do that",
    'Save failed',
    "That world doesn't exist",
    'No world is currently focused',
    'Invalid number of arguments',
  ])('treats a silent command answering %j as a failure in the headless words', (reply) => {
    expect(parseActionReply('maxusers', lines('SIGNALR: x', reply))).toEqual({ ok: false, message: reply });
  });

  it('knows every action it parses', () => {
    expect(new Set(ACTION_NAMES).size).toBe(31);
    expect(ACTION_NAMES).toContain('dynamicimpulsestring');
    expect(ACTION_NAMES).toContain('removefriend');
    expect(ACTION_NAMES).toContain('hidefromlisting');
    expect(ACTION_NAMES).toContain('focus');
  });
});
