import { truncate } from '../../text.js';
import { withoutLogNoise } from '../noise.js';

/** Longest stretch of the headless's own words passed on to a moderator, in UTF-16 code units. */
export const MAX_REPLY_MESSAGE_LENGTH = 300;

/** Splits a reply into lines; trailing blanks are dropped because some builds pad their output. */
export function replyLines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trimEnd());
}

/** The lines the headless wrote in answer to the command, without its interleaved log output. */
export function meaningfulLines(text: string): string[] {
  return withoutLogNoise(replyLines(text));
}

/** The headless's own words, short enough to show in a chat reply. */
export function headlessWords(text: string): string {
  const words = meaningfulLines(text)
    .map((line) => line.trim())
    .join('\n')
    .trim();
  return truncate(words, MAX_REPLY_MESSAGE_LENGTH);
}

export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
