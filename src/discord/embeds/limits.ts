import { embedLength, type APIEmbed, type EmbedBuilder } from 'discord.js';
import { ELLIPSIS, truncate } from '../../text.js';
import { escapeMarkdown } from './markdown.js';

/** Discord's embed limits, in UTF-16 code units as discord.js measures them. */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Title, description, field names and values, footer and author, summed over a message's embeds. */
  total: 6000,
  embedsPerMessage: 10,
} as const;

// Tabs and newlines are whitespace, not controls: callers decide whether to keep them.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Joins as many items as fit in `maxChars`, then says how many were left out: "a, b, c … +N more".
 * With a line separator the count goes on its own line. Items must already be escaped.
 */
export function listWithMore(items: readonly string[], maxChars: number, separator = ', '): string {
  const gap = separator.includes('\n') ? '\n' : ' ';
  const more = (left: number): string => (left > 0 ? `${gap}${ELLIPSIS} +${left} more` : '');
  // The largest prefix that fits with its count; the whole list needs no count, so check every length.
  let shown = 0;
  let length = -separator.length;
  for (const [index, item] of items.entries()) {
    length += separator.length + item.length;
    if (length > maxChars) break;
    if (length + more(items.length - index - 1).length <= maxChars) shown = index + 1;
  }
  const text = items.slice(0, shown).join(separator);
  if (shown > 0 || items.length === 0) return text + more(items.length - shown);
  // Not even the first item fits whole: part of a name says more than a bare count.
  const suffix = more(items.length - 1);
  const room = maxChars - suffix.length;
  if (room >= 2) return truncate(items[0] ?? '', room) + suffix;
  return truncate(`+${items.length} more`, maxChars);
}

/** A user-controlled name on one line: escaped, control characters dropped, cut to `max`. */
export function inlineText(text: string, max: number): string {
  const line = text.replace(CONTROL_CHARACTERS, '').replace(/\s+/g, ' ').trim();
  return truncate(escapeMarkdown(line), max);
}

/** User-controlled text that may span lines (a world description): escaped and cut to `max`. */
export function blockText(text: string, max: number): string {
  return truncate(escapeMarkdown(text.replace(CONTROL_CHARACTERS, '').trim()), max);
}

export function totalEmbedLength(embeds: readonly (EmbedBuilder | APIEmbed)[]): number {
  return embeds.reduce((sum, embed) => sum + embedLength('toJSON' in embed ? embed.toJSON() : embed), 0);
}

/**
 * Splits `budget` characters between parts that would like `wants[i]`: parts wanting less than an
 * equal share get all they want, and what they leave is shared by the rest.
 */
export function shareBudget(budget: number, wants: readonly number[]): number[] {
  const shares = wants.map(() => 0);
  const order = wants.map((_, index) => index).sort((a, b) => (wants[a] ?? 0) - (wants[b] ?? 0));
  let left = Math.max(0, budget);
  order.forEach((index, position) => {
    const share = Math.min(wants[index] ?? 0, Math.floor(left / (order.length - position)));
    shares[index] = share;
    left -= share;
  });
  return shares;
}
