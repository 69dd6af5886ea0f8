/**
 * The watchdog end to end, with the real engine, fake headless servers and the Discord emulator:
 * switched on with /watchdog (operator only), a killed server comes back by itself and its alert
 * tells the story; a server whose console stays silent is restarted, its alert telling that story
 * too; a crash loop ends with one "giving up" ping, the server left down.
 */
import { beforeAll, expect, it } from 'vitest';
import { visible } from '../support/bot.js';
import { describeDocker, docker, setCrash, setHang } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { alertChannel, embedOf, idOf, posted } from './alert-channel.js';

describeDocker('the watchdog', () => {
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: false }, loopy: { tty: true }, guarded: { tty: false }, mute: { tty: false } },
    // No start-up grace: the suite's servers answer at once, and the silent one must count from the start.
    harness: { monitor: true, watchdogGraceMs: 1_000, watchdogStartupGraceMs: 1 },
  });
  beforeAll(() => h.bot.monitor!.sweepNow());

  const state = async (id: string) => (await docker.getContainer(id).inspect()).State.Status;
  const watchdogStarts = (name: string) =>
    h.bot.context.audit
      .latest({ server: name, limit: 50 })
      .filter((r) => r.command === 'watchdog' && r.action === 'start' && r.outcome === 'ok');

  it('is for operators: a moderator is refused and nothing changes', async () => {
    const { guarded } = server;
    const reply = await h.command('watchdog', { server: guarded.name, enabled: true }, h.member.moderator);
    expect(reply.text).toMatch(/You need the operator level/);
    expect(h.bot.context.watchdog.state(guarded.name).enabled).toBe(false);
  });

  it('brings a killed server back by itself; the alert shows died, started by the watchdog, running again', async () => {
    const { lobby } = server;
    const on = await h.command('watchdog', { server: lobby.name, enabled: true }, h.member.operator);
    expect(visible(on.text)).toContain(`Watchdog on for ${lobby.name}`);
    expect(visible(on.text)).toContain('is not running again within 1.0s, the bot starts it');

    const channel = alertChannel(h);
    const since = h.emulator.requests.length;
    await docker.getContainer(lobby.id).kill();
    const alert = await channel.waitForAlert(lobby.name, since);
    const told = await channel.waitForEdit(
      idOf(alert),
      (e) => (e.description ?? '').includes('running again'),
      since,
    );
    expect(embedOf(told).description).toMatch(
      /^<t:\d+:T> died: .*\n<t:\d+:T> started by the watchdog\n<t:\d+:T> running again: Lobby World, Build Night$/,
    );
    expect(await state(lobby.id)).toBe('running');
    expect(watchdogStarts(lobby.name)).toEqual([
      expect.objectContaining({ memberId: 'automation', memberTag: 'automation' }),
    ]);
  });

  it('gives up on a crash loop after three recoveries, pinging on-call once, and leaves the server down', async () => {
    const { loopy } = server;
    await h.command('watchdog', { server: loopy.name, enabled: true }, h.member.operator);
    const channel = alertChannel(h);
    const since = h.emulator.requests.length;
    let alertId: string | undefined;
    for (let crash = 1; crash <= 4; crash++) {
      await expect.poll(() => state(loopy.id), { timeout: 30_000 }).toBe('running');
      // The fake exits 1 at the next console line it reads: the sweep's.
      await setCrash(loopy.id, true);
      await h.bot.monitor!.sweepNow();
      await expect.poll(() => state(loopy.id), { timeout: 15_000 }).toBe('exited');
      alertId ??= idOf(await channel.waitForAlert(loopy.name, since));
      if (crash < 4)
        await expect.poll(() => watchdogStarts(loopy.name).length, { timeout: 30_000 }).toBe(crash);
    }
    const ping = await channel.waitForReply(alertId!, since, (c) => c.includes('giving up'));
    expect(posted(ping).content).toContain(`<@&${h.role.oncall}>`);
    expect(posted(ping).content).toContain('3 automatic recoveries within 30m');
    expect(channel.repliesTo(alertId!).filter((r) => posted(r).content?.includes('giving up'))).toHaveLength(
      1,
    );
    expect(await state(loopy.id)).toBe('exited');
    expect(watchdogStarts(loopy.name)).toHaveLength(3);
    const gaveUp = h.bot.context.audit
      .latest({ server: loopy.name, limit: 50 })
      .filter((r) => r.command === 'watchdog' && r.action === 'give up');
    expect(gaveUp).toHaveLength(1);
  }, 120_000);

  it('restarts a server whose console stays silent for three sweeps, and its alert tells the story', async () => {
    const { mute } = server;
    await h.command('watchdog', { server: mute.name, enabled: true }, h.member.operator);
    const channel = alertChannel(h);
    const since = h.emulator.requests.length;
    const startedAt = async () => (await docker.getContainer(mute.id).inspect()).State.StartedAt;
    const before = await startedAt();
    await setHang(mute.id, true);
    // The console alert comes at the second silent sweep, the watchdog's restart at the third.
    for (let sweep = 1; sweep <= 3; sweep++) await h.bot.monitor!.sweepNow();
    const alert = await channel.waitForAlert(mute.name, since);
    expect(embedOf(alert).title).toBe(`${mute.name} console stopped answering`);
    await channel.waitForEdit(
      idOf(alert),
      (e) =>
        (e.description ?? '').includes(
          'console silent for 3 sweeps: the watchdog restarts it (saving first)',
        ),
      since,
    );
    await expect.poll(startedAt, { timeout: 60_000 }).not.toBe(before);
    // The hang is a file in the container: it outlives the restart until taken away.
    await expect.poll(() => state(mute.id), { timeout: 30_000 }).toBe('running');
    await setHang(mute.id, false);
    const story = await channel.waitForEdit(
      idOf(alert),
      (e) => (e.description ?? '').includes('running again: '),
      since,
    );
    const lines = embedOf(story).description ?? '';
    expect(lines).toMatch(/restarted by the watchdog/);
    expect(lines.indexOf('the watchdog restarts it')).toBeLessThan(
      lines.indexOf('restarted by the watchdog'),
    );
    expect(lines.indexOf('restarted by the watchdog')).toBeLessThan(lines.indexOf('running again: '));
    const restarts = h.bot.context.audit
      .latest({ server: mute.name, limit: 20 })
      .filter((r) => r.command === 'watchdog' && r.action === 'restart');
    expect(restarts.map((r) => [r.memberTag, r.outcome])).toEqual([['automation', 'ok']]);
    // Nobody was pinged again: the alert's own first ping told on-call.
    expect(channel.repliesTo(idOf(alert))).toEqual([]);
  }, 150_000);

  it('keeps its switch across a bot restart', async () => {
    const { lobby } = server;
    await h.restartBot();
    const shown = await h.command('watchdog', { server: lobby.name }, h.member.operator);
    expect(visible(shown.text)).toContain(`Watchdog on for ${lobby.name}`);
    expect(visible(shown.text)).toContain('Set with /watchdog; kept across bot restarts.');
  });
});
