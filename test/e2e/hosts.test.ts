/**
 * Several Docker hosts end to end: the suite's main engine as eu-1 and a second dockerd of the
 * test's own as eu-2, both named in CONFIG_FILE's `hosts`. Commands reach the server on each host,
 * the board groups servers by host, and one host going away raises one alert while the other
 * keeps working; commands for a server on the dead host name it and change nothing.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { APIEmbedField } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { InteractionHandle, MessageState, RequestRecord } from '../discord-emulator/types.js';
import { pino } from 'pino';
import {
  buttonId,
  finalReply,
  hasButtons,
  result,
  startHarness,
  visible,
  type CommandResult,
  type Harness,
} from '../support/bot.js';
import {
  describeDocker,
  docker,
  execIn,
  readReceived,
  readSaves,
  removeContainers,
  startFakeHeadless,
  type StartedContainer,
} from '../support/docker.js';
import { SecondDaemon } from '../support/second-daemon.js';
import { finishedAudit } from './audit-support.js';

type Embed = { title?: string; description?: string; fields?: APIEmbedField[] };
type Posted = { content?: string; message_reference?: unknown; allowed_mentions?: unknown; embeds?: Embed[] };
const embedOf = (r: RequestRecord) => ((r.body as Posted).embeds ?? [])[0] ?? {};
const posted = (r: RequestRecord) => r.body as Posted;
const LIFECYCLE_MS = 60_000;

/**
 * A relay in front of the main engine's socket that writes down the head of every HTTP request
 * through it: the proof that a command for the other host made no Docker call here.
 */
class RecordingRelay {
  readonly socketPath = join(mkdtempSync(join(tmpdir(), 'rhb-relay-')), 'docker.sock');
  readonly requests: string[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection('/var/run/docker.sock');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.on('data', (chunk: Buffer) => {
        for (const [, head] of chunk
          .toString('latin1')
          .matchAll(/(?:^|\r\n)([A-Z]+ \/\S* HTTP\/1\.[01])\r\n/g))
          this.requests.push(head!);
      });
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.socketPath, resolve));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dirname(this.socketPath), { recursive: true, force: true });
  }
}

/** Every line a fake console received, read through the daemon it runs on. */
async function receivedOn(daemon: SecondDaemon, id: string): Promise<string[]> {
  const out = await execIn(id, ['/bin/cat', '/state/received.log'], daemon.docker);
  const lines = out.stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

async function savesOn(daemon: SecondDaemon, id: string): Promise<string[]> {
  const out = await execIn(id, ['/bin/sh', '-c', 'cat /state/saves.log 2>/dev/null || true'], daemon.docker);
  return out.stdout.split('\n').filter(Boolean);
}

function boardFields(h: Harness): APIEmbedField[] {
  return (h.emulator.channelMessages(h.channel.status).at(-1)?.embeds ?? []).flatMap((e) => e.fields ?? []);
}

function boardDescription(h: Harness): string {
  return h.emulator.channelMessages(h.channel.status).at(-1)?.embeds?.[0]?.description ?? '';
}

/** The board's field names in order, each server's by its container name, each host's as shown. */
function boardLayout(h: Harness, names: readonly string[]): string[] {
  return boardFields(h).map((f) => names.find((n) => f.name.includes(n)) ?? f.name);
}

function serverField(fields: readonly APIEmbedField[], name: string): APIEmbedField {
  const field = fields.find((f) => f.name.includes(name));
  if (!field) throw new Error(`no field for ${name} among ${fields.map((f) => f.name).join(', ')}`);
  return field;
}

const isQuestion = (m: MessageState) => hasButtons(m) && m.embeds?.[0]?.title !== 'Working…';

describeDocker('several Docker hosts', () => {
  const daemon = new SecondDaemon();
  const relay = new RecordingRelay();
  let h: Harness | undefined;
  const harness = () => h!;
  const pid = process.pid;
  /** `a` on eu-1 (by name); `b` (restarted by Docker) and `plain` (restart policy `no`) on eu-2, by label. */
  const s = {} as Record<'a' | 'b' | 'plain', StartedContainer>;
  const label = `rhb.hosts=${pid}`;
  const eu2 = () => `eu-2 (unix://${daemon.socketPath})`;

  beforeAll(async () => {
    await Promise.all([daemon.start(), relay.up()]);
    const onEu2 = (name: string, restartPolicy: string) =>
      startFakeHeadless({
        tty: false,
        docker: daemon.docker,
        restartPolicy,
        name: `hosts-${name}-${pid}`,
        labels: { 'rhb.hosts': String(pid) },
      });
    [s.a, s.b, s.plain] = await Promise.all([
      startFakeHeadless({ tty: true, name: `hosts-a-${pid}` }),
      onEu2('b', 'always'),
      onEu2('plain', 'no'),
    ]);
    h = await startHarness({
      hosts: {
        'eu-1': { url: `unix://${relay.socketPath}`, containers: [s.a.name] },
        'eu-2': { url: `unix://${daemon.socketPath}`, label },
      },
      monitor: true,
      alertDebounceMs: 600_000,
      confirmTimeoutMs: 20_000,
      // Sweeps are driven by the tests: none of the bot's own may touch eu-1 while one counts its calls.
      env: { STATUS_INTERVAL_SECONDS: '3600' },
    });
    await h.bot.monitor!.sweepNow();
  }, 180_000);

  afterAll(async () => {
    try {
      await h?.stop();
    } finally {
      await Promise.allSettled([removeContainers([s.a?.id].filter(Boolean)), daemon.remove(), relay.close()]);
    }
  }, 120_000);

  const state = async (c: StartedContainer, on = daemon.docker) =>
    (await on.getContainer(c.id).inspect()).State;

  /** Sends a command that asks for confirmation, confirms it as the invoker, and waits for the final answer. */
  async function confirmed(name: string, options: Record<string, unknown>, member: string) {
    const handle = harness().send(name, options, member);
    const question = await handle.waitForReply(isQuestion, 10_000);
    harness().emulator.pressButton({ customId: buttonId(question, 'yes'), messageId: question.id, member });
    const final = await handle.waitForReply(
      (m) => !hasButtons(m) && m.embeds?.[0]?.title !== 'Working…',
      LIFECYCLE_MS,
    );
    return result(handle, final);
  }

  /** What the invoker is shown first: the final answer, or a confirmation question. */
  async function answer(handle: InteractionHandle): Promise<CommandResult> {
    const shown = () => {
      const original = handle.original();
      return finalReply(handle) ?? (original && hasButtons(original) ? original : undefined);
    };
    await harness().emulator.waitForRequest(() => shown() !== undefined, 15_000);
    return result(handle, shown()!);
  }

  describe('both hosts up', () => {
    it('/status reaches the server on each host, and only that one', async () => {
      const h = harness();
      const [aBefore, bBefore] = [
        (await readReceived(s.a.id)).length,
        (await receivedOn(daemon, s.b.id)).length,
      ];

      const onA = await h.command('status', { server: s.a.name }, h.member.viewer);
      expect(onA.ephemeral).toBe(false);
      expect(onA.text).toContain('Lobby World');
      const aAfter = (await readReceived(s.a.id)).length;
      expect(aAfter).toBeGreaterThan(aBefore);
      expect((await receivedOn(daemon, s.b.id)).length).toBe(bBefore);

      const onB = await h.command('status', { server: s.b.name }, h.member.viewer);
      expect(onB.ephemeral).toBe(false);
      expect(onB.text).toContain('Build Night');
      expect((await receivedOn(daemon, s.b.id)).length).toBeGreaterThan(bBefore);
      expect((await readReceived(s.a.id)).length).toBe(aAfter);
    });

    it("a moderator kick on eu-2 is typed into that server's console", async () => {
      const h = harness();
      const before = (await receivedOn(daemon, s.b.id)).length;
      const aBefore = (await readReceived(s.a.id)).length;
      const r = await h.command('kick', { user: 'alice', server: s.b.name }, h.member.moderator);
      expect(r.text).toContain('alice kicked');
      expect((await receivedOn(daemon, s.b.id)).slice(before).at(-1)).toBe('kick alice');
      expect((await readReceived(s.a.id)).length).toBe(aBefore);
      expect(await finishedAudit(h, 'kick', s.b.name)).toMatchObject({ outcome: 'ok', action: 'kick alice' });
    });

    it(
      '/restart of the server on eu-2 saves its worlds and restarts it there, eu-1 untouched',
      async () => {
        const h = harness();
        const [bBefore, aBefore] = [await state(s.b), await state(s.a, docker)];
        const r = await confirmed('restart', { server: s.b.name }, h.member.operator);
        expect(r.text).toContain(`${s.b.name} restarted`);
        expect(r.text).toContain('Saved: Lobby World, Build Night');
        expect(await savesOn(daemon, s.b.id)).toEqual([
          'saved Lobby World',
          'saved Build Night',
          'stopped by signal',
        ]);
        const bAfter = await state(s.b);
        expect(bAfter.Running).toBe(true);
        expect(bAfter.StartedAt).not.toBe(bBefore.StartedAt);
        expect((await state(s.a, docker)).StartedAt).toBe(aBefore.StartedAt);
        expect(await readSaves(s.a.id)).toEqual([]);
        expect(await finishedAudit(h, 'restart', s.b.name)).toMatchObject({ outcome: 'ok' });
      },
      LIFECYCLE_MS + 30_000,
    );

    it('/servers lists the servers of both hosts, each saying its host', async () => {
      const h = harness();
      const r = await h.command('servers', {}, h.member.viewer);
      const fields = (r.reply.embeds ?? []).flatMap((e) => e.fields ?? []);
      expect(serverField(fields, s.a.name).value).toMatch(/^\*\*running\*\*.* · on eu-1/);
      expect(serverField(fields, s.b.name).value).toMatch(/^\*\*running\*\*.* · on eu-2/);
      expect(serverField(fields, s.plain.name).value).toMatch(/^\*\*running\*\*.* · on eu-2/);
      expect(r.text).toContain('3 of 3 running');
      expect(r.text).not.toContain('unreachable');
    });

    it('the board groups the servers under their host', async () => {
      const h = harness();
      const calls = relay.requests.length;
      await h.bot.monitor!.sweepNow();
      // A sweep asks eu-1 through the relay: the count a later test relies on to see no call at all.
      expect(relay.requests.slice(calls).filter((r) => r.includes('/containers/')).length).toBeGreaterThan(0);
      const names = [s.a.name, s.b.name, s.plain.name];
      expect(boardLayout(h, names)).toEqual(['🖥️ eu-1', s.a.name, '🖥️ eu-2', s.b.name, s.plain.name]);
      const fields = boardFields(h);
      expect(fields.find((f) => f.name === '🖥️ eu-1')?.value).toMatch(/^1 of 1 running · /);
      expect(fields.find((f) => f.name === '🖥️ eu-2')?.value).toMatch(/^2 of 2 running · /);
      for (const name of names) expect(serverField(fields, name).name).not.toContain('stale');
      expect(boardDescription(h)).toContain('3 of 3 running');
      expect(boardDescription(h)).toContain('2 hosts');
      // Nothing is wrong yet: no alert.
      expect(
        h.emulator.findRequests({ method: 'POST', path: `/channels/${h.channel.alerts}/messages` }),
      ).toEqual([]);
    });
  });

  describe('eu-2 goes away and comes back', () => {
    const alertsPath = () => `/channels/${harness().channel.alerts}/messages`;
    const alertPosts = (since: number) =>
      harness()
        .emulator.requests.slice(since)
        .filter((r) => r.method === 'POST' && r.path === alertsPath());
    let since = 0;

    beforeAll(async () => {
      since = harness().emulator.requests.length;
      await daemon.stop();
      await harness().bot.monitor!.sweepNow();
    }, 90_000);

    it('raises one alert for eu-2, pinging on-call once, and none for eu-1', async () => {
      const h = harness();
      await h.emulator.waitForRequest((r) => r.method === 'POST' && r.path === alertsPath(), 15_000, since);
      await h.bot.monitor!.sweepNow();
      const posts = alertPosts(since);
      expect(posts).toHaveLength(1);
      const alert = posts[0]!;
      expect(posted(alert).content).toBe(`<@&${h.role.oncall}>`);
      expect(posted(alert).allowed_mentions).toEqual({ parse: [], roles: [h.role.oncall] });
      expect(embedOf(alert).title).toMatch(
        new RegExp(`^Docker on ${escape(eu2())} is (unreachable|restarting or down)$`),
      );
      const text = visible(embedOf(alert).description ?? '');
      expect(text).not.toContain(s.a.name);
    });

    it('eu-1 keeps working: /status answers there', async () => {
      const h = harness();
      const r = await h.command('status', { server: s.a.name }, h.member.viewer);
      expect(r.ephemeral).toBe(false);
      expect(r.text).toContain('Lobby World');
    });

    it('the board shows eu-2 unreachable with its servers stale, eu-1 fresh', async () => {
      const h = harness();
      await h.bot.monitor!.sweepNow();
      const names = [s.a.name, s.b.name, s.plain.name];
      expect(boardLayout(h, names)).toEqual([
        '🖥️ eu-1',
        s.a.name,
        '🔴 eu-2: Docker is unreachable',
        s.b.name,
        s.plain.name,
      ]);
      const fields = boardFields(h);
      const down = fields.find((f) => f.name === '🔴 eu-2: Docker is unreachable')!;
      expect(down.value).toContain(`Docker on host ${eu2()} is unreachable (`);
      expect(down.value).toMatch(/Its servers below are the last known state, last seen <t:\d+:R>\.$/);
      expect(serverField(fields, s.b.name).name).toMatch(/ · stale$/);
      expect(serverField(fields, s.plain.name).name).toMatch(/ · stale$/);
      expect(serverField(fields, s.a.name).name).not.toContain('stale');
      expect(fields.find((f) => f.name === '🖥️ eu-1')?.value).toMatch(/^1 of 1 running · /);
      expect(boardDescription(h)).toContain('🔴 **Unreachable:** eu-2 (of 2 hosts)');
      expect(boardDescription(h)).toMatch(/^1 of 1 running · /);
    });

    it("/servers lists eu-1's server and says eu-2 is unreachable", async () => {
      const h = harness();
      const r = await h.command('servers', {}, h.member.viewer);
      const fields = (r.reply.embeds ?? []).flatMap((e) => e.fields ?? []);
      expect(serverField(fields, s.a.name).value).toContain('on eu-1');
      expect(fields.map((f) => f.name).join()).not.toContain(s.b.name);
      expect(visible(r.text)).toContain('🔴 Host eu-2 is unreachable, its servers are not listed: ');
    });

    it('/status and /restart for the server on eu-2 name the host and change nothing', async () => {
      const h = harness();
      const aReceived = (await readReceived(s.a.id)).length;
      const aStarted = (await state(s.a, docker)).StartedAt;
      const calls = relay.requests.length;
      const named = `Server "${s.b.name}" is on host ${eu2()}, which is unreachable (`;

      const status = await answer(h.send('status', { server: s.b.name }, h.member.viewer));
      expect(status.ephemeral).toBe(true);
      expect(visible(status.text)).toContain(named);

      // Refused before the confirmation question: nobody confirms a restart that cannot happen.
      const restart = await answer(h.send('restart', { server: s.b.name }, h.member.operator));
      expect(hasButtons(restart.reply)).toBe(false);
      expect(restart.ephemeral).toBe(true);
      expect(visible(restart.text)).toContain(named);
      expect(await finishedAudit(h, 'restart', s.b.name)).toMatchObject({ outcome: 'failed' });

      expect(relay.requests.slice(calls)).toEqual([]);
      expect((await readReceived(s.a.id)).length).toBe(aReceived);
      expect((await state(s.a, docker)).StartedAt).toBe(aStarted);
    }, 150_000);

    it('resolves the incident once eu-2 is back, naming the server that did not come back', async () => {
      const h = harness();
      const before = h.emulator.requests.length;
      await daemon.start();
      const resolved = await h.emulator.waitForRequest(
        (r) =>
          r.method === 'PATCH' &&
          r.path.startsWith(`${alertsPath()}/`) &&
          embedOf(r).title?.startsWith('Recovered') === true,
        90_000,
        before,
      );
      expect(embedOf(resolved).title).toBe(`Recovered: Docker on ${eu2()}`);
      const text = visible(embedOf(resolved).description ?? '');
      expect(text).toContain(`${s.b.name}: back`);
      expect(text).toContain(`${s.plain.name} did not come back: Exited (`);
      expect(text).not.toContain(s.a.name);
      const reply = await h.emulator.waitForRequest(
        (r) => r.method === 'POST' && r.path === alertsPath() && posted(r).message_reference !== undefined,
        15_000,
        since,
      );
      expect(visible(posted(reply).content ?? '')).toBe(
        `<@&${h.role.oncall}> ${s.plain.name} did not come back: ${text.split(`${s.plain.name} did not come back: `)[1]?.split('\n')[0]}`,
      );
      // One alert and the one reply about the server left down, nothing else.
      expect(alertPosts(since)).toHaveLength(2);

      const servers = await h.command('servers', {}, h.member.viewer);
      const fields = (servers.reply.embeds ?? []).flatMap((e) => e.fields ?? []);
      expect(serverField(fields, s.b.name).value).toMatch(/^\*\*running\*\*.* · on eu-2/);
      expect(serverField(fields, s.plain.name).value).toMatch(/^\*\*exited\*\*.* · on eu-2/);
      expect(servers.text).not.toContain('unreachable');

      await h.bot.monitor!.sweepNow();
      const names = [s.a.name, s.b.name, s.plain.name];
      expect(boardLayout(h, names)).toEqual(['🖥️ eu-1', s.a.name, '🖥️ eu-2', s.b.name, s.plain.name]);
      for (const name of names) expect(serverField(boardFields(h), name).name).not.toContain('stale');
      expect(boardDescription(h)).not.toContain('Unreachable');
      expect(alertPosts(since)).toHaveLength(2);
    }, 150_000);
  });

  describe('at start-up', () => {
    const extra: { id: string; on: SecondDaemon | undefined }[] = [];
    afterAll(async () => {
      await Promise.allSettled([
        removeContainers(extra.filter((c) => !c.on).map((c) => c.id)),
        removeContainers(
          extra.filter((c) => c.on).map((c) => c.id),
          daemon.docker,
        ),
      ]);
    });

    it('refuses the same container name on both hosts, by label, naming both hosts', async () => {
      const name = `hosts-dup-${pid}`;
      const labels = { 'rhb.hosts.dup': String(pid) };
      const [one, two] = await Promise.all([
        startFakeHeadless({ tty: false, name, labels }),
        startFakeHeadless({ tty: false, name, labels, docker: daemon.docker }),
      ]);
      extra.push({ id: one.id, on: undefined }, { id: two.id, on: daemon });
      const start = startHarness({
        hosts: {
          'eu-1': { url: 'unix:///var/run/docker.sock', label: `rhb.hosts.dup=${pid}` },
          'eu-2': { url: `unix://${daemon.socketPath}`, label: `rhb.hosts.dup=${pid}` },
        },
      });
      await expect(start).rejects.toBeInstanceOf(ConfigError);
      await expect(start).rejects.toThrow(`"${name}" is a managed container on eu-1 and eu-2`);
    }, 60_000);

    it('refuses the same container name listed for both hosts, naming both hosts', async () => {
      const start = startHarness({
        hosts: {
          'eu-1': { url: 'unix:///var/run/docker.sock', containers: [s.a.name] },
          'eu-2': { url: `unix://${daemon.socketPath}`, containers: [s.a.name] },
        },
      });
      await expect(start).rejects.toBeInstanceOf(ConfigError);
      await expect(start).rejects.toThrow(
        `CONFIG_FILE hosts.eu-2.containers: "${s.a.name}" is also on host eu-1`,
      );
    });

    it('starts with a host that does not answer: the other host works, the board says which is down', async () => {
      const solo = await startFakeHeadless({ tty: false, name: `hosts-solo-${pid}` });
      extra.push({ id: solo.id, on: undefined });
      const nowhere = `unix://${join(mkdtempSync(join(tmpdir(), 'rhb-nohost-')), 'docker.sock')}`;
      const lines: { level: number; msg: string }[] = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
      const h2 = await startHarness({
        hosts: {
          'eu-1': { url: 'unix:///var/run/docker.sock', containers: [solo.name, `hosts-absent-${pid}`] },
          'eu-2': { url: nowhere, label: `rhb.hosts.none=${pid}` },
        },
        monitor: true,
        alertDebounceMs: 600_000,
        logger,
      });
      try {
        // Said at start-up, one warn line each: the host that does not answer, the container that does not exist.
        expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toContain(
          'Docker host eu-2 is unreachable; will keep trying',
        );
        await expect.poll(() => lines.some((l) => l.msg.startsWith('start-up checks'))).toBe(true);
        expect(
          lines
            .filter((l) => l.level === 40 && /^(CONFIG_FILE|containers not checked)/.test(l.msg))
            .map((l) => l.msg),
        ).toEqual([
          `CONFIG_FILE hosts.eu-1.containers hosts-absent-${pid}: no such container`,
          `containers not checked: Docker on host eu-2 (${nowhere}) is unreachable (no socket there).`,
        ]);

        const status = await h2.command('status', { server: solo.name }, h2.member.viewer);
        expect(status.ephemeral).toBe(false);
        expect(status.text).toContain('Lobby World');

        const unknown = await h2.command('status', { server: `hosts-nothere-${pid}` }, h2.member.viewer);
        expect(unknown.ephemeral).toBe(true);
        expect(visible(unknown.text)).toContain(
          `There is no managed server "hosts-nothere-${pid}" on the hosts that answer; host eu-2 (${nowhere}) is unreachable and may have it`,
        );

        await h2.bot.monitor!.sweepNow();
        expect(boardLayout(h2, [solo.name, `hosts-absent-${pid}`])).toEqual([
          '🖥️ eu-1',
          `hosts-absent-${pid}`,
          solo.name,
          '🔴 eu-2: Docker is unreachable',
        ]);
        expect(boardFields(h2).at(-1)?.value).toMatch(/\nNo last known state to show\.$/);
        expect(boardDescription(h2)).toContain('🔴 **Unreachable:** eu-2 (of 2 hosts)');
        const alerts = await h2.emulator.waitForRequest(
          { method: 'POST', path: `/channels/${h2.channel.alerts}/messages` },
          15_000,
          0,
        );
        expect(embedOf(alerts).title).toBe(`Docker on eu-2 (${nowhere}) is unreachable`);
      } finally {
        await h2.stop();
        rmSync(dirname(nowhere.slice('unix://'.length)), { recursive: true, force: true });
      }
    }, 60_000);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
