/** Admin commands without a question (/world settings and start, /role, /bans, /unban, /friends), end to end. */
import { expect, it } from 'vitest';
import { describeDocker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { lastAudit } from './audit-support.js';
import { commandOn } from './console-support.js';

describeDocker('admin world, role, ban and contact commands end to end', () => {
  const { h, server } = useBotSuite({ servers: { ctr: { tty: false } } });
  const { ctr } = server;

  /** Runs a command as admin; returns its result and the console lines it caused. */
  const run = (name: string, options: Record<string, unknown>) =>
    commandOn(h, ctr.id, name, options, h.member.admin);

  /** The lines sent, from the last `focus` on (the setting is one uninterrupted group). */
  const fromFocus = (sent: string[]) => sent.slice(sent.findLastIndex((l) => l.startsWith('focus ')));

  it.each([
    ['description', 'Friday night builds', 1, 'Build Night', 'description "Friday night builds"'],
    ['accesslevel', 'LAN', 0, 'Lobby World', 'accesslevel LAN'],
    ['maxusers', 12, 1, 'Build Night', 'maxusers 12'],
    ['hidden', true, 0, 'Lobby World', 'hidefromlisting true'],
    ['hidden', false, 0, 'Lobby World', 'hidefromlisting false'],
  ] as const)('/world %s %s sends focus %i then the exact line', async (sub, value, index, world, line) => {
    const r = await run('world', { sub, value, world });
    expect(r.ephemeral).toBe(false);
    expect(r.text).toContain(`World ${sub} set`);
    expect(r.text).toContain(`${world}: ${String(value)}`);
    expect(fromFocus(r.sent)).toEqual([`focus ${index}`, line]);
    expect(lastAudit(h)).toMatchObject({
      command: `world ${sub}`,
      server: ctr.name,
      world,
      action: line,
      outcome: 'ok',
    });
  });

  it('the settings took effect in the headless', async () => {
    const lobby = await h.command('status', { world: 'Lobby World' }, h.member.viewer);
    expect(lobby.text).toMatch(/Access level\nLAN/);
    expect(lobby.text).toMatch(/Hidden\nNo/);
    const build = await h.command('status', { world: 'Build Night' }, h.member.viewer);
    expect(build.text).toContain('Friday night builds');
    const worlds = await h.command('worlds', {}, h.member.viewer);
    expect(worlds.text).toMatch(/Build Night\*\* · 2\/12 users/);
  });

  it('/world name quotes a name with spaces, and the world answers to it afterwards', async () => {
    const r = await run('world', { sub: 'name', value: 'Lobby Lounge', world: '0' });
    expect(r.text).toContain('Lobby World: Lobby Lounge');
    expect(fromFocus(r.sent)).toEqual(['focus 0', 'name "Lobby Lounge"']);
    expect(lastAudit(h)).toMatchObject({
      command: 'world name',
      action: 'name "Lobby Lounge"',
      outcome: 'ok',
    });
    // The prompt changed with the name: the console still frames replies correctly.
    const status = await h.command('status', { world: 'Lobby Lounge' }, h.member.viewer);
    expect(status.ephemeral).toBe(false);
    expect(status.text).toContain('Lobby Lounge');
    expect(status.text).toContain('alice');
  });

  it('/world name without a world asks which one, and sends nothing but the worlds query', async () => {
    const r = await run('world', { sub: 'name', value: 'Solo' });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('runs 2 worlds');
    expect(r.sent.filter((l) => l !== '' && l !== 'worlds')).toEqual([]);
  });

  it('/world name refuses a name with a double quote before anything is sent', async () => {
    const r = await run('world', { sub: 'name', value: 'Say "hi"', world: '0' });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('double quote');
    expect(r.sent).toEqual([]);
    expect(lastAudit(h)).toMatchObject({ command: 'world name', outcome: 'refused' });
  });

  it('/world start template sends startworldtemplate and shows the headless’s own words', async () => {
    const r = await run('world', { sub: 'start', template: 'Grid Space' });
    // The fake headless does not know the command: sent again once, then the failure is private and in its words.
    expect(r.sent).toEqual(['startworldtemplate "Grid Space"', 'startworldtemplate "Grid Space"']);
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('Unknown command');
    expect(lastAudit(h)).toMatchObject({
      command: 'world start',
      action: 'startworldtemplate "Grid Space"',
      outcome: 'failed',
    });
  });

  it('/world start refuses a non-record URL, and both or neither of url and template', async () => {
    for (const options of [
      { url: 'https://example.com/world' },
      {},
      { url: 'resrec:///U-x/R-y', template: 'Grid' },
    ]) {
      const r = await run('world', { sub: 'start', ...options });
      expect(r.ephemeral).toBe(true);
      expect(r.text).toMatch(/resrec|either a record URL or a template/);
      expect(r.sent).toEqual([]);
      expect(lastAudit(h).outcome).toBe('refused');
    }
  });

  it('/role gives a role in the world where the user is', async () => {
    const r = await run('role', { user: 'alice', role: 'Builder' });
    expect(r.ephemeral).toBe(false);
    expect(r.text).toContain('alice is now Builder');
    expect(r.text).toContain('alice now has role Builder!');
    expect(r.text).toContain('in Lobby Lounge');
    expect(fromFocus(r.sent)).toEqual(['focus 0', 'role alice Builder']);
    expect(lastAudit(h)).toMatchObject({
      command: 'role',
      world: 'Lobby Lounge',
      action: 'role alice Builder',
      outcome: 'ok',
    });
    const moderator = await run('role', { user: 'alice', role: 'Moderator' });
    expect(moderator.text).toContain('alice now has role Moderator!');
    const users = await h.command('users', { world: '0' }, h.member.viewer);
    expect(users.text).toMatch(/alice[^\n]*Moderator/);
  });

  it('/role with a world, a quoted user, and a user who is not there', async () => {
    const inWorld = await run('role', { user: 'carol', role: 'Builder', world: 'Build Night' });
    expect(inWorld.text).toContain('carol now has role Builder!');
    expect(fromFocus(inWorld.sent).at(-1)).toBe('role carol Builder');

    const spaced = await run('role', { user: 'bob smith', role: 'Spectator' });
    expect(spaced.text).toContain('bob smith now has role Spectator!');
    expect(spaced.sent.at(-1)).toBe('role "bob smith" Spectator');

    const absent = await run('role', { user: 'carol', role: 'Guest', world: 'Lobby Lounge' });
    expect(absent.ephemeral).toBe(true);
    expect(absent.text).toContain('carol is not in Lobby Lounge');
    expect(absent.sent.some((l) => l.startsWith('role'))).toBe(false);
  });

  it('/bans lists griefer1; /unban lifts it; /bans then shows none', async () => {
    const listed = await run('bans', {});
    expect(listed.ephemeral).toBe(false);
    expect(listed.reply.embeds?.[0]?.title).toBe(`Bans on ${ctr.name}`);
    expect(listed.text).toContain('griefer1');
    expect(listed.text).toContain('U-griefer1');
    expect(listed.sent).toContain('listbans');
    expect(lastAudit(h)).toMatchObject({ command: 'bans', action: 'listbans', outcome: 'ok' });

    const lifted = await run('unban', { user: 'griefer1' });
    expect(lifted.ephemeral).toBe(false);
    expect(lifted.text).toContain('griefer1 unbanned');
    expect(lifted.text).toContain('Removed 1 matching bans');
    expect(lifted.sent.at(-1)).toBe('unban griefer1');
    expect(lastAudit(h)).toMatchObject({ command: 'unban', action: 'unban griefer1', outcome: 'ok' });

    expect((await run('bans', {})).text).toContain('No bans.');
  });

  it('/unban of someone not banned is a private failure in the headless’s words', async () => {
    const r = await run('unban', { user: 'nobody here' });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('Removed 0 matching bans');
    expect(r.sent.at(-1)).toBe('unban "nobody here"');
    // The line sent is audited even though the headless did not confirm it.
    expect(lastAudit(h)).toMatchObject({
      command: 'unban',
      action: 'unban "nobody here"',
      outcome: 'failed',
    });
  });

  it('/friends list shows the pending requests; /friends accept accepts one', async () => {
    const listed = await run('friends', { sub: 'list' });
    expect(listed.text).toContain('erin');
    expect(listed.text).toContain('frank lee');
    expect(listed.sent.at(-1)).toBe('friendrequests');
    expect(lastAudit(h)).toMatchObject({ command: 'friends list', action: 'friendrequests', outcome: 'ok' });

    const accepted = await run('friends', { sub: 'accept', user: 'frank lee' });
    expect(accepted.ephemeral).toBe(false);
    expect(accepted.text).toContain('Contact request from frank lee accepted');
    expect(accepted.text).toContain('Request accepted!');
    expect(accepted.sent.at(-1)).toBe('acceptfriendrequest "frank lee"');
    expect(lastAudit(h)).toMatchObject({
      command: 'friends accept',
      action: 'acceptfriendrequest "frank lee"',
      outcome: 'ok',
    });

    const after = await run('friends', { sub: 'list' });
    expect(after.text).toContain('erin');
    expect(after.text).not.toContain('frank lee');

    const unknown = await run('friends', { sub: 'accept', user: 'zed' });
    expect(unknown.ephemeral).toBe(true);
    expect(unknown.text).toContain("There's no friend request from this user");
    expect(lastAudit(h)).toMatchObject({ action: 'acceptfriendrequest zed', outcome: 'failed' });
  });
});
