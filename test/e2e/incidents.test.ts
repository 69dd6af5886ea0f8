/**
 * Incidents on-call can trust, end to end with the real engine and the Discord emulator: a new
 * failure after a recovery pings again (a reply to the alert), a restart loop pings once, stops and
 * kills from outside the bot are told apart from crashes, the board keeps the last known state
 * while Docker is gone, and the bot's log tells the story at info.
 */
import { Writable } from 'node:stream';
import Docker from 'dockerode';
import { pino } from 'pino';
import { beforeAll, expect, it } from 'vitest';
import { TOKEN, type Harness } from '../support/bot.js';
import { describeDocker, docker } from '../support/docker.js';
import { DockerProxy } from '../support/docker-proxy.js';
import { useBotSuite } from '../support/suite.js';
import { alertChannel, embedOf, idOf, posted } from './alert-channel.js';
import { alertButtonId } from '../../src/discord/alert-button-id.js';
import { serverKey } from '../../src/servers/server-key.js';

/** Sweeps until the alert says it recovered (the console needs a moment after a start). */
async function sweepUntilRecovered(h: Harness, messageId: string, since: number): Promise<void> {
  const recovered = alertChannel(h).waitForEdit(
    messageId,
    (e) => e.title?.startsWith('Recovered') === true,
    since,
  );
  let done = false;
  void recovered.then(() => (done = true));
  for (let i = 0; i < 40 && !done; i++) await h.bot.monitor!.sweepNow();
  await recovered;
}

describeDocker('incidents', () => {
  const { h, server } = useBotSuite({
    servers: { crashy: { tty: false }, loopy: { tty: false }, stoppy: { tty: true }, killy: { tty: false } },
    harness: { monitor: true, alertDebounceMs: 600_000 },
  });
  beforeAll(() => h.bot.monitor!.sweepNow());

  it('pings again, by a new message replying to the old alert, when a server fails after its alert recovered', async () => {
    const { crashy } = server;
    const channel = alertChannel(h);
    const since = h.emulator.requests.length;
    await docker.getContainer(crashy.id).kill();
    const alert = await channel.waitForAlert(crashy.name, since);
    await docker.getContainer(crashy.id).start();
    await sweepUntilRecovered(h, idOf(alert), since);

    const again = h.emulator.requests.length;
    await docker.getContainer(crashy.id).kill();
    const ping = await channel.waitForReply(idOf(alert), again);
    expect(posted(ping).content).toContain(`<@&${h.role.oncall}>`);
    expect(posted(ping).content).toContain(`${crashy.name} failed again`);
    expect(posted(ping).allowed_mentions).toEqual({ parse: [], roles: [h.role.oncall] });
    expect(h.emulator.getMessage(h.channel.alerts, idOf(ping))?.mention_roles).toEqual([h.role.oncall]);
    const edited = await channel.waitForEdit(
      idOf(alert),
      (e) => e.description?.includes('died again') === true,
      again,
    );
    expect(embedOf(edited).description).toMatch(
      /<t:\d+:T> died: .*\n<t:\d+:T> healthy again\n<t:\d+:T> died again: /,
    );
    expect(channel.alertsAbout(crashy.name)).toHaveLength(1);
  }, 90_000);

  // Four deaths, each alerted after its 5 s hold and a 2 s wait for a stop event that never comes.
  it('pings once about a restart loop, by a reply saying so, however many deaths follow', async () => {
    const { loopy } = server;
    const channel = alertChannel(h);
    const since = h.emulator.requests.length;
    const container = docker.getContainer(loopy.id);
    await container.kill();
    const alert = await channel.waitForAlert(loopy.name, since);
    for (let death = 2; death <= 4; death++) {
      const before = h.emulator.requests.length;
      await container.start();
      await container.kill();
      await channel.waitForEdit(idOf(alert), (e) => e.description?.split('\n').length === death, before);
    }
    const replies = channel.repliesTo(idOf(alert));
    expect(replies).toHaveLength(1);
    expect(posted(replies[0]!).content).toContain(
      `${loopy.name} keeps restarting: 3 deaths within 10 minutes`,
    );
    expect(posted(replies[0]!).allowed_mentions).toEqual({ parse: [], roles: [h.role.oncall] });
    expect(channel.alertsAbout(loopy.name)).toHaveLength(1);
  }, 90_000);

  it('describes a docker stop from outside the bot as a stop, not a crash', async () => {
    const { stoppy } = server;
    const since = h.emulator.requests.length;
    await docker.getContainer(stoppy.id).stop();
    const alert = await alertChannel(h).waitForAlert(stoppy.name, since);
    expect(embedOf(alert).title).toBe(`${stoppy.name} was stopped from outside the bot`);
    expect(embedOf(alert).description).toContain('stopped from outside the bot (docker stop), exit code 0');
  });

  it('describes a docker kill as a kill, naming its signal', async () => {
    const { killy } = server;
    const since = h.emulator.requests.length;
    await docker.getContainer(killy.id).kill({ signal: 'SIGKILL' });
    const alert = await alertChannel(h).waitForAlert(killy.name, since);
    expect(embedOf(alert).title).toContain('killed from outside the bot');
    expect(embedOf(alert).description).toContain(
      'killed from outside the bot (docker kill, SIGKILL), exit code 137',
    );
  });
});

describeDocker('the board while Docker is gone', () => {
  const proxy = new DockerProxy();
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: false } },
    harness: { monitor: true, docker: new Docker({ socketPath: proxy.socketPath }) },
    beforeBot: () => proxy.up(),
  });
  beforeAll(() => h.bot.monitor!.sweepNow());

  it('keeps the last known state, marked stale with when it was last seen', async () => {
    const board = () => h.emulator.channelMessages(h.channel.status).at(-1)?.embeds ?? [];
    expect(JSON.stringify(board())).toContain('Lobby World');
    await proxy.down();
    try {
      await h.bot.monitor!.sweepNow();
      const [embed] = board();
      expect(embed?.description).toContain('Docker is unreachable');
      expect(embed?.description).toMatch(
        /Showing the last known state, last seen <t:\d+:R>; it may be stale\./,
      );
      const field = embed?.fields?.find((f) => f.name.includes(server.lobby.name));
      expect(field?.name).toContain('· stale');
      expect(field?.value).toContain('Lobby World');
    } finally {
      await proxy.up();
    }
  });
});

describeDocker("the bot's log", () => {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as { level: number; msg: string });
      }
      done();
    },
  });
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: false } },
    harness: { monitor: true, logger: pino({ level: 'info' }, sink) },
  });
  beforeAll(() => h.bot.monitor!.sweepNow());

  it('tells a kill, its alert, the restart by the Restart button and the recovery, in order, at info', async () => {
    const { lobby } = server;
    const channel = alertChannel(h);
    const since = h.emulator.requests.length;
    await docker.getContainer(lobby.id).kill();
    const alert = await channel.waitForAlert(lobby.name, since);
    const press = h.emulator.pressButton({
      customId: alertButtonId('restart', serverKey(lobby.name)),
      messageId: idOf(alert),
      member: h.member.operator,
    });
    await press.waitForReply(
      (m) => JSON.stringify(m.embeds).replaceAll('\u200b', '').includes('Restarted by'),
      30_000,
    );
    await sweepUntilRecovered(h, idOf(alert), since);

    const story = [
      `console attached: ${lobby.name}`,
      `console lost: ${lobby.name}`,
      'alert raised',
      `${lobby.name} restarting, asked by`,
      `console re-attached: ${lobby.name}`,
      `${lobby.name} restarting done after`,
      'alert resolved',
    ];
    const at = story.map((words) => lines.findIndex((line) => line.msg.startsWith(words)));
    expect(at.every((index) => index >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const index of at) expect(lines[index]!.level).toBeGreaterThanOrEqual(30);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });
});
