/**
 * The bot and the CLI as real processes, the way an operator runs them: `node dist/src/main.js`
 * in a folder holding a `.env` written like `.env.example`, against the local Discord emulator.
 * Test files register the clean-up: `afterEach(stopProcessesAndDiscords)`, `afterAll(removeTempDirs)`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from '../discord-emulator/index.js';
import type { InteractionHandle } from '../discord-emulator/types.js';
import { TOKEN, settle, toOptions, type CommandResult } from '../support/bot.js';
import { PROJECT_ROOT, buildBot } from '../support/build.js';

/** The part of the token that is secret; the whole token and this part must never be printed. */
export const TOKEN_SECRET = TOKEN.split('.').at(-1)!;
export const START_MS = 30_000;
export const STOP_MS = 10_000;

// ------------------------------------------------------------------ processes

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process whose whole output is kept; waits are driven by its output and exit events. */
export class Proc {
  stdout = '';
  stderr = '';
  exit: Exit | undefined;
  readonly exited: Promise<Exit>;
  private readonly listeners = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise<Exit>((resolve) => {
      child.on('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
        this.notify();
      });
    });
  }

  /** Every complete JSON line on stdout (pino's output); a line still being written is left out. */
  logs(): LogLine[] {
    return this.stdout
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  }

  /** Resolves with the first log line that passes; rejects if the process exits first or on timeout. */
  waitForLog(test: (line: LogLine) => boolean, timeoutMs = START_MS): Promise<LogLine> {
    return this.until(() => this.logs().find(test), `a log line passing ${test.toString()}`, timeoutMs);
  }

  waitForExit(timeoutMs = STOP_MS): Promise<Exit> {
    return this.until(() => this.exit, 'the process to exit', timeoutMs, true);
  }

  private until<T>(probe: () => T | undefined, what: string, timeoutMs: number, exitOk = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (this.exit && !exitOk) {
          done();
          reject(new Error(`process exited (${JSON.stringify(this.exit)}) before ${what}\n${this.output()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.output()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  output(): string {
    return `--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

const running = new Set<Proc>();

/** Only what a shell would give: no test-runner variables, no Discord or Docker settings leaking in. */
export function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra };
  if (process.env.HOME) env.HOME = process.env.HOME;
  return env;
}

export async function run(
  script: 'main' | 'cli',
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
) {
  const outDir = await buildBot();
  const child = spawn(process.execPath, [join(outDir, 'src', `${script}.js`), ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = new Proc(child);
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  return proc;
}

export function expectNoToken(proc: Proc): void {
  const all = proc.stdout + proc.stderr;
  expect(all).not.toContain(TOKEN);
  expect(all).not.toContain(TOKEN_SECRET);
}

// ------------------------------------------------------------------ the bot's working folder

const tempDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * `.env.example` filled in: each `KEY=` line of the example gets the value given here (the
 * example's own value otherwise), comments and layout stay, keys the example lacks are appended.
 */
function envFile(values: Record<string, string>): string {
  const example = readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8');
  const left = new Map(Object.entries(values));
  const lines = example.split('\n').map((line) => {
    const match = /^([A-Z0-9_]+)=/.exec(line);
    const key = match?.[1];
    if (key === undefined || !left.has(key)) return line;
    const value = left.get(key)!;
    left.delete(key);
    return `${key}=${value}`;
  });
  return [...lines, ...[...left].map(([k, v]) => `${k}=${v}`)].join('\n');
}

/** A fresh working folder with a `.env`; DATA_DIR stays the example's relative `./data`. */
export function botFolder(values: Record<string, string>): { cwd: string; dataDir: string } {
  const cwd = tempDir('rhb-proc-');
  writeFileSync(join(cwd, '.env'), envFile(values));
  return { cwd, dataDir: join(cwd, 'data') };
}

// ------------------------------------------------------------------ Discord

export interface Discord {
  emulator: DiscordEmulator;
  adminRole: string;
  admin: string;
  guest: string;
  general: string;
  /** A channel for AUDIT_CHANNEL_ID (the bot posts there only when it is set). */
  audit: string;
  /** The Discord part of the `.env`. */
  env: Record<string, string>;
  /** Every interaction sent so far, so a test knows each token the bot was given. */
  sent: InteractionHandle[];
  /** Sends a slash command in #general. */
  send(name: string, as: string, options?: Record<string, unknown>): InteractionHandle;
  /** Sends a slash command and waits for the invoker's final answer. */
  command(name: string, as: string, options?: Record<string, unknown>): Promise<CommandResult>;
}

const emulators = new Set<DiscordEmulator>();

/** A test that failed half-way leaves its process behind: kill it (by its own pid), then its Discord. */
export async function stopProcessesAndDiscords(): Promise<void> {
  await Promise.all(
    [...running].map(async (proc) => {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }),
  );
  await Promise.all([...emulators].map((e) => e.close()));
  emulators.clear();
}

export async function startDiscord(): Promise<Discord> {
  const emulator = await startDiscordEmulator({
    token: TOKEN,
    roles: [{ name: 'admin' }],
    channels: [{ name: 'general' }, { name: 'audit' }],
    members: [{ username: 'owner' }, { username: 'admin', roles: ['admin'] }, { username: 'guest' }],
  });
  emulators.add(emulator);
  const adminRole = emulator.role('admin').id;
  const general = emulator.channel('general').id;
  const sent: InteractionHandle[] = [];
  const send = (name: string, as: string, options: Record<string, unknown> = {}) => {
    const handle = emulator.sendCommand({
      name,
      options: toOptions(options),
      member: as,
      channelId: general,
    });
    sent.push(handle);
    return handle;
  };
  return {
    emulator,
    adminRole,
    admin: emulator.member('admin').user.id,
    guest: emulator.member('guest').user.id,
    general,
    audit: emulator.channel('audit').id,
    env: {
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: emulator.applicationId,
      DISCORD_GUILD_ID: emulator.guildId,
      DISCORD_API_URL: emulator.apiUrl,
      // ROLES_VIEWER stays empty, as in the example: every member may use the viewer commands.
      ROLES_ADMIN: adminRole,
    },
    sent,
    send,
    command: (name, as, options) => settle(emulator, send(name, as, options)),
  };
}

export const isReady = (line: LogLine) => line.msg === 'bot ready';

/** Docker's own variable as the test runner sees it, so the bot finds the same engine (empty = its defaults). */
export const DOCKER_HOST = process.env.DOCKER_HOST ?? '';
