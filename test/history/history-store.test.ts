/**
 * The store on a real SQLite database with times handed in: minutes rolled up into hours (max,
 * mean, minutes seen), minutes dropped after 48 h and hours after 90 days, nothing for a minute
 * the server was not seen.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore, HOUR_MS, MINUTE_MS } from '../../src/history/history-store.js';
import { openMemoryDatabase, type Database } from '../../src/storage/database.js';

/** An hour boundary, so the minutes below fall in known hours. */
const T0 = Math.floor(1_700_000_000_000 / HOUR_MS) * HOUR_MS;
const DAY = 24 * HOUR_MS;

describe('HistoryStore', () => {
  let db: Database;
  let store: HistoryStore;
  beforeEach(() => {
    db = openMemoryDatabase();
    store = new HistoryStore(db);
  });

  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('keeps one point per world per minute, the larger of two sweeps in it', () => {
    store.record('lobby', T0 + 5_000, [{ world: 'Hub', users: 3 }]);
    store.record('lobby', T0 + 35_000, [{ world: 'Hub', users: 5 }]);
    store.record('lobby', T0 + 50_000, [{ world: 'Hub', users: 4 }]);
    store.record('lobby', T0 + MINUTE_MS, [{ world: 'Hub', users: 2 }]);
    expect(store.minutes('lobby', T0, T0 + HOUR_MS).get('Hub')).toEqual([
      { at: T0, max: 5, mean: 5, samples: 1 },
      { at: T0 + MINUTE_MS, max: 2, mean: 2, samples: 1 },
    ]);
  });

  it('rolls minutes up into hours with their max, mean and how many minutes were seen', () => {
    for (let m = 0; m < 30; m++)
      store.record('lobby', T0 + m * MINUTE_MS, [{ world: 'Hub', users: m < 10 ? 6 : 3 }]);
    // The next hour: the server was down for all but two minutes of it.
    store.record('lobby', T0 + HOUR_MS + 7 * MINUTE_MS, [{ world: 'Hub', users: 1 }]);
    store.record('lobby', T0 + HOUR_MS + 8 * MINUTE_MS, [{ world: 'Hub', users: 2 }]);
    store.rollup(T0 + 2 * HOUR_MS);
    expect(store.hours('lobby', T0, T0 + 3 * HOUR_MS).get('Hub')).toEqual([
      { at: T0, max: 6, mean: 4, samples: 30 },
      { at: T0 + HOUR_MS, max: 2, mean: 1.5, samples: 2 },
    ]);
    // An hour with nothing seen has no row: a gap, not a zero.
    expect(store.hours('lobby', T0 + 2 * HOUR_MS, T0 + 3 * HOUR_MS).size).toBe(0);
  });

  it('rolls up the current hour as it goes, and again once it is complete', () => {
    store.record('lobby', T0 + MINUTE_MS, [{ world: 'Hub', users: 8 }]);
    store.rollup(T0 + 2 * MINUTE_MS);
    expect(store.hours('lobby', T0, T0 + HOUR_MS).get('Hub')).toEqual([
      { at: T0, max: 8, mean: 8, samples: 1 },
    ]);
    store.record('lobby', T0 + 40 * MINUTE_MS, [{ world: 'Hub', users: 2 }]);
    store.rollup(T0 + HOUR_MS + MINUTE_MS);
    expect(store.hours('lobby', T0, T0 + HOUR_MS).get('Hub')).toEqual([
      { at: T0, max: 8, mean: 5, samples: 2 },
    ]);
  });

  it('drops minutes older than 48 hours but keeps their hours, and hours older than 90 days', () => {
    store.record('lobby', T0, [{ world: 'Old', users: 4 }]);
    store.rollup(T0 + MINUTE_MS);
    store.record('lobby', T0 + 47 * HOUR_MS, [{ world: 'Hub', users: 1 }]);
    store.rollup(T0 + 48 * HOUR_MS);
    expect(store.minutes('lobby', T0, T0 + HOUR_MS).size).toBe(1);

    store.rollup(T0 + 48 * HOUR_MS + MINUTE_MS + 1);
    expect(store.minutes('lobby', T0, T0 + HOUR_MS).size).toBe(0);
    expect(store.hours('lobby', T0, T0 + HOUR_MS).get('Old')).toEqual([
      { at: T0, max: 4, mean: 4, samples: 1 },
    ]);

    store.rollup(T0 + 90 * DAY);
    expect(store.hours('lobby', T0, T0 + HOUR_MS).size).toBe(1);
    store.rollup(T0 + 90 * DAY + HOUR_MS);
    expect(store.hours('lobby', T0, T0 + HOUR_MS).size).toBe(0);
    expect(count('player_hours')).toBe(1);
    store.rollup(T0 + 91 * DAY + 47 * HOUR_MS);
    expect(count('player_hours')).toBe(0);
    // A world gone for 90 days leaves no name behind either.
    expect(count('player_series')).toBe(0);
  });

  it('keeps servers and worlds apart', () => {
    store.record('lobby', T0, [
      { world: 'Hub', users: 1 },
      { world: 'Build', users: 2 },
    ]);
    store.record('other', T0, [{ world: 'Hub', users: 7 }]);
    const lobby = store.minutes('lobby', T0, T0 + MINUTE_MS);
    expect([...lobby.keys()].sort()).toEqual(['Build', 'Hub']);
    expect(lobby.get('Hub')?.[0]?.max).toBe(1);
    expect(store.minutes('other', T0, T0 + MINUTE_MS).get('Hub')?.[0]?.max).toBe(7);
  });
});
