/**
 * The bot and the CLI as real processes (see process-support.ts), against the local Discord
 * emulator and fake headless containers; stopped with signals; bad config and an absent Docker
 * daemon included.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/storage/database.js';
import { buildBot } from '../support/build.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  removeStartedContainers,
  startFakeHeadless,
  type StartedContainer,
} from '../support/docker.js';
import {
  DOCKER_HOST,
  STOP_MS,
  TOKEN_SECRET,
  baseEnv,
  botFolder,
  expectNoToken,
  isReady,
  removeTempDirs,
  run,
  startDiscord,
  stopProcessesAndDiscords,
  tempDir,
} from './process-support.js';

afterEach(stopProcessesAndDiscords);
afterAll(removeTempDirs);

// ------------------------------------------------------------------ suites

describeDocker('the bot as a process, against the emulator and a fake headless', () => {
  let lobby: StartedContainer;

  beforeAll(async () => {
    await Promise.all([buildBot(), buildFakeHeadlessImage()]);
    lobby = await startFakeHeadless({ tty: true });
  });
  afterAll(() => removeStartedContainers());

  async function startBotProcess(extra: Record<string, string> = {}) {
    const discord = await startDiscord();
    const folder = botFolder({
      ...discord.env,
      HEADLESS_CONTAINERS: lobby.name,
      DOCKER_HOST,
      ...extra,
    });
    const proc = await run('main', [], { cwd: folder.cwd, env: baseEnv() });
    const ready = await proc.waitForLog(isReady);
    return { discord, proc, ready, ...folder };
  }

  it('comes up from .env: connects to Docker, registers its commands, logs "bot ready" and answers /worlds', async () => {
    const { discord, proc, ready } = await startBotProcess();

    expect(proc.logs().find((l) => l.msg === 'connected to Docker')).toBeDefined();
    expect(ready).toMatchObject({ level: 30, guild: discord.emulator.guildId, registration: 'registered' });
    const registered = discord.emulator.commands('guild').map((c) => c.name);
    expect(registered).toEqual(expect.arrayContaining(['worlds', 'servers', 'status', 'save']));
    expect(ready.commands).toBe(registered.length);
    expect(discord.emulator.gatewayConnected).toBe(true);

    const worlds = await discord.command('worlds', discord.guest);
    expect(worlds.ephemeral).toBe(false);
    expect(worlds.text).toContain('Lobby World');
    expect(worlds.text).toContain('Build Night');

    expect(proc.exit).toBeUndefined();
    expect(proc.stderr).toBe('');
    expectNoToken(proc);
  }, 60_000);

  it('on SIGTERM closes the gateway and the database, keeps the audit rows, exits 0 and never prints the token', async () => {
    // The most verbose level: whatever gets logged, the token must not be in it.
    const { discord, proc, dataDir } = await startBotProcess({ LOG_LEVEL: 'trace' });
    const save = await discord.command('save', discord.admin);
    expect(save.ephemeral).toBe(false);
    expect(save.text).toContain('Lobby World');

    const gatewayClosed = discord.emulator.waitForGateway('close', STOP_MS);
    proc.child.kill('SIGTERM');
    const exit = await proc.waitForExit();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await gatewayClosed).toMatchObject({ kind: 'close', code: 1000 });
    expect(discord.emulator.gatewayConnected).toBe(false);
    expect(proc.logs().find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM' });

    // Closed cleanly: the last connection checkpointed the WAL and removed it.
    const wal = join(dataDir, `${DATABASE_FILE}-wal`);
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const db = new BetterSqlite3(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      const rows = db
        .prepare('SELECT member_id, command, server, outcome, finished_at FROM audit_log ORDER BY id')
        .all() as Array<Record<string, unknown>>;
      expect(rows).toEqual([
        expect.objectContaining({
          member_id: discord.admin,
          command: 'save',
          server: lobby.name,
          outcome: 'ok',
        }),
      ]);
      expect(rows[0]?.finished_at).toEqual(expect.any(Number));
    } finally {
      db.close();
    }

    expect(proc.stderr).toBe('');
    expectNoToken(proc);
  }, 60_000);

  it('exits 0 on SIGINT sent as soon as it is ready', async () => {
    const { proc } = await startBotProcess();
    proc.child.kill('SIGINT');
    expect(await proc.waitForExit()).toEqual({ code: 0, signal: null });
    expect(proc.logs().find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGINT' });
    expectNoToken(proc);
  }, 60_000);

  it('a SIGTERM during start-up still ends in a clean exit 0', async () => {
    const discord = await startDiscord();
    const { cwd } = botFolder({ ...discord.env, HEADLESS_CONTAINERS: lobby.name, DOCKER_HOST });
    const proc = await run('main', [], { cwd, env: baseEnv() });
    await proc.waitForLog((l) => l.msg === 'connected to Docker');
    proc.child.kill('SIGTERM');
    expect(await proc.waitForExit()).toEqual({ code: 0, signal: null });
    expect(proc.logs().find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM' });
    expect(discord.emulator.gatewayConnected).toBe(false);
    expect(proc.stderr).toBe('');
    expectNoToken(proc);
  }, 60_000);
});

describe('the bot as a process, without a usable Docker or config', () => {
  beforeAll(() => buildBot());

  it('refuses a bad config: exits 1, names every bad field, starts nothing', async () => {
    const discord = await startDiscord();
    const { cwd, dataDir } = botFolder({
      ...discord.env,
      DISCORD_TOKEN: '',
      DISCORD_GUILD_ID: 'my-guild',
      STATUS_INTERVAL_SECONDS: 'soon',
    });
    const proc = await run('main', [], { cwd, env: baseEnv() });

    expect(await proc.waitForExit()).toEqual({ code: 1, signal: null });
    expect(proc.stderr).toContain('Invalid configuration');
    for (const field of ['DISCORD_TOKEN', 'DISCORD_GUILD_ID', 'STATUS_INTERVAL_SECONDS']) {
      expect(proc.stderr).toContain(field);
    }
    expect(proc.stdout).toBe('');
    expect(discord.emulator.requests).toEqual([]);
    expect(discord.emulator.gatewayConnected).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('names a malformed token without printing it', async () => {
    const discord = await startDiscord();
    const secret = `${TOKEN_SECRET}!`;
    const { cwd } = botFolder({ ...discord.env, DISCORD_TOKEN: secret });
    const proc = await run('main', [], { cwd, env: baseEnv() });

    expect(await proc.waitForExit()).toEqual({ code: 1, signal: null });
    expect(proc.stderr).toContain('DISCORD_TOKEN');
    expect(proc.stdout + proc.stderr).not.toContain(secret);
    expectNoToken(proc);
    expect(discord.emulator.requests).toEqual([]);
  });

  it('comes up with Docker down, warns, answers /worlds that Docker is unreachable and exits 0 on SIGTERM', async () => {
    const discord = await startDiscord();
    const socket = join(tmpdir(), `rhb-no-docker-${randomBytes(4).toString('hex')}.sock`);
    const { cwd } = botFolder({
      ...discord.env,
      HEADLESS_CONTAINERS: 'resonite-headless',
      DOCKER_HOST: `unix://${socket}`,
    });
    const proc = await run('main', [], { cwd, env: baseEnv() });

    await proc.waitForLog(isReady);
    const warning = proc.logs().find((l) => l.msg.includes('Docker is unreachable'));
    expect(warning).toMatchObject({ level: 40, docker: `unix://${socket}` });
    expect(discord.emulator.commands('guild').map((c) => c.name)).toContain('worlds');

    const worlds = await discord.command('worlds', discord.guest);
    expect(worlds.ephemeral).toBe(true);
    expect(worlds.text).toMatch(/Docker is unreachable/);
    expect(worlds.text).not.toMatch(/\n\s+at /); // no stack trace
    expect(proc.exit).toBeUndefined();

    const gatewayClosed = discord.emulator.waitForGateway('close', STOP_MS);
    proc.child.kill('SIGTERM');
    expect(await proc.waitForExit()).toEqual({ code: 0, signal: null });
    await gatewayClosed;
    expect(proc.stderr).toBe('');
    expectNoToken(proc);
  }, 60_000);
});

describeDocker('headless-cli as a process', () => {
  let lobby: StartedContainer;
  let cwd: string;

  beforeAll(async () => {
    await Promise.all([buildBot(), buildFakeHeadlessImage()]);
    lobby = await startFakeHeadless({ tty: true });
    cwd = tempDir('rhb-cli-'); // no .env here: everything comes from the environment
  });
  afterAll(() => removeStartedContainers());

  const cliEnv = () => baseEnv({ HEADLESS_CONTAINERS: lobby.name, ...(DOCKER_HOST ? { DOCKER_HOST } : {}) });

  it('list prints the managed servers, the fake one running, and exits 0', async () => {
    const proc = await run('cli', ['list'], { cwd, env: cliEnv() });
    expect(await proc.waitForExit(20_000)).toEqual({ code: 0, signal: null });
    const [header, ...rows] = proc.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^SERVER\s+STATE\s+HEALTH\s+UPTIME\s+RESTARTS\s+ID$/);
    expect(rows).toEqual([expect.stringMatching(new RegExp(`^${lobby.name}\\s+running\\s`))]);
    expect(proc.stderr).toBe('');
  }, 30_000);

  it('status --server prints the parsed status of every world', async () => {
    const proc = await run('cli', ['status', '--server', lobby.name], { cwd, env: cliEnv() });
    expect(await proc.waitForExit(20_000)).toEqual({ code: 0, signal: null });
    expect(proc.stdout).toMatch(/^Lobby World\n {2}session: {2}\S+/);
    expect(proc.stdout).toContain('users:    3 (2 present) / 16');
    expect(proc.stdout).toContain('Lobby Bot, alice, bob smith');
    expect(proc.stdout).toContain('\n\nBuild Night\n');
    expect(proc.stderr).toBe('');
  }, 30_000);
});

describe('headless-cli as a process, Docker unreachable', () => {
  beforeAll(() => buildBot());

  it('exits 1 and names every place it tried', async () => {
    const cwd = tempDir('rhb-cli-');
    const env = baseEnv({
      HEADLESS_CONTAINERS: 'resonite-headless',
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    const proc = await run('cli', ['list'], { cwd, env });
    expect(await proc.waitForExit(20_000)).toEqual({ code: 1, signal: null });
    expect(proc.stderr).toContain('Docker is unreachable. Tried:');
    expect(proc.stderr).toContain('unix:///nonexistent.sock: no socket there');
    expect(proc.stderr).not.toMatch(/\n\s+at /);
    expect(proc.stdout).toBe('');
  });
});
