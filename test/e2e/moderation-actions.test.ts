/**
 * Moderator commands end to end (real discord.js client, local Discord emulator, real engine, fake
 * headless): what reaches the console, what the moderator sees, what the audit log keeps, who may.
 */
import { describe, expect, it } from 'vitest';
import { describeDocker, readReceived, readSaves } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { finishedAudit } from './audit-support.js';
import { commandOn } from './console-support.js';
import { expectNoPings, LOOKUP } from './moderation-helpers.js';

describeDocker('moderator commands end to end', () => {
  const { h, server } = useBotSuite({ servers: { srv: { tty: true } } });
  const { srv } = server;
  const run = (name: string, options: Record<string, unknown>, as = h.member.moderator) =>
    commandOn(h, srv.id, name, options, as);
  const aliceLine = async () =>
    (await h.command('users', { world: 'Lobby World' }, h.member.viewer)).text
      .split('\n')
      .find((line) => line.startsWith('**alice**'));

  describe('user actions', () => {
    it('kicks a user from the world they are found in, quoting a name with spaces', async () => {
      const r = await run('kick', { user: 'bob smith' });
      expect(r.ephemeral).toBe(false);
      expect(r.text).toContain('bob smith kicked');
      expect(r.text).toContain('Lobby World');
      expect(r.sent.at(-1)).toBe('kick "bob smith"');
      expect(r.sent.slice(0, -1).every((line) => LOOKUP.test(line))).toBe(true);
      expect(await finishedAudit(h, 'kick')).toMatchObject({
        outcome: 'ok',
        memberId: h.member.moderator,
        level: 'moderator',
        server: srv.name,
        world: 'Lobby World',
        action: 'kick "bob smith"',
      });
      expectNoPings(h, r.handle);
      expect((await h.command('users', { world: 'Lobby World' }, h.member.viewer)).text).not.toContain(
        'bob smith',
      );
    });

    it('finds a user in the second world without being told where', async () => {
      const r = await run('respawn', { user: 'carol' });
      expect(r.text).toContain('carol respawned');
      expect(r.text).toContain('Build Night');
      expect(r.sent).toContain('focus 1');
      expect(r.sent.at(-1)).toBe('respawn carol');
      expect(await finishedAudit(h, 'respawn')).toMatchObject({
        outcome: 'ok',
        server: srv.name,
        world: 'Build Night',
        action: 'respawn carol',
      });
    });

    it('silences a user in the world given by name', async () => {
      const r = await run('silence', { user: 'alice', world: 'Lobby World' });
      expect(r.text).toContain('alice silenced');
      expect(r.sent).toEqual(['worlds', 'focus 0', 'users', 'silence alice']);
      expect(await finishedAudit(h, 'silence')).toMatchObject({
        outcome: 'ok',
        server: srv.name,
        world: 'Lobby World',
        action: 'silence alice',
      });
      expect(await aliceLine()).toContain('silenced');
    });

    it('unsilences a user in the world given by index', async () => {
      const r = await run('unsilence', { user: 'alice', world: '0' });
      expect(r.text).toContain('alice unsilenced');
      expect(r.sent).toEqual(['worlds', 'focus 0', 'users', 'unsilence alice']);
      expect(await finishedAudit(h, 'unsilence')).toMatchObject({
        outcome: 'ok',
        server: srv.name,
        world: 'Lobby World',
        action: 'unsilence alice',
      });
      const line = await aliceLine();
      expect(line).toContain('present');
      expect(line).not.toContain('silenced');
    });
  });

  describe('contacts', () => {
    it('invites a user, quoting a name with spaces', async () => {
      const r = await run('invite', { user: 'frank lee' });
      expect(r.ephemeral).toBe(false);
      expect(r.text).toContain('Invited frank lee');
      expect(r.text).toContain('Invite sent!');
      expect(r.sent).toEqual(['invite "frank lee"']);
      expect(await finishedAudit(h, 'invite')).toMatchObject({
        outcome: 'ok',
        server: srv.name,
        action: 'invite "frank lee"',
      });
    });

    it('sends a direct message, its text quoted as one argument', async () => {
      const r = await run('message', { user: 'alice', text: 'build night starts at 8' });
      expect(r.text).toContain('Message sent to alice');
      expect(r.text).toContain('Message sent!');
      expect(r.sent).toEqual(['message alice "build night starts at 8"']);
      expect(await finishedAudit(h, 'message')).toMatchObject({
        outcome: 'ok',
        server: srv.name,
        action: 'message alice "build night starts at 8"',
      });
    });
  });

  describe('saving', () => {
    it('saves the one world given', async () => {
      const before = await readSaves(srv.id);
      const r = await run('save', { world: 'Build Night' });
      expect(r.ephemeral).toBe(false);
      expect(r.text).toContain('Build Night');
      expect(r.sent).toEqual(['worlds', 'focus 1', 'save']);
      expect((await readSaves(srv.id)).slice(before.length)).toEqual(['saved Build Night']);
      expect(await finishedAudit(h, 'save')).toMatchObject({
        outcome: 'ok',
        server: srv.name,
        world: 'Build Night',
        action: 'save',
      });
    });

    it('saves every world when none is given', async () => {
      const before = await readSaves(srv.id);
      const r = await run('save', {});
      expect(r.text).toContain('Lobby World, Build Night');
      expect(r.sent).toEqual(['worlds', 'focus 0', 'save', 'focus 1', 'save']);
      expect((await readSaves(srv.id)).slice(before.length)).toEqual([
        'saved Lobby World',
        'saved Build Night',
      ]);
      expect(await finishedAudit(h, 'save')).toMatchObject({
        outcome: 'ok',
        server: srv.name,
        world: 'Lobby World, Build Night',
        action: 'save',
      });
    });
  });

  describe('permissions', () => {
    const attempts: [string, Record<string, unknown>][] = [
      ['kick', { user: 'alice' }],
      ['silence', { user: 'alice' }],
      ['unsilence', { user: 'alice', world: 'Lobby World' }],
      ['respawn', { user: 'carol' }],
      ['invite', { user: 'alice' }],
      ['message', { user: 'alice', text: 'hello there' }],
      ['save', {}],
    ];

    it.each(attempts)(
      'refuses /%s to a viewer, naming the moderator level, sending nothing',
      async (name, options) => {
        const r = await run(name, options, h.member.viewer);
        expect(r.ephemeral).toBe(true);
        expect(r.text).toContain('You need the moderator level');
        expect(r.sent).toEqual([]);
        expect(await finishedAudit(h, name)).toMatchObject({
          outcome: 'refused',
          memberId: h.member.viewer,
          level: 'viewer',
          detail: 'needs moderator',
        });
      },
    );

    it('refuses a member without any mapped role the same way', async () => {
      const r = await run('kick', { user: 'alice', server: srv.name }, h.member.nobody);
      expect(r.ephemeral).toBe(true);
      expect(r.text).toContain('moderator');
      expect(r.sent).toEqual([]);
      expect(await finishedAudit(h, 'kick')).toMatchObject({
        outcome: 'refused',
        level: 'none',
        server: srv.name,
      });
    });

    it('lets higher levels use moderator commands', async () => {
      const r = await run('invite', { user: 'alice' }, h.member.operator);
      expect(r.ephemeral).toBe(false);
      expect(r.sent).toEqual(['invite alice']);
    });
  });
});

describeDocker('a user present in several worlds (no TTY)', () => {
  const { h, server } = useBotSuite({
    // The fake puts "dave" in every world after the second one.
    servers: { srv: { tty: false, env: { FAKE_WORLDS: 'Lobby World|Build Night|Games Room|Quiet Room' } } },
  });
  const { srv } = server;

  it('asks for the world instead of acting', async () => {
    const r = await commandOn(h, srv.id, 'kick', { user: 'dave' }, h.member.moderator);
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('dave is in several worlds (Games Room, Quiet Room)');
    expect(r.text).toMatch(/say which one with .*world/);
    expect(r.sent.length).toBeGreaterThan(0);
    expect(r.sent.every((line) => LOOKUP.test(line))).toBe(true);
    expect(await finishedAudit(h, 'kick')).toMatchObject({ outcome: 'failed', server: srv.name });
  });

  it('acts in the world given, leaving the other one alone', async () => {
    const r = await commandOn(h, srv.id, 'kick', { user: 'dave', world: 'Quiet Room' }, h.member.moderator);
    expect(r.text).toContain('dave kicked');
    expect(r.text).toContain('Quiet Room');
    expect(r.sent).toEqual(['worlds', 'focus 3', 'users', 'kick dave']);
    expect(await finishedAudit(h, 'kick')).toMatchObject({
      outcome: 'ok',
      world: 'Quiet Room',
      action: 'kick dave',
    });
    expect((await h.command('users', { world: 'Games Room' }, h.member.viewer)).text).toContain('dave');
    expect(await readReceived(srv.id)).not.toContain('kick "dave"');
  });
});
