/**
 * Memory of the built bot at idle (issue 3): `node dist/src/main.js` as its own process, logged in
 * to the local Discord emulator (run in this process) with one fake headless to manage, the status
 * board and alerts configured as in production (default 60 s sweep interval).
 *
 * After its `bot ready` log line, the bot idles for IDLE_MS while its resident set (VmRSS in
 * /proc/<pid>/status) is sampled every SAMPLE_MS; then SIGTERM, and how long it takes to exit and
 * with which code. For scale, a bare `node` idling in the same run is sampled the same way, and the
 * bot's own V8 figures (process.memoryUsage(), asked for with SIGUSR2 through a tiny `--import`
 * hook, not part of the bot) show where its resident memory goes.
 * Only sanity assertions here: the memory goal is printed, never asserted.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from '../test/discord-emulator/index.js';
import { LEVEL_NAMES, TOKEN } from '../test/support/bot.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  removeStartedContainers,
  startFakeHeadless,
  type StartedContainer,
} from '../test/support/docker.js';
import { report, round2, type Row } from './stats.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MAIN = join(ROOT, 'dist/src/main.js');
const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;
const IDLE_MS = 10_000;
const SAMPLE_MS = 500;
const SCALE_IDLE_MS = 3_000;
const MB = 1024 * 1024;
/** Target, printed next to the figures. */
const MAX_RSS_MB = 90;

/** Loaded with --import: answers SIGUSR2 with one JSON line of process.memoryUsage() on stderr. */
const MEMORY_PROBE = `data:text/javascript,${encodeURIComponent(
  "process.on('SIGUSR2', () => process.stderr.write('MEMORY ' + JSON.stringify(process.memoryUsage()) + '\\n'));",
)}`;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A field of /proc/<pid>/status in MB (VmRSS, VmHWM, RssAnon, RssFile). */
function procStatusMb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(mid)] as number) + (sorted[Math.ceil(mid)] as number)) / 2;
}

/** Every line of a child's output stream, kept, with a wait for the first line a test accepts. */
class Lines {
  readonly all: string[] = [];
  private readonly events = new EventEmitter<{ line: [string] }>();

  constructor(
    private readonly child: ChildProcess,
    input: NodeJS.ReadableStream,
  ) {
    createInterface({ input }).on('line', (line) => {
      this.all.push(line);
      this.events.emit('line', line);
    });
  }

  /** Resolves with the next line `test` accepts; rejects on timeout or if the process exits first. */
  next(test: (line: string) => boolean, timeoutMs: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const done = (err: Error | null, line = '') => {
        clearTimeout(timer);
        this.events.off('line', onLine);
        this.child.off('exit', onExit);
        if (err) reject(err);
        else resolve(line);
      };
      const onLine = (line: string) => {
        if (test(line)) done(null, line);
      };
      const onExit = (code: number | null, signal: string | null) =>
        done(new Error(`the process exited (code ${code}, signal ${signal}) before the line`));
      const timer = setTimeout(() => done(new Error(`no such line within ${timeoutMs} ms`)), timeoutMs);
      this.events.on('line', onLine);
      this.child.once('exit', onExit);
    });
  }
}

interface Idle {
  samples: number[];
  atReady: number;
  peak: number;
  anon: number;
  file: number;
  usage: NodeJS.MemoryUsage;
}

/** Samples a ready process's RSS for `idleMs`, then reads its peak, RSS split and V8 figures. */
async function measureIdle(child: ChildProcess, stderr: Lines, idleMs: number): Promise<Idle> {
  const pid = child.pid as number;
  const atReady = procStatusMb(pid, 'VmRSS');
  const samples: number[] = [];
  const end = performance.now() + idleMs;
  while (performance.now() < end) {
    samples.push(procStatusMb(pid, 'VmRSS'));
    await delay(SAMPLE_MS);
  }
  const peak = procStatusMb(pid, 'VmHWM');
  const anon = procStatusMb(pid, 'RssAnon');
  const file = procStatusMb(pid, 'RssFile');
  const memoryLine = stderr.next((line) => line.startsWith('MEMORY '), 5_000);
  child.kill('SIGUSR2');
  const usage = JSON.parse((await memoryLine).slice('MEMORY '.length)) as NodeJS.MemoryUsage;
  return { samples, atReady, peak, anon, file, usage };
}

function row(label: string, idle: Idle): Row {
  const mb = (bytes: number) => round2(bytes / MB);
  return {
    process: label,
    samples: idle.samples.length,
    'RSS median MB': round2(median(idle.samples)),
    'RSS max MB': round2(Math.max(...idle.samples)),
    'RSS at ready MB': round2(idle.atReady),
    'peak MB': round2(idle.peak),
    'RssAnon MB': round2(idle.anon),
    'RssFile MB': round2(idle.file),
    'heap used MB': mb(idle.usage.heapUsed),
    'heap total MB': mb(idle.usage.heapTotal),
    'external MB': mb(idle.usage.external),
  };
}

describeDocker('bot memory at idle', () => {
  let emulator: DiscordEmulator;
  let server: StartedContainer;
  let dataDir: string;
  let build: { ok: boolean; ms: number; errors: string };
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const started = performance.now();
    let errors = '';
    try {
      await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], {
        cwd: ROOT,
        maxBuffer: 16 * MB,
      });
    } catch (err) {
      // Type errors still emit (no noEmitOnError); anything else leaves no main.js and fails below.
      errors = String((err as { stdout?: string }).stdout ?? err).trim();
    }
    build = { ok: errors === '', ms: performance.now() - started, errors };
    if (!existsSync(MAIN)) throw new Error(`the build produced no ${MAIN}:\n${errors}`);

    await buildFakeHeadlessImage();
    [emulator, server] = await Promise.all([
      startDiscordEmulator({
        token: TOKEN,
        roles: [...LEVEL_NAMES, 'oncall'].map((name) => ({ name })),
        channels: [{ name: 'general' }, { name: 'status' }, { name: 'alerts' }],
        members: [
          { username: 'owner' },
          ...LEVEL_NAMES.map((level) => ({ username: level, roles: [level] })),
        ],
      }),
      startFakeHeadless({ tty: false, labels: { 'rhb.bench': 'bot-memory' } }),
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'rhb-bench-memory-'));
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
    await emulator?.close();
    await removeStartedContainers();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`idles ${IDLE_MS / 1000} s after "bot ready", then stops on SIGTERM`, async () => {
    // For scale: bare Node, and Node with only the bot's dependencies imported (nothing started).
    const bareNode = await runScale(
      'for scale: bare node',
      'console.log("ready"); setInterval(() => {}, 1 << 30);',
    );
    const dependencies = Object.keys(
      (
        JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
          dependencies: Record<string, string>;
        }
      ).dependencies,
    );
    const depsOnly = await runScale(
      `for scale: node importing the ${dependencies.length} dependencies only`,
      `for (const m of ${JSON.stringify(dependencies)}) await import(m); console.log("ready"); setInterval(() => {}, 1 << 30);`,
    );

    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
      ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: emulator.applicationId,
      DISCORD_GUILD_ID: emulator.guildId,
      DISCORD_API_URL: emulator.apiUrl,
      HEADLESS_CONTAINERS: server.name,
      ROLES_VIEWER: emulator.role('viewer').id,
      ROLES_MODERATOR: emulator.role('moderator').id,
      ROLES_OPERATOR: emulator.role('operator').id,
      ROLES_ADMIN: emulator.role('admin').id,
      ONCALL_ROLE_ID: emulator.role('oncall').id,
      STATUS_CHANNEL_ID: emulator.channel('status').id,
      ALERT_CHANNEL_ID: emulator.channel('alerts').id,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };
    const spawnedAt = performance.now();
    // cwd: the data folder, so that no stray .env is read by dotenv.
    // The same V8 flag as `npm start` and the Dockerfile.
    const bot = spawn(
      process.execPath,
      ['--max-semi-space-size=1', '--v8-pool-size=1', '--import', MEMORY_PROBE, MAIN],
      {
        cwd: dataDir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(bot);
    const stdout = new Lines(bot, bot.stdout);
    const stderr = new Lines(bot, bot.stderr);
    const readyLine = await stdout
      .next((line) => line.includes('"msg":"bot ready"'), READY_TIMEOUT_MS)
      .catch((err: Error) => {
        throw new Error(
          `${err.message}\nstdout:\n${stdout.all.join('\n')}\nstderr:\n${stderr.all.join('\n')}`,
        );
      });
    const readyMs = performance.now() - spawnedAt;
    const ready = JSON.parse(readyLine) as { registration?: string; commands?: number };
    const idle = await measureIdle(bot, stderr, IDLE_MS);

    const stopAt = performance.now();
    const exited = once(bot, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    bot.kill('SIGTERM');
    const killTimer = setTimeout(() => bot.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    const [code, signal] = await exited;
    clearTimeout(killTimer);
    const shutdownMs = performance.now() - stopAt;

    const errorLines = stdout.all.filter((line) => /"level":(50|60)/.test(line));
    expect(ready.commands).toBeGreaterThan(0);
    expect(idle.samples.length).toBeGreaterThanOrEqual(IDLE_MS / SAMPLE_MS - 2);
    expect(errorLines).toEqual([]);
    expect(emulator.unknownRequests).toEqual([]);

    const rssMedian = round2(median(idle.samples));
    const rssMax = round2(Math.max(...idle.samples));
    const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
    report(
      'bot-memory',
      [
        row('bot: node dist/src/main.js, idle', idle),
        row(depsOnly.label, depsOnly.idle),
        row(bareNode.label, bareNode.idle),
      ],
      [
        `build: npx tsc -p tsconfig.build.json ${build.ok ? 'clean' : 'reported type errors (output emitted anyway)'} in ${Math.round(build.ms)} ms${build.ok ? '' : `: ${build.errors.split('\n').slice(0, 3).join(' | ')}`}`,
        `bot: one fake headless managed; status board and alerts on (default 60 s sweep); LOG_LEVEL=info; "bot ready" ${Math.round(readyMs)} ms after spawn (registration: ${ready.registration ?? '?'}).`,
        `RSS (VmRSS) sampled every ${SAMPLE_MS} ms for ${IDLE_MS / 1000} s after "bot ready" (${SCALE_IDLE_MS / 1000} s for the processes shown for scale); the other columns at the end of that idle time. "external" includes WebAssembly memories.`,
        `target: idle RSS < ${MAX_RSS_MB} MB: median ${rssMedian} MB -> ${verdict(rssMedian < MAX_RSS_MB)}; max ${rssMax} MB -> ${verdict(rssMax < MAX_RSS_MB)}`,
        `of the bot's median: ${round2(median(bareNode.idle.samples))} MB bare Node, +${round2(median(depsOnly.idle.samples) - median(bareNode.idle.samples))} MB importing the dependencies, +${round2(rssMedian - median(depsOnly.idle.samples))} MB the bot itself (its modules, gateway session and caches, SQLite, console attach, heap kept from the start-up peak).`,
        `SIGTERM: exited with code ${code}${signal ? ` (signal ${signal})` : ''} after ${round2(shutdownMs)} ms -> ${code === 0 ? 'clean' : 'NOT clean'}`,
      ],
    );
    expect(code).toBe(0);
  });

  /** Spawns `node --input-type=module -e script` (from the repository, so imports resolve), measures it idle, ends it. */
  async function runScale(label: string, script: string): Promise<{ label: string; idle: Idle }> {
    const child = spawn(process.execPath, ['--import', MEMORY_PROBE, '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const stdout = new Lines(child, child.stdout);
    const stderr = new Lines(child, child.stderr);
    await stdout.next((line) => line === 'ready', READY_TIMEOUT_MS);
    const idle = await measureIdle(child, stderr, SCALE_IDLE_MS);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    return { label, idle };
  }
});
