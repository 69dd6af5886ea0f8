/** Admin commands that ask first (/ban, /world close, /world restart), end to end: confirm, cancel, expiry, strangers. */
import { describe, expect, it } from 'vitest';
import { describeDocker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { answer, ask, buttonsOf, callbackReply, disabledState, press } from './admin-support.js';
import { lastAudit } from './audit-support.js';
import { receivedCount, receivedSince } from './console-support.js';

/** `line` was sent right after `focus <index>`, as one group. */
function expectFocusedLine(lines: string[], index: number, line: string): void {
  const at = lines.lastIndexOf(line);
  expect(at, `"${line}" in ${JSON.stringify(lines)}`).toBeGreaterThan(0);
  expect(lines[at - 1]).toBe(`focus ${index}`);
}

describeDocker('admin confirmations end to end', () => {
  describe('answered in time', () => {
    const { h, server } = useBotSuite({ servers: { ctr: { tty: true } } });
    const { ctr } = server;

    it('/ban confirmed: asks first, disables the buttons, sends the ban in the user’s world, audits ok', async () => {
      const before = await receivedCount(ctr.id);
      const q = await ask(h, 'ban', { user: 'alice' });
      expect(q.message.embeds?.[0]?.title ?? q.message.embeds?.[0]?.description).toContain('Ban alice');
      expect(buttonsOf(q.message).map((b) => b.label)).toEqual(['Confirm', 'Cancel']);
      // Nothing reaches the console while the question is open.
      expect(await receivedSince(ctr.id, before)).toEqual([]);

      press(h, q, 'yes');
      const disabled = await disabledState(q);
      expect(buttonsOf(disabled).every((b) => b.disabled)).toBe(true);
      const r = await answer(h, q.handle);
      expect(r.ephemeral).toBe(false);
      expect(r.text).toContain('alice banned');
      expect(buttonsOf(r.reply)).toEqual([]);

      const sent = await receivedSince(ctr.id, before);
      expectFocusedLine(sent, 0, 'ban alice');
      expect(sent.filter((l) => /^ban/.test(l))).toEqual(['ban alice']);

      const row = lastAudit(h);
      expect(row).toMatchObject({
        command: 'ban',
        memberId: h.member.admin,
        server: ctr.name,
        world: 'Lobby World',
        action: 'ban alice',
        outcome: 'ok',
      });
      const bans = await h.command('bans', {});
      expect(bans.text).toContain('alice');
    });

    it('/ban cancelled: nothing is sent, the question says so, audit "cancelled"', async () => {
      const before = await receivedCount(ctr.id);
      const q = await ask(h, 'ban', { user: 'carol' });
      press(h, q, 'no');
      await disabledState(q);
      const r = await answer(h, q.handle);
      expect(r.text).toContain('Cancelled: nothing was done.');
      expect(buttonsOf(r.reply)).toEqual([]);
      expect(await receivedSince(ctr.id, before)).toEqual([]);
      expect(lastAudit(h)).toMatchObject({ command: 'ban', outcome: 'cancelled', action: null });
    });

    it('/ban pressed by another member: they get a private refusal, the invoker can still confirm', async () => {
      const before = await receivedCount(ctr.id);
      // Typed in another case than the headless lists it: the ban names the user as listed.
      const q = await ask(h, 'ban', { user: 'BOB Smith' });

      for (const stranger of [h.member.operator, h.member.moderator]) {
        const refusal = await callbackReply(press(h, q, 'yes', stranger));
        expect(refusal.content).toBe('Only the member who asked can confirm.');
        expect(refusal.flags & 64).toBe(64);
      }
      const cancelByStranger = await callbackReply(press(h, q, 'no', h.member.viewer));
      expect(cancelByStranger.content).toBe('Only the member who asked can confirm.');
      // The question is untouched: buttons still live, nothing sent, nothing decided.
      expect(buttonsOf(q.handle.original()!).every((b) => b.disabled !== true)).toBe(true);
      expect(await receivedSince(ctr.id, before)).toEqual([]);
      expect(lastAudit(h)).toMatchObject({ command: 'ban', outcome: 'started' });

      press(h, q, 'yes');
      const r = await answer(h, q.handle);
      expect(r.text).toContain('bob smith banned');
      const sent = await receivedSince(ctr.id, before);
      // A name with a space is quoted.
      expectFocusedLine(sent, 0, 'ban "bob smith"');
      expect(lastAudit(h)).toMatchObject({ outcome: 'ok', action: 'ban "bob smith"' });
    });

    it('/ban confirmed by an invoker who lost the admin role meanwhile is refused', async () => {
      const before = await receivedCount(ctr.id);
      const q = await ask(h, 'ban', { user: 'alice' });
      h.emulator.setMemberRoles(h.member.admin, [h.role.moderator]);
      try {
        const refusal = await press(h, q, 'yes').waitForReply();
        expect(refusal.flags! & 64).toBe(64);
        expect(JSON.stringify(refusal.embeds)).toContain('admin level');
        expect(await receivedSince(ctr.id, before)).toEqual([]);
      } finally {
        h.emulator.setMemberRoles(h.member.admin, [h.role.admin]);
      }
      press(h, q, 'no');
      expect((await answer(h, q.handle)).text).toContain('Cancelled');
    });

    it('/ban of someone in no world: looks in every world, then bans by name', async () => {
      const before = await receivedCount(ctr.id);
      const q = await ask(h, 'ban', { user: 'griefer2' });
      press(h, q, 'yes');
      const r = await answer(h, q.handle);
      const sent = (await receivedSince(ctr.id, before)).filter((l) => l !== '');
      // The fake headless does not know banbyname: sent again once (the start-up quirk looks the same),
      // then a private failure in the headless's words.
      expect(sent).toEqual([
        'worlds',
        'focus 0',
        'users',
        'focus 1',
        'users',
        'banbyname griefer2',
        'banbyname griefer2',
      ]);
      expect(r.ephemeral).toBe(true);
      expect(r.text).toContain('Unknown command');
      expect(q.handle.original()).toBeNull();
      expect(lastAudit(h)).toMatchObject({ command: 'ban', outcome: 'failed' });
    });

    it('/world restart asks, then restarts the named world', async () => {
      const before = await receivedCount(ctr.id);
      const q = await ask(h, 'world', { sub: 'restart', world: 'Lobby World' });
      expect(JSON.stringify(q.message.embeds)).toContain('Restart Lobby World');
      expect(await receivedSince(ctr.id, before)).toEqual([]);
      press(h, q, 'yes');
      await disabledState(q);
      const r = await answer(h, q.handle);
      expect(r.text).toContain('World restarted');
      expect(r.text).toContain('Lobby World');
      expectFocusedLine(await receivedSince(ctr.id, before), 0, 'restart');
      expect(lastAudit(h)).toMatchObject({
        command: 'world restart',
        world: 'Lobby World',
        action: 'restart',
        outcome: 'ok',
      });
    });

    it('/world close cancelled sends nothing; confirmed closes the world by index', async () => {
      let before = await receivedCount(ctr.id);
      const cancelled = await ask(h, 'world', { sub: 'close', world: '1' });
      press(h, cancelled, 'no');
      expect((await answer(h, cancelled.handle)).text).toContain('Cancelled');
      expect(await receivedSince(ctr.id, before)).toEqual([]);
      expect(lastAudit(h)).toMatchObject({ command: 'world close', outcome: 'cancelled' });

      before = await receivedCount(ctr.id);
      const q = await ask(h, 'world', { sub: 'close', world: 'Build Night' });
      expect(JSON.stringify(q.message.embeds)).toContain('Close Build Night');
      press(h, q, 'yes');
      await disabledState(q);
      const r = await answer(h, q.handle);
      expect(r.text).toContain('World closed');
      expect(r.text).toContain('Build Night');
      expectFocusedLine(await receivedSince(ctr.id, before), 1, 'close');
      expect(lastAudit(h)).toMatchObject({
        command: 'world close',
        world: 'Build Night',
        action: 'close',
        outcome: 'ok',
      });
      const worlds = await h.command('worlds', {}, h.member.viewer);
      expect(worlds.text).toContain('Lobby World');
      expect(worlds.text).not.toContain('Build Night');
    });
  });

  describe('not answered in time', () => {
    const { h, server } = useBotSuite({
      servers: { ctr: { tty: true } },
      harness: { confirmTimeoutMs: 300 },
    });
    const { ctr } = server;

    it.each([
      ['ban', { user: 'alice' }, 'ban'],
      ['world', { sub: 'close', world: 'Lobby World' }, 'world close'],
      ['world', { sub: 'restart', world: 'Build Night' }, 'world restart'],
    ])('/%s %o expires: buttons removed, nothing sent, audit "expired"', async (name, options, command) => {
      const before = await receivedCount(ctr.id);
      const q = await ask(h, name, options);
      const r = await answer(h, q.handle);
      expect(r.text).toContain('No answer in time: nothing was done.');
      expect(buttonsOf(r.reply)).toEqual([]);
      expect(Date.now() - q.handle.dispatchedAt).toBeGreaterThanOrEqual(300);
      expect(await receivedSince(ctr.id, before)).toEqual([]);
      expect(lastAudit(h)).toMatchObject({ command, outcome: 'expired', action: null });
    });
  });
});
