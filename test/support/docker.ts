/**
 * Helpers for vitest suites that need a real Docker engine and the fake Resonite headless
 * console (test/fixtures/fake-headless).
 *
 * Usage:
 *
 *   import { afterAll, beforeAll, it } from 'vitest';
 *   import { describeDocker, buildFakeHeadlessImage, startFakeHeadless, removeStartedContainers } from '../support/docker.js';
 *
 *   describeDocker('my console suite', () => {
 *     beforeAll(() => buildFakeHeadlessImage());      // optional: startFakeHeadless builds on demand
 *     afterAll(() => removeStartedContainers());      // removes every container this worker started
 *     it('...', async () => { const { id } = await startFakeHeadless({ tty: true }); ... });
 *   });
 *
 * Without a reachable engine a `describeDocker` suite is skipped with one line of explanation,
 * unless REQUIRE_DOCKER=1, in which case it fails. Every container carries the label
 * `rhb.test=1`, so leftovers of a killed run can be removed by hand with
 * `docker rm -f $(docker ps -aq --filter label=rhb.test=1)`.
 */
import Docker from 'dockerode';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe } from 'vitest';

/** One client for all helpers; honours DOCKER_HOST like the docker CLI. */
export const docker = new Docker();

export const TEST_LABEL = 'rhb.test';
export const FAKE_HEADLESS_REPO = 'resonite-fake-headless';
export const FAKE_HEADLESS_IMAGE = `${FAKE_HEADLESS_REPO}:test`;
/** World names of the fake's default set-up; the first one is focused at start-up. */
export const FAKE_DEFAULT_WORLDS = ['Lobby World', 'Build Night'] as const;

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/fake-headless/', import.meta.url));
const BUSYBOX_PATH = process.env.FAKE_HEADLESS_BUSYBOX ?? '/bin/busybox';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------ availability

interface Availability {
  ok: boolean;
  reason: string;
}

let availabilityPromise: Promise<Availability> | undefined;

function checkAvailability(): Promise<Availability> {
  availabilityPromise ??= (async () => {
    try {
      await Promise.race([
        docker.ping(),
        delay(3000).then(() => {
          throw new Error('ping timed out after 3 s');
        }),
      ]);
      return { ok: true, reason: '' };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
  })();
  return availabilityPromise;
}

/** True when a Docker engine answers a ping (cached per process). */
export async function dockerAvailable(): Promise<boolean> {
  return (await checkAvailability()).ok;
}

const availability = await checkAvailability();

/** Resolved at import time (top-level await): whether the engine is reachable. */
export const dockerIsAvailable: boolean = availability.ok;

/**
 * `describe` for suites that need the engine. Engine reachable: a plain `describe`.
 * Unreachable and REQUIRE_DOCKER=1: the suite fails in `beforeAll` with a clear message.
 * Unreachable otherwise: the suite is skipped and one line says why.
 */
export function describeDocker(name: string, fn: () => void): void {
  if (availability.ok) {
    describe(name, fn);
    return;
  }
  const why = `no Docker engine reachable (${availability.reason})`;
  if (process.env.REQUIRE_DOCKER === '1') {
    describe(name, () => {
      beforeAll(() => {
        throw new Error(`REQUIRE_DOCKER=1 but ${why}: start dockerd or unset REQUIRE_DOCKER`);
      });
      fn();
    });
    return;
  }
  console.log(`[docker] skipping "${name}": ${why}; set REQUIRE_DOCKER=1 to fail instead`);
  describe.skip(name, fn);
}

// ------------------------------------------------------------------ names

/** A container name unique across workers and runs: `rhb-test-<label>-<pid>-<random>`. */
export function uniqueName(label = 'ctr'): string {
  const safe = label.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 40);
  return `rhb-test-${safe}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

// ------------------------------------------------------------------ image

const buildPromises = new WeakMap<Docker, Promise<string>>();

/**
 * Builds the fake headless image once per process and returns an image reference pinned to the
 * fixture's content (`resonite-fake-headless:h-<hash>`); `resonite-fake-headless:test` is tagged
 * too. An image with the same content hash is reused, so parallel workers and later runs do not
 * rebuild; a lock directory in os.tmpdir() keeps workers from building at the same time, and a
 * concurrent build (e.g. a stale lock) is harmless.
 */
export function buildFakeHeadlessImage(client: Docker = docker): Promise<string> {
  let build = buildPromises.get(client);
  if (!build) {
    // Each daemon has its own image store: a second daemon's client builds there.
    build = buildImageOnce(client).catch((err: unknown) => {
      buildPromises.delete(client);
      throw err;
    });
    buildPromises.set(client, build);
  }
  return build;
}

async function imageExists(client: Docker, ref: string): Promise<boolean> {
  try {
    await client.getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

async function buildImageOnce(client: Docker): Promise<string> {
  const files = {
    Dockerfile: path.join(FIXTURE_DIR, 'Dockerfile'),
    'fake-headless.sh': path.join(FIXTURE_DIR, 'fake-headless.sh'),
    'Config.json': path.join(FIXTURE_DIR, 'Config.json'),
    busybox: BUSYBOX_PATH,
  };
  const hash = createHash('sha256');
  for (const [name, file] of Object.entries(files)) {
    hash
      .update(name)
      .update('\0')
      .update(await fs.readFile(file))
      .update('\0');
  }
  const tag = `h-${hash.digest('hex').slice(0, 16)}`;
  const ref = `${FAKE_HEADLESS_REPO}:${tag}`;

  if (!(await imageExists(client, ref))) {
    await withBuildLock(
      client === docker ? tag : `${tag}-${process.pid}`,
      () => imageExists(client, ref),
      () => buildImage(client, files, ref),
    );
  }
  await client.getImage(ref).tag({ repo: FAKE_HEADLESS_REPO, tag: 'test' });
  return ref;
}

async function withBuildLock(
  key: string,
  done: () => Promise<boolean>,
  build: () => Promise<void>,
): Promise<void> {
  const lockDir = path.join(os.tmpdir(), `rhb-fake-headless-${key}.lock`);
  const deadline = Date.now() + 120_000;
  let owned = false;
  while (!owned) {
    try {
      await fs.mkdir(lockDir);
      owned = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await done()) return; // another worker finished the build
      const stat = await fs.stat(lockDir).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > 60_000) {
        await fs.rm(lockDir, { recursive: true, force: true }); // stale lock of a killed worker
      } else if (Date.now() > deadline) {
        break; // build without the lock: concurrent legacy builds are harmless
      } else {
        await delay(100);
      }
    }
  }
  try {
    if (!(await done())) await build();
  } finally {
    if (owned) await fs.rm(lockDir, { recursive: true, force: true });
  }
}

async function buildImage(client: Docker, files: Record<string, string>, ref: string): Promise<void> {
  const context = await fs.mkdtemp(path.join(os.tmpdir(), 'rhb-fake-headless-ctx-'));
  try {
    for (const [name, file] of Object.entries(files)) {
      await fs.copyFile(file, path.join(context, name));
    }
    await fs.chmod(path.join(context, 'busybox'), 0o755);
    await fs.chmod(path.join(context, 'fake-headless.sh'), 0o755);
    // Legacy builder (API default): no BuildKit/buildx on these machines, no pulls.
    const stream = await client.buildImage(
      { context, src: Object.keys(files) },
      { t: ref, rm: true, forcerm: true },
    );
    const output = await new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      client.modem.followProgress(stream, (err, result: Array<Record<string, unknown>>) =>
        err ? reject(err) : resolve(result),
      );
    });
    const failure = output.find((event) => event.error !== undefined || event.errorDetail !== undefined);
    if (failure) {
      const log = output.map((event) => String(event.stream ?? event.error ?? '')).join('');
      throw new Error(`building ${ref} failed: ${String(failure.error)}\n${log}`);
    }
    if (!(await imageExists(client, ref)))
      throw new Error(`building ${ref} finished but the image is missing`);
  } finally {
    await fs.rm(context, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ containers

export interface FakeHeadlessOptions {
  /** `docker run -t`: raw stream, echo, `\r\n`, one coloured log line at start-up. */
  tty: boolean;
  /** Container name; default `uniqueName('fake-headless')`. */
  name?: string;
  labels?: Record<string, string>;
  /** e.g. FAKE_STARTUP_DELAY, FAKE_WORLDS, FAKE_FIRST_UNKNOWN, FAKE_STDERR_LOGS */
  env?: Record<string, string>;
  /** `no` (default), `always`, `unless-stopped`, `on-failure` or `on-failure:<max retries>` */
  restartPolicy?: string;
  /** Wait for the first prompt before resolving (default true). */
  waitForPrompt?: boolean;
  /** Time allowed for the first prompt (default 30 s plus FAKE_STARTUP_DELAY). */
  timeoutMs?: number;
  /** Another daemon's client (the image is built there too); its containers are the caller's to remove. */
  docker?: Docker;
  /** `docker run -i` (default true); without it the console hears nothing (the fake idles at EOF). */
  openStdin?: boolean;
}

export interface StartedContainer {
  id: string;
  name: string;
}

const started = new Set<string>();

/**
 * Creates and starts a uniquely named fake headless container (stdin open, no network) and,
 * unless `waitForPrompt: false`, resolves once its first prompt has been printed. The wait uses
 * an attach made before the start: `docker logs` never shows the prompt because the json-file
 * driver holds back a line until its newline arrives.
 */
export async function startFakeHeadless(options: FakeHeadlessOptions): Promise<StartedContainer> {
  const client = options.docker ?? docker;
  const image = await buildFakeHeadlessImage(client);
  const name = options.name ?? uniqueName('fake-headless');
  const env = options.env ?? {};
  const [policy, retries] = (options.restartPolicy ?? 'no').split(':');
  const container = await client.createContainer({
    name,
    Image: image,
    OpenStdin: options.openStdin ?? true,
    StdinOnce: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: options.tty,
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    Labels: { [TEST_LABEL]: '1', 'rhb.test.pid': String(process.pid), ...options.labels },
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      RestartPolicy: { Name: policy ?? 'no', ...(retries ? { MaximumRetryCount: Number(retries) } : {}) },
    },
  });
  if (client === docker) started.add(container.id);

  try {
    if (options.waitForPrompt === false) await container.start();
    else await startAndAwaitPrompt(container, name, options);
  } catch (err) {
    // The caller never learns the id of a container that did not come up, so it is removed here;
    // the start's own error is the one that says what went wrong.
    await removeContainers([container.id], client).catch(() => undefined);
    throw err;
  }
  return { id: container.id, name };
}

async function startAndAwaitPrompt(
  container: Docker.Container,
  name: string,
  options: FakeHeadlessOptions,
): Promise<void> {
  const env = options.env ?? {};
  const firstWorld = env.FAKE_WORLDS ? (env.FAKE_WORLDS.split('|')[0] ?? '') : FAKE_DEFAULT_WORLDS[0];
  const readyTail = `World running...\n${firstWorld}>`;
  const startupDelayMs = Number(env.FAKE_STARTUP_DELAY ?? 0) * 1000 || 0;
  const timeoutMs = options.timeoutMs ?? 30_000 + startupDelayMs;

  const stream = await attachOutput(container);
  let text = '';
  const decoder = new StringDecoder('utf8');
  const sink = new PassThrough();
  let settle: (err?: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      settle(new Error(`${name}: no prompt within ${timeoutMs} ms; output so far: ${JSON.stringify(text)}`));
    }, timeoutMs);
    settle = (err?: Error) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
  });
  ready.catch(() => undefined); // awaited below; avoid an unhandled rejection if start() throws
  sink.on('data', (chunk: Buffer) => {
    text += decoder.write(chunk).replace(/\r\n/g, '\n');
    if (text.endsWith(readyTail)) settle();
  });
  stream.on('end', () =>
    settle(new Error(`${name}: output ended before the first prompt: ${JSON.stringify(text)}`)),
  );
  stream.on('error', (err: Error) => settle(err));
  if (options.tty) stream.pipe(sink);
  else container.modem.demuxStream(stream, sink, sink);
  try {
    await container.start();
    await ready;
  } finally {
    settle(new Error('aborted'));
    stream.destroy();
  }
}

/**
 * An attach to the output only, sent with an empty body and an explicit `stdin=false`: Podman
 * attaches stdin unless told not to, hands it dockerode's JSON body (the options, which dockerode
 * sends as a body too), and closes a non-TTY container's stdin when the attach ends.
 */
function attachOutput(container: Docker.Container): Promise<NodeJS.ReadableStream & { destroy(): void }> {
  return new Promise((resolve, reject) => {
    container.modem.dial(
      {
        path: `/containers/${container.id}/attach?`,
        method: 'POST',
        options: { stream: true, stdin: false, stdout: true, stderr: true },
        file: Buffer.alloc(0),
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
      },
      (err: Error | null, stream: unknown) =>
        err ? reject(err) : resolve(stream as NodeJS.ReadableStream & { destroy(): void }),
    );
  });
}

/** Force-removes containers (and their anonymous volumes); missing ones are ignored. */
export async function removeContainers(ids: Iterable<string>, client: Docker = docker): Promise<void> {
  await Promise.all(
    [...ids].map(async (id) => {
      started.delete(id);
      try {
        await client.getContainer(id).remove({ force: true, v: true });
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      }
    }),
  );
}

/** Removes every container `startFakeHeadless` created in this process: call it in `afterAll`. */
export function removeStartedContainers(): Promise<void> {
  return removeContainers([...started]);
}

// ------------------------------------------------------------------ state files

/**
 * Reads /state/<file> from a container, running or stopped (via the archive endpoint, so it also
 * works after the process exited). A missing file reads as ''.
 */
export async function readStateFile(id: string, file: string): Promise<string> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await docker.getContainer(id).getArchive({ path: `/state/${file}` });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return '';
    throw err;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return firstFileInTar(Buffer.concat(chunks)).toString('utf8');
}

/** The content of the first regular file of a (ustar/pax) tar archive. */
function firstFileInTar(tar: Buffer): Buffer {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const sizeField = header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim();
    const size = parseInt(sizeField || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + 512;
    if (type === '0' || type === '\0') return tar.subarray(start, start + size);
    offset = start + Math.ceil(size / 512) * 512;
  }
  return Buffer.alloc(0);
}

function toLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every line the fake's console received, exactly as read (a `\r` sent by the client stays). */
export async function readReceived(id: string): Promise<string[]> {
  return toLines(await readStateFile(id, 'received.log'));
}

/** `saved <world name>` per `save`, `stopped by signal` after SIGINT/SIGTERM. */
export async function readSaves(id: string): Promise<string[]> {
  return toLines(await readStateFile(id, 'saves.log'));
}

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in a running container (not the console!) and collects its output. */
export async function execIn(id: string, cmd: string[], client: Docker = docker): Promise<ExecResult> {
  const exec = await client.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  out.on('data', (chunk: Buffer) => stdout.push(chunk));
  err.on('data', (chunk: Buffer) => stderr.push(chunk));
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
    client.modem.demuxStream(stream, out, err);
  });
  const info = await exec.inspect();
  return {
    exitCode: info.ExitCode,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
}

async function toggleStateFile(id: string, file: string, on: boolean): Promise<void> {
  const cmd = on ? ['/bin/touch', `/state/${file}`] : ['/bin/rm', '-f', `/state/${file}`];
  const result = await execIn(id, cmd);
  if (result.exitCode !== 0) throw new Error(`${cmd.join(' ')} failed in ${id}: ${result.stderr}`);
}

/** While on, the fake records lines but prints nothing (no reply, no prompt). */
export function setHang(id: string, on: boolean): Promise<void> {
  return toggleStateFile(id, 'hang', on);
}

/** When on, the next line received makes the fake exit 1 without a prompt (one-shot). */
export function setCrash(id: string, on: boolean): Promise<void> {
  return toggleStateFile(id, 'crash', on);
}

// ------------------------------------------------------------------ raw console

export interface RawConsole {
  /** Everything received so far (stdout and stderr interleaved in arrival order), UTF-8 decoded. */
  readonly output: string;
  readonly stdout: string;
  readonly stderr: string;
  /** Writes `line + '\n'` to the console's stdin. */
  send(line: string): void;
  write(data: string | Buffer): void;
  /** Resolves with `output.slice(from)` once `test` passes on it; rejects on timeout or stream end. */
  waitFor(
    test: RegExp | string | ((text: string) => boolean),
    opts?: { from?: number; timeoutMs?: number },
  ): Promise<string>;
  /** Resolves when the attach stream ends (e.g. the container exited). */
  readonly ended: Promise<void>;
  close(): void;
}

/**
 * A raw hijacked attach to a container's console (stdin+stdout+stderr), demultiplexed for
 * non-TTY containers. For tests of the fixture itself; the bot has its own console layer.
 */
export async function attachRaw(id: string, tty: boolean): Promise<RawConsole> {
  const stream = (await docker.getContainer(id).attach({
    stream: true,
    stdin: true,
    stdout: true,
    stderr: true,
    hijack: true,
  })) as NodeJS.ReadWriteStream & { destroy(): void };

  let output = '';
  let stdoutText = '';
  let stderrText = '';
  let endedFlag = false;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const sinkFor = (kind: 'stdout' | 'stderr') => {
    const sink = new PassThrough();
    const decoder = new StringDecoder('utf8');
    sink.on('data', (chunk: Buffer) => {
      const text = decoder.write(chunk);
      output += text;
      if (kind === 'stdout') stdoutText += text;
      else stderrText += text;
      notify();
    });
    return sink;
  };
  const outSink = sinkFor('stdout');
  if (tty) stream.pipe(outSink);
  else docker.modem.demuxStream(stream, outSink, sinkFor('stderr'));

  const ended = new Promise<void>((resolve) => {
    const done = () => {
      endedFlag = true;
      notify();
      resolve();
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });

  return {
    get output() {
      return output;
    },
    get stdout() {
      return stdoutText;
    },
    get stderr() {
      return stderrText;
    },
    ended,
    send(line: string) {
      stream.write(`${line}\n`);
    },
    write(data: string | Buffer) {
      stream.write(data);
    },
    waitFor(test, opts = {}) {
      const from = opts.from ?? 0;
      const timeoutMs = opts.timeoutMs ?? 5000;
      const passes = (text: string) =>
        typeof test === 'string'
          ? text.includes(test)
          : test instanceof RegExp
            ? test.test(text)
            : test(text);
      return new Promise<string>((resolve, reject) => {
        const check = () => {
          const text = output.slice(from);
          if (passes(text)) {
            cleanup();
            resolve(text);
          } else if (endedFlag) {
            cleanup();
            reject(new Error(`stream ended while waiting for ${String(test)}; got ${JSON.stringify(text)}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${String(test)}; got ${JSON.stringify(output.slice(from))}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      stream.destroy();
    },
  };
}

/** Docker's own count of a container's starts since an instant (ms): the proof nothing ran twice. */
export async function countStartEvents(id: string, since: number, client: Docker = docker): Promise<number> {
  const stream = await client.getEvents({
    since: Math.floor(since / 1000),
    until: Math.ceil(Date.now() / 1000) + 1,
    filters: { container: [id], event: ['start'] },
  });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  // Docker's `since` is in whole seconds: the container's own first start may share that second.
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { timeNano: number })
    .filter((event) => event.timeNano / 1e6 >= since).length;
}

/**
 * Resolves once a daemon started by a test answers a ping. Polling is the only way to learn that a
 * starting daemon listens: it announces nothing.
 */
export async function waitUntilAnswering(
  client: Docker,
  what: string,
  options: { timeoutMs: number; pollMs: number; log: () => string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      await client.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`${what} not answering: ${String(err)}\n${options.log()}`, { cause: err });
      await delay(options.pollMs);
    }
  }
}
