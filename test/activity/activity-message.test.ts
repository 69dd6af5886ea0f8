import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../src/activity/activity-event.js';
import { activityMessage, CONTENT_LIMIT } from '../../src/activity/activity-message.js';

const person = (
  kind: 'joined' | 'left',
  user: string,
  world = 'Lobby World',
  users = 4,
  server = 'lobby',
): ActivityEvent => ({
  kind,
  server,
  display: server === 'lobby' ? 'Lobby' : server,
  world,
  user,
  count: { users, maxUsers: 16 },
});

describe('activity messages', () => {
  it('says who joined and left where, with the count', () => {
    expect(
      activityMessage([person('joined', 'alice'), person('left', 'bob smith', 'Build Night', 1)], false),
    ).toBe('alice joined Lobby World (4/16)\nbob smith left Build Night (1/16)');
  });

  it('puts the joins of one world on one line with the count after the last', () => {
    const text = activityMessage(
      [person('joined', 'alice', 'Lobby World', 4), person('joined', 'dave', 'Lobby World', 5)],
      false,
    );
    expect(text).toBe('alice, dave joined Lobby World (5/16)');
  });

  it('tells worlds and servers starting and stopping', () => {
    const events: ActivityEvent[] = [
      { kind: 'server-down', server: 'lobby', display: 'Lobby' },
      { kind: 'server-up', server: 'lobby', display: 'Lobby' },
      { kind: 'world-closed', server: 'lobby', display: 'Lobby', world: 'Party' },
      { kind: 'world-started', server: 'lobby', display: 'Lobby', world: 'Party' },
    ];
    expect(activityMessage(events, false)).toBe('Lobby is down\nLobby is up\nParty closed\nParty started');
  });

  it('names the server on each line when several are managed', () => {
    expect(activityMessage([person('joined', 'alice'), person('joined', 'x', 'O', 2, 'other')], true)).toBe(
      'Lobby · alice joined Lobby World (4/16)\nother · x joined O (2/16)',
    );
  });

  it('summarises a burst: thirty people leaving is one line with a count', () => {
    const names = Array.from({ length: 30 }, (_, i) => `user${i}`);
    const text = activityMessage(
      names.map((n, i) => person('left', n, 'Build Night', 30 - i)),
      false,
    );
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toBe(
      '30 people left Build Night (1/16): user0, user1, user2, user3, user4, user5, user6, user7, user8, user9 … and 20 more',
    );
  });

  it('escapes markdown and mentions in every name', () => {
    const text = activityMessage(
      [
        person('joined', '@everyone **bold**', '<@123> `World`'),
        { kind: 'server-up', server: 's', display: '# Lobby_' },
      ],
      false,
    );
    expect(text).toContain('@\u200beveryone \\*\\*bold\\*\\* joined <@\u200b123> \\`World\\`');
    expect(text).toContain('\\# Lobby\\_ is up');
    expect(text).not.toContain('@everyone');
  });

  it('keeps a name with newlines and controls on its line', () => {
    const text = activityMessage([person('joined', 'evil\n> quote\u0007name')], false);
    expect(text).toBe('evil > quotename joined Lobby World (4/16)');
  });

  it('stays within 2000 characters for 200 long hostile names across many worlds', () => {
    const hostile = (i: number) => `@here *_~|\`[x](http://e.com/${i})\n# ${'ẞ'.repeat(200)}${i}`;
    const events = Array.from({ length: 200 }, (_, i) =>
      person(i % 2 ? 'joined' : 'left', hostile(i), `${hostile(i)} world ${i % 40}`),
    );
    const text = activityMessage(events, true);
    expect(text.length).toBeLessThanOrEqual(CONTENT_LIMIT);
    expect(text).not.toMatch(/@here|@everyone/);
    expect(text).toMatch(/… and \d+ more$/);
  });
});
