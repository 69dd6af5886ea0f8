/**
 * Sweeps in, chart and figures out, on a real SQLite database and an injected clock: the
 * headless's own user never counts, a server that is down or whose console does not answer
 * records nothing (a gap), and a stale snapshot (Docker unreachable) is not recorded again.
 */
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { missingContainer } from '../../src/docker/container-info.js';
import { UserError } from '../../src/errors.js';
import { HOUR_MS, MINUTE_MS } from '../../src/history/history-store.js';
import { PlayerHistoryRecorder } from '../../src/history/player-history.js';
import type { BoardSnapshot, ServerSnapshot, WorldSnapshot } from '../../src/monitor/snapshot.js';
import { openMemoryDatabase, type Database } from '../../src/storage/database.js';

const T0 = Math.floor(Date.parse('2024-03-01T12:00:00Z') / HOUR_MS) * HOUR_MS;

const world = (name: string, present: string[]): WorldSnapshot => ({
  index: 0,
  name,
  users: present.length,
  maxUsers: 16,
  accessLevel: 'Anyone',
  hidden: false,
  present,
});

const server = (worlds: WorldSnapshot[], overrides: Partial<ServerSnapshot> = {}): ServerSnapshot => ({
  name: 'lobby',
  displayName: 'Lobby',
  container: { ...missingContainer('lobby'), state: 'running' },
  stats: null,
  console: 'ok',
  worlds,
  ...overrides,
});

describe('PlayerHistoryRecorder', () => {
  let db: Database;
  let now: number;
  let sweep: (snapshot: BoardSnapshot) => void;
  let history: PlayerHistoryRecorder;

  beforeEach(() => {
    db = openMemoryDatabase();
    now = T0;
    history = new PlayerHistoryRecorder({
      db,
      timezone: 'UTC',
      onSweep: (listener) => (sweep = listener),
      logger: pino({ enabled: false }),
      now: () => now,
    });
    history.start();
  });

  const minutes = () =>
    db
      .prepare(
        `SELECT s.world, m.minute * 60000 AS at, m.users FROM player_minutes m
         JOIN player_series s ON s.id = m.series ORDER BY m.minute, s.world`,
      )
      .all();

  it('counts the users after the headless itself, per world, and nothing while the server is down', () => {
    sweep({ at: T0, servers: [server([world('Hub', ['Host', 'alice', 'bob']), world('Build', ['Host'])])] });
    sweep({
      at: T0 + MINUTE_MS,
      servers: [
        server([], { container: { ...missingContainer('lobby'), state: 'exited' }, console: 'not running' }),
      ],
    });
    sweep({
      at: T0 + 2 * MINUTE_MS,
      servers: [server([world('Hub', ['Host', 'x'])], { console: 'not answering' })],
    });
    sweep({ at: T0 + 3 * MINUTE_MS, servers: [server([world('Hub', ['Host', 'x'])])], dockerError: 'gone' });
    sweep({ at: T0 + 4 * MINUTE_MS, servers: [server([world('Hub', ['Host', 'carol'])])] });
    expect(minutes()).toEqual([
      { world: 'Build', at: T0, users: 0 },
      { world: 'Hub', at: T0, users: 2 },
      { world: 'Hub', at: T0 + 4 * MINUTE_MS, users: 1 },
    ]);
  });

  it('records nothing once stopped', () => {
    history.stop();
    sweep({ at: T0, servers: [server([world('Hub', ['Host', 'alice'])])] });
    expect(minutes()).toEqual([]);
  });

  it('charts the last 24 hours with the stored figures, a gap where the server was down', async () => {
    // Up 00:00-00:30 past T0 with 1..3 users, down for an hour, then up with 5.
    for (let m = 0; m < 30; m++) {
      const present = ['Host', ...['a', 'b', 'c'].slice(0, 1 + (m % 3))];
      sweep({ at: T0 + m * MINUTE_MS, servers: [server([world('Hub', present)])] });
    }
    for (let m = 90; m < 100; m++) {
      sweep({ at: T0 + m * MINUTE_MS, servers: [server([world('Hub', ['Host', 'a', 'b', 'c', 'd', 'e'])])] });
    }
    now = T0 + 100 * MINUTE_MS;
    const result = await history.graph({ server: 'lobby', displayName: 'Lobby', period: '24h' });
    expect(result.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(result.worlds).toEqual([
      { world: 'Hub', peak: 5, peakAt: T0 + 90 * MINUTE_MS, mean: (30 * 2 + 10 * 5) / 40 },
    ]);
    expect(result.busiestHour).toEqual({ hour: 13, mean: 5 });
    expect([result.from, result.to]).toEqual([now - 24 * HOUR_MS, now]);
  });

  it('charts a week from the hours, the current hour included', async () => {
    sweep({ at: T0, servers: [server([world('Hub', ['Host', 'a'])])] });
    sweep({ at: T0 + 2 * HOUR_MS + MINUTE_MS, servers: [server([world('Hub', ['Host', 'a', 'b', 'c'])])] });
    now = T0 + 2 * HOUR_MS + 2 * MINUTE_MS;
    const result = await history.graph({ server: 'lobby', displayName: 'Lobby', period: '7d' });
    expect(result.worlds).toEqual([{ world: 'Hub', peak: 3, peakAt: T0 + 2 * HOUR_MS, mean: 2 }]);
  });

  it('says so when nothing is recorded, or the world named is not', async () => {
    await expect(history.graph({ server: 'lobby', displayName: 'Lobby', period: '24h' })).rejects.toThrow(
      /Nothing recorded for Lobby in the last 24 hours/,
    );
    sweep({ at: T0, servers: [server([world('Hub', ['Host', 'a']), world('Build', ['Host'])])] });
    now = T0 + MINUTE_MS;
    const hub = await history.graph({ server: 'lobby', displayName: 'Lobby', world: 'hub', period: '24h' });
    expect(hub.worlds.map((w) => w.world)).toEqual(['Hub']);
    const missing = history.graph({ server: 'lobby', displayName: 'Lobby', world: 'Dance', period: '24h' });
    await expect(missing).rejects.toThrow(UserError);
    await expect(missing).rejects.toThrow(
      'No world named "Dance" was recorded on Lobby in the last 24 hours; recorded: Build, Hub.',
    );
  });
});
