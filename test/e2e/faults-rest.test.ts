/**
 * Discord answering 429 (with retry_after) or 500 once on each REST route the bot uses: discord.js
 * retries, and every interaction is still answered exactly once, with no message posted twice.
 */
import { expect, it } from 'vitest';
import type { Fault, RequestRecord } from '../discord-emulator/types.js';
import { DEATH_ALERT_WAIT_MS, buttonId, hasButtons, result } from '../support/bot.js';
import { describeDocker, docker, readReceived } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { expectAcknowledgedOnce, expectAnsweredOnce } from './faults-helpers.js';

const RETRY_AFTER_S = 0.25;
const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;
const ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
const FOLLOW_UP = /^\/webhooks\/\d+\/[^/]+$/;

const text = (r: RequestRecord) => JSON.stringify(r.body);

for (const status of [429, 500]) {
  describeDocker(`Discord answering ${status} once on each route the bot uses`, () => {
    const { h, server } = useBotSuite({
      servers: { srv: { tty: false }, victim: { tty: false } },
      harness: { monitor: true, auditChannel: true, alertDebounceMs: 120_000 },
    });
    const { srv, victim } = server;

    const arm = (method: string, path: RegExp | string) =>
      h.emulator.failNext({ method, path, status, retryAfter: RETRY_AFTER_S });

    /** The fault answered one request, and the same request, sent again, went through (after retry_after for a 429). */
    function expectRetried(fault: Fault): RequestRecord {
      expect(fault.hits).toHaveLength(1);
      const hit = fault.hits[0]!;
      expect(hit.status).toBe(status);
      const retry = h.emulator.requests.find(
        (r) => r.index > hit.index && !r.injected && r.method === hit.method && r.path === hit.path,
      );
      expect(retry?.status).toBeLessThan(300);
      if (status === 429) expect(retry!.at - hit.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 20);
      return retry!;
    }

    const accepted = (method: string, path: string | RegExp) =>
      h.emulator.findRequests({ method, path }).filter((r) => !r.injected && r.status < 300);

    it('posts the status board once', async () => {
      const fault = arm('POST', `/channels/${h.channel.status}/messages`);
      await h.bot.monitor!.sweepNow();
      expectRetried(fault);
      expect(accepted('POST', `/channels/${h.channel.status}/messages`)).toHaveLength(1);
      expect(h.emulator.channelMessages(h.channel.status)).toHaveLength(1);
    });

    it('answers once when the deferral is refused', async () => {
      const fault = arm('POST', CALLBACK);
      const r = await h.command('respawn', { user: 'alice', server: srv.name }, h.member.moderator);
      expectRetried(fault);
      expect(r.text).toContain('alice respawned');
      expectAnsweredOnce(h, r.handle);
    });

    it('answers once when the reply edit is refused', async () => {
      const fault = arm('PATCH', ORIGINAL);
      const r = await h.command('respawn', { user: 'carol', server: srv.name }, h.member.moderator);
      expectRetried(fault);
      expect(r.text).toContain('carol respawned');
      expectAnsweredOnce(h, r.handle);
    });

    it('tells the invoker once, privately, when removing the public placeholder is refused', async () => {
      const fault = arm('DELETE', ORIGINAL);
      const r = await h.command('kick', { user: 'nobody here', server: srv.name }, h.member.moderator);
      expectRetried(fault);
      expect(r.ephemeral).toBe(true);
      expect(r.text).toContain('nobody here is not in any world');
      expect(r.handle.original()).toBeNull();
      expectAnsweredOnce(h, r.handle);
    });

    it('tells the invoker once when the private follow-up is refused', async () => {
      const fault = arm('POST', FOLLOW_UP);
      const r = await h.command('kick', { user: 'nobody here', server: srv.name }, h.member.moderator);
      expectRetried(fault);
      expect(r.ephemeral).toBe(true);
      expect(r.handle.followUps()).toHaveLength(1);
      expectAnsweredOnce(h, r.handle);
    });

    it('posts one audit line for a command when the audit channel post is refused', async () => {
      const mark = h.emulator.requests.length;
      const fault = arm('POST', `/channels/${h.channel.audit}/messages`);
      const r = await h.command('respawn', { user: 'alice', server: srv.name }, h.member.moderator);
      expectAnsweredOnce(h, r.handle);
      await h.emulator.waitForRequest(
        (q) => q.path === `/channels/${h.channel.audit}/messages` && !q.injected && q.status < 300,
        5_000,
        mark,
      );
      expectRetried(fault);
      const posted = accepted('POST', `/channels/${h.channel.audit}/messages`).filter((q) => q.index > mark);
      expect(posted).toHaveLength(1);
      expect(text(posted[0]!)).toContain('respawn');
    });

    it('edits the status board in place', async () => {
      await h.command('kick', { user: 'alice', server: srv.name }, h.member.moderator);
      const fault = arm('PATCH', new RegExp(`^/channels/${h.channel.status}/messages/\\d+$`));
      await h.bot.monitor!.sweepNow();
      expectRetried(fault);
      const [board, ...others] = h.emulator.channelMessages(h.channel.status);
      expect(others).toEqual([]);
      const fields = (board?.embeds ?? []).flatMap((e) => e.fields ?? []);
      const shown = fields.find((f) => f.name.includes(srv.name))?.value;
      expect(shown).toContain('bob smith');
      expect(shown).not.toContain('alice');
    });

    it('confirms once when the answer to the Confirm press is refused', async () => {
      const asked = h.send('ban', { user: 'bob smith', server: victim.name }, h.member.admin);
      const question = await asked.waitForReply(hasButtons, 10_000);
      const fault = arm('POST', CALLBACK);
      const press = h.emulator.pressButton({
        customId: buttonId(question, 'yes'),
        messageId: question.id,
        member: h.member.admin,
      });
      const final = await asked.waitForReply((m) => !hasButtons(m), 10_000);
      expectRetried(fault);
      expect(result(asked, final).text).toContain('bob smith banned');
      expect((await readReceived(victim.id)).filter((line) => line.startsWith('ban '))).toHaveLength(1);
      // The question and the final answer are both edits of @original.
      expectAnsweredOnce(h, asked, 2);
      expectAcknowledgedOnce(h, press);
    });

    it('posts one alert when a server dies', async () => {
      const mark = h.emulator.requests.length;
      const fault = arm('POST', `/channels/${h.channel.alerts}/messages`);
      await docker.getContainer(victim.id).kill();
      await h.emulator.waitForRequest(
        (r) => r.path === `/channels/${h.channel.alerts}/messages` && !r.injected && r.status < 300,
        DEATH_ALERT_WAIT_MS,
        mark,
      );
      await h.bot.monitor!.sweepNow();
      expectRetried(fault);
      const [alert, ...others] = h.emulator.channelMessages(h.channel.alerts);
      expect(others).toEqual([]);
      expect(alert?.embeds?.[0]?.title).toContain(`${victim.name} died`);
    });

    it('edits the alert once the server is back', async () => {
      await docker.getContainer(victim.id).start();
      const fault = arm('PATCH', new RegExp(`^/channels/${h.channel.alerts}/messages/\\d+$`));
      const mark = h.emulator.requests.length;
      await h.bot.monitor!.sweepNow();
      const edit = await h.emulator.waitForRequest(
        (r) => r.method === 'PATCH' && r.path.startsWith(`/channels/${h.channel.alerts}/`) && !r.injected,
        10_000,
        mark,
      );
      expect(expectRetried(fault)).toBe(edit);
      expect(text(edit)).toContain('Recovered');
      expect(h.emulator.channelMessages(h.channel.alerts)).toHaveLength(1);
    });
  });
}
