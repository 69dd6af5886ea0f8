import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DATABASE_FILE,
  KeyValueStore,
  SCHEMA_VERSION,
  openDatabase,
  openMemoryDatabase,
  type Database,
} from '../../src/storage/database.js';

const opened: Database[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bot-db-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string): Database {
  const db = openDatabase(dir);
  opened.push(db);
  return db;
}

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tableNames(db: Database): string[] {
  return db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name",
    )
    .all()
    .map((row) => row.name);
}

describe('openDatabase', () => {
  it('creates the data directory and the database file in WAL mode', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const db = open(dir);
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
  });

  it('creates the audit and kv tables with their indexes at the current schema version', () => {
    const db = open(tempDir());
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['audit_log', 'audit_log_member_started', 'audit_log_server_started', 'kv']),
    );
  });

  it('does not rerun migrations on reopen: rows and schema version survive', () => {
    const dir = tempDir();
    const first = open(dir);
    first
      .prepare(
        `INSERT INTO audit_log (started_at, guild_id, member_id, member_tag, level, command, outcome)
         VALUES (1, 'g', 'm', 'tag', 'admin', 'kick', 'ok')`,
      )
      .run();
    first.close();

    const second = open(dir);
    expect(second.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(second.prepare('SELECT COUNT(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
  });

  it('refuses a database written by a newer schema', () => {
    const dir = tempDir();
    const db = open(dir);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => open(dir)).toThrow(/newer than this bot supports/);
  });
});

describe('openMemoryDatabase', () => {
  it('runs the same migrations in memory', () => {
    const db = openMemoryDatabase();
    opened.push(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['audit_log', 'kv']));
  });
});

describe('KeyValueStore', () => {
  it('returns undefined for a key never set', () => {
    const db = openMemoryDatabase();
    opened.push(db);
    expect(new KeyValueStore(db).get('missing')).toBeUndefined();
  });

  it('overwrites a value and records when it changed', () => {
    const db = openMemoryDatabase();
    opened.push(db);
    let now = 1000;
    const kv = new KeyValueStore(db, () => now);
    kv.set('status:123', 'first');
    now = 2000;
    kv.set('status:123', 'second');
    expect(kv.get('status:123')).toBe('second');
    expect(db.prepare('SELECT updated_at FROM kv WHERE key = ?').get('status:123')).toEqual({
      updated_at: 2000,
    });
  });

  it('persists sets and deletes across a reopen', () => {
    const dir = tempDir();
    const first = open(dir);
    const kv = new KeyValueStore(first);
    kv.set('status-message', '111');
    kv.set('commands-hash', 'abc');
    kv.delete('commands-hash');
    first.close();

    const reopened = new KeyValueStore(open(dir));
    expect(reopened.get('status-message')).toBe('111');
    expect(reopened.get('commands-hash')).toBeUndefined();
  });
});
