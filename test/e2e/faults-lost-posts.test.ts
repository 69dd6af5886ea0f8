/**
 * Discord doing the work but losing its answer (a 500 after the write) on posts that are not safe
 * to repeat: the status board and an alert appear once, thanks to a nonce Discord enforces.
 */
import { expect, it } from 'vitest';
import { DEATH_ALERT_WAIT_MS } from '../support/bot.js';
import { describeDocker, docker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

describeDocker('Discord losing its answer after a post went through', () => {
  const { h, server } = useBotSuite({
    servers: { victim: { tty: false } },
    harness: { monitor: true, alertDebounceMs: 120_000 },
  });
  const { victim } = server;

  const lose = (path: string) => h.emulator.failNext({ method: 'POST', path, status: 500, processed: true });

  it('posts the status board once', async () => {
    const fault = lose(`/channels/${h.channel.status}/messages`);
    await h.bot.monitor!.sweepNow();
    expect(fault.hits).toHaveLength(1);
    expect(h.emulator.channelMessages(h.channel.status)).toHaveLength(1);
  });

  it('posts one alert when a server dies', async () => {
    const mark = h.emulator.requests.length;
    const fault = lose(`/channels/${h.channel.alerts}/messages`);
    await docker.getContainer(victim.id).kill();
    await h.emulator.waitForRequest(
      (r) => r.path === `/channels/${h.channel.alerts}/messages` && !r.injected,
      DEATH_ALERT_WAIT_MS,
      mark,
    );
    await h.bot.monitor!.sweepNow();
    expect(fault.hits).toHaveLength(1);
    expect(h.emulator.channelMessages(h.channel.alerts)).toHaveLength(1);
  });
});
