import { describe, expect, it } from 'vitest';
import type { APIEmbed, EmbedBuilder } from 'discord.js';
import type { Ban, WorldSummary, WorldUser } from '../../src/console/parsers.js';
import type { ContainerState, Health, ManagedContainer } from '../../src/docker/container-info.js';
import type { WorldStatusWithUrl, WorldUsers } from '../../src/servers/headless-server.js';
import {
  COLOURS,
  EMBED_LIMITS,
  bansEmbed,
  confirmEmbed,
  containerTone,
  errorEmbed,
  escapeMarkdown,
  formatBytes,
  listWithMore,
  serversEmbed,
  shareBudget,
  statsLine,
  statusEmbeds,
  successEmbed,
  totalEmbedLength,
  usersEmbed,
  worldsEmbed,
  type ServerEntry,
} from '../../src/discord/embeds.js';

const HOSTILE =
  'x*bold* _it_ `code` @everyone @here <@123> <@&456> ||spoiler|| ~~gone~~ [link](https://a.b) ';
const long = (length: number, seed = HOSTILE): string =>
  seed.repeat(Math.ceil(length / seed.length)).slice(0, length);

function container(
  state: ContainerState = 'running',
  health: Health = 'none',
  name = 'lobby',
): ManagedContainer {
  return {
    id: 'abc123',
    name,
    state,
    health,
    startedAt: null,
    finishedAt: null,
    uptimeSeconds: state === 'running' ? 90_061 : null,
    restartCount: 2,
    exitCode: state === 'running' ? null : 137,
    oomKilled: false,
    tty: true,
    image: 'resonite-headless',
    labels: {},
  };
}

function summary(index: number, name = `World ${index}`): WorldSummary {
  return { index, name, users: 50, present: 40, accessLevel: 'Anyone', maxUsers: 64 };
}

function user(name: string, overrides: Partial<WorldUser> = {}): WorldUser {
  return {
    name,
    id: `U-${name}`,
    role: 'Guest',
    present: true,
    ping: 41,
    fps: 60,
    silenced: false,
    ...overrides,
  };
}

function status(overrides: Partial<WorldStatusWithUrl> = {}): WorldStatusWithUrl {
  return {
    name: 'Lobby World',
    sessionId: 'S-4e1c2a9b',
    currentUsers: 3,
    presentUsers: 2,
    maxUsers: 16,
    uptime: '01:12:35.4423964',
    uptimeSeconds: 4_355,
    accessLevel: 'Anyone',
    hiddenFromListing: false,
    mobileFriendly: false,
    description: 'Welcome!',
    tags: ['social', 'hangout'],
    users: ['Lobby Bot', 'alice', 'bob smith'],
    ...overrides,
  };
}

const hugeUsers = (count: number): string[] => Array.from({ length: count }, (_, i) => `${i} ${long(300)}`);

function extremeEntries(): ServerEntry[] {
  return Array.from({ length: 20 }, (_, s) => ({
    container: container(s % 4 === 0 ? 'exited' : 'running', 'unhealthy', `server-${s}-${long(300)}`),
    displayName: `${s} ${long(300)}`,
    worlds: Array.from({ length: 5 }, (_, w) => summary(w, `${w} ${long(300)}`)),
    consoleError: s % 3 === 0 ? long(5000) : undefined,
    stats: { cpuPercent: 123.4, memoryBytes: 2 ** 31, memoryLimitBytes: 2 ** 33, memoryPercent: 25 },
  }));
}

function json(embeds: EmbedBuilder | readonly EmbedBuilder[]): APIEmbed[] {
  return (Array.isArray(embeds) ? embeds : [embeds]).map((embed: EmbedBuilder) => embed.toJSON());
}

function texts(embed: APIEmbed): string[] {
  return [
    embed.title ?? '',
    embed.description ?? '',
    embed.footer?.text ?? '',
    ...(embed.fields ?? []).flatMap((f) => [f.name, f.value]),
  ];
}

/** Every limit Discord enforces on a message's embeds, measured on the serialised JSON. */
function expectWithinDiscordLimits(embeds: EmbedBuilder | readonly EmbedBuilder[]): APIEmbed[] {
  const data = json(embeds);
  expect(data.length).toBeGreaterThan(0);
  expect(data.length).toBeLessThanOrEqual(EMBED_LIMITS.embedsPerMessage);
  for (const embed of data) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.title);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.footer);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.fields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldName);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    }
    expect(JSON.stringify(embed).length).toBeLessThan(64_000);
  }
  const total = data.flatMap(texts).reduce((sum, text) => sum + text.length, 0);
  expect(total).toBeLessThanOrEqual(EMBED_LIMITS.total);
  expect(totalEmbedLength(data)).toBe(total);
  return data;
}

/** No text could ping or render as a mention, whatever allowedMentions says. */
function expectNoMentions(data: readonly APIEmbed[]): void {
  for (const text of data.flatMap(texts)) {
    expect(text).not.toMatch(/@(everyone|here)/);
    expect(text).not.toMatch(/<@[!&]?\d/);
  }
}

const allText = (data: readonly APIEmbed[]): string => data.flatMap(texts).join('\n');

describe('colours', () => {
  it.each<[ContainerState, Health, number]>([
    ['running', 'healthy', COLOURS.ok],
    ['running', 'none', COLOURS.ok],
    ['running', 'starting', COLOURS.warning],
    ['running', 'unhealthy', COLOURS.warning],
    ['restarting', 'none', COLOURS.warning],
    ['paused', 'none', COLOURS.warning],
    ['exited', 'none', COLOURS.error],
    ['dead', 'none', COLOURS.error],
    ['missing', 'none', COLOURS.unknown],
  ])('a %s container with health %s is coloured %i', (state, health, colour) => {
    expect(COLOURS[containerTone({ state, health })]).toBe(colour);
    const [embed] = json(
      serversEmbed([{ container: container(state, health), displayName: 'lobby', worlds: [] }]),
    );
    expect(embed?.color).toBe(colour);
  });

  it('marks a running server whose console does not answer as a warning', () => {
    const entry = {
      container: container('running', 'healthy'),
      displayName: 'lobby',
      consoleError: 'No answer',
    };
    expect(json(serversEmbed([entry]))[0]?.color).toBe(COLOURS.warning);
  });

  it('colours a group of servers by its most troubled one', () => {
    const entries = [
      { container: container('running'), displayName: 'a', worlds: [] },
      { container: container('exited'), displayName: 'b' },
    ];
    expect(json(serversEmbed(entries))[0]?.color).toBe(COLOURS.error);
  });

  it('uses green for success, red for errors, amber for confirmations and blurple for read views', () => {
    expect(successEmbed('Saved').toJSON().color).toBe(COLOURS.ok);
    expect(errorEmbed('Nope').toJSON().color).toBe(COLOURS.error);
    expect(confirmEmbed('Ban alice?').toJSON().color).toBe(COLOURS.warning);
    expect(worldsEmbed('lobby', []).toJSON().color).toBe(COLOURS.info);
    expect(usersEmbed('lobby', []).toJSON().color).toBe(COLOURS.info);
    expect(bansEmbed('lobby', []).toJSON().color).toBe(COLOURS.info);
    expect(statusEmbeds('lobby', [status()])[0]?.toJSON().color).toBe(COLOURS.info);
  });

  it('shows an empty server list in grey', () => {
    const [embed] = json(serversEmbed([]));
    expect(embed?.color).toBe(COLOURS.unknown);
    expect(embed?.description).toContain('No servers');
  });
});

describe('text helpers', () => {
  it('lists what fits and counts the rest as "… +N more"', () => {
    expect(listWithMore(['a', 'b', 'c'], 100)).toBe('a, b, c');
    expect(listWithMore(['alpha', 'beta', 'gamma', 'delta', 'epsilon'], 24)).toBe('alpha, beta … +3 more');
    expect(listWithMore(['one', 'two', 'three', 'four'], 14, '\n')).toBe('one\n… +3 more');
    expect(listWithMore(['social', 'hangout'], 15)).toBe('social, hangout');
    expect(listWithMore([], 10)).toBe('');
    const single = listWithMore([long(500), 'b'], 50);
    expect(single.length).toBeLessThanOrEqual(50);
    expect(single).toMatch(/… \+1 more$/);
    for (let max = 0; max < 40; max += 1)
      expect(listWithMore(hugeUsers(30), max).length).toBeLessThanOrEqual(max);
  });

  it('escapes markdown and neutralizes mentions with a zero-width space', () => {
    const escaped = escapeMarkdown('*bold* _it_ `code` @everyone @here <@123> > quote');
    expect(escaped).toContain('\\*bold\\*');
    expect(escaped).toContain('\\_it\\_');
    expect(escaped).toContain('\\`code\\`');
    expect(escaped).toContain('@\u200beveryone');
    expect(escaped).toContain('@\u200bhere');
    expect(escaped).toContain('<@\u200b123>');
    expect(escapeMarkdown('> quote\n-# small\n# big')).toBe('\\> quote\n\\-# small\n\\# big');
  });

  it('shares a budget so small parts get all they want and large ones split the rest', () => {
    expect(shareBudget(100, [10, 500, 500])).toEqual([10, 45, 45]);
    expect(shareBudget(100, [10, 20])).toEqual([10, 20]);
    expect(shareBudget(-5, [10])).toEqual([0]);
  });

  it('describes container stats in one line', () => {
    const stats = {
      cpuPercent: 12.5,
      memoryBytes: 1.5 * 2 ** 30,
      memoryLimitBytes: 4 * 2 ** 30,
      memoryPercent: 37.5,
    };
    expect(statsLine(stats)).toBe('CPU 12.5% · RAM 1.5 GiB / 4.0 GiB (37.5%)');
    expect(statsLine({ cpuPercent: null, memoryBytes: 0, memoryLimitBytes: 0, memoryPercent: null })).toBe(
      'CPU — · RAM 0 B',
    );
    expect(formatBytes(512 * 2 ** 20)).toBe('512.0 MiB');
  });
});

describe('serversEmbed', () => {
  it('shows state, health, uptime, restarts, stats and worlds with users/max', () => {
    const text = allText(
      json(
        serversEmbed([
          {
            container: container('running', 'healthy'),
            displayName: 'Lobby',
            worlds: [summary(0, 'Lobby World')],
            stats: { cpuPercent: 10, memoryBytes: 2 ** 30, memoryLimitBytes: 0, memoryPercent: null },
          },
        ]),
      ),
    );
    expect(text).toContain('**running** · healthy · up 1d 1h · 2 restarts');
    expect(text).toContain('CPU 10.0% · RAM 1.0 GiB');
    expect(text).toContain('**Lobby World** 50/64 (40 present) · Anyone');
    expect(text).toContain('Lobby (lobby)');
  });

  it('says why the console is unknown, and why a stopped server stopped', () => {
    const text = allText(
      json(
        serversEmbed([
          {
            container: container('running'),
            displayName: 'a',
            consoleError: 'The console did not answer in 15 s.',
          },
          { container: container('running'), displayName: 'b', worlds: null },
          { container: { ...container('exited'), oomKilled: true }, displayName: 'c' },
          { container: container('running'), displayName: 'd', worlds: [] },
        ]),
      ),
    );
    expect(text).toContain('Console: The console did not answer in 15 s.');
    expect(text).toContain('Console: unknown');
    expect(text).toContain('**exited** · exit code 137 · OOM-killed');
    expect(text).toContain('No worlds running');
  });

  it('does not list stale worlds or health for a stopped server', () => {
    const entry = {
      container: container('exited', 'healthy'),
      displayName: 'a',
      worlds: [summary(0, 'Old World')],
    };
    const text = allText(json(serversEmbed([entry])));
    expect(text).not.toContain('Old World');
    expect(text).not.toContain('healthy');
  });

  it('shows a relative "checked" timestamp for the status board heartbeat', () => {
    const [embed] = json(serversEmbed([], { checkedAt: new Date(1_700_000_000_000) }));
    expect(embed?.description).toContain('checked <t:1700000000:R>');
  });

  it('keeps 20 servers of 5 worlds with hostile 300-character names within every limit', () => {
    const data = expectWithinDiscordLimits(serversEmbed(extremeEntries()));
    expect(data.flatMap((embed) => embed.fields ?? [])).toHaveLength(20);
    expect(allText(data)).toMatch(/… \+\d+ more/);
    expectNoMentions(data);
    expect(allText(data)).toContain('\\*bold\\*');
  });

  it('spreads more than 25 servers over several embeds and counts those that do not fit', () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({
      container: container('running', 'healthy', `s${i}`),
      displayName: `s${i}`,
      worlds: [summary(0)],
    }));
    const data = expectWithinDiscordLimits(serversEmbed(entries));
    expect(data.length).toBeGreaterThan(1);
    expect(data[0]?.title).toBe('Servers');
    expect(data.at(-1)?.footer?.text).toMatch(/^\+\d+ more servers not shown$/);
  });
});

describe('statusEmbeds', () => {
  it('shows one world with its counts, access, uptime, session, tags and users', () => {
    const [embed] = json(statusEmbeds('lobby', [status({ hiddenFromListing: true, resoniteLink: 'off' })]));
    expect(embed?.title).toBe('Lobby World');
    expect(embed?.description).toBe('Welcome!');
    const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({
      Users: '3 / 16 (2 present)',
      'Access level': 'Anyone',
      Hidden: 'Yes',
      Uptime: '1h 12m',
      Session: 'S-4e1c2a9b',
      ResoniteLink: 'off',
      Tags: 'social, hangout',
      'User list': 'Lobby Bot, alice, bob smith',
    });
    expect(embed?.footer?.text).toBe('Server: lobby');
  });

  it('keeps 12 worlds with 5000-character descriptions and 50 hostile users within every limit', () => {
    const worlds = Array.from({ length: 12 }, (_, i) =>
      status({
        name: `${i} ${long(300)}`,
        description: long(5000),
        tags: hugeUsers(50),
        users: hugeUsers(50),
        sessionId: `S-${long(300)}`,
      }),
    );
    const data = expectWithinDiscordLimits(statusEmbeds(long(300), worlds));
    expect(data).toHaveLength(10);
    expect(data.at(-1)?.footer?.text).toContain('+2 more worlds not shown');
    expect(allText(data)).toMatch(/… \+\d+ more/);
    expectNoMentions(data);
  });

  it('gives a lone world its full description when it fits', () => {
    const [embed] = expectWithinDiscordLimits(
      statusEmbeds('lobby', [status({ description: 'a'.repeat(4000) })]),
    );
    expect(embed?.description).toBe('a'.repeat(4000));
  });

  it('gives the session URL a line of its own, as a link left whole', () => {
    const url = 'http://cloudx.azurewebsites.net/open/session/S-4e1c2a9b_x*y';
    const [embed] = json(statusEmbeds('lobby', [status({ sessionUrl: url })]));
    expect(embed?.fields?.find((f) => f.name === 'Session URL')).toEqual({
      name: 'Session URL',
      value: url,
      inline: false,
    });
  });

  it('leaves the session URL out when there is none, or one no real server would give', () => {
    const fields = (sessionUrl?: string) =>
      json(statusEmbeds('lobby', [status(sessionUrl === undefined ? {} : { sessionUrl })]))[0]?.fields?.map(
        (f) => f.name,
      );
    expect(fields()).not.toContain('Session URL');
    expect(fields(`http://a.example/${'x'.repeat(300)}`)).not.toContain('Session URL');
  });

  it('says so when no world is running', () => {
    expect(statusEmbeds('lobby', [])[0]?.toJSON().description).toBe('No worlds are running.');
  });
});

describe('worldsEmbed', () => {
  it('lists each world with its index, users/max and access level', () => {
    const embed = worldsEmbed('lobby', [summary(0, 'Lobby World'), summary(1, 'Build Night')]).toJSON();
    expect(embed.description).toBe(
      '`0` **Lobby World** · 50/64 users (40 present) · Anyone\n`1` **Build Night** · 50/64 users (40 present) · Anyone',
    );
  });

  it('keeps 200 worlds with hostile 300-character names within every limit and counts the rest', () => {
    const worlds = Array.from({ length: 200 }, (_, i) => summary(i, `${i} ${long(300)}`));
    const data = expectWithinDiscordLimits(worldsEmbed(long(300), worlds));
    expect(data[0]?.description).toMatch(/\n… \+\d+ more$/);
    expectNoMentions(data);
  });
});

describe('usersEmbed', () => {
  const group = (name: string, users: WorldUser[]): WorldUsers => ({ world: summary(0, name), users });

  it('shows each user with role, presence, ping and silence', () => {
    const [embed] = json(
      usersEmbed('lobby', [
        group('Lobby World', [
          user('alice', { role: 'Builder' }),
          user('bob', { present: false, silenced: true }),
        ]),
        group('Empty', []),
      ]),
    );
    expect(embed?.fields?.[0]).toEqual({
      name: 'Lobby World — 2 users',
      value: '**alice** · Builder · present · 41 ms\n**bob** · Guest · away · 41 ms · 🔇 silenced',
    });
    expect(embed?.fields?.[1]?.value).toBe('No users');
    expect(embed?.footer?.text).toBe('2 users in 2 worlds');
  });

  it('keeps 5 worlds of 50 hostile users within every limit and counts users cut', () => {
    const groups = Array.from({ length: 5 }, (_, w) =>
      group(
        `${w} ${long(300)}`,
        hugeUsers(50).map((name) => user(name, { role: long(300) })),
      ),
    );
    const data = expectWithinDiscordLimits(usersEmbed(long(300), groups));
    expect(allText(data)).toMatch(/\n… \+\d+ more/);
    expect(allText(data)).toContain('\\*bold\\*');
    expectNoMentions(data);
  });

  it('names the worlds past the 25-field limit in one last field', () => {
    const groups = Array.from({ length: 40 }, (_, w) => group(`${w} ${long(300)}`, [user(long(300))]));
    const data = expectWithinDiscordLimits(usersEmbed('lobby', groups));
    expect(data[0]?.fields).toHaveLength(25);
    expect(data[0]?.fields?.at(-1)?.name).toBe('+16 more worlds');
  });
});

describe('bansEmbed', () => {
  it('lists bans with their user id and machine count', () => {
    const bans: Ban[] = [
      { index: 0, username: 'griefer_1', userId: 'U-griefer1', machineIds: ['abc', 'def'] },
      { index: 1, username: 'byname', userId: null, machineIds: [] },
    ];
    expect(bansEmbed('lobby', bans).toJSON().description).toBe(
      '`0` **griefer\\_1** · U-griefer1 · 2 machines\n`1` **byname** · no user id',
    );
  });

  it('keeps 500 hostile bans within every limit and counts the rest', () => {
    const bans = Array.from({ length: 500 }, (_, i) => ({
      index: i,
      username: long(300),
      userId: `U-${long(300)}`,
      machineIds: ['a'],
    }));
    const data = expectWithinDiscordLimits(bansEmbed(long(300), bans));
    expect(data[0]?.description).toMatch(/\+\d+ more$/);
    expectNoMentions(data);
  });
});

describe('message embeds', () => {
  it('escape and cut whatever text they are given', () => {
    for (const embed of [
      successEmbed(long(300), long(5000)),
      errorEmbed(long(5000)),
      confirmEmbed(long(300), long(5000)),
    ]) {
      const data = expectWithinDiscordLimits(embed);
      expectNoMentions(data);
      expect(allText(data)).toContain('\\*bold\\*');
      expect(allText(data)).toContain('…');
    }
  });

  it('show a short message as written', () => {
    expect(successEmbed('Saved', 'Lobby World was saved.').toJSON()).toMatchObject({
      title: 'Saved',
      description: 'Lobby World was saved.',
    });
    expect(errorEmbed('Server "lobby" is stopped.').toJSON().description).toBe('Server "lobby" is stopped.');
    expect(confirmEmbed('Ban alice?').toJSON().description).toBeUndefined();
  });
});
