import { describe, expect, it } from 'vitest';
import { AuditLog, MAX_TEXT, type AuditEntry, type AuditRow } from '../../src/audit/audit-log.js';
import { MASK } from '../../src/console/secrets.js';
import { openMemoryDatabase } from '../../src/storage/database.js';

function setup(start = 1_700_000_000_000) {
  const db = openMemoryDatabase();
  const clock = { now: start };
  const audit = new AuditLog(db, () => clock.now);
  return { db, clock, audit };
}

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    guildId: 'guild-1',
    memberId: '111',
    memberTag: 'Alice#0001',
    level: 'moderator',
    command: 'kick',
    ...overrides,
  };
}

describe('AuditLog.begin', () => {
  it('writes a started row before the command finishes', () => {
    const { audit } = setup();
    const record = audit.begin(entry({ server: 'lobby', options: { user: 'bob smith' } }));
    const [row] = audit.latest();
    expect(row).toMatchObject({
      id: record.id,
      outcome: 'started',
      finishedAt: null,
      durationMs: null,
      server: 'lobby',
      options: { user: 'bob smith' },
    });
  });

  it('records detail and outcome as one row with its duration', () => {
    const { audit, clock } = setup();
    const record = audit.begin(entry({ server: 'lobby' }));
    record.detail({ world: 'Lobby World', action: 'kick "bob smith"' });
    clock.now += 1234;
    const finished = record.finish('ok', 'bob smith kicked');

    const rows = audit.latest();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(finished);
    expect(rows[0]).toMatchObject({
      server: 'lobby',
      world: 'Lobby World',
      action: 'kick "bob smith"',
      outcome: 'ok',
      detail: 'bob smith kicked',
      durationMs: 1234,
      finishedAt: clock.now,
    });
  });

  it('keeps earlier details when a later detail call leaves them out', () => {
    const { audit } = setup();
    const record = audit.begin(entry({ server: 'lobby', world: 'Lobby World' }));
    record.detail({ action: 'save' });
    record.finish('ok');
    expect(audit.latest()[0]).toMatchObject({ server: 'lobby', world: 'Lobby World', action: 'save' });
  });

  it('ignores a second finish and details sent after finishing', () => {
    const { audit, clock } = setup();
    const record = audit.begin(entry());
    clock.now += 50;
    record.finish('failed', 'bob is not in Lobby World');
    clock.now += 50;
    expect(record.finish('ok', 'late')).toBeUndefined();
    record.detail({ action: 'late action' });
    expect(audit.latest()[0]).toMatchObject({
      outcome: 'failed',
      detail: 'bob is not in Lobby World',
      durationMs: 50,
      action: null,
    });
  });

  it('truncates action and detail to 1000 characters', () => {
    const { audit } = setup();
    const record = audit.begin(entry({ action: 'a'.repeat(5000) }));
    record.finish('error', 'e'.repeat(5000));
    const [row] = audit.latest();
    expect(row?.action).toHaveLength(MAX_TEXT);
    expect(row?.detail).toHaveLength(MAX_TEXT);
    expect(row?.detail?.endsWith('…')).toBe(true);
  });
});

describe('AuditLog and login passwords', () => {
  const PASSWORD = 'hunter2-secret';

  it('stores and publishes a login line with the password masked and the user kept, wherever it is passed', () => {
    const { db, audit } = setup();
    const published: AuditRow[] = [];
    audit.subscribe((row) => void published.push(row));
    const record = audit.begin(
      entry({
        command: 'console',
        action: `login bob ${PASSWORD}`,
        options: {
          command: `LOGIN  "bob smith"  "${PASSWORD} two"`,
          server: 'lobby',
          nested: [`login x ${PASSWORD}`],
        },
      }),
    );
    record.detail({ action: `Login\tbob\t${PASSWORD}` });
    record.finish('error', `Lobby> login bob ${PASSWORD}\nsomething broke`);
    audit.refused({ ...entry({ action: `login bob ${PASSWORD}` }), reason: `login bob ${PASSWORD}` });

    const stored = JSON.stringify(db.prepare('SELECT * FROM audit_log').all());
    expect(stored).not.toContain(PASSWORD);
    expect(JSON.stringify(published)).not.toContain(PASSWORD);
    const [refused, finished] = audit.latest();
    expect(finished).toMatchObject({
      action: `Login\tbob\t${MASK}`,
      options: { command: `LOGIN  "bob smith"  ${MASK}`, server: 'lobby', nested: [`login x ${MASK}`] },
      detail: `Lobby> login bob ${MASK}\nsomething broke`,
    });
    expect(refused).toMatchObject({ action: `login bob ${MASK}`, detail: `login bob ${MASK}` });
  });

  it('keeps every other console line and option exactly as given', () => {
    const { audit } = setup();
    audit.begin(entry({ action: 'kick "bob smith"', options: { user: 'login', reason: 'logout bob now' } }));
    expect(audit.latest()[0]).toMatchObject({
      action: 'kick "bob smith"',
      options: { user: 'login', reason: 'logout bob now' },
    });
  });
});

describe('AuditLog.refused', () => {
  it('writes a complete refused row with the reason in one go', () => {
    const { audit } = setup();
    const row = audit.refused({ ...entry({ command: 'ban', level: 'viewer' }), reason: 'needs admin' });
    expect(row).toMatchObject({ outcome: 'refused', detail: 'needs admin', durationMs: 0, command: 'ban' });
    expect(row?.finishedAt).toBe(row?.startedAt);
    expect(audit.latest()).toEqual([row]);
  });
});

describe('AuditLog.latest', () => {
  function seed() {
    const ctx = setup();
    const add = (overrides: Partial<AuditEntry>) => {
      ctx.clock.now += 1000;
      ctx.audit.begin(entry(overrides)).finish('ok');
    };
    add({ server: 'lobby', memberId: '111', memberTag: 'Alice#0001', command: 'kick' });
    add({ server: 'arena', memberId: '222', memberTag: 'BobTheMod', command: 'save' });
    add({ server: 'lobby', memberId: '222', memberTag: 'BobTheMod', command: 'silence' });
    add({ server: 'lobby', memberId: '333', memberTag: 'carol', command: 'respawn' });
    return ctx;
  }

  it('returns the newest entries first', () => {
    const { audit } = seed();
    expect(audit.latest().map((row) => row.command)).toEqual(['respawn', 'silence', 'save', 'kick']);
  });

  it('honours the limit', () => {
    const { audit } = seed();
    expect(audit.latest({ limit: 2 }).map((row) => row.command)).toEqual(['respawn', 'silence']);
  });

  it('filters by server', () => {
    const { audit } = seed();
    expect(audit.latest({ server: 'arena' }).map((row) => row.command)).toEqual(['save']);
  });

  it('filters by member id', () => {
    const { audit } = seed();
    expect(audit.latest({ memberId: '222' }).map((row) => row.command)).toEqual(['silence', 'save']);
  });

  it('filters by a case-insensitive part of the member tag', () => {
    const { audit } = seed();
    expect(audit.latest({ memberTag: 'themod' }).map((row) => row.command)).toEqual(['silence', 'save']);
  });

  it('combines the server and member filters', () => {
    const { audit } = seed();
    expect(audit.latest({ server: 'lobby', memberTag: 'bob' }).map((row) => row.command)).toEqual([
      'silence',
    ]);
  });

  it('treats empty filters as no filter', () => {
    const { audit } = seed();
    expect(audit.latest({ server: '', memberTag: '' })).toHaveLength(4);
  });
});

describe('AuditLog.subscribe', () => {
  it('passes the finished row to listeners', () => {
    const { audit } = setup();
    const seen: AuditRow[] = [];
    audit.subscribe((row) => {
      seen.push(row);
    });
    const record = audit.begin(entry());
    expect(seen).toEqual([]);
    const row = record.finish('ok');
    audit.refused({ ...entry(), reason: 'no' });
    expect(seen.map((r) => r.outcome)).toEqual(['ok', 'refused']);
    expect(seen[0]).toEqual(row);
  });

  it('keeps auditing when a listener throws or rejects', async () => {
    const { audit } = setup();
    const seen: number[] = [];
    audit.subscribe(() => {
      throw new Error('discord down');
    });
    audit.subscribe(() => Promise.reject(new Error('discord down')));
    audit.subscribe((row) => {
      seen.push(row.id);
    });
    const record = audit.begin(entry());
    expect(() => record.finish('ok')).not.toThrow();
    expect(audit.latest()[0]?.outcome).toBe('ok');
    expect(seen).toEqual([record.id]);
    // Give an unhandled rejection the chance to surface and fail the test.
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('stops calling a listener once unsubscribed', () => {
    const { audit } = setup();
    let calls = 0;
    const unsubscribe = audit.subscribe(() => {
      calls += 1;
    });
    audit.begin(entry()).finish('ok');
    unsubscribe();
    audit.begin(entry()).finish('ok');
    expect(calls).toBe(1);
  });
});
