/**
 * The headless keeps logging while a command runs, so its log output lands in the middle of
 * command replies. These patterns recognise that log output so parsers can skip it.
 */
const NOISE_PATTERNS: readonly RegExp[] = [
  /^SIGNALR:/,
  /^Running refresh on:/,
  // `User Joined <world>. Username: ...`, `User Spawn <world>. Username: ...` (2026), `User joined ...` (older).
  /^User (?:joined|left|spawn)\b/i,
  /^World running\.\.\.$/,
  /^Engine Ready!$/,
  /^Engine has been unresponsive for over\b/,
  // What kick, ban, silence and respawn log before their success line.
  /^KickRequest:/,
  /^Silence: (?:True|False) for User\b/,
  /^Destroying User:/,
  /^Currently updating user:/,
  // Engine log lines: `15:04:05.123 ( 60 FPS)	...`, or a bare time stamp when the FPS part is absent.
  /^\d{1,2}:\d{2}:\d{2}\.\d{1,7}(?:\s|$)/,
  /^\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\s*\(\s*-?[\d.,]+\s*FPS\s*\)/,
  // .NET stack traces: frames, separators, and the `Some.Namespace.FooException: message` heads.
  /^\s+at \S/,
  /^\s*--- End of (?:stack trace|inner exception)/,
  /^\s*(?:--->\s*)?(?:[A-Za-z_][\w`]*\.)*\w*Exception:/,
  /^Unhandled exception\./,
];

/** A SIGNALR status dump continues on TAB-indented lines: `\tType: Headless`, `\tIsPresent: False`, ... */
const DUMP_HEAD = /^SIGNALR:/;
const DUMP_CHILD = /^\t/;

export function isLogNoise(line: string): boolean {
  const text = line.replace(/\r$/, '');
  if (text.trim() === '') return true;
  return NOISE_PATTERNS.some((pattern) => pattern.test(text));
}

/** The lines that are not log output, the TAB-indented child lines of a SIGNALR dump included. */
export function withoutLogNoise(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let inDump = false;
  for (const line of lines) {
    if (inDump && DUMP_CHILD.test(line)) continue;
    inDump = DUMP_HEAD.test(line);
    if (!isLogNoise(line)) kept.push(line);
  }
  return kept;
}
