import { InvalidInputError } from '../errors.js';

export const MAX_ARG_LENGTH = 256;
export const MAX_LINE_LENGTH = 1000;

/** The headless's commands (from its `help`), minus `crash` and `log`, which the bot never sends. */
export const CONSOLE_COMMANDS = [
  'help',
  'status',
  'users',
  'worlds',
  'sessionurl',
  'sessionid',
  'listbans',
  'friendrequests',
  'version',
  'debugworldstate',
  'focus',
  'kick',
  'silence',
  'unsilence',
  'respawn',
  'role',
  'ban',
  'unban',
  'banbyname',
  'unbanbyname',
  'banbyid',
  'unbanbyid',
  'invite',
  'message',
  'acceptfriendrequest',
  'sendfriendrequest',
  'removefriend',
  'save',
  'close',
  'restart',
  'name',
  'description',
  'accesslevel',
  'hidefromlisting',
  'maxusers',
  'awaykickinterval',
  'startworldurl',
  'startworldtemplate',
  'login',
  'logout',
  'saveconfig',
  'gc',
  'tickrate',
  'shutdown',
] as const;

export type ConsoleCommand = (typeof CONSOLE_COMMANDS)[number];

const FORBIDDEN_COMMANDS: Readonly<Record<string, string>> = {
  crash: 'The "crash" command forces the server to crash; the bot never sends it.',
  log: 'The "log" command switches the console to log mode and would block every other command; the bot never sends it.',
};

/** What each argument is, so a refusal can say "the user name" instead of "argument 1". */
const ARGUMENT_NAMES: Partial<Record<ConsoleCommand, readonly string[]>> = {
  focus: ['world'],
  kick: ['user name'],
  silence: ['user name'],
  unsilence: ['user name'],
  respawn: ['user name'],
  role: ['user name', 'role'],
  ban: ['user name'],
  unban: ['user name'],
  banbyname: ['user name'],
  unbanbyname: ['user name'],
  banbyid: ['user ID'],
  unbanbyid: ['user ID'],
  invite: ['user name'],
  message: ['user name', 'message'],
  acceptfriendrequest: ['user name'],
  sendfriendrequest: ['user name'],
  removefriend: ['user name'],
  name: ['world name'],
  description: ['description'],
  accesslevel: ['access level'],
  hidefromlisting: ['listing choice'],
  maxusers: ['maximum user count'],
  awaykickinterval: ['away kick interval'],
  startworldurl: ['world URL'],
  startworldtemplate: ['template name'],
  login: ['user name', 'password'],
  saveconfig: ['file name'],
  tickrate: ['tick rate'],
};

const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

function codePointLength(value: string): number {
  return Array.from(value).length;
}

function describeControl(character: string): string {
  if (character === '\t') return 'a tab';
  const code = character.codePointAt(0) ?? 0;
  return `an invisible control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Refusals shared by a single argument and a whole raw line; `subject` starts with "The". */
function refuseUnsafeCharacters(value: string, subject: string): void {
  if (LINE_BREAK.test(value)) {
    throw new InvalidInputError(`${subject} must be on one line, but it contains a line break.`);
  }
  const control = CONTROL_CHARACTER.exec(value)?.[0];
  if (control !== undefined) {
    throw new InvalidInputError(
      `${subject} contains ${describeControl(control)}, which the console cannot take.`,
    );
  }
}

function refuseTooLong(value: string, subject: string, limit: number): void {
  const length = codePointLength(value);
  if (length > limit) {
    throw new InvalidInputError(`${subject} is too long (${length} characters; the limit is ${limit}).`);
  }
}

/** One console argument, quoted when it holds whitespace; refuses what the console cannot carry. */
export function quoteArg(value: string, what = 'argument'): string {
  const subject = `The ${what}`;
  if (value.trim() === '') throw new InvalidInputError(`${subject} is empty.`);
  refuseUnsafeCharacters(value, subject);
  if (value.includes('"')) {
    throw new InvalidInputError(
      `${subject} contains a double quote ("), which the console has no way to escape. Remove it and try again.`,
    );
  }
  refuseTooLong(value, subject, MAX_ARG_LENGTH);
  return /\s/u.test(value) ? `"${value}"` : value;
}

function forbiddenReason(word: string): string | undefined {
  // The headless matches command names case-insensitively, and .NET case folding maps some
  // compatibility letters onto ASCII (the long s, ſ, upper-cases to S); NFKC folds those too.
  const spellings = new Set([word, word.normalize('NFKC')].map((w) => w.trim().toLowerCase()));
  for (const spelling of spellings) {
    const reason = FORBIDDEN_COMMANDS[spelling];
    if (reason !== undefined) return reason;
  }
  return undefined;
}

function isConsoleCommand(word: string): word is ConsoleCommand {
  return (CONSOLE_COMMANDS as readonly string[]).includes(word);
}

export function buildCommandLine(command: string, ...args: string[]): string {
  const reason = forbiddenReason(command);
  if (reason !== undefined) throw new InvalidInputError(reason);
  const word = command.toLowerCase();
  if (!isConsoleCommand(word)) throw new InvalidInputError(`"${command}" is not a known console command.`);
  const names = ARGUMENT_NAMES[word] ?? [];
  const quoted = args.map((arg, i) => quoteArg(arg, names[i] ?? `argument ${i + 1} of "${word}"`));
  const line = [word, ...quoted].join(' ');
  refuseTooLong(line, 'The console line', MAX_LINE_LENGTH);
  return line;
}

/** Splits a console line into words the way the headless does: whitespace separates, "..." groups. */
export function splitConsoleArgs(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (const character of line) {
    if (character === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && /\s/u.test(character)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += character;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** Checks an admin's raw `/console` line; unknown commands pass, the headless answers them itself. */
export function validateRawConsoleLine(line: string): { command: string; line: string } {
  const subject = 'The console line';
  const trimmed = line.trim();
  if (trimmed === '') throw new InvalidInputError(`${subject} is empty.`);
  refuseUnsafeCharacters(trimmed, subject);
  if ((trimmed.match(/"/g) ?? []).length % 2 !== 0) {
    throw new InvalidInputError(`${subject} has an unmatched double quote ("); quotes must come in pairs.`);
  }
  refuseTooLong(trimmed, subject, MAX_LINE_LENGTH);
  const command = splitConsoleArgs(trimmed)[0] ?? '';
  if (command.trim() === '') throw new InvalidInputError(`${subject} must start with a command word.`);
  const reason = forbiddenReason(command);
  if (reason !== undefined) throw new InvalidInputError(reason);
  return { command: command.toLowerCase(), line: trimmed };
}
