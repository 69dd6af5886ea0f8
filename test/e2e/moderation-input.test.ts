/**
 * Moderator commands end to end, the unhappy side: bad input refused before anything reaches the
 * console, the headless's own refusals, a console that stops answering, and text that must not ping.
 */
import { beforeAll, expect, it, vi } from 'vitest';
import { describeDocker, readReceived, readSaves, setHang } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { finishedAudit } from './audit-support.js';
import { commandOn } from './console-support.js';
import { expectNoPings, LOOKUP, raiseMaxLength } from './moderation-helpers.js';

describeDocker('bad moderator input is refused before the console', () => {
  const { h, server } = useBotSuite({ servers: { srv: { tty: true } }, harness: { auditChannel: true } });
  const { srv } = server;
  const run = (name: string, options: Record<string, unknown>) =>
    commandOn(h, srv.id, name, options, h.member.moderator);
  // The console is attached before the first "nothing sent".
  beforeAll(() => h.command('worlds', {}, h.member.viewer));

  const unsafe: [string, string, Record<string, unknown>, RegExp][] = [
    [
      'a user name with a newline',
      'kick',
      { user: 'alice\nkick bob smith' },
      /^The user name must be on one line/,
    ],
    [
      'a user name with a carriage return',
      'kick',
      { user: 'alice\rkick carol' },
      /^The user name must be on one line/,
    ],
    [
      'a user name with a control character',
      'silence',
      { user: 'al\u0007ice' },
      /control character \(U\+0007\)/,
    ],
    [
      'a user name with an escape character',
      'unsilence',
      { user: 'alice\u001b[A' },
      /control character \(U\+001B\)/,
    ],
    ['a user name with a tab', 'invite', { user: 'al\tice' }, /^The user name contains a tab/],
    ['a user name with a double quote', 'respawn', { user: 'bob" smith' }, /double quote/],
    [
      'a message with a newline',
      'message',
      { user: 'alice', text: 'hi\nshutdown' },
      /^The message must be on one line/,
    ],
    [
      'a message with a double quote',
      'message',
      { user: 'alice', text: 'say "hi"' },
      /^The message contains a double quote/,
    ],
    ['a world with a newline', 'save', { world: 'Lobby World\nshutdown' }, /^The world must be on one line/],
    [
      'a world with a control character',
      'kick',
      { user: 'alice', world: 'Lobby\u0000World' },
      /^The world contains/,
    ],
  ];

  it.each(unsafe)('refuses %s (/%s) and sends nothing', async (_label, name, options, error) => {
    const r = await run(name, options);
    expect(r.ephemeral).toBe(true);
    expect(r.text.trim()).toMatch(error);
    expect(r.sent).toEqual([]);
    expect(await finishedAudit(h, name)).toMatchObject({ outcome: 'refused', memberId: h.member.moderator });
  });

  it("refuses a 5000-character user name that got past Discord's max_length, and sends nothing", async () => {
    await raiseMaxLength(h, 'kick', 'user', 6000);
    await raiseMaxLength(h, 'message', 'text', 6000);
    const kick = await run('kick', { user: 'a'.repeat(5000) });
    expect(kick.ephemeral).toBe(true);
    expect(kick.text).toContain('The user name is too long (5000 characters; the limit is 256).');
    expect(kick.sent).toEqual([]);
    expect(await finishedAudit(h, 'kick')).toMatchObject({ outcome: 'refused' });
    const message = await run('message', { user: 'alice', text: 'spam '.repeat(1000) });
    expect(message.text).toContain('The message is too long');
    expect(message.sent).toEqual([]);
  });

  it('refuses an unknown server without touching any container', async () => {
    const r = await run('kick', { user: 'alice', server: 'nope' });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('There is no managed server called "nope".');
    expect(r.sent).toEqual([]);
    expect(await finishedAudit(h, 'kick')).toMatchObject({ outcome: 'failed', server: 'nope' });
  });

  it('refuses an unknown world, listing the worlds, and never sends the action', async () => {
    const kick = await run('kick', { user: 'alice', world: 'Nowhere' });
    expect(kick.ephemeral).toBe(true);
    expect(kick.text).toContain('There is no world "Nowhere"');
    expect(kick.text.replaceAll('\\[', '[')).toContain('[0] Lobby World, [1] Build Night');
    expect(kick.sent).toEqual(['worlds']);
    const saves = await readSaves(srv.id);
    const save = await run('save', { world: 'Nowhere' });
    expect(save.text).toContain('There is no world "Nowhere"');
    expect(save.sent).toEqual(['worlds']);
    expect(await readSaves(srv.id)).toEqual(saves);
  });

  it('says a user who is not present is not there, and never sends the action', async () => {
    const r = await run('kick', { user: 'mallory' });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain(`mallory is not in any world on server "${srv.name}"`);
    expect(r.sent.every((line) => LOOKUP.test(line))).toBe(true);
    expect(await readReceived(srv.id)).not.toContain('kick mallory');
    expect(await finishedAudit(h, 'kick')).toMatchObject({ outcome: 'failed', server: srv.name });

    const inWorld = await run('silence', { user: 'mallory', world: 'Build Night' });
    expect(inWorld.text).toContain('mallory is not in Build Night.');
    expect(inWorld.sent).toEqual(['worlds', 'focus 1', 'users']);
  });

  it('sends @everyone verbatim to the console but never pings anyone in Discord', async () => {
    const owner = h.emulator.ownerId;
    const text = `party in Lobby World @everyone <@${owner}> <@&${h.role.admin}>`;
    const r = await run('message', { user: '@here', text });
    expect(r.ephemeral).toBe(false);
    expect(r.sent).toEqual([`message @here "${text}"`]);
    expect(r.text).not.toMatch(/@here/); // shown as @\u200bhere
    expectNoPings(h, r.handle);
    expect(r.reply).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
    // The audit channel shows the console line as message content: the likeliest place for a ping.
    const posted = await vi.waitFor(() => {
      const found = h.emulator
        .channelMessages(h.channel.audit)
        .find((m) => m.content.includes('party in Lobby World'));
      expect(found).toBeDefined();
      return found!;
    });
    expect(posted).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });

    const error = await run('invite', { user: 'alice', server: '@everyone' });
    expect(error.ephemeral).toBe(true);
    expect(error.sent).toEqual([]);
    expectNoPings(h, error.handle);
    expect(error.reply).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
  });
});

describeDocker('console failures and timeouts', () => {
  const { h, server } = useBotSuite({
    servers: {
      // Answers its first command with "Unknown command", as real headlesses sometimes do after start-up.
      picky: { tty: true, env: { FAKE_FIRST_UNKNOWN: '1' } },
      sleepy: { tty: false },
    },
    harness: { env: { CONSOLE_TIMEOUT_SECONDS: '1' } },
  });
  const { picky, sleepy } = server;

  it('never shows the start-up "Unknown command" as the answer: the first invite is sent again and succeeds', async () => {
    const r = await commandOn(
      h,
      picky.id,
      'invite',
      { user: 'alice', server: picky.name },
      h.member.moderator,
    );
    expect(r.ephemeral).toBe(false);
    expect(r.text).toContain('Invite sent!');
    expect(r.sent.filter((l) => l === 'invite alice')).toHaveLength(2);
    expect(await finishedAudit(h, 'invite')).toMatchObject({
      outcome: 'ok',
      server: picky.name,
      action: 'invite alice',
    });
  });

  it("shows the headless's own words when it refuses an action, and the next one works", async () => {
    const r = await commandOn(
      h,
      picky.id,
      'friends',
      { sub: 'accept', user: 'nobody', server: picky.name },
      h.member.admin,
    );
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain("The server answered: There's no friend request from this user");
    expect(r.sent.at(-1)).toBe('acceptfriendrequest nobody');
    expect(await finishedAudit(h, 'friends accept')).toMatchObject({
      outcome: 'failed',
      server: picky.name,
      detail: expect.stringContaining("There's no friend request") as unknown,
    });
    const again = await commandOn(
      h,
      picky.id,
      'friends',
      { sub: 'accept', user: 'erin', server: picky.name },
      h.member.admin,
    );
    expect(again.ephemeral).toBe(false);
    expect(again.text).toContain('Request accepted!');
  });

  it('says a console that does not answer timed out, and keeps answering afterwards', async () => {
    const asMod = (name: string, options: Record<string, unknown>, on = sleepy) =>
      commandOn(h, on.id, name, { server: on.name, ...options }, h.member.moderator);
    expect((await asMod('respawn', { user: 'alice' })).text).toContain('alice respawned');
    await setHang(sleepy.id, true);
    try {
      const started = Date.now();
      const r = await asMod('kick', { user: 'alice' });
      expect(r.ephemeral).toBe(true);
      expect(r.text).toContain(`The console of "${sleepy.name}" did not answer within 1 s.`);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(r.sent).not.toContain('kick alice');
      expect(await finishedAudit(h, 'kick')).toMatchObject({ outcome: 'failed', server: sleepy.name });
      // The other server's queue is not held up.
      expect((await asMod('invite', { user: 'alice' }, picky)).text).toContain('Invite sent!');
    } finally {
      await setHang(sleepy.id, false);
    }
    const after = await asMod('silence', { user: 'alice', world: 'Lobby World' });
    expect(after.ephemeral).toBe(false);
    expect(after.text).toContain('alice silenced');
    expect(after.sent.at(-1)).toBe('silence alice');
  });
});
