import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitConsoleArgs } from '../../src/console/quoting.js';
import { MASK, maskConsoleSecrets, maskConsoleSecretsInText } from '../../src/console/secrets.js';

describe('maskConsoleSecrets', () => {
  it.each([
    ['login bob hunter2', `login bob ${MASK}`],
    ['LOGIN bob hunter2', `LOGIN bob ${MASK}`],
    ['LoGiN bob hunter2', `LoGiN bob ${MASK}`],
    ['login   bob    hunter2', `login   bob    ${MASK}`],
    ['login\tbob\thunter2', `login\tbob\t${MASK}`],
    ['  login bob hunter2  ', `  login bob ${MASK}  `],
    ['login bob "correct horse battery"', `login bob ${MASK}`],
    ['login "bob smith" "correct horse"', `login "bob smith" ${MASK}`],
    ['login bob pa"ss wo"rd', `login bob ${MASK}`],
    ['login bob hunter2 and more words', `login bob ${MASK}`],
    ['"login" bob hunter2', `"login" bob ${MASK}`],
    ['login bob hunter2\r', `login bob ${MASK}\r`],
  ])('masks the password of %j and keeps the user', (line, masked) => {
    expect(maskConsoleSecrets(line)).toBe(masked);
  });

  it.each([
    ['dotless ı', 'logın bob hunter2'],
    ['dotted İ', 'LOGİN bob hunter2'],
    ['full-width letters', 'ｌｏｇｉｎ bob hunter2'],
  ])('masks a login spelled with %s, which .NET may take for ASCII', (_what, line) => {
    expect(maskConsoleSecrets(line)).not.toContain('hunter2');
  });

  it('masks everything after the user when an open quote would make the split uncertain', () => {
    expect(maskConsoleSecrets('login "bob hunter2')).toBe(`login "bob ${MASK}`);
    expect(maskConsoleSecrets('"login bob hunter2')).toBe(`"login bob ${MASK}`);
    expect(maskConsoleSecrets('login bob "hunter2 secret')).toBe(`login bob ${MASK}`);
  });

  it.each([
    'users',
    'status',
    'logout',
    'logins bob hunter2',
    'message bob login bob hunter2',
    'kick "login bob hunter2"',
    'login',
    'login bob',
    'login bob   ',
    '',
  ])('leaves %j untouched', (line) => {
    expect(maskConsoleSecrets(line)).toBe(line);
  });

  it('never lets through the password the headless would read from a login line', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9.@_-]{1,12}$/);
    const gap = fc.stringMatching(/^[ \t]{1,3}$/);
    const password = fc.stringMatching(/^[A-Za-z0-9!#$%&()+,.:;=?@_-]{1,20}( [A-Za-z0-9]{1,8})?$/);
    fc.assert(
      fc.property(
        fc.constantFrom('login', 'LOGIN', 'Login'),
        gap,
        word,
        gap,
        password,
        (cmd, g1, user, g2, pw) => {
          const secret = `SECRET${pw}`;
          const line = `${cmd}${g1}${user}${g2}${secret.includes(' ') ? `"${secret}"` : secret}`;
          expect(splitConsoleArgs(line)[2]).toBe(secret);
          const masked = maskConsoleSecrets(line);
          expect(masked).not.toContain('SECRET');
          expect(splitConsoleArgs(masked)).toEqual([cmd, user, MASK]);
        },
      ),
    );
  });

  it('returns any line whose first word is not login as it is', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        fc.pre(!/^\s*"*l/i.test(line.normalize('NFKC')));
        expect(maskConsoleSecrets(line)).toBe(line);
      }),
    );
  });
});

describe('maskConsoleSecretsInText', () => {
  it('masks a login typed after a prompt, as a TTY echoes it, and every login line', () => {
    const text = 'Lobby World>login bob hunter2\nUnknown command\nlogin alice "pass word"\nLobby World>';
    expect(maskConsoleSecretsInText(text)).toBe(
      `Lobby World>login bob ${MASK}\nUnknown command\nlogin alice ${MASK}\nLobby World>`,
    );
  });

  it('finds the login after a world name that itself holds ">"', () => {
    expect(maskConsoleSecretsInText('a>b World> login bob hunter2\r\n')).toBe(
      `a>b World> login bob ${MASK}\r\n`,
    );
  });

  it('leaves output without a login line untouched', () => {
    const text = 'Lobby World>users\nbob\tID: U-bob\tRole: Admin\n<anonymous> at x (y>z)\n';
    expect(maskConsoleSecretsInText(text)).toBe(text);
  });
});
