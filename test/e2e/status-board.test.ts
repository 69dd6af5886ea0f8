/**
 * The status board end to end: one message in #status, edited in place, its id persisted; a new
 * post only when the old message is gone; retries (not posts) on rate limits and server errors.
 */
import { REST } from 'discord.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBoard } from '../../src/monitor/board-render.js';
import { StatusBoard } from '../../src/monitor/status-board.js';
import { KeyValueStore, openMemoryDatabase } from '../../src/storage/database.js';
import { startDiscordEmulator, type DiscordEmulator } from '../discord-emulator/index.js';
import { TOKEN } from '../support/bot.js';
import { describeDocker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

describeDocker('status board in a running bot', () => {
  const { h, server } = useBotSuite({ servers: { lobby: { tty: false } }, harness: { monitor: true } });
  const { lobby } = server;
  const posts = () =>
    h.emulator.findRequests({ method: 'POST', path: `/channels/${h.channel.status}/messages` });
  const edits = () =>
    h.emulator.findRequests({
      method: 'PATCH',
      path: new RegExp(`^/channels/${h.channel.status}/messages/`),
    });
  const boardText = () => {
    const messages = h.emulator.channelMessages(h.channel.status);
    return JSON.stringify(messages.at(-1)?.embeds ?? []);
  };

  beforeAll(() =>
    h.emulator.waitForRequest({ method: 'POST', path: `/channels/${h.channel.status}/messages` }, 10_000),
  );

  it('posts the board once, showing the server, its worlds and who is in them', async () => {
    await h.bot.monitor!.sweepNow();
    expect(posts()).toHaveLength(1);
    expect(h.emulator.channelMessages(h.channel.status)).toHaveLength(1);
    expect(boardText()).toContain(lobby.name);
    expect(boardText()).toContain('Lobby World');
    expect(boardText()).toContain('bob smith');
  });

  it('does not edit a board whose content did not change', async () => {
    // Docker's first stats may land a sweep or two late, and the first CPU figure is an average since
    // start, so the first sweeps may still edit. Then the board must go quiet: three sweeps in a row
    // without an edit, within a bounded number of sweeps.
    let quiet = 0;
    for (let i = 0; i < 15 && quiet < 3; i++) {
      const before = edits().length;
      await h.bot.monitor!.sweepNow();
      quiet = edits().length === before ? quiet + 1 : 0;
    }
    expect(quiet).toBe(3);
    expect(boardText()).toMatch(/CPU \d+%/);
  });

  it('edits the same message when something changed', async () => {
    await h.command('kick', { user: 'alice', server: lobby.name }, h.member.moderator);
    await h.bot.monitor!.sweepNow();
    expect(posts()).toHaveLength(1);
    expect(boardText()).not.toContain('alice');
    expect(h.emulator.channelMessages(h.channel.status)).toHaveLength(1);
  });

  it('edits the same message after the bot restarts', async () => {
    const id = h.emulator.channelMessages(h.channel.status)[0]!.id;
    await h.restartBot();
    await h.bot.monitor!.sweepNow();
    expect(posts()).toHaveLength(1);
    expect(edits().at(-1)?.path).toBe(`/channels/${h.channel.status}/messages/${id}`);
  });

  it('retries an edit that hit a rate limit or a server error, without posting', async () => {
    await h.command('kick', { user: 'bob smith', server: lobby.name }, h.member.moderator);
    const rateLimit = h.emulator.failNext({
      method: 'PATCH',
      path: /^\/channels\/\d+\/messages\/\d+$/,
      status: 429,
    });
    await h.bot.monitor!.sweepNow();
    expect(rateLimit.hits.length).toBe(1);
    const outage = h.emulator.failNext({
      method: 'PATCH',
      path: /^\/channels\/\d+\/messages\/\d+$/,
      status: 502,
      count: 4,
    });
    await h.command('kick', { user: 'carol', server: lobby.name }, h.member.moderator);
    await h.bot.monitor!.sweepNow();
    expect(outage.hits.length).toBe(4);
    await h.bot.monitor!.sweepNow();
    expect(posts()).toHaveLength(1);
    expect(boardText()).not.toContain('bob smith');
    expect(boardText()).not.toContain('carol');
  });

  it('posts exactly one new board when the old one is deleted', async () => {
    const [old] = h.emulator.channelMessages(h.channel.status);
    h.emulator.deleteMessage(h.channel.status, old!.id);
    for (let i = 0; i < 3; i++) await h.bot.monitor!.sweepNow();
    expect(posts()).toHaveLength(2);
    expect(h.emulator.channelMessages(h.channel.status)).toHaveLength(1);
  });
});

describe('StatusBoard against the emulator', () => {
  let emulator: DiscordEmulator;
  let rest: REST;
  let channelId: string;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    emulator = await startDiscordEmulator({ token: TOKEN, channels: [{ name: 'status' }] });
    channelId = emulator.channel('status').id;
    rest = new REST({ api: emulator.apiUrl }).setToken(TOKEN);
  });
  afterAll(async () => {
    await emulator?.close();
  });

  const board = (fingerprint: string) => ({
    embeds: [{ title: 'Board', description: fingerprint }],
    fingerprint,
  });

  it('edits an unchanged board only for the heartbeat', async () => {
    let now = 1_000_000;
    const sb = new StatusBoard({
      rest,
      channelId,
      store: new KeyValueStore(openMemoryDatabase()),
      heartbeatMs: 600_000,
      logger,
      now: () => now,
    });
    expect(await sb.publish(board('a'))).toBe('posted');
    now += 60_000;
    expect(await sb.publish(board('a'))).toBe('unchanged');
    now += 539_999;
    expect(await sb.publish(board('a'))).toBe('unchanged');
    now += 1;
    expect(await sb.publish(board('a'))).toBe('heartbeat');
    expect(await sb.publish(board('b'))).toBe('edited');
  });

  it('posts a new board when the stored message is gone (Unknown Message), and only then', async () => {
    const store = new KeyValueStore(openMemoryDatabase());
    const sb = new StatusBoard({ rest, channelId, store, heartbeatMs: 600_000, logger });
    await sb.publish(board('a'));
    const first = sb.messageId!;
    emulator.deleteMessage(channelId, first);
    expect(await sb.publish(board('b'))).toBe('posted');
    expect(sb.messageId).not.toBe(first);
    emulator.failNext({
      method: 'PATCH',
      path: /messages/,
      status: 403,
      body: { message: 'Missing Access', code: 50001 },
    });
    expect(await sb.publish(board('c'))).toBe('failed');
    expect(await sb.publish(board('c'))).toBe('edited');
    expect(emulator.getMessage(channelId, sb.messageId!)?.embeds?.[0]?.description).toBe('c');
  });

  it('renders a 20-server board within Discord limits and the emulator accepts it', async () => {
    const sb = new StatusBoard({
      rest,
      channelId,
      store: new KeyValueStore(openMemoryDatabase()),
      heartbeatMs: 600_000,
      logger,
    });
    const servers = Array.from({ length: 20 }, (_, i) => ({
      name: `server-${i}`,
      displayName: `server-${i}`,
      container: {
        id: `${i}`.padStart(12, '0'),
        name: `server-${i}`,
        state: 'running' as const,
        health: 'none' as const,
        startedAt: new Date(),
        finishedAt: null,
        uptimeSeconds: 3600,
        restartCount: 0,
        exitCode: null,
        oomKilled: false,
        tty: false,
        image: 'x',
        labels: {},
      },
      stats: { cpuPercent: 12, memoryBytes: 2e9, memoryLimitBytes: 8e9, memoryPercent: 25 },
      console: 'ok' as const,
      worlds: Array.from({ length: 5 }, (_, w) => ({
        index: w,
        name: `World number ${w} of server ${i}`,
        users: 10,
        maxUsers: 16,
        accessLevel: 'Anyone',
        hidden: false,
        present: Array.from({ length: 10 }, (_, u) => `user-${u}`),
      })),
    }));
    expect(await sb.publish(renderBoard({ servers, at: Date.now() }))).toBe('posted');
  });
});
