import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ELLIPSIS, formatDuration, truncate } from '../src/text.js';

const isLoneSurrogateAt = (text: string, index: number): boolean => {
  const code = text.charCodeAt(index);
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const previous = text.charCodeAt(index - 1);
    return !(previous >= 0xd800 && previous <= 0xdbff);
  }
  return false;
};
const loneSurrogates = (text: string): number =>
  [...text.split('').keys()].filter((index) => isLoneSurrogateAt(text, index)).length;

describe('truncate', () => {
  it('leaves text that fits as it is', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('exactly10!', 10)).toBe('exactly10!');
    expect(truncate('', 0)).toBe('');
    expect(truncate('anything', Infinity)).toBe('anything');
  });

  it('cuts longer text to the limit, the ellipsis included', () => {
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('abcdefghij', 1)).toBe(ELLIPSIS);
  });

  it('gives nothing when there is no room, not even for the ellipsis', () => {
    expect(truncate('abc', 0)).toBe('');
    expect(truncate('abc', -3)).toBe('');
    expect(truncate('abc', Number.NaN)).toBe('');
  });

  it('counts UTF-16 code units as Discord does for embeds, and never splits an emoji', () => {
    expect('😀'.length).toBe(2);
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('ab😀cd', 5)).toBe('ab😀…');
  });

  it('drops the blanks the cut leaves before the ellipsis', () => {
    expect(truncate('one two three', 5)).toBe('one…');
    expect(truncate('one\n\ntwo', 5)).toBe('one…');
  });

  it('never exceeds the limit, never adds a lone surrogate and keeps a prefix of the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.string({ unit: 'grapheme', maxLength: 300 }),
        ),
        fc.integer({ min: -2, max: 400 }),
        (text, max) => {
          const cut = truncate(text, max);
          expect(cut.length).toBeLessThanOrEqual(Math.max(0, max));
          expect(loneSurrogates(cut)).toBeLessThanOrEqual(loneSurrogates(text));
          if (text.length <= max) expect(cut).toBe(text);
          else if (max >= 1) {
            expect(cut.endsWith(ELLIPSIS)).toBe(true);
            expect(text.startsWith(cut.slice(0, -ELLIPSIS.length))).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('formatDuration', () => {
  it('shows the two largest units, rounded down', () => {
    expect(formatDuration(3 * 86_400 + 4 * 3_600 + 59)).toBe('3d 4h');
    expect(formatDuration(3_600 + 12 * 60 + 5)).toBe('1h 12m');
    expect(formatDuration(5 * 60 + 3)).toBe('5m 3s');
    expect(formatDuration(2 * 60 + 5)).toBe('2m 5s');
    expect(formatDuration(42.9)).toBe('42s');
    expect(formatDuration(10)).toBe('10s');
  });

  it('shows tenths under ten seconds and milliseconds under one', () => {
    expect(formatDuration(1.2)).toBe('1.2s');
    expect(formatDuration(1.29)).toBe('1.2s');
    expect(formatDuration(1)).toBe('1.0s');
    expect(formatDuration(9.99)).toBe('9.9s');
    expect(formatDuration(0.25)).toBe('250ms');
    expect(formatDuration(0.3)).toBe('300ms');
    expect(formatDuration(0.9996)).toBe('1.0s');
  });

  it('says 0s for no time at all', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(0.0004)).toBe('0s');
  });

  it('shows the placeholder for a missing, negative or non-finite duration', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(Infinity)).toBe('—');
    expect(formatDuration(null, '-')).toBe('-');
  });

  it('rolls over to the next unit at each boundary', () => {
    const minutes = [59, 60, 61, 119, 120].map((s) => formatDuration(s));
    expect(minutes).toEqual(['59s', '1m 0s', '1m 1s', '1m 59s', '2m 0s']);
    expect(formatDuration(86_399)).toBe('23h 59m');
    expect(formatDuration(86_400)).toBe('1d 0h');
  });
});
