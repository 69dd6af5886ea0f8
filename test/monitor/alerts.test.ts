/**
 * Alerts against the Discord emulator, with an injected clock: one ping per incident, flaps edit
 * the same message without pinging, recovery edits it and disables its buttons.
 */
import { REST } from 'discord.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Alerts, DOCKER_KEY, dockerKey, type Incident, type IncidentKind } from '../../src/monitor/alerts.js';
import { startDiscordEmulator, type DiscordEmulator } from '../discord-emulator/index.js';
import type { RequestRecord } from '../discord-emulator/types.js';
import { TOKEN } from '../support/bot.js';
import { alertButtonId } from '../../src/discord/alert-button-id.js';
import { serverKey } from '../../src/servers/server-key.js';

const DEBOUNCE = 120_000;
const T0 = 1_700_000_000_000;

interface Button {
  type: number;
  custom_id?: string;
  label?: string;
  disabled?: boolean;
}
interface AlertBody {
  content?: string;
  allowed_mentions?: { parse?: string[]; roles?: string[] };
  embeds?: { title?: string; description?: string }[];
  components?: { components?: Button[] }[];
}

const bodyOf = (r: RequestRecord) => r.body as AlertBody;
const titleOf = (r: RequestRecord) => bodyOf(r).embeds?.[0]?.title ?? '';
const buttonsOf = (r: RequestRecord) => (bodyOf(r).components ?? []).flatMap((row) => row.components ?? []);
const idOf = (r: RequestRecord) => (r.response as { id: string }).id;
const isReply = (r: RequestRecord) =>
  (r.body as { message_reference?: unknown }).message_reference !== undefined;

describe('Alerts against the emulator', () => {
  let emulator: DiscordEmulator;
  let rest: REST;
  let channelId: string;
  let oncall: string;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    emulator = await startDiscordEmulator({
      token: TOKEN,
      channels: [{ name: 'alerts' }],
      roles: [{ name: 'oncall' }],
    });
    channelId = emulator.channel('alerts').id;
    oncall = emulator.role('oncall').id;
    rest = new REST({ api: emulator.apiUrl }).setToken(TOKEN);
  });
  afterAll(async () => {
    expect(emulator.internalErrors).toEqual([]);
    expect(emulator.unknownRequests).toEqual([]);
    await emulator?.close();
  });

  /** An Alerts with its own clock, and the alert-channel requests made since it was created. */
  function setup(options: { role?: string | null; hosts?: ReadonlyMap<string, string> } = {}) {
    const clock = { now: T0 };
    const alerts = new Alerts({
      rest,
      channelId,
      oncallRoleId: options.role === null ? undefined : (options.role ?? oncall),
      debounceMs: DEBOUNCE,
      logger,
      now: () => clock.now,
      dockerHosts: options.hosts,
    });
    const since = emulator.requests.length;
    const mine = (method: string) =>
      emulator.requests
        .slice(since)
        .filter((r) => r.method === method && r.path.startsWith(`/channels/${channelId}/messages`));
    return {
      alerts,
      clock,
      posts: () => mine('POST'),
      edits: () => mine('PATCH'),
      all: () => emulator.requests.slice(since),
    };
  }

  const incident = (server: string, kind: IncidentKind, detail: string, at = T0): Incident => ({
    server,
    kind,
    detail,
    at,
  });

  it('posts the first incident pinging only the on-call role, with Restart and Logs buttons', async () => {
    const { alerts, posts, edits } = setup();
    expect(alerts.isOpen('lobby')).toBe(false);
    expect(await alerts.raise(incident('lobby', 'died', 'exit code 137'))).toBe('posted');
    expect(alerts.isOpen('lobby')).toBe(true);
    expect(posts()).toHaveLength(1);
    expect(edits()).toHaveLength(0);
    const post = posts()[0]!;
    expect(post.status).toBe(200);
    const body = bodyOf(post);
    expect(body.content).toBe(`<@&${oncall}>`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [oncall] });
    expect(titleOf(post)).toContain('lobby');
    expect(titleOf(post)).toContain('died');
    expect(body.embeds?.[0]?.description).toContain('exit code 137');
    const buttons = buttonsOf(post);
    expect(buttons.map((b) => b.custom_id)).toEqual([
      alertButtonId('restart', serverKey('lobby')),
      alertButtonId('logs', serverKey('lobby')),
    ]);
    expect(buttons.map((b) => b.label)).toEqual(['Restart', 'Logs']);
    expect(buttons.every((b) => b.disabled !== true)).toBe(true);
    // What Discord would actually ping: the on-call role and nobody else.
    const stored = emulator.getMessage(channelId, idOf(post))!;
    expect(stored.mention_roles).toEqual([oncall]);
    expect(stored.mentions).toEqual([]);
    expect(stored.mention_everyone).toBe(false);
  });

  it('disables the buttons while a lifecycle action runs, enables them after, and leaves a recovered alert disabled', async () => {
    const { alerts, edits } = setup();
    await alerts.raise(incident('busy-one', 'died', 'exit code 1'));
    await alerts.setBusy('busy-one', true);
    expect(buttonsOf(edits().at(-1)!).every((b) => b.disabled === true)).toBe(true);
    expect(titleOf(edits().at(-1)!)).toContain('died');
    await alerts.setBusy('busy-one', true); // no change, no edit
    expect(edits()).toHaveLength(1);
    await alerts.setBusy('busy-one', false);
    expect(buttonsOf(edits().at(-1)!).every((b) => b.disabled !== true)).toBe(true);
    await alerts.recover('busy-one');
    await alerts.setBusy('busy-one', true);
    await alerts.setBusy('busy-one', false);
    // Nothing to enable on a recovered alert: no edit after the recovery.
    expect(edits()).toHaveLength(3);
    expect(titleOf(edits().at(-1)!)).toContain('Recovered');
  });

  it('gives every button a custom id within Discord’s 100 characters, even for a 128-character container name', async () => {
    const { alerts, posts } = setup();
    const long = `a${'b'.repeat(126)}c`;
    await alerts.raise(incident(long, 'died', 'exit code 1'));
    const ids = buttonsOf(posts()[0]!).map((b) => b.custom_id ?? '');
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);
    expect(posts()[0]!.status).toBe(200);
  });

  it('edits the same alert without pinging for a flap within the debounce window, then recovers it once', async () => {
    const { alerts, clock, posts, edits, all } = setup();
    await alerts.raise(incident('flappy', 'died', 'exit code 1'));
    const messageId = idOf(posts()[0]!);

    clock.now += DEBOUNCE - 1;
    expect(await alerts.raise(incident('flappy', 'oom', 'out of memory', clock.now))).toBe('updated');
    expect(posts()).toHaveLength(1);
    expect(edits()).toHaveLength(1);
    const edit = edits()[0]!;
    expect(edit.path).toBe(`/channels/${channelId}/messages/${messageId}`);
    expect(edit.status).toBe(200);
    const allowed = bodyOf(edit).allowed_mentions;
    expect(allowed?.parse).toEqual([]);
    expect(allowed?.roles ?? []).toEqual([]);
    expect(bodyOf(edit).embeds?.[0]?.description).toContain('exit code 1');
    expect(bodyOf(edit).embeds?.[0]?.description).toContain('out of memory');
    expect(buttonsOf(edit).every((b) => b.disabled !== true)).toBe(true);
    expect(emulator.channelMessages(channelId).filter((m) => m.id === messageId)).toHaveLength(1);

    clock.now += 1_000;
    await alerts.recover('flappy');
    expect(alerts.isOpen('flappy')).toBe(false);
    expect(edits()).toHaveLength(2);
    const recovered = edits()[1]!;
    expect(recovered.path).toBe(`/channels/${channelId}/messages/${messageId}`);
    expect(titleOf(recovered)).toContain('Recovered');
    expect(titleOf(recovered)).toContain('flappy');
    expect(bodyOf(recovered).allowed_mentions?.roles ?? []).toEqual([]);
    const buttons = buttonsOf(recovered);
    expect(buttons).toHaveLength(2);
    expect(buttons.every((b) => b.disabled === true)).toBe(true);
    expect(emulator.getMessage(channelId, messageId)?.embeds?.[0]?.title).toContain('Recovered');

    const before = all().length;
    await alerts.recover('flappy');
    expect(all()).toHaveLength(before);
    expect(posts()).toHaveLength(1);
  });

  it('pings again with a new message replying to the recovered alert, and edits the alert too, when the server fails again inside the window', async () => {
    const { alerts, clock, posts, edits } = setup();
    await alerts.raise(incident('again', 'died', 'crashed: exit code 1'));
    const alertId = idOf(posts()[0]!);
    clock.now += 30_000;
    await alerts.recover('again');
    clock.now += 30_000;
    expect(await alerts.raise(incident('again', 'died', 'crashed: exit code 2', clock.now))).toBe('pinged');
    expect(alerts.isOpen('again')).toBe(true);

    expect(posts()).toHaveLength(2);
    const ping = posts()[1]!;
    expect(ping.status).toBe(200);
    const body = ping.body as AlertBody & { message_reference?: { message_id?: string } };
    expect(body.message_reference?.message_id).toBe(alertId);
    expect(body.content).toContain(`<@&${oncall}>`);
    expect(body.content).toContain('again failed again: crashed: exit code 2');
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [oncall] });
    const stored = emulator.getMessage(channelId, idOf(ping))!;
    expect(stored.mention_roles).toEqual([oncall]);
    expect(stored.message_reference?.message_id).toBe(alertId);

    const edit = edits().at(-1)!;
    expect(edit.path).toBe(`/channels/${channelId}/messages/${alertId}`);
    expect(titleOf(edit)).toBe('again died');
    expect(bodyOf(edit).allowed_mentions?.roles ?? []).toEqual([]);
    expect(buttonsOf(edit).every((b) => b.disabled !== true)).toBe(true);
    const t = (ms: number) => `<t:${Math.floor(ms / 1000)}:T>`;
    expect(bodyOf(edit).embeds?.[0]?.description).toBe(
      [
        `${t(T0)} died: crashed: exit code 1`,
        `${t(T0 + 30_000)} healthy again`,
        `${t(T0 + 60_000)} died again: crashed: exit code 2`,
      ].join('\n'),
    );
  });

  it('a restart loop pings once, by a reply saying so, however many deaths and recoveries follow', async () => {
    const { alerts, clock, posts } = setup();
    const at = () => (clock.now += 10_000);
    const outcomes = [
      await alerts.raise(incident('looper', 'died', 'crashed: exit code 1', at())),
      await alerts.raise(incident('looper', 'died', 'crashed: exit code 1', at())),
      await alerts.raise(incident('looper', 'restarting', 'crashed: exit code 1', at())),
      await alerts.raise(incident('looper', 'restarting', 'crashed: exit code 1', at())),
    ];
    await alerts.recover('looper');
    outcomes.push(await alerts.raise(incident('looper', 'restarting', 'crashed: exit code 1', at())));
    expect(outcomes).toEqual(['posted', 'updated', 'pinged', 'updated', 'updated']);
    const replies = posts().filter(isReply);
    expect(replies).toHaveLength(1);
    expect(bodyOf(replies[0]!).content).toContain('looper keeps restarting');
    expect(bodyOf(replies[0]!).allowed_mentions).toEqual({ parse: [], roles: [oncall] });
  });

  it('replies without a mention when no on-call role is configured', async () => {
    const { alerts, clock, posts } = setup({ role: null });
    await alerts.raise(incident('quietly', 'died', 'crashed: exit code 1'));
    await alerts.recover('quietly');
    clock.now += 1_000;
    expect(await alerts.raise(incident('quietly', 'died', 'crashed: exit code 1', clock.now))).toBe('pinged');
    const reply = posts().at(-1)!;
    expect(isReply(reply)).toBe(true);
    expect(bodyOf(reply).content).not.toContain('<@');
    expect(bodyOf(reply).allowed_mentions).toEqual({ parse: [] });
  });

  it('recovering a server that never had an alert makes no request', async () => {
    const { alerts, all } = setup();
    await alerts.recover('quiet');
    await alerts.recover(DOCKER_KEY);
    expect(all()).toHaveLength(0);
  });

  it('posts a new alert, pinging again, for an incident after the debounce window', async () => {
    const { alerts, clock, posts } = setup();
    await alerts.raise(incident('later', 'died', 'exit code 1'));
    await alerts.recover('later');
    clock.now += DEBOUNCE;
    expect(await alerts.raise(incident('later', 'unhealthy', 'its health check fails', clock.now))).toBe(
      'posted',
    );
    expect(posts()).toHaveLength(2);
    const [first, second] = posts();
    expect(idOf(second!)).not.toBe(idOf(first!));
    expect(bodyOf(second!).allowed_mentions).toEqual({ parse: [], roles: [oncall] });
    expect(titleOf(second!)).toContain('is unhealthy');
    expect(alerts.isOpen('later')).toBe(true);
  });

  it('the Docker alert names Docker and has no buttons, also once recovered', async () => {
    const { alerts, posts, edits } = setup();
    expect(await alerts.raise(incident(DOCKER_KEY, 'docker', 'connect ENOENT /var/run/docker.sock'))).toBe(
      'posted',
    );
    const post = posts()[0]!;
    expect(titleOf(post)).toBe('Docker is unreachable');
    expect(bodyOf(post).components).toEqual([]);
    expect(bodyOf(post).allowed_mentions).toEqual({ parse: [], roles: [oncall] });
    await alerts.recover(DOCKER_KEY);
    const edit = edits()[0]!;
    expect(titleOf(edit)).toBe('Recovered: Docker');
    expect(bodyOf(edit).components).toEqual([]);
  });

  it('lists the servers last seen running from the first post of a Docker outage, then says how each came back', async () => {
    const { alerts, posts, edits } = setup();
    await alerts.raise({
      ...incident(DOCKER_KEY, 'docker', 'connect ENOENT'),
      lastSeenRunning: ['lobby', 'plain', 'steady'],
    });
    const first = bodyOf(posts()[0]!).embeds?.[0];
    // No death seen yet: out of reach is all that is known.
    expect(first?.title).toBe('Docker on this host is unreachable');
    expect(first?.description).toContain('- lobby: was running; not known until Docker answers');
    await alerts.dockerTookDown(['lobby']);
    expect(bodyOf(edits()[0]!).embeds?.[0]?.title).toBe('Docker on this host is restarting or down');
    expect(bodyOf(edits()[0]!).embeds?.[0]?.description).toContain('- lobby: down');
    await alerts.dockerBack([
      { name: 'lobby', back: true },
      { name: 'plain', back: false, state: 'Exited (0)' },
      { name: 'steady', back: true, kept: true },
    ]);
    const resolved = bodyOf(edits()[1]!).embeds?.[0]?.description ?? '';
    expect(resolved).toContain('- lobby: back');
    expect(resolved).toContain('- plain did not come back: Exited (0)');
    expect(resolved).toContain('- steady: kept running');
    // Only the one that did not come back is pinged, once, by a reply.
    expect(posts()).toHaveLength(2);
    expect(bodyOf(posts()[1]!).content).toBe(`<@&${oncall}> plain did not come back: Exited (0)`);

    await alerts.dockerServerBack('plain', T0 + 60_000);
    await alerts.dockerServerBack('lobby', T0 + 60_000);
    expect(edits()).toHaveLength(3);
    expect(bodyOf(edits()[2]!).embeds?.[0]?.description).toContain(
      `- plain: running again <t:${(T0 + 60_000) / 1000}:T> (did not come back: Exited (0) with Docker)`,
    );
    expect(posts()).toHaveLength(2);
  });

  it('adds notes to the timeline, and escalates once by a reply that pings on-call', async () => {
    const { alerts, posts, edits } = setup();
    expect(await alerts.note('lobby', 'started by the watchdog')).toBe(false);
    await alerts.raise(incident('lobby', 'died', 'crashed: exit code 1'));
    expect(await alerts.note('lobby', 'started by the watchdog', T0 + 30_000)).toBe(true);
    const lines = bodyOf(edits()[0]!).embeds?.[0]?.description?.split('\n');
    expect(lines).toEqual([
      `<t:${T0 / 1000}:T> died: crashed: exit code 1`,
      `<t:${(T0 + 30_000) / 1000}:T> started by the watchdog`,
    ]);
    expect(await alerts.escalate('lobby', 'the watchdog gave up', T0 + 60_000)).toBe(true);
    expect(posts()).toHaveLength(2);
    const reply = bodyOf(posts()[1]!);
    expect(reply.content).toBe(`<@&${oncall}> lobby: the watchdog gave up`);
    expect(reply.allowed_mentions).toEqual({ parse: [], roles: [oncall] });
  });

  it('a failing post is reported, crashes nothing, and the next incident posts', async () => {
    const { alerts, posts } = setup();
    const fault = emulator.failNext({
      method: 'POST',
      path: `/channels/${channelId}/messages`,
      status: 403,
      body: { message: 'Missing Access', code: 50001 },
    });
    expect(await alerts.raise(incident('unlucky', 'died', 'exit code 1'))).toBe('failed');
    expect(fault.hits).toHaveLength(1);
    expect(alerts.isOpen('unlucky')).toBe(false);
    expect(await alerts.raise(incident('unlucky', 'died', 'exit code 2'))).toBe('posted');
    expect(posts().filter((r) => !r.injected)).toHaveLength(1);
    expect(bodyOf(posts().at(-1)!).allowed_mentions).toEqual({ parse: [], roles: [oncall] });
    expect(alerts.isOpen('unlucky')).toBe(true);
  });

  it('a failing recovery edit crashes nothing', async () => {
    const { alerts } = setup();
    await alerts.raise(incident('fragile', 'died', 'exit code 1'));
    const fault = emulator.failNext({
      method: 'PATCH',
      path: /^\/channels\/\d+\/messages\/\d+$/,
      status: 403,
      body: { message: 'Missing Access', code: 50001 },
    });
    await expect(alerts.recover('fragile')).resolves.toBeUndefined();
    expect(fault.hits).toHaveLength(1);
  });

  it('many concurrent incidents for two servers make exactly one alert each', async () => {
    const { alerts, posts, edits } = setup();
    const kinds: IncidentKind[] = ['died', 'oom', 'unhealthy', 'restarting', 'stopped', 'console'];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        alerts.raise(incident(i % 2 === 0 ? 'alpha' : 'beta', kinds[i % kinds.length]!, `incident ${i}`)),
      ),
    );
    expect(results.filter((r) => r === 'posted')).toHaveLength(2);
    // beta's first "restarting" is news and pings once, by a reply; its second is not.
    expect(results.filter((r) => r === 'pinged')).toHaveLength(1);
    expect(results.filter((r) => r === 'updated')).toHaveLength(9);
    const alertPosts = posts().filter((p) => !isReply(p));
    expect(alertPosts).toHaveLength(2);
    expect(posts().filter(isReply)).toHaveLength(1);
    expect(edits()).toHaveLength(10);
    const idFor = new Map(alertPosts.map((p) => [titleOf(p).split(' ')[0], idOf(p)]));
    expect([...idFor.keys()].sort()).toEqual(['alpha', 'beta']);
    // Every edit went to its own server's message, and the last one carries all its incidents.
    for (const edit of edits()) {
      const server = titleOf(edit).split(' ')[0]!;
      expect(edit.path).toBe(`/channels/${channelId}/messages/${idFor.get(server)}`);
    }
    for (const [server, id] of idFor) {
      const description = emulator.getMessage(channelId, id)?.embeds?.[0]?.description ?? '';
      const mine = Array.from({ length: 12 }, (_, i) => i).filter(
        (i) => (i % 2 === 0) === (server === 'alpha'),
      );
      for (const i of mine) expect(description).toContain(`incident ${i}`);
      expect(description.split('\n')).toHaveLength(6);
    }
  });

  it('mentions nobody when no on-call role is configured', async () => {
    const { alerts, posts, edits } = setup({ role: null });
    expect(await alerts.raise(incident('nobody', 'died', 'exit code 1'))).toBe('posted');
    const post = posts()[0]!;
    expect(post.status).toBe(200);
    expect(bodyOf(post).content ?? '').not.toContain('<@');
    expect(bodyOf(post).allowed_mentions).toEqual({ parse: [] });
    const stored = emulator.getMessage(channelId, idOf(post))!;
    expect(stored.mention_roles).toEqual([]);
    expect(stored.mentions).toEqual([]);
    expect(stored.mention_everyone).toBe(false);
    await alerts.recover('nobody');
    expect(bodyOf(edits()[0]!).content ?? '').not.toContain('<@');
    expect(bodyOf(edits()[0]!).allowed_mentions).toEqual({ parse: [] });
  });

  it('posts the alert again, without a ping, when its message was deleted within the window', async () => {
    const { alerts, clock, posts } = setup();
    await alerts.raise(incident('deleted', 'died', 'exit code 1'));
    emulator.deleteMessage(channelId, idOf(posts()[0]!));
    clock.now += 1_000;
    expect(await alerts.raise(incident('deleted', 'died', 'exit code 2', clock.now))).toBe('updated');
    expect(posts()).toHaveLength(2);
    expect(bodyOf(posts()[1]!).allowed_mentions).toEqual({ parse: [] });
    expect(bodyOf(posts()[1]!).embeds?.[0]?.description).toContain('exit code 2');
  });

  it('retires an alert still open when a new one replaces it after the window', async () => {
    const { alerts, clock, posts, edits } = setup();
    await alerts.raise(incident('long', 'died', 'exit code 1'));
    clock.now += DEBOUNCE + 1;
    expect(await alerts.raise(incident('long', 'oom', 'killed', clock.now))).toBe('posted');
    const retired = edits().find((e) => e.path.endsWith(idOf(posts()[0]!)))!;
    expect(titleOf(retired)).toContain('Superseded');
    expect(buttonsOf(retired).every((b) => b.disabled === true)).toBe(true);
    expect(posts()).toHaveLength(2);
  });

  it('recovers an alert whose post was still in flight', async () => {
    const { alerts, edits } = setup();
    const raised = alerts.raise(incident('racy', 'died', 'exit code 1'));
    const recovered = alerts.recover('racy');
    await Promise.all([raised, recovered]);
    expect(titleOf(edits().at(-1)!)).toContain('Recovered');
  });

  it('keeps one Docker incident per host, each naming its host, resolved on its own', async () => {
    const hosts = new Map([
      ['eu-1', 'unix:///var/run/docker.sock'],
      ['eu-2', 'ssh://eu2.example'],
    ]);
    const { alerts, posts, edits } = setup({ hosts });
    await alerts.raise({
      ...incident(dockerKey('eu-2'), 'docker', 'connection refused'),
      lastSeenRunning: ['events'],
    });
    await alerts.raise(incident(dockerKey('eu-1'), 'docker', 'no socket there'));
    expect(posts().map(titleOf)).toEqual([
      'Docker on eu-2 (ssh://eu2.example) is unreachable',
      'Docker on eu-1 (unix:///var/run/docker.sock) is unreachable',
    ]);
    // Two incidents, two pings: each host down is news of its own.
    expect(posts().map((p) => bodyOf(p).allowed_mentions)).toEqual([
      { parse: [], roles: [oncall] },
      { parse: [], roles: [oncall] },
    ]);
    await alerts.dockerTookDown(['events'], 'eu-2');
    expect(titleOf(edits().at(-1)!)).toBe('Docker on eu-2 (ssh://eu2.example) is restarting or down');
    await alerts.dockerBack([{ name: 'events', back: true }], 'eu-2');
    expect(titleOf(edits().at(-1)!)).toBe('Recovered: Docker on eu-2 (ssh://eu2.example)');
    expect(alerts.isOpen(dockerKey('eu-2'))).toBe(false);
    expect(alerts.isOpen(dockerKey('eu-1'))).toBe(true);
    // Down again within the debounce window: the reply that pings says which host.
    await alerts.raise(incident(dockerKey('eu-2'), 'docker', 'connection refused'));
    expect(bodyOf(posts().at(-1)!).content).toBe(
      `<@&${oncall}> Docker on eu-2 (ssh://eu2.example) failed again: connection refused`,
    );
  });
});
