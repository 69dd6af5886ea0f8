import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;

export const DATABASE_FILE = 'bot.sqlite';

/**
 * Each entry moves the schema from version `index` to `index + 1`; append only, never edit a
 * shipped step, because `PRAGMA user_version` records how far an existing file has come.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    guild_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    member_tag TEXT NOT NULL,
    level TEXT NOT NULL,
    command TEXT NOT NULL,
    server TEXT,
    world TEXT,
    action TEXT,
    options_json TEXT NOT NULL DEFAULT '{}',
    outcome TEXT NOT NULL,
    detail TEXT,
    duration_ms INTEGER
  );
  CREATE INDEX audit_log_server_started ON audit_log (server, started_at);
  CREATE INDEX audit_log_member_started ON audit_log (member_id, started_at);
  CREATE TABLE kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE schedules (
    id INTEGER PRIMARY KEY,
    server TEXT NOT NULL,
    when_text TEXT NOT NULL,
    warn_text TEXT,
    only_when_empty INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    skip_next INTEGER NOT NULL DEFAULT 0,
    waiting_since INTEGER,
    last_due_at INTEGER,
    last_run_at INTEGER,
    last_outcome TEXT,
    last_detail TEXT
  );
  CREATE INDEX schedules_server ON schedules (server);
  `,
  `
  CREATE TABLE player_series (
    id INTEGER PRIMARY KEY,
    server TEXT NOT NULL,
    world TEXT NOT NULL,
    UNIQUE (server, world)
  );
  CREATE TABLE player_minutes (
    series INTEGER NOT NULL REFERENCES player_series (id),
    minute INTEGER NOT NULL,
    users INTEGER NOT NULL,
    PRIMARY KEY (series, minute)
  ) WITHOUT ROWID;
  CREATE TABLE player_hours (
    series INTEGER NOT NULL REFERENCES player_series (id),
    hour INTEGER NOT NULL,
    max_users INTEGER NOT NULL,
    mean_users REAL NOT NULL,
    samples INTEGER NOT NULL,
    PRIMARY KEY (series, hour)
  ) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    // An older bot must not write into a schema it does not understand.
    throw new Error(
      `Database schema version ${current} is newer than this bot supports (${SCHEMA_VERSION}).`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version] as string;
    // user_version is transactional in SQLite, so a failed step leaves the version untouched.
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** DATA_DIR cannot hold the database: the bot does not start without an audit log it can write. */
export class DataDirError extends Error {
  override name = 'DataDirError';
  constructor(
    readonly dataDir: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `DATA_DIR "${dataDir}" is not usable (${reason}). The audit log and the status board's ids live there: give the bot's user write access to it, or set DATA_DIR to a writable folder.`,
      { cause },
    );
  }
}

export function openDatabase(dataDir: string): Database {
  let db: Database | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new BetterSqlite3(join(dataDir, DATABASE_FILE));
    db.pragma('journal_mode = WAL');
    // The CLI and the bot may open the same file; wait for a writer instead of failing at once.
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    // A file that opens but cannot be written to (read-only mount) must fail now, not at the first audit.
    db.exec('BEGIN IMMEDIATE; COMMIT');
    return db;
  } catch (error) {
    db?.close();
    throw new DataDirError(dataDir, error);
  }
}

export function openMemoryDatabase(): Database {
  const db = new BetterSqlite3(':memory:');
  migrate(db);
  return db;
}

/** Small persisted values: status-board message ids, the command-registration hash. */
export class KeyValueStore {
  private readonly getStmt: BetterSqlite3.Statement<[string], { value: string }>;
  private readonly setStmt: BetterSqlite3.Statement<[string, string, number]>;
  private readonly deleteStmt: BetterSqlite3.Statement<[string]>;

  constructor(
    db: Database,
    private readonly now: () => number = Date.now,
  ) {
    this.getStmt = db.prepare('SELECT value FROM kv WHERE key = ?');
    this.setStmt = db.prepare(
      `INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare('DELETE FROM kv WHERE key = ?');
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value, this.now());
  }

  delete(key: string): void {
    this.deleteStmt.run(key);
  }
}
