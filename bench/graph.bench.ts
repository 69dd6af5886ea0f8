/**
 * Player history (issue 10).
 *
 * (a) Render: /graph's 30-day chart of 5 worlds (720 hourly points each, a few gaps), from a real
 *     SQLite file through `PlayerHistoryRecorder.graph` (read, series, chart.js on @napi-rs/canvas,
 *     PNG), and the render alone. Median of 30 after 5 warm-ups (the first call also loads
 *     chart.js and the canvas: timed apart). Target: median < 250 ms.
 * (b) Storage: 50 servers × 5 worlds, steady state after 90 days: 48 h of minute points written
 *     through the store as sweeps write them, 90 days of hourly rollups inserted directly (rolling
 *     up 32 million minutes would only take longer to reach the same rows), then one rollup with
 *     retention. Rows per table and the database file's bytes after a checkpoint; the time of one
 *     sweep's write (250 worlds) and of one hourly rollup at that size.
 * Only sanity assertions here: goals are printed, never asserted.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryStore, HOUR_MS, MINUTE_MS } from '../src/history/history-store.js';
import { PlayerHistoryRecorder } from '../src/history/player-history.js';
import { DATABASE_FILE, openDatabase, type Database } from '../src/storage/database.js';
import { report, round2, summarize } from './stats.js';

const SERVERS = 50;
const WORLDS = 5;
const DAYS = 90;
const RUNS = 30;
const WARMUPS = 5;
const NOW = Math.floor(Date.parse('2026-06-30T18:20:00Z') / MINUTE_MS) * MINUTE_MS;

const dirs: string[] = [];
function database(label: string): { db: Database; file: string } {
  const dir = mkdtempSync(join(tmpdir(), `rhb-bench-${label}-`));
  dirs.push(dir);
  return { db: openDatabase(dir), file: join(dir, DATABASE_FILE) };
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Busy evenings, quiet nights, some noise: a community's day. */
const users = (at: number, world: number) =>
  Math.max(
    0,
    Math.round((world + 2) * Math.sin(((at / HOUR_MS - 6) / 24) * 2 * Math.PI) + ((at / MINUTE_MS) % 7) / 3),
  );

function fillHours(db: Database, server: string, from: number, to: number): void {
  const series = db.prepare('INSERT INTO player_series (server, world) VALUES (?, ?) RETURNING id');
  const hour = db.prepare(
    'INSERT OR REPLACE INTO player_hours (series, hour, max_users, mean_users, samples) VALUES (?, ?, ?, ?, 60)',
  );
  db.transaction(() => {
    for (let w = 0; w < WORLDS; w++) {
      const { id } = series.get(server, `World ${w + 1}`) as { id: number };
      for (let at = from; at < to; at += HOUR_MS) {
        // The server was down one hour in fifty: gaps.
        if ((at / HOUR_MS) % 50 === 7) continue;
        hour.run(id, at / HOUR_MS, users(at, w) + 1, users(at, w) + 0.4);
      }
    }
  })();
}

describe('player history', () => {
  it('renders a 30-day chart of 5 worlds', async () => {
    const { db } = database('graph');
    fillHours(db, 'lobby', NOW - 31 * 24 * HOUR_MS, NOW);
    const history = new PlayerHistoryRecorder({
      db,
      timezone: 'Europe/Berlin',
      logger: pino({ enabled: false }),
      now: () => NOW,
    });
    const request = { server: 'lobby', displayName: 'Lobby', period: '30d' as const };
    const firstStart = performance.now();
    const first = await history.graph(request);
    const firstMs = performance.now() - firstStart;
    expect(first.worlds).toHaveLength(WORLDS);
    const { renderChart } = await import('../src/history/chart-render.js');
    const whole: number[] = [];
    const render: number[] = [];
    for (let i = 0; i < WARMUPS + RUNS; i++) {
      const start = performance.now();
      const result = await history.graph(request);
      const graphMs = performance.now() - start;
      expect(result.png.length).toBeGreaterThan(10_000);
      const spec = {
        title: 'Lobby',
        xs: Array.from({ length: 720 }, (_, j) => NOW - (720 - j) * HOUR_MS),
        lines: result.worlds.map((w, k) => ({
          world: w.world,
          values: Array.from({ length: 720 }, (_, j) => (j % 50 === 7 ? null : users(j * HOUR_MS, k))),
        })),
        ticks: [],
        from: NOW - 720 * HOUR_MS,
        to: NOW,
        yTitle: 'users',
      };
      const renderStart = performance.now();
      renderChart(spec);
      const renderMs = performance.now() - renderStart;
      if (i >= WARMUPS) {
        whole.push(graphMs);
        render.push(renderMs);
      }
    }
    const g = summarize(whole);
    const r = summarize(render);
    report(
      'graph-render',
      [
        {
          what: '/graph 30d, 5 worlds (read + series + render + PNG)',
          median: g.median,
          p95: g.p95,
          max: g.max,
        },
        { what: 'chart render + PNG alone', median: r.median, p95: r.p95, max: r.max },
        {
          what: 'first /graph (loads chart.js and the canvas)',
          median: round2(firstMs),
          p95: null,
          max: null,
        },
      ],
      [
        `${RUNS} runs after ${WARMUPS} warm-ups; 800×300; target: median < 250 ms (${g.median < 250 ? 'met' : 'NOT met'})`,
      ],
    );
  });

  it('stays bounded: 50 servers × 5 worlds × 90 days', () => {
    const { db, file } = database('history-size');
    const store = new HistoryStore(db);
    for (let s = 0; s < SERVERS; s++)
      fillHours(db, `server-${s}`, NOW - DAYS * 24 * HOUR_MS, NOW - 48 * HOUR_MS);
    const sweepMs: number[] = [];
    for (let at = NOW - 48 * HOUR_MS; at <= NOW; at += MINUTE_MS) {
      const start = performance.now();
      for (let s = 0; s < SERVERS; s++) {
        store.record(
          `server-${s}`,
          at,
          Array.from({ length: WORLDS }, (_, w) => ({ world: `World ${w + 1}`, users: users(at, w) })),
        );
      }
      sweepMs.push(performance.now() - start);
      // The job as sweeps run it: once an hour.
      if (at % HOUR_MS === 0) store.rollup(at);
    }
    // A day later than the data: minutes past 48 h and hours past 90 days go.
    const rollupStart = performance.now();
    store.rollup(NOW + 30 * MINUTE_MS);
    const rollupMs = performance.now() - rollupStart;
    const rows = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const minutes = rows('player_minutes');
    const hours = rows('player_hours');
    const series = rows('player_series');
    expect(series).toBe(SERVERS * WORLDS);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = statSync(file).size;
    const bytesAfterVacuum = (() => {
      db.exec('VACUUM');
      db.pragma('wal_checkpoint(TRUNCATE)');
      return statSync(file).size;
    })();
    db.close();
    const mib = (n: number) => round2(n / 2 ** 20);
    const w = summarize(sweepMs);
    report(
      'history-storage',
      [
        { what: 'minute rows (48 h)', value: minutes },
        { what: 'hour rows (90 days)', value: hours },
        { what: 'series (server, world)', value: series },
        { what: 'database file, MiB', value: mib(bytes) },
        { what: 'database file after VACUUM, MiB', value: mib(bytesAfterVacuum) },
        { what: 'bytes per row after VACUUM', value: round2(bytesAfterVacuum / (minutes + hours)) },
        { what: 'one sweep written (250 worlds), median ms', value: w.median },
        { what: 'one sweep written, p99 ms', value: w.p99 },
        { what: 'hourly rollup + retention, ms', value: round2(rollupMs) },
      ],
      [`${SERVERS} servers × ${WORLDS} worlds; steady state: 48 h of minutes, 90 days of hours`],
    );
  });
});
