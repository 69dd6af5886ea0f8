import { describe, expect, it } from 'vitest';
import { EMBED_DESCRIPTION_MAX, auditEmbedJson, auditLine } from '../../src/audit/audit-format.js';
import type { AuditRow } from '../../src/audit/audit-log.js';
import { MASK } from '../../src/console/secrets.js';

const ZWSP = '\u200b';

function row(overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    id: 1,
    startedAt: 1_700_000_000_500,
    finishedAt: 1_700_000_001_700,
    guildId: 'g',
    memberId: '123456789012345678',
    memberTag: 'alice',
    level: 'moderator',
    command: 'kick',
    server: 'lobby',
    world: 'Lobby World',
    action: 'kick "bob smith"',
    options: {},
    outcome: 'ok',
    detail: null,
    durationMs: 1200,
    ...overrides,
  };
}

/** Every inline-code span in a line. */
function codeSpans(line: string): string[] {
  return line.match(/`[^`]*`/g) ?? [];
}

describe('auditLine', () => {
  it('shows time, member, command, place, action, outcome and duration on one line', () => {
    expect(auditLine(row())).toBe(
      '<t:1700000000:f> · <@123456789012345678> · kick · lobby / Lobby World · `kick "bob smith"` · **ok** in 1.2s',
    );
  });

  it('keeps backticks in the action from closing the inline code', () => {
    const line = auditLine(row({ action: 'message bob "`` @everyone `x`"' }));
    expect(codeSpans(line)).toHaveLength(1);
    expect(line.split('`')).toHaveLength(3);
  });

  it('neutralizes mass and member mentions in every user-supplied field', () => {
    const line = auditLine(
      row({
        action: 'message bob "@everyone <@123> <@&456>"',
        world: '@here world',
        detail: 'failed for <@789> and @Everyone',
        outcome: 'failed',
      }),
    );
    const withoutOwnMention = line.replace('<@123456789012345678>', '');
    expect(withoutOwnMention).not.toMatch(/@(everyone|here)/i);
    expect(withoutOwnMention).not.toMatch(/<[@#]/);
    expect(withoutOwnMention).toContain(`@${ZWSP}everyone`);
    expect(withoutOwnMention).toContain(`<${ZWSP}@123>`);
  });

  it('escapes markdown and masked links outside the inline code', () => {
    const line = auditLine(row({ world: '**big** [click](https://x.test)', action: null }));
    expect(line).toContain('\\*\\*big\\*\\* \\[click\\](https://x.test)');
  });

  it('keeps a multi-line action on one line', () => {
    expect(auditLine(row({ action: 'say hi\nkick "bob"\r' }))).not.toMatch(/[\r\n]/);
  });

  it('falls back to the escaped tag when the member id is not a snowflake', () => {
    const line = auditLine(row({ memberId: 'cli', memberTag: 'root_user' }));
    expect(line).toContain(' · root\\_user · ');
    expect(line).not.toContain('<@cli>');
  });

  it('shows how long a command took in the shared duration format', () => {
    expect(auditLine(row({ durationMs: 250 }))).toMatch(/\*\*ok\*\* in 250ms$/);
    expect(auditLine(row({ durationMs: 125_000 }))).toMatch(/\*\*ok\*\* in 2m 5s$/);
  });

  it('shows the reason of a refused command and a running command without a duration', () => {
    expect(auditLine(row({ outcome: 'refused', detail: 'needs admin', durationMs: 0 }))).toMatch(
      /\*\*refused\*\* in 0s: needs admin$/,
    );
    expect(auditLine(row({ outcome: 'started', durationMs: null, finishedAt: null }))).toMatch(
      /\*\*running\*\*$/,
    );
  });
});

describe('auditLine and login passwords', () => {
  it('masks a password in rows stored before masking, in the action and in the detail', () => {
    const line = auditLine(
      row({
        command: 'console',
        action: 'login bob hunter2',
        outcome: 'error',
        detail: 'Lobby> login bob hunter2',
      }),
    );
    expect(line).not.toContain('hunter2');
    expect(line).toContain(`\`login bob ${MASK}\``);
    expect(line).toContain(`: Lobby> login bob ${MASK}`);
  });
});

describe('auditEmbedJson', () => {
  it('says so when there are no entries', () => {
    expect(auditEmbedJson([], 'Audit')).toEqual({ title: 'Audit', description: 'No audit entries.' });
  });

  it('lists at most 25 rows and counts the rest', () => {
    const rows = Array.from({ length: 30 }, (_, i) => row({ id: i, action: 'save' }));
    const embed = auditEmbedJson(rows, 'Audit');
    const lines = embed.description?.split('\n') ?? [];
    expect(lines).toHaveLength(26);
    expect(lines.at(-1)).toBe('… 5 more');
  });

  it('stays within the description limit with long actions and says how many were cut', () => {
    const rows = Array.from({ length: 40 }, (_, i) => row({ id: i, action: `x${'`@everyone'.repeat(200)}` }));
    const embed = auditEmbedJson(rows, 'Audit');
    const description = embed.description ?? '';
    expect(description.length).toBeLessThanOrEqual(EMBED_DESCRIPTION_MAX);
    const lines = description.split('\n');
    const shown = lines.length - 1;
    expect(shown).toBeGreaterThan(0);
    expect(lines.at(-1)).toBe(`… ${40 - shown} more`);
    for (const line of lines.slice(0, -1)) expect(codeSpans(line)).toHaveLength(1);
  });

  it('shows every row without a tail when they fit', () => {
    const embed = auditEmbedJson([row(), row({ id: 2 })], 'Audit');
    expect(embed.description?.split('\n')).toHaveLength(2);
    expect(embed.description).not.toContain('more');
  });

  it('neutralizes mentions and escapes markdown in the filters the title quotes', () => {
    const title = auditEmbedJson([], 'Audit (member @everyone <@123456789012345678> **x**)').title;
    expect(title).toBe(`Audit (member @${ZWSP}everyone <${ZWSP}@123456789012345678> \\*\\*x\\*\\*)`);
  });

  it('keeps the title within 256 characters', () => {
    expect(auditEmbedJson([row()], 't'.repeat(300)).title?.length).toBeLessThanOrEqual(256);
  });
});
