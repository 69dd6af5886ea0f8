/**
 * The socket proxy of deploy/ (HAProxy rules in deploy/socket-proxy/haproxy.cfg, run by Debian's
 * haproxy): every Engine API call the bot makes passes, everything else is refused with 403 and
 * changes nothing; and the bot, behind a proxy that cuts its long-lived streams, attaches again and
 * follows the events again without losing a command or an incident.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachStream } from '../../src/docker/attach.js';
import { ManagedContainers } from '../../src/docker/containers.js';
import { readLogs } from '../../src/docker/logs.js';
import { StatsReader } from '../../src/docker/stats.js';
import { visible } from '../support/bot.js';
import { PROJECT_ROOT } from '../support/build.js';
import {
  buildFakeHeadlessImage,
  docker,
  readReceived,
  readStateFile,
  removeStartedContainers,
  startFakeHeadless,
  uniqueName,
  type StartedContainer,
} from '../support/docker.js';
import { PROXY_RULES, SocketProxy, describeProxy } from '../support/haproxy.js';
import { useBotSuite } from '../support/suite.js';

const exec = promisify(execFile);

interface Answer {
  status: number;
  body: string;
}

/** One raw request through the proxy, as any client could send it. */
function call(socketPath: string, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((done, fail) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

/** Resolves with the text read so far once `pattern` shows in a console's output. */
function waitForOutput(output: NodeJS.ReadableStream, pattern: RegExp, timeoutMs = 5_000): Promise<string> {
  return new Promise((done, fail) => {
    let text = '';
    const timer = setTimeout(
      () => fail(new Error(`no ${String(pattern)} within ${timeoutMs} ms: ${text}`)),
      timeoutMs,
    );
    output.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (pattern.test(text)) {
        clearTimeout(timer);
        done(text);
      }
    });
  });
}

async function tarOf(name: string, content: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'rhb-archive-'));
  writeFileSync(join(dir, name), content);
  const { stdout } = await exec('tar', ['-c', '-f', '-', '-C', dir, name], { encoding: 'buffer' });
  return stdout;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const exists = (ask: Promise<unknown>) =>
  ask.then(
    () => true,
    (err: { statusCode?: number }) => {
      if (err.statusCode === 404) return false;
      throw err;
    },
  );

describeProxy('the socket proxy in front of a real engine', () => {
  const proxy = new SocketProxy();
  const client = proxy.docker;
  let plain: StartedContainer;
  let tty: StartedContainer;

  beforeAll(async () => {
    await Promise.all([proxy.start(), buildFakeHeadlessImage()]);
    [plain, tty] = await Promise.all([startFakeHeadless({ tty: false }), startFakeHeadless({ tty: true })]);
  });
  afterAll(async () => {
    await removeStartedContainers();
    await proxy.stop();
  });

  describe('passes every call the bot makes', () => {
    it('ping and version, also under an API version prefix', async () => {
      expect(String(await client.ping())).toBe('OK');
      expect((await client.version()).ApiVersion).toMatch(/^1\.\d+$/);
      const versioned = new Docker({ socketPath: proxy.socketPath, version: 'v1.41' });
      expect(String(await versioned.ping())).toBe('OK');
      expect((await versioned.listContainers({ all: true })).map((c) => c.Id)).toContain(plain.id);
      expect((await call(proxy.socketPath, 'HEAD', '/_ping')).status).toBe(200);
    });

    it('lists with filters and inspects', async () => {
      const filtered = await client.listContainers({
        all: true,
        filters: { label: [`rhb.test.pid=${process.pid}`], name: [plain.name] },
      });
      expect(filtered.map((c) => c.Id)).toEqual([plain.id]);
      expect((await client.getContainer(tty.name).inspect()).Config.Tty).toBe(true);
    });

    for (const withTty of [false, true]) {
      it(`attaches ${withTty ? 'with' : 'without'} a TTY: a console command there and its answer back`, async () => {
        const c = withTty ? tty : plain;
        const stream = await attachStream(client.getContainer(c.id), withTty);
        try {
          const answer = waitForOutput(stream.output, /Build Night[^]*Lobby World>/);
          stream.write('worlds\n');
          expect(await answer).toContain('[0] Lobby World');
        } finally {
          stream.close();
        }
        expect(
          (await readReceived(c.id)).filter((line) => line.replace(/\r$/, '') === 'worlds'),
        ).toHaveLength(1);
      });
    }

    it('stops, starts, restarts and kills', async () => {
      const own = await startFakeHeadless({ tty: false });
      const containers = new ManagedContainers(client, { kind: 'names', names: [own.name] });
      const state = async () => (await docker.getContainer(own.id).inspect()).State;
      await expect(containers.stop(own.name, 5)).resolves.toBe('stopped');
      expect((await state()).Running).toBe(false);
      await expect(containers.start(own.name)).resolves.toBe('started');
      const startedAt = (await state()).StartedAt;
      await client.getContainer(own.id).restart({ t: 5 });
      expect((await state()).StartedAt).not.toBe(startedAt);
      await containers.kill(own.name);
      expect(await state()).toMatchObject({ Running: false, ExitCode: 137 });
    });

    it('reads logs, one-shot and streamed stats, and events', async () => {
      expect(await readLogs(client.getContainer(tty.id), true, 20)).toContain('World running...');
      const info = await docker.getContainer(plain.id).inspect();
      const stats = await new StatsReader().read(
        client.getContainer(plain.id),
        new Date(info.State.StartedAt),
      );
      expect(stats.memoryBytes).toBeGreaterThan(0);
      const streamed = (await client
        .getContainer(plain.id)
        .stats({ stream: true })) as unknown as NodeJS.ReadableStream;
      await waitForOutput(streamed, /"memory_stats"/);
      (streamed as unknown as { destroy(): void }).destroy();
      const since = Math.floor(Date.now() / 1000) - 600;
      const events = await client.getEvents({
        since,
        until: Math.floor(Date.now() / 1000),
        filters: { type: ['container'], container: [plain.id], event: ['start'] },
      });
      expect((await readAll(events)).toString('utf8')).toContain(plain.id);
    });

    it("reads and writes a container's files (the archive: PUT, HEAD, GET)", async () => {
      const config = JSON.stringify({ comment: uniqueName('config') });
      await client.getContainer(plain.id).putArchive(await tarOf('Config.json', config), { path: '/state' });
      expect(await readStateFile(plain.id, 'Config.json')).toBe(config);
      const stat = await client.getContainer(plain.id).infoArchive({ path: '/state/Config.json' });
      expect(stat).toBeTruthy();
      const archive = await client.getContainer(plain.id).getArchive({ path: '/state/Config.json' });
      expect((await readAll(archive)).toString('utf8')).toContain(config);
    });
  });

  describe('refuses everything else with 403, and nothing happens', () => {
    const name = uniqueName('refused');
    const refusals: {
      what: string;
      method: string;
      path: (c: StartedContainer) => string;
      body?: (image: string) => unknown;
      /** True while the refused call left no trace. */
      untouched?: (c: StartedContainer) => Promise<boolean>;
    }[] = [
      {
        what: 'create',
        method: 'POST',
        path: () => `/containers/create?name=${name}`,
        body: (image) => ({ Image: image }),
        untouched: async () => !(await exists(docker.getContainer(name).inspect())),
      },
      {
        what: 'create, under a version prefix',
        method: 'POST',
        path: () => `/v1.41/containers/create?name=${name}`,
        body: (image) => ({ Image: image }),
        untouched: async () => !(await exists(docker.getContainer(name).inspect())),
      },
      {
        what: 'exec',
        method: 'POST',
        path: (c) => `/containers/${c.id}/exec`,
        body: () => ({ Cmd: ['/bin/touch', '/state/pwned'] }),
        untouched: async (c) => (await docker.getContainer(c.id).inspect()).ExecIDs === null,
      },
      { what: 'exec start', method: 'POST', path: () => '/exec/0123456789ab/start', body: () => ({}) },
      {
        what: 'delete',
        method: 'DELETE',
        path: (c) => `/containers/${c.id}?force=true`,
        untouched: (c) => exists(docker.getContainer(c.id).inspect()),
      },
      {
        what: 'update',
        method: 'POST',
        path: (c) => `/containers/${c.id}/update`,
        body: () => ({ Memory: 64 * 1024 * 1024, MemorySwap: -1 }),
        untouched: async (c) => (await docker.getContainer(c.id).inspect()).HostConfig.Memory === 0,
      },
      {
        what: 'rename',
        method: 'POST',
        path: (c) => `/containers/${c.id}/rename?name=${name}`,
        untouched: async (c) => (await docker.getContainer(c.id).inspect()).Name === `/${c.name}`,
      },
      {
        what: 'pause',
        method: 'POST',
        path: (c) => `/containers/${c.id}/pause`,
        untouched: async (c) => !(await docker.getContainer(c.id).inspect()).State.Paused,
      },
      {
        what: 'commit',
        method: 'POST',
        path: (c) => `/commit?container=${c.id}&repo=${name}`,
        untouched: async () => !(await exists(docker.getImage(name).inspect())),
      },
      {
        what: 'prune (of this run only, were it let through)',
        method: 'POST',
        path: () =>
          `/containers/prune?filters=${encodeURIComponent(JSON.stringify({ label: [`rhb.test.pid=${process.pid}`] }))}`,
      },
      { what: 'export', method: 'GET', path: (c) => `/containers/${c.id}/export` },
      { what: 'processes', method: 'GET', path: (c) => `/containers/${c.id}/top` },
      { what: 'changes', method: 'GET', path: (c) => `/containers/${c.id}/changes` },
      { what: 'attach over a websocket', method: 'GET', path: (c) => `/containers/${c.id}/attach/ws` },
      { what: 'images', method: 'GET', path: () => '/images/json' },
      { what: 'image pull', method: 'POST', path: () => '/images/create?fromImage=busybox&tag=latest' },
      { what: 'image delete', method: 'DELETE', path: () => '/images/resonite-fake-headless:test' },
      { what: 'build', method: 'POST', path: () => `/build?t=${name}` },
      {
        what: 'volume create',
        method: 'POST',
        path: () => '/volumes/create',
        body: () => ({ Name: name }),
        untouched: async () => !(await exists(docker.getVolume(name).inspect())),
      },
      { what: 'volumes', method: 'GET', path: () => '/volumes' },
      {
        what: 'network create',
        method: 'POST',
        path: () => '/networks/create',
        body: () => ({ Name: name }),
        untouched: async () => !(await exists(docker.getNetwork(name).inspect())),
      },
      { what: 'networks', method: 'GET', path: () => '/networks' },
      { what: 'swarm', method: 'GET', path: () => '/swarm' },
      {
        what: 'swarm init',
        method: 'POST',
        path: () => '/swarm/init',
        body: () => ({ ListenAddr: '127.0.0.1' }),
      },
      { what: 'services', method: 'GET', path: () => '/services' },
      { what: 'secrets', method: 'GET', path: () => '/secrets' },
      { what: 'configs', method: 'GET', path: () => '/configs' },
      { what: 'plugins', method: 'GET', path: () => '/plugins' },
      { what: 'plugin install', method: 'POST', path: () => '/plugins/pull?remote=example/plugin' },
      { what: 'system info', method: 'GET', path: () => '/info' },
      { what: 'disk usage', method: 'GET', path: () => '/system/df' },
      { what: 'a session', method: 'POST', path: () => '/session' },
      {
        what: 'a lifecycle verb with the wrong method',
        method: 'GET',
        path: (c) => `/containers/${c.id}/kill`,
      },
      { what: 'a path that climbs out', method: 'GET', path: () => '/containers/json/../../images/json' },
      { what: 'an encoded slash', method: 'POST', path: (c) => `/containers/${c.id}%2F..%2Fexec/start` },
    ];

    it.each(refusals)('$what', async ({ method, path, body, untouched }) => {
      const image = await buildFakeHeadlessImage();
      const answer = await call(proxy.socketPath, method, path(plain), body?.(image));
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({
        message: 'refused by the socket proxy: the bot does not need this Docker call',
      });
      if (untouched) expect(await untouched(plain)).toBe(true);
      expect((await docker.getContainer(plain.id).inspect()).State).toMatchObject({
        Running: true,
        Paused: false,
      });
    });

    it('gives dockerode a clear error for a refused call', async () => {
      const err = await client.listImages().catch((e: unknown) => e);
      expect(err).toMatchObject({ statusCode: 403 });
      expect(String(err)).toContain('refused by the socket proxy');
    });
  });
});

describe('deploy/compose.yaml', () => {
  const file = join(PROJECT_ROOT, 'deploy', 'compose.yaml');
  const text = readFileSync(file, 'utf8');
  /** Each service's lines, by its name (two-space keys under `services:`); enough for this one file. */
  const services = new Map<string, string>();
  const block = /^services:\n([^]*?)^\S/m.exec(text)?.[1] ?? '';
  for (const part of block.split(/^(?= {2}[a-z][\w-]*:$)/m)) {
    const key = /^ {2}([a-z][\w-]*):$/m.exec(part)?.[1];
    if (key) services.set(key, part);
  }

  it('has the headless, the bot and the proxy', () => {
    expect([...services.keys()]).toEqual(['resonite-headless', 'bot', 'socket-proxy']);
    expect(services.get('resonite-headless')).toMatch(/stdin_open: true[^]*tty: true[^]*stop_signal: SIGINT/);
  });

  it('mounts the Docker socket into the proxy only, read-only, with the rules of this repository', () => {
    const mounts = [...services].filter(([, lines]) => lines.includes('docker.sock:'));
    expect(mounts.map(([key]) => key)).toEqual(['socket-proxy']);
    const proxyLines = services.get('socket-proxy')!;
    expect(proxyLines).toContain('- /var/run/docker.sock:/var/run/docker.sock:ro');
    const rules = /- (\S+):\/usr\/local\/etc\/haproxy\/haproxy\.cfg:ro$/m.exec(proxyLines)?.[1];
    expect(resolve(dirname(file), rules ?? '')).toBe(PROXY_RULES);
  });

  it('points the bot at the proxy', () => {
    const bot = services.get('bot')!;
    expect(bot).toContain('DOCKER_HOST: tcp://socket-proxy:2375');
    expect(services.get('socket-proxy')).toContain('PROXY_BIND: :2375');
    expect(bot).toMatch(/context: \.\.\n\s+dockerfile: Dockerfile/);
  });
});

/** The bot's log lines, as its logger writes them. */
function logLines() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push((JSON.parse(line) as { msg: string }).msg);
      }
      done();
    },
  });
  /** Resolves with the index of the first line from `from` on that starts with `words`. */
  const waitFor = async (words: string, from = 0, timeoutMs = 45_000) => {
    let at = -1;
    await expect
      .poll(() => (at = lines.findIndex((line, i) => i >= from && line.startsWith(words))), {
        timeout: timeoutMs,
      })
      .toBeGreaterThanOrEqual(0);
    return at;
  };
  return { logger: pino({ level: 'info' }, sink), lines, waitFor };
}

describeProxy('the bot behind a proxy that cuts a quiet console attach', () => {
  // The attach only: the events stream and every other call keep the file's long timeouts.
  const proxy = new SocketProxy({ tunnelTimeout: '2s' });
  beforeAll(() => proxy.start());
  afterAll(() => proxy.stop());
  const log = logLines();
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: true } },
    harness: { monitor: true, docker: proxy.docker, logger: log.logger },
  });

  it('attaches again after the cut, and the next command reaches the console once and is answered', async () => {
    const { lobby } = server;
    const attached = await log.waitFor(`console attached: ${lobby.name}`);
    await log.waitFor(`console lost: ${lobby.name}`, attached);
    const text = `after the cut ${uniqueName('note')}`;
    const reply = await h.command('message', { user: 'alice', text, server: lobby.name });
    expect(visible(reply.text)).toContain('Message sent');
    await log.waitFor(`console re-attached: ${lobby.name}`, attached);
    expect((await readReceived(lobby.id)).filter((line) => line.includes(text))).toHaveLength(1);
  }, 120_000);
});

describeProxy('the bot behind a proxy that cuts a quiet events stream', () => {
  const proxy = new SocketProxy({ idleTimeout: '3s' });
  beforeAll(() => proxy.start());
  afterAll(() => proxy.stop());
  const log = logLines();
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: false } },
    harness: { monitor: true, docker: proxy.docker, logger: log.logger },
  });

  it('follows the events again after the cut, and a docker kill is still alerted', async () => {
    const { lobby } = server;
    const lost = await log.waitFor('Docker events stream lost');
    await log.waitFor('Docker events stream back', lost);
    const since = h.emulator.requests.length;
    await docker.getContainer(lobby.id).kill();
    const post = await h.emulator.waitForRequest(
      { method: 'POST', path: `/channels/${h.channel.alerts}/messages` },
      20_000,
      since,
    );
    const embed = ((post.body as { embeds?: { title?: string; description?: string }[] }).embeds ?? [])[0];
    expect(visible(embed?.title ?? '')).toContain(lobby.name);
    expect(visible(JSON.stringify(embed))).toContain('killed from outside the bot');
  }, 120_000);
});
