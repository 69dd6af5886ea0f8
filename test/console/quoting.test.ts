import { describe, it, expect } from 'vitest';
import { InvalidInputError, UserError } from '../../src/errors.js';
import {
  CONSOLE_COMMANDS,
  MAX_ARG_LENGTH,
  MAX_LINE_LENGTH,
  buildCommandLine,
  quoteArg,
  splitConsoleArgs,
  validateRawConsoleLine,
} from '../../src/console/quoting.js';

function refusal(attempt: () => unknown): InvalidInputError {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toBeInstanceOf(UserError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError, but nothing was thrown');
}

describe('quoteArg', () => {
  it('returns a single word as is', () => {
    expect(quoteArg('alice')).toBe('alice');
    expect(quoteArg('U-bob-smith')).toBe('U-bob-smith');
  });

  it('wraps a value with spaces in double quotes', () => {
    expect(quoteArg('bob smith')).toBe('"bob smith"');
    expect(quoteArg('Lobby > World')).toBe('"Lobby > World"');
  });

  it('wraps a value with a non-breaking space in double quotes', () => {
    expect(quoteArg('bob\u00a0smith')).toBe('"bob\u00a0smith"');
  });

  it('refuses a user name with a newline, naming what it is', () => {
    expect(refusal(() => quoteArg('alice\nshutdown', 'user name')).message).toBe(
      'The user name must be on one line, but it contains a line break.',
    );
  });

  it.each([
    ['carriage return', 'alice\rshutdown'],
    ['next line (U+0085)', 'alice\u0085shutdown'],
    ['line separator (U+2028)', 'alice\u2028shutdown'],
    ['paragraph separator (U+2029)', 'alice\u2029shutdown'],
  ])('refuses a value with a %s as a line break', (_label, value) => {
    expect(refusal(() => quoteArg(value)).message).toMatch(/line break/);
  });

  it.each([
    ['escape', '\u001b[A', 'U+001B'],
    ['NUL', 'a\u0000b', 'U+0000'],
    ['Ctrl-C', 'a\u0003', 'U+0003'],
    ['DEL', 'a\u007fb', 'U+007F'],
    ['C1 control', 'a\u009bb', 'U+009B'],
  ])('refuses a value with an %s character and names its code', (_label, value, code) => {
    const message = refusal(() => quoteArg(value, 'message')).message;
    expect(message).toContain('The message contains an invisible control character');
    expect(message).toContain(code);
  });

  it('refuses a tab and calls it a tab', () => {
    expect(refusal(() => quoteArg('a\tb')).message).toContain('a tab');
  });

  it('refuses a double quote, since the console cannot escape it', () => {
    expect(refusal(() => quoteArg('say "hi"', 'message')).message).toMatch(
      /^The message contains a double quote/,
    );
  });

  it.each(['', '   ', ' \t '])('refuses the empty value %j', (value) => {
    expect(refusal(() => quoteArg(value, 'world name')).message).toBe('The world name is empty.');
  });

  it('accepts a value exactly at the length limit and refuses one past it', () => {
    expect(quoteArg('a'.repeat(MAX_ARG_LENGTH))).toHaveLength(MAX_ARG_LENGTH);
    expect(refusal(() => quoteArg('a'.repeat(MAX_ARG_LENGTH + 1), 'description')).message).toBe(
      `The description is too long (${MAX_ARG_LENGTH + 1} characters; the limit is ${MAX_ARG_LENGTH}).`,
    );
  });

  it('refuses a lone surrogate, which UTF-8 cannot carry, and names its code', () => {
    expect(refusal(() => quoteArg('ali\ud83dce', 'user name')).message).toBe(
      'The user name contains a broken character (U+D83D, half of an emoji or other character), which cannot be sent.',
    );
    expect(refusal(() => quoteArg('\udc00')).message).toContain('U+DC00');
  });

  it('accepts an emoji made of a surrogate pair', () => {
    expect(quoteArg('ali🐱ce')).toBe('ali🐱ce');
  });

  it('counts an emoji as one character toward the limit', () => {
    expect(quoteArg('🎉'.repeat(MAX_ARG_LENGTH))).toHaveLength(MAX_ARG_LENGTH * 2);
  });
});

describe('buildCommandLine', () => {
  it('builds a line with quoted arguments', () => {
    expect(buildCommandLine('kick', 'bob smith')).toBe('kick "bob smith"');
    expect(buildCommandLine('role', 'alice', 'Builder')).toBe('role alice Builder');
    expect(buildCommandLine('message', 'alice', 'see you at 8')).toBe('message alice "see you at 8"');
    expect(buildCommandLine('status')).toBe('status');
  });

  it('lower-cases the command word', () => {
    expect(buildCommandLine('SAVE')).toBe('save');
  });

  it.each(['crash', 'CRASH', 'Crash', 'log', 'LOG', ' crash '])(
    'refuses the forbidden command %j',
    (command) => {
      expect(refusal(() => buildCommandLine(command)).message).toMatch(/the bot never sends it/);
    },
  );

  it('refuses crash spelled with a long s', () => {
    expect(refusal(() => buildCommandLine('craſh')).message).toMatch(/crash/);
  });

  it.each(['frobnicate', 'kick alice', '', 'status\n'])('refuses the unknown command %j', (command) => {
    expect(refusal(() => buildCommandLine(command)).message).toMatch(/is not a known console command/);
  });

  it('names the argument in its refusal', () => {
    expect(refusal(() => buildCommandLine('kick', 'alice\nshutdown')).message).toMatch(/^The user name /);
    expect(refusal(() => buildCommandLine('message', 'alice', 'a "quote"')).message).toMatch(/^The message /);
    expect(refusal(() => buildCommandLine('status', '')).message).toMatch(
      /^The argument 1 of "status" is empty/,
    );
  });

  it('refuses a line longer than the line limit even when every argument fits', () => {
    const arg = 'a'.repeat(MAX_ARG_LENGTH);
    expect(refusal(() => buildCommandLine('message', arg, arg, arg, arg)).message).toMatch(
      new RegExp(`^The console line is too long \\(\\d+ characters; the limit is ${MAX_LINE_LENGTH}\\)\\.$`),
    );
  });

  it('knows every command of the 2026 help table, and neither crash nor log', () => {
    const helpTable = [
      ['help', 'status', 'users', 'worlds', 'sessionurl', 'sessionid', 'copysessionurl', 'copysessionid'],
      ['listbans', 'friendrequests', 'version', 'debugworldstate', 'focus'],
      ['kick', 'silence', 'unsilence', 'respawn', 'role'],
      ['ban', 'unban', 'banbyname', 'unbanbyname', 'banbyid', 'unbanbyid'],
      ['invite', 'message', 'acceptfriendrequest', 'sendfriendrequest', 'removefriend'],
      ['save', 'close', 'restart', 'name', 'description', 'accesslevel', 'hidefromlisting', 'maxusers'],
      ['awaykickinterval', 'startworldurl', 'startworldtemplate', 'enableresonitelink'],
      ['dynamicimpulse', 'dynamicimpulsestring', 'dynamicimpulseint', 'dynamicimpulsefloat'],
      ['spawn', 'import', 'importminecraft'],
      ['login', 'logout', 'saveconfig', 'gc', 'tickrate', 'shutdown'],
    ].flat();
    expect([...CONSOLE_COMMANDS].sort()).toEqual([...new Set(helpTable)].sort());
    expect(CONSOLE_COMMANDS).not.toContain('crash');
    expect(CONSOLE_COMMANDS).not.toContain('log');
  });

  it.each<[string, string[], RegExp]>([
    ['dynamicimpulsestring', ['notice', 'line\nbreak'], /^The impulse text /],
    ['dynamicimpulseint', ['bad\ttag', '3'], /^The impulse tag /],
    ['spawn', ['resrec:///U-a/R-b', 'true', ''], /^The persistent choice /],
    ['import', ['a\u0007'], /^The file path or URL /],
    ['importminecraft', [''], /^The Minecraft world folder /],
    ['enableresonitelink', ['\u202e\u0000'], /^The ResoniteLink port /],
  ])('names the arguments of %s in its refusals', (command, args, message) => {
    expect(refusal(() => buildCommandLine(command, ...args)).message).toMatch(message);
  });

  it('builds lines for the in-world commands', () => {
    expect(buildCommandLine('dynamicimpulsestring', 'notice', 'Build night starts at 8')).toBe(
      'dynamicimpulsestring notice "Build night starts at 8"',
    );
    expect(buildCommandLine('spawn', 'resrec:///U-alice/R-chair', 'true', 'false')).toBe(
      'spawn resrec:///U-alice/R-chair true false',
    );
    expect(buildCommandLine('copysessionurl')).toBe('copysessionurl');
  });
});

describe('splitConsoleArgs', () => {
  it('splits on whitespace and keeps quoted words together', () => {
    expect(splitConsoleArgs('message "bob smith"  "hello there"')).toEqual([
      'message',
      'bob smith',
      'hello there',
    ]);
  });

  it('keeps an empty quoted word', () => {
    expect(splitConsoleArgs('name ""')).toEqual(['name', '']);
  });

  it('joins quoted and unquoted parts of one word', () => {
    expect(splitConsoleArgs('name My"Big World"')).toEqual(['name', 'MyBig World']);
  });

  it('reads the new name of a name command', () => {
    expect(splitConsoleArgs('name "Lobby > Hub"')[1]).toBe('Lobby > Hub');
  });

  it('gives back the arguments buildCommandLine quoted', () => {
    const args = ['bob smith', 'U-alice', 'Lobby > Hub', 'tab\u00a0space'];
    expect(splitConsoleArgs(buildCommandLine('message', ...args))).toEqual(['message', ...args]);
  });

  it('does not split on U+FEFF, which .NET does not take for whitespace', () => {
    expect(splitConsoleArgs('c\ufeffrash now')).toEqual(['c\ufeffrash', 'now']);
  });

  it('splits on the no-break and ideographic spaces, which .NET takes for whitespace', () => {
    expect(splitConsoleArgs('kick\u00a0alice\u3000now')).toEqual(['kick', 'alice', 'now']);
  });

  it('returns no words for a blank line', () => {
    expect(splitConsoleArgs('   ')).toEqual([]);
  });
});

describe('validateRawConsoleLine', () => {
  it('trims the line and lower-cases the command word', () => {
    expect(validateRawConsoleLine('  Kick "bob smith"  ')).toEqual({
      command: 'kick',
      line: 'Kick "bob smith"',
    });
  });

  it('lets an unknown command through for the headless to answer', () => {
    expect(validateRawConsoleLine('frobnicate 3')).toEqual({ command: 'frobnicate', line: 'frobnicate 3' });
  });

  it.each(['crash', 'CRASH now', '"crash"', 'log', 'Log', '  log  ', 'craſh'])(
    'refuses the forbidden command in %j',
    (line) => {
      expect(refusal(() => validateRawConsoleLine(line)).message).toMatch(/the bot never sends it/);
    },
  );

  it('allows crash and log as arguments', () => {
    expect(validateRawConsoleLine('message alice "crash log"').command).toBe('message');
    expect(validateRawConsoleLine('logout').command).toBe('logout');
  });

  it.each(['cr\u200bash', 'c\ufeffrash', 'l\u00adog', '\u202ecrash', 'lo\u2066g now'])(
    'refuses %j, which a culture-aware match ignoring invisible characters takes for crash or log',
    (line) => {
      expect(refusal(() => validateRawConsoleLine(line)).message).toMatch(/the bot never sends it/);
    },
  );

  it.each(['"crash"!', 'sta"tus"', '"status"'])(
    'refuses the quoted command word in %j, which parsers split differently',
    (line) => {
      expect(refusal(() => validateRawConsoleLine(line)).message).toBe(
        'The console line must start with a plain command word, without double quotes.',
      );
    },
  );

  it('keeps a U+FEFF at the end of the line, which the headless does not take for a space', () => {
    expect(validateRawConsoleLine(' kick\ufeff ').line).toBe('kick\ufeff');
  });

  it('refuses a line starting with an empty quoted word', () => {
    expect(refusal(() => validateRawConsoleLine('"" crash')).message).toMatch(
      /must start with a command word/,
    );
  });

  it('refuses two lines in one', () => {
    expect(refusal(() => validateRawConsoleLine('status\nshutdown')).message).toBe(
      'The console line must be on one line, but it contains a line break.',
    );
  });

  it('refuses an escape sequence', () => {
    expect(refusal(() => validateRawConsoleLine('status \u001b[A')).message).toMatch(/U\+001B/);
  });

  it('refuses an unmatched double quote', () => {
    expect(refusal(() => validateRawConsoleLine('kick "bob smith')).message).toMatch(
      /unmatched double quote/,
    );
  });

  it.each(['', '   '])('refuses the empty line %j', (line) => {
    expect(refusal(() => validateRawConsoleLine(line)).message).toBe('The console line is empty.');
  });

  it('accepts a line at the length limit and refuses one past it', () => {
    const atLimit = `message alice ${'a'.repeat(MAX_LINE_LENGTH - 'message alice '.length)}`;
    expect(validateRawConsoleLine(atLimit).line).toHaveLength(MAX_LINE_LENGTH);
    expect(refusal(() => validateRawConsoleLine(`${atLimit}a`)).message).toMatch(/too long/);
  });
});
