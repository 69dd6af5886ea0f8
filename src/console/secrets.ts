/**
 * The headless's `login <user> <password>` carries a password on the console line. Everything that
 * keeps or shows a console line (audit, replies, logs, the CLI) passes it through here first.
 */

/** No Markdown character: Discord titles strip `*`, and the audit escapes it. */
export const MASK = '••••••••';

interface Word {
  start: number;
  end: number;
}

/** The line with the password of a `login` masked (the user kept); any other line as it is. */
export function maskConsoleSecrets(line: string): string {
  // The headless never gets a line with an open quote (it is refused), but its audit entry does:
  // there, quotes are plain characters, so an open one cannot hide the password in the user name.
  const balanced = (line.match(/"/g) ?? []).length % 2 === 0;
  const words = splitWords(line, balanced);
  const [command, , password] = words;
  if (command === undefined || password === undefined) return line;
  if (!isLogin(line.slice(command.start, command.end))) return line;
  const last = words[words.length - 1] as Word;
  return `${line.slice(0, password.start)}${MASK}${line.slice(last.end)}`;
}

/**
 * Several lines of console output or of a message about a line: each masked as a console line,
 * also when the login was typed after a prompt (`Lobby>login bob secret`, a TTY's echo).
 */
export function maskConsoleSecretsInText(text: string): string {
  return text.split('\n').map(maskEchoedLine).join('\n');
}

function maskEchoedLine(line: string): string {
  let at = 0;
  while (at !== -1) {
    const rest = line.slice(at);
    const masked = maskConsoleSecrets(rest);
    if (masked !== rest) return line.slice(0, at) + masked;
    const prompt = line.indexOf('>', at);
    at = prompt === -1 ? -1 : prompt + 1;
  }
  return line;
}

/** Words as the headless splits them: whitespace separates, "..." groups (when `quotes`). */
function splitWords(line: string, quotes: boolean): Word[] {
  const words: Word[] = [];
  let start = -1;
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const character = line[i] as string;
    if (quotes && character === '"') quoted = !quoted;
    if (!quoted && /\s/u.test(character)) {
      if (start !== -1) words.push({ start, end: i });
      start = -1;
    } else if (start === -1) {
      start = i;
    }
  }
  if (start !== -1) words.push({ start, end: line.length });
  return words;
}

/**
 * The headless matches command names case-insensitively, with .NET's case mapping, which takes
 * some look-alikes (dotless ı, dotted İ, compatibility forms) for ASCII: masking one too many is
 * harmless, one too few is not.
 */
function isLogin(word: string): boolean {
  const folded = word.replace(/"/g, '').normalize('NFKC');
  return [folded.toLowerCase(), folded.toUpperCase().toLowerCase()].some(
    (spelling) => spelling.normalize('NFD').replace(/\p{M}/gu, '') === 'login',
  );
}
