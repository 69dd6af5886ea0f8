/**
 * "Secrets never leave": the real bot process, at LOG_LEVEL=debug, is taken through ordinary
 * commands, errors and `/console login bob <password>`; then every byte it wrote (stdout, stderr,
 * the SQLite files with their WAL, every REST body the emulator received, files included) is
 * searched for the bot token, each interaction token and the password. Each search also has to
 * find the masked login, so a search that looks in the wrong place cannot pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { MASK } from '../../src/console/secrets.js';
import { DATABASE_FILE } from '../../src/storage/database.js';
import { TOKEN } from '../support/bot.js';
import { buildBot } from '../support/build.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  docker,
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
  isReady,
  removeTempDirs,
  run,
  startDiscord,
  stopProcessesAndDiscords,
  tempDir,
  type LogLine,
} from './process-support.js';

afterEach(stopProcessesAndDiscords);
afterAll(removeTempDirs);

const PASSWORD = 'hunter2-secret-PASS';
const MASKED = `login bob ${MASK}`;

/** Where each secret was found, e.g. `the password in bot.sqlite-wal`; empty when none leaked. */
function leaks(places: Record<string, Buffer | string>, secrets: Record<string, string>): string[] {
  return Object.entries(places).flatMap(([place, bytes]) =>
    Object.entries(secrets)
      .filter(([, secret]) => Buffer.from(bytes).includes(secret))
      .map(([what]) => `${what} in ${place}`),
  );
}

/** Every file in DATA_DIR as it is on disk right now (the database, its -wal and -shm). */
function dataFiles(dataDir: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(dataDir).map((name) => [name, readFileSync(join(dataDir, name))]));
}

function contains(places: Record<string, Buffer | string>, text: string): boolean {
  return Object.values(places).some((bytes) => Buffer.from(bytes).includes(text));
}

describeDocker('secrets never leave the bot process', () => {
  let lobby: StartedContainer;
  let stopped: StartedContainer;

  beforeAll(async () => {
    await Promise.all([buildBot(), buildFakeHeadlessImage()]);
    [lobby, stopped] = await Promise.all([
      startFakeHeadless({ tty: true }),
      startFakeHeadless({ tty: false }),
    ]);
    await docker.getContainer(stopped.id).stop();
  });
  afterAll(() => removeStartedContainers());

  it('writes no bot token, interaction token or login password anywhere, and audits the login masked', async () => {
    const discord = await startDiscord();
    const { emulator, admin, guest } = discord;
    const { cwd, dataDir } = botFolder({
      ...discord.env,
      HEADLESS_CONTAINERS: `${lobby.name},${stopped.name}`,
      AUDIT_CHANNEL_ID: discord.audit,
      LOG_LEVEL: 'debug',
      DOCKER_HOST,
    });
    const proc = await run('main', [], { cwd, env: baseEnv() });
    await proc.waitForLog(isReady);
    const onLobby = (command: string) => ({ command, server: lobby.name });

    const worlds = await discord.command('worlds', guest, { server: lobby.name });
    expect(worlds.text).toContain('Lobby World');

    const login = await discord.command('console', admin, onLobby(`login bob ${PASSWORD}`));
    expect(login.ephemeral).toBe(true);
    expect(login.text).toContain(MASKED);
    expect(login.text).toContain('Unknown command');

    const quoted = await discord.command('console', admin, onLobby(`LoGiN  "bob smith"  "${PASSWORD} 2"`));
    // The reply's title folds runs of spaces; the audit below keeps the line as typed.
    expect(quoted.text).toContain(`LoGiN "bob smith" ${MASK}`);

    // The TTY echoed the login into the container's output, which /logs shows.
    const logs = await discord.command('logs', admin, { server: lobby.name, lines: 20 });
    const shownLogs = logs.text + logs.reply.files.map((f) => f.data.toString('utf8')).join('\n');
    expect(shownLogs).toContain(MASKED);

    const refused = await discord.command('console', admin, onLobby(`login\tbob\t${PASSWORD}`));
    expect(refused.text).toContain('contains a tab');

    const unknown = await discord.command('console', admin, {
      command: `login bob ${PASSWORD}`,
      server: 'no-such-server',
    });
    expect(unknown.text).toContain('There is no managed server called "no-such-server".');

    const onStopped = await discord.command('console', admin, {
      command: `login bob ${PASSWORD}`,
      server: stopped.name,
    });
    expect(onStopped.text).toContain('is stopped');

    // Discord refuses the reply edit: the error logged names the webhook route, not its token.
    const undelivered = discord.send('console', admin, onLobby(`login bob ${PASSWORD}`));
    emulator.failNext({
      method: 'PATCH',
      path: `/webhooks/${emulator.applicationId}/${undelivered.token}/messages/@original`,
      status: 400,
      body: { code: 50035, message: 'Invalid Form Body' },
    });
    const hasRoute = (route: string) => (line: LogLine) => (line.err as { route?: string })?.route === route;
    const editError = await proc.waitForLog(hasRoute('/webhooks/:id/:token/messages/@original'));
    expect(editError.err).toMatchObject({
      type: 'DiscordAPIError',
      method: 'PATCH',
      status: 400,
      code: 50035,
    });

    // Discord refuses the deferral itself: the same for the callback route.
    const unacknowledged = discord.send('console', admin, onLobby(`login bob ${PASSWORD}`));
    emulator.failNext({
      method: 'POST',
      path: `/interactions/${unacknowledged.id}/${unacknowledged.token}/callback`,
      status: 404,
      body: { code: 10062, message: 'Unknown interaction' },
    });
    const callbackError = await proc.waitForLog(hasRoute('/interactions/:id/:token/callback'));
    expect(callbackError.err).toMatchObject({ method: 'POST', status: 404, code: 10062 });

    // The audit channel got the login, masked, with the user kept.
    await emulator.waitForRequest(
      (r) => r.path === `/channels/${discord.audit}/messages` && r.rawBody.includes(`\`${MASKED}\``),
      10_000,
      0,
    );

    const secrets: Record<string, string> = {
      'the bot token': TOKEN,
      "the bot token's secret part": TOKEN_SECRET,
      'the password': PASSWORD,
      ...Object.fromEntries(discord.sent.map((h, i) => [`interaction token ${i}`, h.token])),
    };
    const whileRunning = dataFiles(dataDir);
    expect(Object.keys(whileRunning)).toEqual(
      expect.arrayContaining([DATABASE_FILE, `${DATABASE_FILE}-wal`]),
    );

    proc.child.kill('SIGTERM');
    expect(await proc.waitForExit(STOP_MS)).toEqual({ code: 0, signal: null });

    const output = { stdout: proc.stdout, stderr: proc.stderr };
    const bodies = Object.fromEntries(
      emulator.requests.map((r) => [`the body of ${r.method} ${r.path} (#${r.index})`, r.rawBody]),
    );
    const afterExit = dataFiles(dataDir);
    expect(leaks(output, secrets)).toEqual([]);
    expect(leaks(whileRunning, secrets)).toEqual([]);
    expect(leaks(afterExit, secrets)).toEqual([]);
    expect(leaks(bodies, secrets)).toEqual([]);
    // Each place searched holds what was masked (the log lines: the routes above), so the
    // search would have found the password or a token there.
    expect(contains(whileRunning, MASKED)).toBe(true);
    expect(contains(afterExit, MASKED)).toBe(true);
    expect(contains(bodies, MASKED)).toBe(true);
    expect(proc.stderr).toBe('');

    const db = new BetterSqlite3(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT action, options_json, outcome FROM audit_log WHERE command = 'console' ORDER BY id")
        .all() as Array<{ action: string | null; options_json: string; outcome: string }>;
      expect(rows[0]).toMatchObject({ action: MASKED, outcome: 'ok' });
      expect(rows.map((row) => JSON.parse(row.options_json).command)).toEqual([
        MASKED,
        `LoGiN  "bob smith"  ${MASK}`,
        `login\tbob\t${MASK}`,
        MASKED,
        MASKED,
        MASKED,
        MASKED,
      ]);
    } finally {
      db.close();
    }
  }, 90_000);
});

describeDocker('secrets never leave the CLI process', () => {
  let lobby: StartedContainer;

  beforeAll(async () => {
    await Promise.all([buildBot(), buildFakeHeadlessImage()]);
    lobby = await startFakeHeadless({ tty: true });
  });
  afterAll(() => removeStartedContainers());

  const cli = async (...flags: string[]) => {
    const env = baseEnv({ HEADLESS_CONTAINERS: lobby.name, ...(DOCKER_HOST ? { DOCKER_HOST } : {}) });
    const args = ['console', 'login', 'bob', PASSWORD, '--server', lobby.name, ...flags];
    const proc = await run('cli', args, { cwd: tempDir('rhb-cli-'), env });
    expect(await proc.waitForExit(20_000)).toEqual({ code: 0, signal: null });
    expect(proc.stdout + proc.stderr).not.toContain(PASSWORD);
    return proc.stdout;
  };

  it('console login prints the answer of the headless, never the password', async () => {
    expect(await cli()).toBe('Unknown command\n');
  }, 30_000);

  it('console login --json gives the line with the password masked', async () => {
    expect(JSON.parse(await cli('--json'))).toEqual({ line: MASKED, reply: 'Unknown command\n' });
  }, 30_000);
});
