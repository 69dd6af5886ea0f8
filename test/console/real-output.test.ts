/** The parsers on the output of real 2026 builds (test/console/captures.ts). */
import { describe, expect, it } from 'vitest';
import {
  parseActionReply,
  parseBans,
  parseFriendRequests,
  parseSessionUrl,
  parseStatus,
  parseUsers,
  parseWorlds,
  type ActionName,
  type WorldStatus,
} from '../../src/console/parsers.js';
import {
  ACCESS_LEVEL_HIDDEN,
  BAN_REPLY,
  CONTACT_REMOVED,
  ENGINE_UNRESPONSIVE,
  KICK_REPLY,
  KICK_REQUEST,
  LISTBANS,
  LOGGED_OUT_USERS,
  MOUSEPAD_SHOP,
  NO_FRIEND_REQUEST,
  RESPAWN_REPLY,
  RUNNING_REFRESH,
  SESSION_URL,
  SILENCE_REPLY,
  STATUS,
  STATUS_DUMP,
  UNSILENCE_REPLY,
  USER_JOINED,
  USER_NOT_FOUND,
  USER_SPAWN,
  USERS,
  VERBATIM_REPLIES,
  WORLDS,
  stackTrace,
} from './captures.js';

const lines = (...parts: string[]): string => parts.join('\n');

const STATUS_PARSED: WorldStatus = {
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

/** The status block with one line replaced by `replacement`. */
function statusWith(line: string, replacement: string): string {
  expect(STATUS).toContain(line);
  return STATUS.replace(line, replacement);
}

describe('parseStatus on 2026 output', () => {
  it('reads the 13 keys of the captured block', () => {
    expect(parseStatus(STATUS)).toStrictEqual(STATUS_PARSED);
  });

  it('ignores a refresh line and a TAB-indented status dump printed before the block', () => {
    expect(parseStatus(lines(RUNNING_REFRESH, STATUS_DUMP, STATUS))).toStrictEqual(STATUS_PARSED);
  });

  it('keeps a status dump that lands inside the name out of the name', () => {
    const text = statusWith('Name: Lobby World', lines('Name: Lobby World', STATUS_DUMP, RUNNING_REFRESH));
    expect(parseStatus(text)).toStrictEqual(STATUS_PARSED);
  });

  it('keeps a status dump and join lines that land inside the description out of it', () => {
    const text = statusWith(
      'Description: Welcome!',
      lines('Description: Welcome!', STATUS_DUMP, USER_JOINED, USER_SPAWN, ENGINE_UNRESPONSIVE),
    );
    expect(parseStatus(text)).toStrictEqual(STATUS_PARSED);
  });

  it.each(['Tags:', 'Tags: '])('gives no tags for %j', (tags) => {
    expect(parseStatus(statusWith('Tags: social, hangout', tags)).tags).toEqual([]);
  });

  it('reads a non-ASCII world name and a rich-text one', () => {
    expect(parseStatus(statusWith('Name: Lobby World', `Name: ${MOUSEPAD_SHOP}`)).name).toBe(MOUSEPAD_SHOP);
    const rich = '<color=#ff0000>Red</color> <b>Room</b>';
    expect(parseStatus(statusWith('Name: Lobby World', `Name: ${rich}`)).name).toBe(rich);
  });
});

describe('parseUsers on 2026 output', () => {
  it('reads the logged-out headless with an empty id', () => {
    expect(parseUsers(LOGGED_OUT_USERS)).toStrictEqual([
      {
        name: 'MyHeadless',
        id: null,
        role: 'Admin',
        present: false,
        ping: 0,
        fps: 59.65997,
        silenced: false,
      },
    ]);
  });

  it('skips join lines and a status dump between users', () => {
    const [first = '', second = '', third = ''] = USERS.split('\n');
    const text = lines(first, USER_JOINED, STATUS_DUMP, second, USER_SPAWN, third);
    expect(parseUsers(text).map((user) => user.name)).toEqual(['Lobby Bot', 'alice', 'bob smith']);
  });
});

describe('parseWorlds, parseBans and parseSessionUrl on 2026 output', () => {
  it('reads the captured worlds table', () => {
    expect(parseWorlds(WORLDS).map((w) => [w.index, w.name, w.users, w.accessLevel])).toEqual([
      [0, 'Lobby World', 3, 'Anyone'],
      [1, 'Build Night', 1, 'Contacts'],
    ]);
  });

  it('reads a non-ASCII world name padded by characters, or not at all when padded by bytes', () => {
    const tail = 'Users: 5\tPresent: 4\tAccessLevel: Anyone\tMaxUsers: 16';
    const byChars = `[0] ${MOUSEPAD_SHOP.padEnd(32)}${tail}`;
    // 49 bytes in UTF-8: a byte-counting printf adds no padding at all.
    const byBytes = `[1] ${MOUSEPAD_SHOP}${tail}`;
    expect(parseWorlds(lines(byChars, byBytes)).map((w) => w.name)).toEqual([MOUSEPAD_SHOP, MOUSEPAD_SHOP]);
  });

  it('reads the captured ban line', () => {
    expect(parseBans(LISTBANS)).toStrictEqual([
      { index: 0, username: 'griefer1', userId: 'U-griefer1', machineIds: ['abc123def'] },
    ]);
  });

  it('reads the captured session URL among log lines', () => {
    expect(parseSessionUrl(lines(STATUS_DUMP, SESSION_URL, USER_JOINED))).toBe(SESSION_URL);
  });
});

describe('parseFriendRequests on 2026 output', () => {
  it('takes neither a status dump, join lines nor the unresponsive notice for a request', () => {
    const text = lines(STATUS_DUMP, 'erin', USER_JOINED, RUNNING_REFRESH, 'frank lee', ENGINE_UNRESPONSIVE);
    expect(parseFriendRequests(text)).toEqual(['erin', 'frank lee']);
  });

  it('gives no requests for the empty reply of a 2026 build', () => {
    expect(parseFriendRequests('')).toEqual([]);
  });
});

describe('parseActionReply on 2026 output', () => {
  it.each(Object.entries(VERBATIM_REPLIES) as [ActionName, string][])(
    'accepts the verbatim %s reply %j',
    (action, reply) => {
      expect(parseActionReply(action, reply, { user: 'alice' })).toEqual({ ok: true, line: reply });
    },
  );

  it.each<[ActionName, string, string]>([
    ['kick', KICK_REPLY, 'alice kicked!'],
    ['ban', BAN_REPLY, 'alice banned!'],
    ['silence', SILENCE_REPLY, 'alice silenced!'],
    ['unsilence', UNSILENCE_REPLY, 'alice unsilenced!'],
    ['respawn', RESPAWN_REPLY, 'alice respawned!'],
  ])('accepts the long %s reply with its log lines and stack trace', (action, reply, line) => {
    expect(reply.split('\n').length).toBeGreaterThan(25);
    expect(parseActionReply(action, reply, { user: 'alice' })).toEqual({ ok: true, line });
  });

  it('reports only the headless words when a kick fails after its log line and trace', () => {
    const reply = lines(KICK_REQUEST, '', ...stackTrace(), USER_NOT_FOUND);
    expect(parseActionReply('kick', reply, { user: 'alice' })).toEqual({
      ok: false,
      message: USER_NOT_FOUND,
    });
  });

  it('accepts a success line between join lines', () => {
    const reply = lines(USER_JOINED, 'alice kicked!', USER_SPAWN);
    expect(parseActionReply('kick', reply, { user: 'alice' }).ok).toBe(true);
  });

  it('checks the world and level of the access level reply, without its leading "World "', () => {
    const reply = VERBATIM_REPLIES.accesslevel;
    expect(parseActionReply('accesslevel', reply, { world: 'Lobby World', accessLevel: 'LAN' }).ok).toBe(
      true,
    );
    expect(parseActionReply('accesslevel', reply, { world: 'World Lobby World' }).ok).toBe(false);
    expect(parseActionReply('accesslevel', reply, { world: 'Lobby World', accessLevel: 'Anyone' }).ok).toBe(
      false,
    );
  });

  it('reads the access level reply for a world whose name starts with "World"', () => {
    const reply = 'World World Tour now has access level Contacts';
    expect(parseActionReply('accesslevel', reply, { world: 'World Tour', accessLevel: 'Contacts' }).ok).toBe(
      true,
    );
  });

  it('accepts the access level reply for a non-ASCII world', () => {
    const reply = `World ${MOUSEPAD_SHOP} now has access level Private`;
    expect(parseActionReply('accesslevel', reply, { world: MOUSEPAD_SHOP, accessLevel: 'Private' }).ok).toBe(
      true,
    );
  });

  it('takes "will now be hidden from listing" for hiding', () => {
    expect(
      parseActionReply('hidefromlisting', ACCESS_LEVEL_HIDDEN, { world: 'Lobby World', hidden: true }),
    ).toEqual({ ok: true, line: ACCESS_LEVEL_HIDDEN });
    expect(parseActionReply('hidefromlisting', ACCESS_LEVEL_HIDDEN, { hidden: false }).ok).toBe(false);
  });

  it('accepts the contact removal, checking the id when it is known', () => {
    expect(parseActionReply('removefriend', CONTACT_REMOVED, { user: 'alice' })).toEqual({
      ok: true,
      line: CONTACT_REMOVED,
    });
    const reply = 'U-alice has been removed from your contacts.';
    expect(parseActionReply('removefriend', reply, { userId: 'U-alice' }).ok).toBe(true);
    expect(parseActionReply('removefriend', reply, { userId: 'U-bob' }).ok).toBe(false);
  });

  it('shows the headless words when there is no friend request', () => {
    expect(parseActionReply('acceptfriendrequest', NO_FRIEND_REQUEST)).toEqual({
      ok: false,
      message: NO_FRIEND_REQUEST,
    });
  });

  it('takes a silent save with the unresponsive notice and a status dump for a success', () => {
    expect(parseActionReply('save', lines(ENGINE_UNRESPONSIVE, STATUS_DUMP))).toEqual({ ok: true, line: '' });
  });
});
