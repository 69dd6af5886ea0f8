/**
 * Schedules end to end: /schedule add answers with the next three runs as Discord timestamps, a bad
 * `when` is refused with nothing stored, schedules survive a bot restart (same DATA_DIR), and an
 * only_when_empty run waits while users are on, shown in /schedule list, then restarts the server
 * (worlds saved first) once they have left.
 */
import { describe, expect, it } from 'vitest';
import { visible } from '../support/bot.js';
import { describeDocker, docker, readSaves } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

const startedAt = async (id: string) => (await docker.getContainer(id).inspect()).State.StartedAt;

/** A daily time half a day away, so no run of it comes due while the suite runs. */
function farAway(): string {
  const hour = (new Date().getUTCHours() + 12) % 24;
  return `daily ${String(hour).padStart(2, '0')}:30`;
}

describeDocker('schedules', () => {
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: false, env: { FAKE_WORLDS: 'Lobby World' } } },
    harness: { monitor: true, scheduleEmptyCheckMs: 500 },
  });
  const daily = farAway();

  describe('/schedule add', () => {
    it('answers with the next three runs as Discord timestamps and the description', async () => {
      const r = await h.command(
        'schedule',
        { sub: 'add', server: server.lobby.name, when: daily },
        h.member.operator,
      );
      expect(r.ephemeral).toBe(false);
      const text = visible(r.text);
      expect(text).toContain('Schedule #1 added for');
      expect(text).toContain(`At ${daily.slice(6)} (UTC)`);
      const times = [...text.matchAll(/<t:(\d+):F>/g)].map((m) => Number(m[1]));
      expect(times).toHaveLength(3);
      expect(times[1]! - times[0]!).toBe(86_400);
      expect(times[2]! - times[1]!).toBe(86_400);
      expect(times[0]! * 1000).toBeGreaterThan(Date.now());
      expect(h.bot.context.schedules.list()).toHaveLength(1);
    });

    it.each([
      ['61 * * * *', 'minute field 61 is out of range 0-59'],
      ['weekly sunn 04:00', "unknown weekday 'sunn'"],
    ])('refuses when:%j saying what is wrong, and stores nothing', async (when, reason) => {
      const r = await h.command(
        'schedule',
        { sub: 'add', server: server.lobby.name, when },
        h.member.operator,
      );
      expect(r.ephemeral).toBe(true);
      expect(visible(r.text).replaceAll('\\', '')).toContain(reason);
      expect(h.bot.context.schedules.list()).toHaveLength(1);
    });

    it('refuses a bad warn override and stores nothing', async () => {
      const r = await h.command(
        'schedule',
        { sub: 'add', server: server.lobby.name, when: daily, warn: '15m,5q' },
        h.member.operator,
      );
      expect(r.ephemeral).toBe(true);
      expect(visible(r.text)).toContain('unknown unit q');
      expect(h.bot.context.schedules.list()).toHaveLength(1);
    });

    it('is refused to a moderator', async () => {
      const r = await h.command(
        'schedule',
        { sub: 'add', server: server.lobby.name, when: daily },
        h.member.moderator,
      );
      expect(r.ephemeral).toBe(true);
      expect(visible(r.text)).toContain('operator');
      expect(h.bot.context.schedules.list()).toHaveLength(1);
    });
  });

  it('keeps the schedules across a bot restart', async () => {
    await h.restartBot();
    const r = await h.command('schedule', { sub: 'list' }, h.member.operator);
    const text = visible(r.text).replaceAll('\\', '');
    expect(text).toContain(`#1 ${server.lobby.name}: ${daily}`);
    expect(text).toMatch(/Next run <t:\d+:F>/);
    const audit = await h.command('audit', {}, h.member.admin);
    expect(visible(audit.text)).toContain('schedule add');
  });

  it('waits while users are on, says so in /schedule list, then restarts once they are gone', async () => {
    const before = await startedAt(server.lobby.id);
    const added = await h.command(
      'schedule',
      { sub: 'add', server: server.lobby.name, when: '* * * * *', only_when_empty: true },
      h.member.operator,
    );
    const id = Number(/Schedule #(\d+)/.exec(added.text)?.[1]);
    const waiting = () => h.bot.context.schedules.list().find((s) => s.id === id)?.waiting;
    // Due at the next full minute; alice and bob smith are in Lobby World.
    await expect.poll(waiting, { timeout: 75_000, interval: 250 }).toMatchObject({ present: 2 });
    const list = visible(
      (await h.command('schedule', { sub: 'list', server: server.lobby.name }, h.member.operator)).text,
    );
    expect(list).toMatch(
      new RegExp(
        `Waiting for ${server.lobby.name} to empty since <t:\\d+:R> \\(2 users on\\); restarts anyway <t:\\d+:R>`,
      ),
    );
    expect(await startedAt(server.lobby.id)).toBe(before);

    for (const user of ['alice', 'bob smith']) {
      const kicked = await h.command('kick', { user, server: server.lobby.name }, h.member.moderator);
      expect(visible(kicked.text)).toContain('kicked');
    }
    await expect.poll(() => startedAt(server.lobby.id), { timeout: 60_000, interval: 250 }).not.toBe(before);
    expect(await readSaves(server.lobby.id)).toContain('saved Lobby World');
    await expect
      .poll(() => h.bot.context.schedules.list().find((s) => s.id === id)?.last?.outcome, { timeout: 60_000 })
      .toBe('done');
    const removed = await h.command('schedule', { sub: 'remove', id }, h.member.operator);
    expect(visible(removed.text)).toContain(`Schedule #${id} removed`);
    expect(h.bot.context.schedules.list().map((s) => s.id)).toEqual([1]);
  }, 240_000);
});
