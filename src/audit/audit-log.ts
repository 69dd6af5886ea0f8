import type BetterSqlite3 from 'better-sqlite3';
import type { Level } from '../config.js';
import { maskConsoleSecretsInText } from '../console/secrets.js';
import type { Database } from '../storage/database.js';
import { truncate } from '../text.js';

export type AuditOutcome =
  | 'started'
  | 'ok'
  | 'failed'
  | 'refused'
  | 'cancelled'
  | 'expired'
  | 'error'
  // Discord rejected the deferral (expired, or already acknowledged): nothing was done.
  | 'unacknowledged';
export type FinishOutcome = Exclude<AuditOutcome, 'started'>;
/** 'none' is a member no role maps to; their refused attempts are recorded too. */
export type AuditLevel = Level | 'none';

export interface AuditRow {
  id: number;
  startedAt: number;
  finishedAt: number | null;
  guildId: string;
  memberId: string;
  memberTag: string;
  level: AuditLevel;
  command: string;
  server: string | null;
  world: string | null;
  action: string | null;
  options: Record<string, unknown>;
  outcome: AuditOutcome;
  detail: string | null;
  durationMs: number | null;
}

export interface AuditEntry {
  guildId: string;
  memberId: string;
  memberTag: string;
  level: AuditLevel;
  command: string;
  server?: string | undefined;
  world?: string | undefined;
  action?: string | undefined;
  options?: Record<string, unknown> | undefined;
}

export interface AuditDetail {
  server?: string | undefined;
  world?: string | undefined;
  action?: string | undefined;
}

export interface AuditRecord {
  readonly id: number;
  detail(detail: AuditDetail): void;
  /** Only the first call counts; returns the finished row, or undefined when already finished. */
  finish(outcome: FinishOutcome, detail?: string): AuditRow | undefined;
}

export interface AuditQuery {
  server?: string | undefined;
  memberId?: string | undefined;
  memberTag?: string | undefined;
  limit?: number | undefined;
}

export type AuditListener = (row: AuditRow) => void | Promise<void>;

export const MAX_TEXT = 1000;
const MAX_LIMIT = 1000;

interface DbRow {
  id: number;
  started_at: number;
  finished_at: number | null;
  guild_id: string;
  member_id: string;
  member_tag: string;
  level: string;
  command: string;
  server: string | null;
  world: string | null;
  action: string | null;
  options_json: string;
  outcome: string;
  detail: string | null;
  duration_ms: number | null;
}

type Params = Record<string, string | number | null>;

export class AuditLog {
  private readonly listeners = new Set<AuditListener>();
  private readonly insertStmt: BetterSqlite3.Statement<[Params]>;
  private readonly detailStmt: BetterSqlite3.Statement<[Params]>;
  private readonly finishStmt: BetterSqlite3.Statement<[Params]>;
  private readonly byIdStmt: BetterSqlite3.Statement<[number], DbRow>;
  /** One statement per filter combination, so SQLite can use the matching index for each. */
  private readonly latestStmts: Map<string, BetterSqlite3.Statement<[Params], DbRow>>;

  constructor(
    db: Database,
    private readonly now: () => number = Date.now,
  ) {
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (started_at, finished_at, guild_id, member_id, member_tag, level, command,
         server, world, action, options_json, outcome, detail, duration_ms)
       VALUES (@startedAt, @finishedAt, @guildId, @memberId, @memberTag, @level, @command,
         @server, @world, @action, @optionsJson, @outcome, @detail, @durationMs)`,
    );
    this.detailStmt = db.prepare(
      `UPDATE audit_log SET server = COALESCE(@server, server), world = COALESCE(@world, world),
         action = COALESCE(@action, action)
       WHERE id = @id AND finished_at IS NULL`,
    );
    this.finishStmt = db.prepare(
      `UPDATE audit_log SET finished_at = @finishedAt, duration_ms = MAX(0, @finishedAt - started_at),
         outcome = @outcome, detail = @detail
       WHERE id = @id AND finished_at IS NULL`,
    );
    this.byIdStmt = db.prepare('SELECT * FROM audit_log WHERE id = ?');
    this.latestStmts = new Map();
    for (const byServer of [false, true]) {
      for (const byMember of [false, true]) {
        const where = [
          byServer ? 'server = @server' : '',
          // lower() folds ASCII only; good enough for finding a tag someone typed.
          byMember ? '(member_id = @memberId OR instr(lower(member_tag), lower(@memberTag)) > 0)' : '',
        ].filter((clause) => clause !== '');
        const sql = `SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY started_at DESC, id DESC LIMIT @limit`;
        this.latestStmts.set(`${byServer}:${byMember}`, db.prepare(sql));
      }
    }
  }

  begin(entry: AuditEntry): AuditRecord {
    const result = this.insertStmt.run({
      ...entryParams(entry),
      startedAt: this.now(),
      finishedAt: null,
      outcome: 'started',
      detail: null,
      durationMs: null,
    });
    const id = Number(result.lastInsertRowid);
    let finished = false;
    return {
      id,
      detail: (detail) => {
        if (finished) return;
        this.detailStmt.run({
          id,
          server: detail.server ?? null,
          world: detail.world ?? null,
          action: clean(detail.action),
        });
      },
      finish: (outcome, detail) => {
        if (finished) return undefined;
        finished = true;
        const changed = this.finishStmt.run({ id, finishedAt: this.now(), outcome, detail: clean(detail) });
        if (changed.changes === 0) return undefined;
        return this.publish(id);
      },
    };
  }

  refused(entry: AuditEntry & { reason: string }): AuditRow | undefined {
    const at = this.now();
    const result = this.insertStmt.run({
      ...entryParams(entry),
      startedAt: at,
      finishedAt: at,
      outcome: 'refused',
      detail: clean(entry.reason),
      durationMs: 0,
    });
    return this.publish(Number(result.lastInsertRowid));
  }

  latest(query: AuditQuery = {}): AuditRow[] {
    const server = query.server || null;
    // Empty strings come from blank command options and mean "no filter".
    const memberId = query.memberId || null;
    const memberTag = query.memberTag || null;
    const byMember = memberId !== null || memberTag !== null;
    const stmt = this.latestStmts.get(`${server !== null}:${byMember}`) as BetterSqlite3.Statement<
      [Params],
      DbRow
    >;
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit ?? 10)));
    const params: Params = { limit };
    if (server !== null) params.server = server;
    if (byMember) {
      params.memberId = memberId;
      params.memberTag = memberTag;
    }
    return stmt.all(params).map(toRow);
  }

  subscribe(listener: AuditListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private publish(id: number): AuditRow | undefined {
    const raw = this.byIdStmt.get(id);
    if (raw === undefined) return undefined;
    const row = toRow(raw);
    for (const listener of this.listeners) {
      // Posting to the audit channel is best effort; it must never undo or block the record.
      try {
        const pending = listener(row);
        if (pending instanceof Promise) pending.catch(() => undefined);
      } catch {
        // ignored on purpose, see above
      }
    }
    return row;
  }
}

function entryParams(entry: AuditEntry): Params {
  return {
    guildId: entry.guildId,
    memberId: entry.memberId,
    memberTag: entry.memberTag,
    level: entry.level,
    command: entry.command,
    server: entry.server ?? null,
    world: entry.world ?? null,
    action: clean(entry.action),
    optionsJson: optionsJson(entry.options),
  };
}

/** Every text that is stored: a console line or a message may hold a login's password. */
function clean(text: string | undefined): string | null {
  if (text === undefined) return null;
  return truncate(maskConsoleSecretsInText(text), MAX_TEXT);
}

function optionsJson(options: Record<string, unknown> | undefined): string {
  try {
    return JSON.stringify(options ?? {}, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      return typeof value === 'string' ? maskConsoleSecretsInText(value) : value;
    });
  } catch {
    return '{}';
  }
}

function parseOptions(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function toRow(raw: DbRow): AuditRow {
  return {
    id: raw.id,
    startedAt: raw.started_at,
    finishedAt: raw.finished_at,
    guildId: raw.guild_id,
    memberId: raw.member_id,
    memberTag: raw.member_tag,
    level: raw.level as AuditLevel,
    command: raw.command,
    server: raw.server,
    world: raw.world,
    action: raw.action,
    options: parseOptions(raw.options_json),
    outcome: raw.outcome as AuditOutcome,
    detail: raw.detail,
    durationMs: raw.duration_ms,
  };
}
