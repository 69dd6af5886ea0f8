import type { APIEmbed } from 'discord.js';
import { maskConsoleSecretsInText } from '../console/secrets.js';
import { ELLIPSIS, formatDuration, truncate } from '../text.js';
import type { AuditOutcome, AuditRow } from './audit-log.js';

export const EMBED_MAX_ROWS = 25;
export const EMBED_DESCRIPTION_MAX = 4096;
const EMBED_TITLE_MAX = 256;
const DEFAULT_MAX_ACTION = 300;
const MAX_NAME = 100;
const MAX_DETAIL = 200;
const ZWSP = '\u200b';

const OUTCOME_WORDS: Record<AuditOutcome, string> = {
  started: 'running',
  ok: 'ok',
  failed: 'failed',
  refused: 'refused',
  cancelled: 'cancelled',
  expired: 'expired',
  error: 'error',
  unacknowledged: 'not acknowledged by Discord',
};

/**
 * One Discord-ready line per audit row. The line mentions the member, so a caller posting it as
 * message content should still send it with `allowedMentions: { parse: [] }`. Rows written before
 * passwords were masked on the way in are masked here too.
 */
export function auditLine(row: AuditRow, maxAction = DEFAULT_MAX_ACTION): string {
  const parts = [`<t:${Math.floor(row.startedAt / 1000)}:f>`, who(row), plain(row.command, MAX_NAME)];
  const where = [row.server, row.world].filter((name): name is string => name !== null && name !== '');
  if (where.length > 0) parts.push(where.map((name) => plain(name, MAX_NAME)).join(' / '));
  if (row.action !== null && row.action !== '') {
    parts.push(inlineCode(maskConsoleSecretsInText(row.action), maxAction));
  }
  let result = `**${OUTCOME_WORDS[row.outcome] ?? plain(row.outcome, 20)}**`;
  if (row.durationMs !== null) result += ` in ${formatDuration(row.durationMs / 1000)}`;
  if (row.outcome !== 'ok' && row.detail !== null && row.detail !== '') {
    result += `: ${plain(maskConsoleSecretsInText(row.detail), MAX_DETAIL)}`;
  }
  parts.push(result);
  return parts.join(' · ');
}

export function auditEmbedJson(rows: readonly AuditRow[], title: string): APIEmbed {
  // The title quotes the filters an admin typed.
  const embed: APIEmbed = { title: plain(title, EMBED_TITLE_MAX) };
  if (rows.length === 0) return { ...embed, description: 'No audit entries.' };
  let description = '';
  let shown = 0;
  for (const row of rows.slice(0, EMBED_MAX_ROWS)) {
    // Leave room for the tail so the first row always shows.
    const line = clip(auditLine(row), EMBED_DESCRIPTION_MAX - 32);
    const next = description === '' ? line : `${description}\n${line}`;
    // Keep room for the tail that will have to follow if later rows do not fit.
    if (next.length + moreTail(rows.length - shown - 1).length > EMBED_DESCRIPTION_MAX) break;
    description = next;
    shown += 1;
  }
  description += moreTail(rows.length - shown);
  return { ...embed, description: description.replace(/^\n/, '') };
}

/** Text shown inside inline code: a backtick would close the span, so it becomes a look-alike. */
export function inlineCode(text: string, max = DEFAULT_MAX_ACTION): string {
  const body = clip(noMentions(oneLine(text)).replace(/`/g, 'ˋ'), max);
  return `\`${body.trim() === '' ? ' ' : body}\``;
}

/** Text shown as is: no mentions, no emphasis or spoilers, no masked links, one line. */
export function plain(text: string, max: number): string {
  const escaped = noMentions(oneLine(text))
    .replace(/`/g, 'ˋ')
    .replace(/[\\*_~|[\]]/g, (char) => `\\${char}`);
  return clip(escaped, max);
}

export function noMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<([@#])/g, `<${ZWSP}$1`);
}

function who(row: AuditRow): string {
  return /^\d{1,20}$/.test(row.memberId) ? `<@${row.memberId}>` : plain(row.memberTag, MAX_NAME);
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

function moreTail(remaining: number): string {
  return remaining > 0 ? `\n… ${remaining} more` : '';
}

function clip(text: string, max: number): string {
  const cut = truncate(text, max);
  // A cut between a backslash and the character it escaped would leave a stray backslash.
  const stray = `\\${ELLIPSIS}`;
  return cut !== text && cut.endsWith(stray) ? `${cut.slice(0, -stray.length).trimEnd()}${ELLIPSIS}` : cut;
}
