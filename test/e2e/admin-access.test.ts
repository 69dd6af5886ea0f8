/** Who may use the admin commands, and their autocomplete, end to end. */
import { expect, it, vi } from 'vitest';
import type { CommandOptionInput } from '../discord-emulator/types.js';
import { describeDocker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { THIRTY_WORLDS } from './admin-support.js';
import { lastAudit } from './audit-support.js';
import { receivedCount, receivedSince } from './console-support.js';

/** Discord's own limit for autocomplete answers. */
const DEADLINE_MS = 3_000;

const ADMIN_COMMANDS: [string, Record<string, unknown>, string][] = [
  ['ban', { user: 'alice' }, 'ban'],
  ['unban', { user: 'griefer1' }, 'unban'],
  ['bans', {}, 'bans'],
  ['role', { user: 'alice', role: 'Builder' }, 'role'],
  ['world', { sub: 'name', value: 'Taken Over', world: '0' }, 'world name'],
  ['world', { sub: 'description', value: 'x', world: '0' }, 'world description'],
  ['world', { sub: 'accesslevel', value: 'Private', world: '0' }, 'world accesslevel'],
  ['world', { sub: 'maxusers', value: 2, world: '0' }, 'world maxusers'],
  ['world', { sub: 'hidden', value: true, world: '0' }, 'world hidden'],
  ['world', { sub: 'close', world: '0' }, 'world close'],
  ['world', { sub: 'restart', world: '0' }, 'world restart'],
  ['world', { sub: 'start', template: 'Grid' }, 'world start'],
  ['friends', { sub: 'list' }, 'friends list'],
  ['friends', { sub: 'accept', user: 'erin' }, 'friends accept'],
  ['console', { command: 'users' }, 'console'],
  ['audit', {}, 'audit'],
];

describeDocker('admin commands: access and autocomplete end to end', () => {
  const { h, server } = useBotSuite({ servers: { ctr: { tty: true, env: THIRTY_WORLDS } } });
  const { ctr } = server;

  it.each(ADMIN_COMMANDS)(
    'a moderator is refused /%s %o: private, nothing sent, audited',
    async (name, options, full) => {
      const before = await receivedCount(ctr.id);
      const r = await h.command(name, options, h.member.moderator);
      expect(r.ephemeral).toBe(true);
      expect(r.text).toContain('You need the admin level for this.');
      // Refused at once: no deferral first, no question with buttons.
      expect(r.handle.callbacks.map((c) => (c.body as { type: number }).type)).toEqual([4]);
      expect(r.reply.components ?? []).toEqual([]);
      expect(await receivedSince(ctr.id, before)).toEqual([]);
      expect(lastAudit(h)).toMatchObject({
        command: full,
        memberId: h.member.moderator,
        level: 'moderator',
        outcome: 'refused',
        detail: 'needs admin',
      });
    },
  );

  /** Sends an autocomplete interaction; `focused` names the option being typed, `sub` a subcommand. */
  async function complete(
    name: string,
    focused: string,
    typed: string,
    opts: { sub?: string; others?: Record<string, string>; as?: string } = {},
  ) {
    const list: CommandOptionInput[] = [
      ...Object.entries(opts.others ?? {}).map(([n, value]) => ({ name: n, value })),
      { name: focused, value: typed, focused: true },
    ];
    const handle = h.emulator.sendAutocomplete({
      name,
      options: opts.sub ? [{ name: opts.sub, options: list }] : list,
      member: opts.as ?? h.member.admin,
    });
    const choices = await handle.waitForChoices(DEADLINE_MS + 1_000);
    const callback = handle.callbacks[0]!;
    expect(callback.status).toBeLessThan(300);
    expect((callback.body as { type: number }).type).toBe(8);
    expect(callback.at - handle.dispatchedAt).toBeLessThan(DEADLINE_MS);
    expect(choices.length).toBeLessThanOrEqual(25);
    return choices;
  }

  it('answers within the deadline while the caches are still cold', async () => {
    // 30 worlds' users take a while to gather: the first answer must not wait for all of it.
    await complete('ban', 'user', '');
    await complete('world', 'world', '', { sub: 'close' });
    // Let the caches fill (a lookup answers from what it has after a short wait), so the answers
    // below are complete.
    const { lookups } = h.bot.context;
    await vi.waitFor(
      async () => {
        expect(await lookups.users(undefined)).toHaveLength(30);
        expect(await lookups.worlds(undefined)).toHaveLength(30);
        expect(await lookups.serverNames()).toEqual([ctr.name]);
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  it('server: the managed containers, filtered by what was typed', async () => {
    const all = await complete('bans', 'server', '');
    expect(all).toEqual([{ name: ctr.name, value: ctr.name }]);
    expect(await complete('world', 'server', ctr.name.slice(-6).toUpperCase(), { sub: 'start' })).toEqual(
      all,
    );
    expect(await complete('console', 'server', 'no-such-server')).toEqual([]);
  });

  it('world: at most 25 of 30, indexed, filtered case-insensitively', async () => {
    const all = await complete('world', 'world', '', { sub: 'close' });
    expect(all).toHaveLength(25);
    expect(all[0]).toEqual({ name: '[0] Lobby World', value: 'Lobby World' });
    expect(all[1]).toEqual({ name: '[1] Build Night', value: 'Build Night' });

    const some = await complete('world', 'world', 'extra world 1', { sub: 'maxusers' });
    expect(some.map((c) => c.value)).toEqual(Array.from({ length: 10 }, (_, i) => `Extra World 1${i}`));
    expect(await complete('role', 'world', 'BUILD')).toEqual([
      { name: '[1] Build Night', value: 'Build Night' },
    ]);
    expect(await complete('world', 'world', 'nowhere', { sub: 'name' })).toEqual([]);
  });

  it('user: at most 25 distinct names, filtered by what was typed and by the world given', async () => {
    const all = await complete('ban', 'user', '');
    expect(all).toHaveLength(25);
    expect(new Set(all.map((c) => c.value)).size).toBe(25);
    expect(all.slice(0, 5).map((c) => c.value)).toEqual([
      'Lobby Bot',
      'alice',
      'bob smith',
      'Build Bot',
      'carol',
    ]);
    expect(all.filter((c) => c.value === 'dave')).toHaveLength(1);

    expect(await complete('ban', 'user', 'BOB')).toEqual([{ name: 'bob smith', value: 'bob smith' }]);
    const inWorld = await complete('role', 'user', '', { others: { world: 'Build Night' } });
    expect(inWorld.map((c) => c.value)).toEqual(['Build Bot', 'carol']);
    const byIndex = await complete('role', 'user', 'o', { others: { world: '0' } });
    expect(byIndex.map((c) => c.value)).toEqual(['Lobby Bot', 'bob smith']);
    expect(await complete('unban', 'user', 'zz')).toEqual([]);
  });

  it('a member without the level gets no choices, and nothing is asked of the console', async () => {
    const before = await receivedCount(ctr.id);
    for (const as of [h.member.moderator, h.member.viewer, h.member.nobody]) {
      expect(await complete('ban', 'user', '', { as })).toEqual([]);
      expect(await complete('world', 'world', '', { sub: 'close', as })).toEqual([]);
      expect(await complete('bans', 'server', '', { as })).toEqual([]);
    }
    expect(await receivedSince(ctr.id, before)).toEqual([]);
  });
});
