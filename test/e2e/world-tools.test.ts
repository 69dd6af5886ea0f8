/** The world tools end to end: impulses, spawns, the away kick, bans by user ID, the session URL. */
import { expect, it } from 'vitest';
import { describeDocker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { answer, ask, press } from './admin-support.js';
import { lastAudit } from './audit-support.js';
import { commandOn, receivedCount, receivedSince } from './console-support.js';

const RECORD = 'resrec:///U-alice/R-3f2a9c1e-7b4d-4e8a-9c11-2b8d5f6e0c11';

describeDocker('world tools end to end', () => {
  const { h, server } = useBotSuite({ servers: { ctr: { tty: false } } });
  const { ctr } = server;

  const run = (name: string, options: Record<string, unknown>, as = h.member.admin) =>
    commandOn(h, ctr.id, name, options, as);

  /** The lines sent from the last `focus` on (focus and the command are one uninterrupted group). */
  const fromFocus = (sent: string[]) => sent.slice(sent.findLastIndex((l) => l.startsWith('focus ')));

  it.each([
    [{ tag: 'OpenDoors' }, 'dynamicimpulse OpenDoors'],
    [{ tag: 'Notice', value: 'Event at 8' }, 'dynamicimpulsestring Notice "Event at 8"'],
    [{ tag: 'Notice', value: 'hi', type: 'string' }, 'dynamicimpulsestring Notice hi'],
    [{ tag: 'Score', value: '-42', type: 'int' }, 'dynamicimpulseint Score -42'],
    [{ tag: 'Speed', value: '1.5', type: 'float' }, 'dynamicimpulsefloat Speed 1.5'],
  ])('/world impulse %o sends focus then exactly %j', async (options, line) => {
    const r = await run('world', { sub: 'impulse', world: 'Build Night', ...options });
    expect(r.ephemeral).toBe(false);
    expect(r.text).toContain('Impulse sent');
    expect(r.text).toContain(`${options.tag}\nin Build Night`);
    expect(fromFocus(r.sent)).toEqual(['focus 1', line]);
    expect(lastAudit(h)).toMatchObject({
      command: 'world impulse',
      server: ctr.name,
      world: 'Build Night',
      action: line,
      outcome: 'ok',
    });
  });

  it.each([
    [{ tag: 'Score', value: 'twelve', type: 'int' }, 'The impulse value "twelve" is not a whole number'],
    [{ tag: 'Score', value: '2147483648', type: 'int' }, 'out of range for a whole number'],
    [{ tag: 'Speed', value: '1,5', type: 'float' }, 'is not a number'],
    [{ tag: 'Score', type: 'int' }, 'needs a value'],
    [{ tag: 'Say "hi"' }, 'double quote'],
  ])('/world impulse %o is refused, privately, with nothing sent', async (options, message) => {
    const r = await run('world', { sub: 'impulse', world: '0', ...options });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain(message);
    expect(r.sent).toEqual([]);
    expect(lastAudit(h)).toMatchObject({ command: 'world impulse', outcome: 'refused' });
  });

  it('/world spawn sends the record with active and persistent, true unless told', async () => {
    const plain = await run('world', { sub: 'spawn', url: RECORD, world: 'Lobby World' });
    expect(plain.ephemeral).toBe(false);
    expect(plain.text).toContain('Item spawned');
    expect(fromFocus(plain.sent)).toEqual(['focus 0', `spawn ${RECORD} true true`]);
    expect(lastAudit(h)).toMatchObject({
      command: 'world spawn',
      world: 'Lobby World',
      action: `spawn ${RECORD} true true`,
      outcome: 'ok',
    });

    const group = 'resrec:///G-Build-Club/R-Chair_01';
    const told = await run('world', {
      sub: 'spawn',
      url: group,
      active: false,
      persistent: false,
      world: '1',
    });
    expect(fromFocus(told.sent)).toEqual(['focus 1', `spawn ${group} false false`]);
  });

  it.each(['https://example.com/item', 'resrec:///U-alice', 'resrec:///U-alice/R-x/y', 'resrec:///X-a/R-b'])(
    '/world spawn refuses %j with nothing sent',
    async (url) => {
      const r = await run('world', { sub: 'spawn', url, world: '0' });
      expect(r.ephemeral).toBe(true);
      expect(r.text).toContain('The record URL must be resrec:///U-<user id>/R-<record id>');
      expect(r.sent).toEqual([]);
    },
  );

  it('/world awaykick sends awaykickinterval; out of range is refused with nothing sent', async () => {
    const r = await run('world', { sub: 'awaykick', minutes: 30, world: 'Lobby World' });
    expect(r.ephemeral).toBe(false);
    expect(r.text).toContain('Lobby World: 30');
    expect(fromFocus(r.sent)).toEqual(['focus 0', 'awaykickinterval 30']);
    expect(lastAudit(h)).toMatchObject({
      command: 'world awaykick',
      action: 'awaykickinterval 30',
      outcome: 'ok',
    });

    const off = await run('world', { sub: 'awaykick', minutes: -1, world: '1' });
    expect(fromFocus(off.sent)).toEqual(['focus 1', 'awaykickinterval -1']);

    const zero = await run('world', { sub: 'awaykick', minutes: 0, world: '0' });
    expect(zero.ephemeral).toBe(true);
    expect(zero.text).toContain('The away kick must be 1 to 1440 minutes, or -1 to switch it off.');
    expect(zero.sent).toEqual([]);
  });

  it('/ban by id asks first, sends banbyid, and /unban by id lifts it', async () => {
    const before = await receivedCount(ctr.id);
    const q = await ask(h, 'ban', { id: 'U-mallory' });
    expect(q.message.embeds?.[0]?.title).toContain('Ban U-mallory');
    expect(await receivedSince(ctr.id, before)).toEqual([]);
    press(h, q, 'yes');
    const banned = await answer(h, q.handle);
    expect(banned.ephemeral).toBe(false);
    expect(banned.text).toContain('U-mallory banned');
    expect((await receivedSince(ctr.id, before)).filter((l) => /ban/i.test(l))).toEqual([
      'banbyid U-mallory',
    ]);
    expect(lastAudit(h)).toMatchObject({ command: 'ban', action: 'banbyid U-mallory', outcome: 'ok' });
    expect((await run('bans', {})).text).toContain('U-mallory');

    const lifted = await run('unban', { id: 'U-mallory' });
    expect(lifted.ephemeral).toBe(false);
    expect(lifted.text).toContain('U-mallory unbanned');
    expect(lifted.text).toContain('Removed 1 matching bans');
    expect(lifted.sent).toEqual(['unbanbyid U-mallory']);
    expect(lastAudit(h)).toMatchObject({ command: 'unban', action: 'unbanbyid U-mallory', outcome: 'ok' });
    expect((await run('bans', {})).text).not.toContain('U-mallory');
  });

  it.each([
    ['ban', { id: 'mallory' }, 'is U- followed by letters, digits'],
    ['ban', { id: 'U-bob smith' }, 'is U- followed by letters, digits'],
    ['ban', { user: 'alice', id: 'U-alice' }, 'not both'],
    ['ban', {}, 'Say who'],
    ['unban', { id: 'U-a/b' }, 'is U- followed by letters, digits'],
    ['unban', {}, 'Say who'],
  ] as const)('/%s %o is refused before any question, with nothing sent', async (name, options, message) => {
    const r = await run(name, options);
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain(message);
    expect(r.reply.components ?? []).toEqual([]);
    expect(r.sent).toEqual([]);
    expect(lastAudit(h)).toMatchObject({ command: name, outcome: 'refused' });
  });

  it.each([
    ['world', { sub: 'impulse', tag: 'OpenDoors', world: '0' }, 'world impulse'],
    ['world', { sub: 'spawn', url: RECORD, world: '0' }, 'world spawn'],
    ['world', { sub: 'awaykick', minutes: 5, world: '0' }, 'world awaykick'],
    ['ban', { id: 'U-alice' }, 'ban'],
    ['unban', { id: 'U-griefer1' }, 'unban'],
  ])('a moderator is refused /%s %o, with nothing sent', async (name, options, full) => {
    const r = await run(name, options, h.member.moderator);
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('You need the admin level for this.');
    expect(r.sent).toEqual([]);
    expect(lastAudit(h)).toMatchObject({ command: full, level: 'moderator', outcome: 'refused' });
  });

  it('/status shows each world’s session URL, for a viewer, on a line of its own', async () => {
    const r = await run('status', {}, h.member.viewer);
    expect(r.ephemeral).toBe(false);
    const fields = (r.reply.embeds ?? []).map((e) => e.fields?.find((f) => f.name === 'Session URL'));
    expect(fields).toEqual([
      {
        name: 'Session URL',
        value: 'http://cloudx.azurewebsites.net/open/session/S-4e1c2a9b-1f0d-4c3e-9a77-2b8d5f6e0c11',
        inline: false,
      },
      {
        name: 'Session URL',
        value: 'http://cloudx.azurewebsites.net/open/session/S-7d3f5b21-9c4e-4a1b-8e02-6f1a2b3c4d5e',
        inline: false,
      },
    ]);
    expect(r.sent.filter((l) => l === 'sessionurl')).toHaveLength(2);
  });
});
