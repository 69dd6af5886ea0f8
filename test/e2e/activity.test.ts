/**
 * The activity feed end to end (real engine, fake headless, emulator): a join line from the console
 * is told at once and once, a kick is told as a leave at the next sweep, a burst of joins is one
 * message, and nobody is ever pinged.
 */
import { beforeAll, expect, it } from 'vitest';
import { visible } from '../support/bot.js';
import { describeDocker, execIn } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

interface Post {
  content: string;
  allowed_mentions: unknown;
}

/** The fake prints a join line for each name, and lets them in, at the next line it reads. */
async function joinAtNextLine(id: string, names: string[]): Promise<void> {
  const script = 'printf "%s\\n" "$@" > /state/join.new && mv /state/join.new /state/join';
  const result = await execIn(id, ['/bin/sh', '-c', script, 'sh', ...names]);
  expect(result.exitCode).toBe(0);
}

describeDocker('activity feed', () => {
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: false } },
    harness: { monitor: true, activityChannel: true, activityIntervalMs: 1_500 },
  });
  const posts = () =>
    h.emulator
      .findRequests({ method: 'POST', path: `/channels/${h.channel.activity}/messages` })
      .map((r) => r.body as Post);
  const told = () => posts().map((post) => visible(post.content));
  // The first sweep is the state found: nobody is news.
  beforeAll(() => h.bot.monitor!.sweepNow());

  it('tells a join line from the console at once, once, and a kick as a leave', async () => {
    await joinAtNextLine(server.lobby.id, ['dave']);
    // Any command makes the fake print the join; /servers is no sweep, so only the console tells it.
    await h.command('servers', {});
    await expect.poll(told, { timeout: 10_000 }).toEqual(['dave joined Lobby World (4/16)']);
    // The sweep sees dave too: not told again (the leave below would come after a second telling).
    await h.bot.monitor!.sweepNow();
    const kicked = await h.command('kick', { server: server.lobby.name, user: 'alice' }, h.member.moderator);
    expect(kicked.text).toContain('alice kicked');
    await h.bot.monitor!.sweepNow();
    await expect
      .poll(told, { timeout: 10_000 })
      .toEqual(['dave joined Lobby World (4/16)', 'alice left Lobby World (3/16)']);
  });

  it('tells a burst of thirty joins in one message, escaped, pinging nobody', async () => {
    const before = posts().length;
    const names = [
      '@everyone',
      '<@&123456789012345678>',
      '**bold** name',
      ...Array.from({ length: 27 }, (_, i) => `guest ${i} ${'x'.repeat(60)}`),
    ];
    await joinAtNextLine(server.lobby.id, names);
    await h.bot.monitor!.sweepNow();
    await expect.poll(() => posts().length, { timeout: 10_000 }).toBe(before + 1);
    // A leave afterwards shows that nothing else of the burst came in between.
    await h.command('kick', { server: server.lobby.name, user: 'bob smith' }, h.member.moderator);
    await h.bot.monitor!.sweepNow();
    await expect.poll(() => posts().length, { timeout: 10_000 }).toBe(before + 2);
    const [burst, leave] = posts().slice(before);
    expect(burst!.content).toMatch(/^30 people joined Lobby World \(33\/16\): @\u200beveryone, <@\u200b&/);
    expect(burst!.content).toContain('\\*\\*bold\\*\\* name');
    expect(burst!.content).toMatch(/… and \d+ more$/);
    expect(leave!.content).toBe('bob smith left Lobby World (32/16)');
    for (const post of posts()) {
      expect(post.allowed_mentions).toEqual({ parse: [] });
      expect(post.content.length).toBeLessThanOrEqual(2000);
    }
  });
});
