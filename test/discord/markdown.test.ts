import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/discord/embeds.js';
import { hostileText } from './hostile-inputs.js';

const ZWSP = '\u200b';
const LINK_OR_EMOJI = /(https?:\/\/[^\s<]+|<a?:\w{1,32}:\d{1,20}>)/;

/** Undoes the escaping: a backslash before punctuation goes, and the mark after each `@`. */
function unescape(text: string): string {
  return text.replace(/\\([\\*_~|`[>#\-.])/g, '$1').replaceAll(`@${ZWSP}`, '@');
}

/** Characters that format, outside links and emoji, that no odd run of backslashes escapes. */
function liveMarkdown(escaped: string): string[] {
  const live: string[] = [];
  escaped.split(LINK_OR_EMOJI).forEach((part, index) => {
    const formatting = index % 2 === 0 ? /[*_~|`[]/g : /[~|`]/g;
    if (index % 2 === 1 && part.startsWith('<')) return;
    for (const match of part.matchAll(formatting)) {
      const before = /\\*$/.exec(part.slice(0, match.index))?.[0].length ?? 0;
      if (before % 2 === 0) live.push(`${match[0]} at ${match.index}`);
    }
  });
  for (const line of escaped.split('\n')) {
    if (/^[^\S\n]*([>#-]|\d+\.)/.test(line)) live.push(`line start: ${line.slice(0, 20)}`);
  }
  return live;
}

describe('escapeMarkdown', () => {
  it('escapes emphasis, underline, strikethrough, spoilers, code and backslashes', () => {
    expect(escapeMarkdown('*b* **B** _i_ __u__ ~~s~~ ||x|| `c` ```z``` a\\b')).toBe(
      '\\*b\\* \\*\\*B\\*\\* \\_i\\_ \\_\\_u\\_\\_ \\~\\~s\\~\\~ \\|\\|x\\|\\| \\`c\\` \\`\\`\\`z\\`\\`\\` a\\\\b',
    );
  });

  it('escapes block quotes, headings, subtext and lists at the start of a line', () => {
    expect(escapeMarkdown('> q\n>>> all\n# h\n### h3\n-# small\n- item\n  * item\n12. n')).toBe(
      '\\> q\n\\>>> all\n\\# h\n\\### h3\n\\-# small\n\\- item\n  \\* item\n12\\. n',
    );
  });

  it('leaves the same characters alone in the middle of a line', () => {
    expect(escapeMarkdown('a > b # c - d 1. e')).toBe('a > b # c - d 1. e');
  });

  it('keeps a masked link from hiding its address', () => {
    expect(escapeMarkdown('[click](https://evil.example)')).toBe('\\[click](https://evil.example)');
  });

  it('leaves the path and query of a link as they are, but not what could still format', () => {
    expect(escapeMarkdown('see https://a.example/my_world?x=*1*_ now')).toBe(
      'see https://a.example/my_world?x=*1*_ now',
    );
    expect(escapeMarkdown('https://a.example/~~x||`')).toBe('https://a.example/\\~\\~x\\|\\|\\`');
    expect(escapeMarkdown('https://a.example<**b**')).toBe('https://a.example<\\*\\*b\\*\\*');
  });

  it('leaves custom emoji whole', () => {
    expect(escapeMarkdown('hi <:my_emoji:123456> and <a:dance_1:42>')).toBe(
      'hi <:my_emoji:123456> and <a:dance_1:42>',
    );
  });

  it('neutralizes mentions, inside links too', () => {
    expect(escapeMarkdown('@everyone @here <@123> <@&456> https://u@a.example')).toBe(
      `@${ZWSP}everyone @${ZWSP}here <@${ZWSP}123> <@${ZWSP}&456> https://u@${ZWSP}a.example`,
    );
  });

  it('loses nothing: without its escapes the text is the original', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        expect(unescape(escapeMarkdown(text))).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves nothing that formats outside links and emoji', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        expect(liveMarkdown(escapeMarkdown(text))).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes time linear in the text, even for one long word or many lines', () => {
    const started = performance.now();
    for (const seed of ['x', '_', '*a', '<:', '[', '\n> ', ' 1', 'https://a/', '@']) {
      escapeMarkdown(seed.repeat(Math.ceil(200_000 / seed.length)));
    }
    // Quadratic look-behinds, as in discord.js's escaper, take minutes on these.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
