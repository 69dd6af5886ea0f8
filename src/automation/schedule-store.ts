import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../storage/database.js';
import type { RunOutcome } from '../servers/schedule-book.js';

/** One schedule as stored: what was asked, and where its runs have got to. */
export interface ScheduleRow {
  id: number;
  server: string;
  /** `when` as given (normalised): parsed again on each start, so a TZ change applies. */
  when: string;
  /** The warning offsets override as given (`15m,5m,1m`), if any. */
  warn: string | null;
  onlyWhenEmpty: boolean;
  createdBy: string;
  createdAt: number;
  skipNext: boolean;
  /** The due time of a run waiting for the server to empty. */
  waitingSince: number | null;
  /** The due time of the last run handled (planned, merged, skipped, missed): the next one comes after it. */
  lastDueAt: number | null;
  /** When that run was handled, and how. */
  lastRunAt: number | null;
  lastOutcome: RunOutcome | null;
  lastDetail: string | null;
}

export interface NewSchedule {
  server: string;
  when: string;
  warn: string | null;
  onlyWhenEmpty: boolean;
  createdBy: string;
  createdAt: number;
}

export interface RunRecord {
  dueAt: number;
  at: number;
  outcome: RunOutcome;
  detail: string | null;
}

interface Raw {
  id: number;
  server: string;
  when_text: string;
  warn_text: string | null;
  only_when_empty: number;
  created_by: string;
  created_at: number;
  skip_next: number;
  waiting_since: number | null;
  last_due_at: number | null;
  last_run_at: number | null;
  last_outcome: string | null;
  last_detail: string | null;
}

/** Schedules in SQLite under DATA_DIR, so they and their last runs survive a bot restart. */
export class ScheduleStore {
  private readonly insertStmt: BetterSqlite3.Statement<
    [string, string, string | null, number, string, number]
  >;
  private readonly allStmt: BetterSqlite3.Statement<[], Raw>;
  private readonly getStmt: BetterSqlite3.Statement<[number], Raw>;
  private readonly deleteStmt: BetterSqlite3.Statement<[number]>;
  private readonly skipStmt: BetterSqlite3.Statement<[number, number]>;
  private readonly waitStmt: BetterSqlite3.Statement<[number | null, number]>;
  private readonly runStmt: BetterSqlite3.Statement<[number, number, string, string | null, number]>;
  private readonly endStmt: BetterSqlite3.Statement<[string, string | null, number, number]>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO schedules (server, when_text, warn_text, only_when_empty, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.allStmt = db.prepare('SELECT * FROM schedules ORDER BY id');
    this.getStmt = db.prepare('SELECT * FROM schedules WHERE id = ?');
    this.deleteStmt = db.prepare('DELETE FROM schedules WHERE id = ?');
    this.skipStmt = db.prepare('UPDATE schedules SET skip_next = ? WHERE id = ?');
    this.waitStmt = db.prepare('UPDATE schedules SET waiting_since = ? WHERE id = ?');
    this.runStmt = db.prepare(
      `UPDATE schedules SET last_due_at = ?, last_run_at = ?, last_outcome = ?, last_detail = ?,
       waiting_since = NULL WHERE id = ?`,
    );
    // A plan's end (done, aborted, failed) updates the run it came from, not a later one.
    this.endStmt = db.prepare(
      'UPDATE schedules SET last_outcome = ?, last_detail = ? WHERE id = ? AND last_due_at = ?',
    );
  }

  add(schedule: NewSchedule): ScheduleRow {
    const { lastInsertRowid } = this.insertStmt.run(
      schedule.server,
      schedule.when,
      schedule.warn,
      schedule.onlyWhenEmpty ? 1 : 0,
      schedule.createdBy,
      schedule.createdAt,
    );
    return this.get(Number(lastInsertRowid)) as ScheduleRow;
  }

  all(): ScheduleRow[] {
    return this.allStmt.all().map(toRow);
  }

  get(id: number): ScheduleRow | undefined {
    const raw = this.getStmt.get(id);
    return raw ? toRow(raw) : undefined;
  }

  remove(id: number): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  setSkipNext(id: number, skip: boolean): void {
    this.skipStmt.run(skip ? 1 : 0, id);
  }

  setWaiting(id: number, since: number | null): void {
    this.waitStmt.run(since, id);
  }

  /** A run handled: the schedule moves past its due time, and stops waiting. */
  recordRun(id: number, run: RunRecord): void {
    this.runStmt.run(run.dueAt, run.at, run.outcome, run.detail, id);
  }

  /** How the plan of the run due at `dueAt` ended. */
  recordEnd(id: number, dueAt: number, outcome: RunOutcome, detail: string | null): void {
    this.endStmt.run(outcome, detail, id, dueAt);
  }
}

function toRow(raw: Raw): ScheduleRow {
  return {
    id: raw.id,
    server: raw.server,
    when: raw.when_text,
    warn: raw.warn_text,
    onlyWhenEmpty: raw.only_when_empty === 1,
    createdBy: raw.created_by,
    createdAt: raw.created_at,
    skipNext: raw.skip_next === 1,
    waitingSince: raw.waiting_since,
    lastDueAt: raw.last_due_at,
    lastRunAt: raw.last_run_at,
    lastOutcome: raw.last_outcome as RunOutcome | null,
    lastDetail: raw.last_detail,
  };
}
