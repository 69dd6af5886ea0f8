/**
 * A schedule's run from start to end, as an operator who added one sees it: the warning in the
 * world, the countdown in #alerts, then the restart with the worlds saved first, done by automation
 * and audited as such, the countdown's buttons gone.
 */
import { expect, it } from 'vitest';
import type { MessageState } from '../discord-emulator/types.js';
import { visible } from '../support/bot.js';
import { describeDocker, docker, readSaves } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { buttonsOf } from './admin-support.js';
import { receivedCount, receivedSince } from './console-support.js';

const startedAt = async (id: string) => (await docker.getContainer(id).inspect()).State.StartedAt;
const textOf = (m: MessageState | undefined) =>
  visible((m?.embeds ?? []).map((e) => `${e.title ?? ''}\n${e.description ?? ''}`).join('\n'));

describeDocker('a scheduled restart as it runs', () => {
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: false, env: { FAKE_WORLDS: 'Lobby World' } } },
    harness: { monitor: true },
  });

  const countdown = () =>
    h.emulator.channelMessages(h.channel.alerts).find((m) => textOf(m).includes('schedule #1'));

  it('warns in the world, counts down in #alerts, then restarts with the worlds saved, audited as automation', async () => {
    const { id, name } = server.lobby;
    const before = await startedAt(id);
    const linesBefore = await receivedCount(id);
    // Due at the next full minute, planned up to 20 s ahead of it.
    const added = await h.command(
      'schedule',
      { sub: 'add', server: name, when: '* * * * *', warn: '20s,5s' },
      h.member.operator,
    );
    expect(visible(added.text)).toContain('Schedule #1 added');

    await expect.poll(countdown, { timeout: 75_000, interval: 250 }).toBeDefined();
    expect(buttonsOf(countdown()!).map((b) => b.label)).toEqual(['Abort', 'Restart now']);
    expect(textOf(countdown())).toContain('Planned by automation');
    await expect
      .poll(async () => (await receivedSince(id, linesBefore)).join('\n'), { timeout: 30_000 })
      .toContain('dynamicimpulsestring HeadlessRestart "Server restart in');

    await expect.poll(() => startedAt(id), { timeout: 90_000, interval: 250 }).not.toBe(before);
    await expect.poll(() => textOf(countdown()), { timeout: 120_000 }).toContain(`Restarted: ${name}`);
    expect(textOf(countdown())).toContain('Running: Lobby World');
    expect(buttonsOf(countdown()!).every((b) => b.disabled === true)).toBe(true);
    expect(await readSaves(id)).toContain('saved Lobby World');
    await expect
      .poll(() => h.bot.context.schedules.list()[0]?.last?.outcome, { timeout: 30_000 })
      .toBe('done');
    const rows = h.bot.context.audit.latest({ server: name });
    expect(rows.some((r) => r.memberTag === 'automation' && r.outcome === 'ok')).toBe(true);

    await h.command('schedule', { sub: 'remove', id: 1 }, h.member.operator);
  }, 240_000);
});
