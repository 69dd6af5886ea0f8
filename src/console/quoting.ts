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
  'copysessionurl',
  'copysessionid',
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
  'enableresonitelink',
  'dynamicimpulse',
  'dynamicimpulsestring',
  'dynamicimpulseint',
  'dynamicimpulsefloat',
  'spawn',
  'import',
  'importminecraft',
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
const ARGUMENT_NAMES: Readonly<Record<ConsoleCommand, readonly string[]>> = {
  help: [],
  status: [],
  users: [],
  worlds: [],
  sessionurl: [],
  sessionid: [],
  copysessionurl: [],
  copysessionid: [],
  listbans: [],
  friendrequests: [],
  version: [],
  debugworldstate: [],
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
  save: [],
  close: [],
  restart: [],
  name: ['world name'],
  description: ['description'],
  accesslevel: ['access level'],
  hidefromlisting: ['listing choice'],
  maxusers: ['maximum user count'],
  awaykickinterval: ['away kick interval'],
  startworldurl: ['world URL'],
  startworldtemplate: ['template name'],
  enableresonitelink: ['ResoniteLink port'],
  dynamicimpulse: ['impulse tag'],
  dynamicimpulsestring: ['impulse tag', 'impulse text'],
  dynamicimpulseint: ['impulse tag', 'impulse whole number'],
  dynamicimpulsefloat: ['impulse tag', 'impulse number'],
  spawn: ['record URL', 'active choice', 'persistent choice'],
  import: ['file path or URL'],
  importminecraft: ['Minecraft world folder'],
  login: ['user name', 'password'],
  logout: [],
  saveconfig: ['file name'],
  gc: [],
  tickrate: ['tick rate'],
  shutdown: [],
};

const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * What the headless splits words on: .NET's whitespace (char.IsWhiteSpace). JavaScript's `\s` also
 * takes U+FEFF, which .NET does not: `c<U+FEFF>rash` is one word to the headless.
 */
const HEADLESS_SPACE = /[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
const HEADLESS_SPACE_AT_ENDS = new RegExp(`^${HEADLESS_SPACE.source}+|${HEADLESS_SPACE.source}+$`, 'gu');
// Half of a UTF-16 surrogate pair has no UTF-8 form: the headless would read U+FFFD instead.
const LONE_SURROGATE = /\p{Cs}/u;

function codePointLength(value: string): number {
  return Array.from(value).length;
}

function codeOf(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function describeControl(character: string): string {
  return character === '\t' ? 'a tab' : `an invisible control character (${codeOf(character)})`;
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
  const broken = LONE_SURROGATE.exec(value)?.[0];
  if (broken !== undefined) {
    throw new InvalidInputError(
      `${subject} contains a broken character (${codeOf(broken)}, half of an emoji or other character), which cannot be sent.`,
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
  // Quoted on anything either side may take for a space (`\s` covers .NET's whitespace and U+FEFF).
  return /\s/u.test(value) ? `"${value}"` : value;
}

function forbiddenReason(word: string): string | undefined {
  // The headless matches command names case-insensitively, and .NET case folding maps some
  // compatibility letters onto ASCII (the long s, ſ, upper-cases to S); NFKC folds those too.
  // .NET's culture-aware comparisons also ignore invisible characters: `cr<U+200B>ash` may be crash.
  const folded = word.normalize('NFKC');
  const visible = folded.replace(/\p{Default_Ignorable_Code_Point}/gu, '');
  const spellings = new Set([word, folded, visible].map((w) => w.trim().toLowerCase()));
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
  const names = ARGUMENT_NAMES[word];
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
    } else if (!quoted && HEADLESS_SPACE.test(character)) {
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
  const trimmed = line.replace(HEADLESS_SPACE_AT_ENDS, '');
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
  // Parsers disagree on quotes glued to text: `"crash"!` is one word here, but `crash` and `!` to
  // a parser that takes quoted groups apart. A command word never needs quotes.
  if (trimmed.split(HEADLESS_SPACE)[0]?.includes('"')) {
    throw new InvalidInputError(`${subject} must start with a plain command word, without double quotes.`);
  }
  return { command: command.toLowerCase(), line: trimmed };
}

/** The allowlisted command a line starts with, if any, read case-insensitively as the headless does. */
export function consoleCommandOf(line: string): ConsoleCommand | undefined {
  const word = splitConsoleArgs(line)[0]?.toLowerCase();
  return word !== undefined && isConsoleCommand(word) ? word : undefined;
}
