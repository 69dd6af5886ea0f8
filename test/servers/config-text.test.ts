/** Config.json as shown and written: the password masked, the file's layout kept, the change as a diff. */
import { describe, expect, it } from 'vitest';
import { MASK } from '../../src/console/secrets.js';
import { formatLike, lineDiff, maskConfigSecrets } from '../../src/servers/config-text.js';

describe('maskConfigSecrets', () => {
  it('masks loginPassword in any casing and at any depth, and leaves an unset one null', () => {
    const masked = maskConfigSecrets({
      loginPassword: 'hunter2',
      nested: [{ LOGINPASSWORD: 'other' }],
      LoginPassword: null,
      loginCredential: 'bob',
    });
    expect(masked).toEqual({
      loginPassword: MASK,
      nested: [{ LOGINPASSWORD: MASK }],
      LoginPassword: null,
      loginCredential: 'bob',
    });
    expect(JSON.stringify(masked)).not.toMatch(/hunter2|other/);
  });
});

describe('formatLike', () => {
  it("keeps the original's indentation, line endings, final newline and byte order mark", () => {
    expect(formatLike('{\n    "a": 1\n}\n', { a: 2 })).toBe('{\n    "a": 2\n}\n');
    expect(formatLike('{\r\n\t"a": 1\r\n}', { a: 2 })).toBe('{\r\n\t"a": 2\r\n}');
    expect(formatLike('\uFEFF{"a": 1}', { a: 2 })).toBe('\uFEFF{\n  "a": 2\n}');
  });
});

describe('lineDiff', () => {
  it('shows the changed lines with two lines around them', () => {
    const before = ['{', '  "a": 1,', '  "b": 2,', '  "c": 3,', '  "d": 4,', '  "e": 5', '}'].join('\n');
    const after = before.replace('"c": 3', '"c": 30');
    expect(lineDiff(before, after)).toBe(
      ['    "a": 1,', '    "b": 2,', '-   "c": 3,', '+   "c": 30,', '    "d": 4,', '    "e": 5'].join('\n'),
    );
  });

  it('shows added lines and nothing for no change', () => {
    expect(lineDiff('{\n}', '{\n  "x": 1\n}', 1)).toBe(['  {', '+   "x": 1', '  }'].join('\n'));
    expect(lineDiff('same\n', 'same\n')).toBe('');
  });
});
