/**
 * Discord doing the work but losing its answer (a 500 after the write) on posts that are not safe
 * to repeat: the status board and an alert appear once, thanks to a nonce Discord enforces.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/bot.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  docker,
  removeStartedContainers,
  startFakeHeadless,
  type StartedContainer,
} from '../support/docker.js';

describeDocker('Discord losing its answer after a post went through', () => {
  let h: Harness;
  let victim: StartedContainer;

  beforeAll(async () => {
    await buildFakeHeadlessImage();
    victim = await startFakeHeadless({ tty: false });
    h = await startHarness({ containers: [victim.name], monitor: true, alertDebounceMs: 120_000 });
  });
  afterAll(async () => {
    await h?.stop();
    await removeStartedContainers();
  });

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
      10_000,
      mark,
    );
    await h.bot.monitor!.sweepNow();
    expect(fault.hits).toHaveLength(1);
    expect(h.emulator.channelMessages(h.channel.alerts)).toHaveLength(1);
  });
});
