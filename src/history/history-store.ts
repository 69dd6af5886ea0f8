import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../storage/database.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
/** Minute points are kept this long, then only their hourly rollup. */
export const MINUTES_KEPT_MS = 48 * HOUR_MS;
/** Hourly rollups are kept this long, then dropped. */
export const HOURS_KEPT_MS = 90 * 24 * HOUR_MS;

/** One world's users in one bucket (a minute or an hour): its start (ms), the most seen, the mean, how many minutes. */
export interface Sample {
  at: number;
  max: number;
  mean: number;
  samples: number;
}

export interface WorldCount {
  world: string;
  users: number;
}

/**
 * Users per world in SQLite: one row per world per minute (the most seen that minute), rolled up
 * into hours (max, mean, minutes seen). Minutes and hours are counted from the epoch, so a row is
 * a few bytes; a minute with no row is a minute the server was not seen, drawn as a gap.
 */
export class HistoryStore {
  private readonly seriesIds = new Map<string, number>();
  private readonly findSeries: BetterSqlite3.Statement<[string, string], { id: number }>;
  private readonly addSeries: BetterSqlite3.Statement<[string, string], { id: number }>;
  private readonly putMinute: BetterSqlite3.Statement<[number, number, number]>;
  private readonly rollupSeries: BetterSqlite3.Statement<[{ series: number; from: number; to: number }]>;
  private readonly dropMinutes: BetterSqlite3.Statement<[number, number]>;
  private readonly dropHours: BetterSqlite3.Statement<[number, number]>;
  private readonly dropEmptySeries: BetterSqlite3.Statement<[]>;
  private readonly allSeries: BetterSqlite3.Statement<[], { id: number }>;
  private readonly lastHour: BetterSqlite3.Statement<[], { hour: number | null }>;
  private readonly readMinutes: BetterSqlite3.Statement<
    [string, number, number],
    { world: string; minute: number; users: number }
  >;
  private readonly readHours: BetterSqlite3.Statement<
    [string, number, number],
    { world: string; hour: number; max: number; mean: number; samples: number }
  >;
  private readonly writeMinutes: (server: string, minute: number, counts: readonly WorldCount[]) => void;
  private readonly runRollup: (fromHour: number, nowMs: number) => void;

  constructor(db: Database) {
    this.findSeries = db.prepare('SELECT id FROM player_series WHERE server = ? AND world = ?');
    this.addSeries = db.prepare('INSERT INTO player_series (server, world) VALUES (?, ?) RETURNING id');
    // Two sweeps in one minute keep the larger count: the chart shows how busy it got.
    this.putMinute = db.prepare(
      `INSERT INTO player_minutes (series, minute, users) VALUES (?, ?, ?)
       ON CONFLICT (series, minute) DO UPDATE SET users = max(users, excluded.users)`,
    );
    this.rollupSeries = db.prepare(
      `INSERT INTO player_hours (series, hour, max_users, mean_users, samples)
       SELECT series, minute / 60, max(users), avg(users), count(*) FROM player_minutes
       WHERE series = @series AND minute >= @from * 60 AND minute < @to
       GROUP BY minute / 60
       ON CONFLICT (series, hour) DO UPDATE SET
         max_users = excluded.max_users, mean_users = excluded.mean_users, samples = excluded.samples`,
    );
    // Per series, so each deletion walks its primary key instead of the whole table.
    this.dropMinutes = db.prepare('DELETE FROM player_minutes WHERE series = ? AND minute < ?');
    this.dropHours = db.prepare('DELETE FROM player_hours WHERE series = ? AND hour < ?');
    this.dropEmptySeries = db.prepare(
      `DELETE FROM player_series WHERE NOT EXISTS (SELECT 1 FROM player_hours WHERE series = id)
       AND NOT EXISTS (SELECT 1 FROM player_minutes WHERE series = id)`,
    );
    this.allSeries = db.prepare('SELECT id FROM player_series');
    this.lastHour = db.prepare('SELECT max(hour) AS hour FROM player_hours');
    this.readMinutes = db.prepare(
      `SELECT s.world, m.minute, m.users FROM player_series s JOIN player_minutes m ON m.series = s.id
       WHERE s.server = ? AND m.minute >= ? AND m.minute < ? ORDER BY s.world, m.minute`,
    );
    this.readHours = db.prepare(
      `SELECT s.world, h.hour, h.max_users AS max, h.mean_users AS mean, h.samples
       FROM player_series s JOIN player_hours h ON h.series = s.id
       WHERE s.server = ? AND h.hour >= ? AND h.hour < ? ORDER BY s.world, h.hour`,
    );
    this.writeMinutes = db.transaction((server: string, minute: number, counts: readonly WorldCount[]) => {
      for (const { world, users } of counts) this.putMinute.run(this.seriesId(server, world), minute, users);
    });
    this.runRollup = db.transaction((fromHour: number, nowMs: number) => {
      const nowMinute = Math.floor(nowMs / MINUTE_MS) + 1;
      const minutesBefore = Math.floor((nowMs - MINUTES_KEPT_MS) / MINUTE_MS);
      const hoursBefore = Math.floor((nowMs - HOURS_KEPT_MS) / HOUR_MS);
      for (const { id } of this.allSeries.all()) {
        this.rollupSeries.run({ series: id, from: fromHour, to: nowMinute });
        this.dropMinutes.run(id, minutesBefore);
        this.dropHours.run(id, hoursBefore);
      }
      if (this.dropEmptySeries.run().changes > 0) this.seriesIds.clear();
    });
  }

  /** The counts one sweep saw on one server, at `at` (ms). */
  record(server: string, at: number, counts: readonly WorldCount[]): void {
    if (counts.length > 0) this.writeMinutes(server, Math.floor(at / MINUTE_MS), counts);
  }

  /**
   * Rolls the minutes up into hours, from the last hour rolled up (again, as it may have been
   * partial) through the current one, then drops minutes past 48 h and hours past 90 days.
   * Idempotent: run it as often as freshness needs.
   */
  rollup(nowMs: number): void {
    const last = this.lastHour.get()?.hour ?? null;
    // Minutes older than the kept window are gone (or about to be): nothing there to roll up again.
    const oldestKept = Math.floor((nowMs - MINUTES_KEPT_MS) / HOUR_MS);
    this.runRollup(last === null ? oldestKept : Math.max(last, oldestKept), nowMs);
  }

  /** One sample per recorded minute in [from, to), per world of the server. */
  minutes(server: string, from: number, to: number): Map<string, Sample[]> {
    const byWorld = new Map<string, Sample[]>();
    const rows = this.readMinutes.all(server, Math.floor(from / MINUTE_MS), Math.ceil(to / MINUTE_MS));
    for (const row of rows) {
      const users = row.users;
      push(byWorld, row.world, { at: row.minute * MINUTE_MS, max: users, mean: users, samples: 1 });
    }
    return byWorld;
  }

  /** One sample per recorded hour in [from, to), per world of the server. */
  hours(server: string, from: number, to: number): Map<string, Sample[]> {
    const byWorld = new Map<string, Sample[]>();
    for (const row of this.readHours.all(server, Math.floor(from / HOUR_MS), Math.ceil(to / HOUR_MS))) {
      push(byWorld, row.world, {
        at: row.hour * HOUR_MS,
        max: row.max,
        mean: row.mean,
        samples: row.samples,
      });
    }
    return byWorld;
  }

  private seriesId(server: string, world: string): number {
    const key = `${server}\u0000${world}`;
    let id = this.seriesIds.get(key);
    if (id === undefined) {
      id = (this.findSeries.get(server, world) ?? (this.addSeries.get(server, world) as { id: number })).id;
      this.seriesIds.set(key, id);
    }
    return id;
  }
}

function push(map: Map<string, Sample[]>, key: string, sample: Sample): void {
  const list = map.get(key);
  if (list) list.push(sample);
  else map.set(key, [sample]);
}
