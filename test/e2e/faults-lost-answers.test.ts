/**
 * Discord doing the work but losing its answer (a 500 after the write): discord.js sends the
 * request again. Edits and deletes are safe to repeat; nothing the invoker or a channel sees doubles.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Fault, RequestRecord } from '../discord-emulator/types.js';
import { DEATH_ALERT_WAIT_MS } from '../support/bot.js';
import { describeDocker, docker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { expectAnsweredOnce } from './faults-helpers.js';

const ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;

describeDocker('Discord losing its answer after an edit or delete went through', () => {
  const { h, server } = useBotSuite({
    servers: { srv: { tty: false }, victim: { tty: false } },
    harness: { monitor: true, alertDebounceMs: 120_000 },
  });
  const { srv, victim } = server;
  beforeAll(() => h.bot.monitor!.sweepNow());

  const lose = (method: string, path: RegExp | string) =>
    h.emulator.failNext({ method, path, status: 500, processed: true });

  /** The request discord.js sent again after the lost answer (the work was already done by then). */
  function repeated(fault: Fault): Promise<RequestRecord> {
    expect(fault.hits).toHaveLength(1);
    const hit = fault.hits[0]!;
    return h.emulator.waitForRequest(
      (r) => r.index > hit.index && r.method === hit.method && r.path === hit.path,
      5_000,
      hit.index,
    );
  }

  it('keeps one status board when an edit of it went through unanswered', async () => {
    await h.command('kick', { user: 'alice', server: srv.name }, h.member.moderator);
    const fault = lose('PATCH', new RegExp(`^/channels/${h.channel.status}/messages/\\d+$`));
    await h.bot.monitor!.sweepNow();
    expect((await repeated(fault)).status).toBe(200);
    const [board, ...others] = h.emulator.channelMessages(h.channel.status);
    expect(others).toEqual([]);
    const shown = (board?.embeds ?? []).flatMap((e) => e.fields ?? []).find((f) => f.name.includes(srv.name));
    expect(shown?.value).not.toContain('alice');
  });

  it('answers once when the reply edit went through unanswered', async () => {
    const fault = lose('PATCH', ORIGINAL);
    const r = await h.command('respawn', { user: 'carol', server: srv.name }, h.member.moderator);
    expect((await repeated(fault)).status).toBe(200);
    expect(r.text).toContain('carol respawned');
    expectAnsweredOnce(h, r.handle);
  });

  it('tells the invoker once when removing the public placeholder went through unanswered', async () => {
    const fault = lose('DELETE', ORIGINAL);
    const r = await h.command('kick', { user: 'nobody here', server: srv.name }, h.member.moderator);
    // Deleting it again finds nothing to delete, as on Discord; the bot goes on to the follow-up.
    expect((await repeated(fault)).status).toBe(404);
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('nobody here is not in any world');
    expect(r.handle.original()).toBeNull();
    expect(r.handle.followUps()).toHaveLength(1);
  });

  it('keeps one alert when its recovery edit went through unanswered', async () => {
    const mark = h.emulator.requests.length;
    await docker.getContainer(victim.id).kill();
    await h.emulator.waitForRequest(
      { method: 'POST', path: `/channels/${h.channel.alerts}/messages` },
      DEATH_ALERT_WAIT_MS,
      mark,
    );
    await docker.getContainer(victim.id).start();
    const fault = lose('PATCH', new RegExp(`^/channels/${h.channel.alerts}/messages/\\d+$`));
    await h.bot.monitor!.sweepNow();
    const edit = await repeated(fault);
    expect(edit.status).toBe(200);
    expect(JSON.stringify(edit.body)).toContain('Recovered');
    expect(h.emulator.channelMessages(h.channel.alerts)).toHaveLength(1);
  });
});
