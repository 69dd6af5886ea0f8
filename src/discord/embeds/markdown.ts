const ZERO_WIDTH_SPACE = '\u200b';

// Links as Discord's autolink takes them (up to a blank or a `<`), and custom emoji.
const LINK_OR_EMOJI = /(https?:\/\/[^\s<]+|<a?:\w{1,32}:\d{1,20}>)/;
// Escapes, emphasis, underline, strikethrough, spoilers, code, and the `[` of a masked link.
const ANYWHERE = /[\\*_~|`[]/g;
// `*` and `_` are common in paths and queries, and the autolink keeps them from formatting: a
// backslash there would only show in the link. An emoji's name must stay as it is.
const IN_LINKS = /[\\~|`]/g;
// Block quotes, headings, subtext and bulleted lists start a line; numbered lists are cut at the dot.
const LINE_START = /^([^\S\n]*)([>#-])/gm;
const NUMBERED = /^([^\S\n]*\d+)\./gm;

/** After every `@`, so `@everyone`, `@here` and `<@123>` show as text and never ping. */
export function neutralizeMentions(text: string): string {
  return text.replaceAll('@', `@${ZERO_WIDTH_SPACE}`);
}

/**
 * For any text a user or the headless wrote: Discord's markdown (including headings, lists, masked
 * links, block quotes and subtext) shows literally and mentions are neutralized. Every pattern is
 * linear: discord.js's own escaper looks behind to the start of the line at each character, which
 * took seconds for a /status of ten worlds with long descriptions.
 */
export function escapeMarkdown(text: string): string {
  const escaped = text
    .split(LINK_OR_EMOJI)
    .map((part, index) => {
      if (index % 2 === 0) return escapePlain(part);
      return part.startsWith('<') ? part : part.replace(IN_LINKS, '\\$&');
    })
    .join('');
  return neutralizeMentions(escaped);
}

function escapePlain(text: string): string {
  return text.replace(ANYWHERE, '\\$&').replace(LINE_START, '$1\\$2').replace(NUMBERED, '$1\\.');
}
