/**
 * One lifecycle operation per server at a time, end to end: two on-call presses of an alert's
 * Restart, a /stop during a /restart, and a raw `/console shutdown`, which asks first and is the
 * bot's own stop (no "died" alert).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { alertButtonId } from '../../src/discord/alert-button-id.js';
import { serverKey } from '../../src/servers/server-key.js';
import type { RequestRecord } from '../discord-emulator/types.js';
import { DEATH_ALERT_WAIT_MS, visible } from '../support/bot.js';
import { countStartEvents, describeDocker, docker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { answer, ask, buttonsOf, press } from './admin-support.js';
import { receivedCount, receivedSince } from './console-support.js';

type Embed = { title?: string };
const titleOf = (r: RequestRecord) => ((r.body as { embeds?: Embed[] }).embeds ?? [])[0]?.title ?? '';
const buttonsDisabled = (r: RequestRecord) => {
  const rows = (r.body as { components?: { components: { disabled?: boolean }[] }[] }).components ?? [];
  const buttons = rows.flatMap((row) => row.components);
  return buttons.length > 0 && buttons.every((b) => b.disabled === true);
};

describeDocker('one lifecycle operation per server at a time', () => {
  describe('alert buttons', () => {
    const { h, server } = useBotSuite({
      servers: { lobby: { tty: false } },
      harness: { monitor: true, alertDebounceMs: 120_000 },
    });
    const { lobby } = server;
    beforeAll(() => h.bot.monitor!.sweepNow());

    it('two on-call presses of Restart at once restart the server once; the second is told who is restarting', async () => {
      const since = h.emulator.requests.length;
      await docker.getContainer(lobby.id).kill();
      const post = await h.emulator.waitForRequest(
        { method: 'POST', path: `/channels/${h.channel.alerts}/messages` },
        DEATH_ALERT_WAIT_MS,
        since,
      );
      const messageId = (post.response as { id: string }).id;
      const startedAt = Date.now();
      const customId = alertButtonId('restart', serverKey(lobby.name));
      const presses = [h.member.operator, h.member.admin].map((member) =>
        h.emulator.pressButton({ customId, messageId, member }),
      );
      // The refusal is a private follow-up; the restart's answer is the public reply.
      const outcome = (p: (typeof presses)[number]) =>
        p.followUps().at(-1) ??
        [p.original()].find((m) => m != null && visible(JSON.stringify(m.embeds)).includes('Restarted by'));
      await h.emulator.waitForRequest(() => presses.every((p) => outcome(p) !== undefined), 30_000);
      const replies = presses.map((p) => outcome(p)!);
      const texts = replies.map((m) => visible(JSON.stringify(m.embeds)));
      const winner = texts.findIndex((t) => t.includes('Restarted by'));
      expect(winner).toBeGreaterThanOrEqual(0);
      expect(texts[winner]).toContain('Running: Lobby World, Build Night');
      expect(texts[1 - winner]).toContain(
        `is already restarting, started by @${winner === 0 ? 'operator' : 'admin'} <t:`,
      );
      expect(((replies[1 - winner]!.flags ?? 0) & 64) !== 0).toBe(true);
      expect(await countStartEvents(lobby.id, startedAt)).toBe(1);
      // The alert's buttons were disabled while the restart ran.
      const alertEdits = h.emulator.requests
        .slice(since)
        .filter((r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${messageId}`));
      expect(alertEdits.some(buttonsDisabled)).toBe(true);

      const rows = h.bot.context.audit.latest({ limit: 2 });
      expect(rows.map((r) => [r.command, r.outcome]).sort()).toEqual([
        ['alert restart', 'failed'],
        ['alert restart', 'ok'],
      ]);
    });

    it('disables the alert buttons while a /restart of its server runs', async () => {
      await h.bot.monitor!.sweepNow();
      const since = h.emulator.requests.length;
      await docker.getContainer(lobby.id).kill();
      await h.emulator.waitForRequest(
        (r) =>
          r.method === 'PATCH' &&
          r.path.startsWith(`/channels/${h.channel.alerts}/`) &&
          titleOf(r).includes('died'),
        DEATH_ALERT_WAIT_MS,
        since,
      );
      const q = await ask(h, 'restart', {}, h.member.operator);
      press(h, q, 'yes', h.member.operator);
      await q.handle.waitForReply((m) => visible(JSON.stringify(m.embeds)).includes('Restarted by'), 30_000);
      const alertEdits = h.emulator.requests
        .slice(since)
        .filter((e) => e.method === 'PATCH' && e.path.startsWith(`/channels/${h.channel.alerts}/messages/`));
      // Disabled while the alert still said "died", that is, while the restart ran (recovery disables them too).
      expect(alertEdits.some((e) => titleOf(e).includes('died') && buttonsDisabled(e))).toBe(true);
    });
  });

  describe('commands', () => {
    const { h, server } = useBotSuite({
      // Worlds that take 3 s to load hold a restart in its last step long enough to ask for another.
      servers: { lobby: { tty: true, env: { FAKE_STARTUP_DELAY: '3' } } },
      harness: { monitor: true },
    });
    const { lobby } = server;
    beforeAll(() => h.bot.monitor!.sweepNow());

    it('refuses /stop while a /restart runs, naming who started it; the server is stopped once', async () => {
      const startedAt = Date.now();
      const q = await ask(h, 'restart', {}, h.member.operator);
      press(h, q, 'yes', h.member.operator);
      await q.handle.waitForReply(
        (m) => JSON.stringify(m.embeds ?? []).includes('waiting for the worlds'),
        10_000,
      );

      const stop = await h.command('stop', {}, h.member.admin);
      expect(stop.ephemeral).toBe(true);
      expect(visible(stop.text)).toContain('is already restarting, started by @operator <t:');
      // Refused before asking: there was never a question to confirm.
      expect(stop.handle.original()?.components ?? []).toEqual([]);

      await q.handle.waitForReply((m) => visible(JSON.stringify(m.embeds)).includes('Restarted by'), 30_000);
      expect(await countStartEvents(lobby.id, startedAt)).toBe(1);
      expect(h.bot.context.servers.locks.current(lobby.name)).toBeUndefined();
    });

    it('asks before a raw shutdown; cancelled, nothing is sent', async () => {
      const before = await receivedCount(lobby.id);
      const q = await ask(h, 'console', { command: 'shutdown' });
      expect(JSON.stringify(q.message.embeds)).toContain('Shut down');
      press(h, q, 'no');
      const r = await answer(h, q.handle);
      expect(r.text).toContain('Cancelled');
      expect(await receivedSince(lobby.id, before)).toEqual([]);
    });

    it('a confirmed raw shutdown stops the headless as the bot’s own stop: no "died" alert', async () => {
      const since = h.emulator.requests.length;
      const q = await ask(h, 'console', { command: 'shutdown' });
      press(h, q, 'yes');
      const r = await answer(h, q.handle);
      expect(r.text).toContain('Shutting down');
      await expect
        .poll(async () => (await docker.getContainer(lobby.id).inspect()).State.Running, { timeout: 10_000 })
        .toBe(false);
      await h.bot.monitor!.sweepNow();
      const alertPosts = h.emulator
        .findRequests({ method: 'POST', path: `/channels/${h.channel.alerts}/messages` })
        .filter((p) => h.emulator.requests.indexOf(p) >= since);
      expect(alertPosts).toEqual([]);
      expect(buttonsOf(r.reply)).toEqual([]);
    });
  });
});
