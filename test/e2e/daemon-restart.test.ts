/**
 * A Docker daemon restarted for real under a running bot (what a Docker upgrade does): a second
 * dockerd of the test's own, so the suite's main engine keeps running. One incident, one ping,
 * listing the servers from its first post; resolved when the daemon is back, naming the server
 * that did not come back, pinged once; edited again when that server runs again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, visible, type Harness } from '../support/bot.js';
import { describeDocker, startFakeHeadless, type StartedContainer } from '../support/docker.js';
import { SecondDaemon } from '../support/second-daemon.js';
import { embedOf, posted } from './alert-channel.js';

describeDocker('a Docker daemon restarting under the bot', () => {
  const daemon = new SecondDaemon();
  let h: Harness | undefined;
  const servers: Record<'first' | 'second' | 'plain', StartedContainer> = {} as never;
  const harness = () => h!;

  beforeAll(async () => {
    await daemon.start();
    const start = (name: string, restartPolicy: string) =>
      startFakeHeadless({ tty: false, docker: daemon.docker, restartPolicy, name: `${name}-${process.pid}` });
    [servers.first, servers.second, servers.plain] = await Promise.all([
      start('first', 'always'),
      start('second', 'always'),
      start('plain', 'no'),
    ]);
    h = await startHarness({
      containers: [servers.first.name, servers.second.name, servers.plain.name],
      monitor: true,
      docker: daemon.docker,
      alertDebounceMs: 600_000,
    });
    await h.bot.monitor!.sweepNow();
  }, 180_000);

  afterAll(async () => {
    try {
      await h?.stop();
    } finally {
      await daemon.remove();
    }
  }, 120_000);

  it('raises one incident with one ping, lists the servers, and names the one that did not come back', async () => {
    const h = harness();
    const alertsPath = `/channels/${h.channel.alerts}/messages`;
    const posts = (since: number) =>
      h.emulator.requests.slice(since).filter((r) => r.method === 'POST' && r.path === alertsPath);
    const since = h.emulator.requests.length;

    // Sweeping all along the shutdown, as the status board's timer may: a sweep then finds the API
    // closed while the events stream, still open, is about to bring the deaths.
    let exited = false;
    const stopping = daemon.stop().finally(() => (exited = true));
    while (!exited) await h.bot.monitor!.sweepNow();
    await stopping;
    await daemon.start();
    const resolved = await h.emulator.waitForRequest(
      (r) =>
        r.method === 'PATCH' &&
        r.path.startsWith(`${alertsPath}/`) &&
        embedOf(r).title?.startsWith('Recovered') === true,
      90_000,
      since,
    );
    const reply = await h.emulator.waitForRequest(
      (r) => r.method === 'POST' && r.path === alertsPath && posted(r).message_reference !== undefined,
      15_000,
      since,
    );

    const all = posts(since);
    const alerts = all.filter((r) => posted(r).message_reference === undefined);
    expect(alerts).toHaveLength(1);
    expect(alerts.map((r) => embedOf(r).title ?? '').join()).not.toContain('died');
    expect(posted(alerts[0]!).allowed_mentions).toEqual({ parse: [], roles: [h.role.oncall] });
    // The first post already names the cause and every server on that daemon.
    expect(embedOf(alerts[0]!).title).toBe(`Docker on unix://${daemon.socketPath} is restarting or down`);
    const first = visible(embedOf(alerts[0]!).description ?? '');
    for (const s of [servers.first, servers.second, servers.plain]) expect(first).toContain(`- ${s.name}: `);

    const { title, description = '' } = embedOf(resolved);
    expect(title).toBe(`Recovered: Docker on unix://${daemon.socketPath}`);
    const text = visible(description);
    expect(text).toContain(`${servers.first.name}: back`);
    expect(text).toContain(`${servers.second.name}: back`);
    expect(text).toContain(`${servers.plain.name} did not come back: Exited (`);

    const replies = all.filter((r) => posted(r).message_reference !== undefined);
    expect(replies).toEqual([reply]);
    expect(visible(posted(reply).content ?? '')).toContain(
      `<@&${h.role.oncall}> ${servers.plain.name} did not come back`,
    );

    // Later sweeps see the one left down, and do not alert about it again.
    await h.bot.monitor!.sweepNow();
    await h.bot.monitor!.sweepNow();
    expect(posts(since)).toHaveLength(2);

    // Once someone starts it, the incident says so, without another ping.
    const editsBefore = h.emulator.requests.length;
    await daemon.docker.getContainer(servers.plain.name).start();
    await h.bot.monitor!.sweepNow();
    const back = await h.emulator.waitForRequest(
      (r) =>
        r.method === 'PATCH' &&
        r.path === resolved.path &&
        visible(embedOf(r).description ?? '').includes(`${servers.plain.name}: running again`),
      30_000,
      editsBefore,
    );
    expect(embedOf(back).title).toBe(`Recovered: Docker on unix://${daemon.socketPath}`);
    expect(posts(since)).toHaveLength(2);
  }, 150_000);
});
