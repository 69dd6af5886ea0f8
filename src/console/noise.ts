/**
 * The headless keeps logging while a command runs, so its log output lands in the middle of
 * command replies. These patterns recognise that log output so parsers can skip it.
 */
const NOISE_PATTERNS: readonly RegExp[] = [
  /^SIGNALR:/,
  /^Running refresh on:/,
  /^User (?:joined|left)\b/,
  /^World running\.\.\.$/,
  /^Engine Ready!$/,
  // Engine log lines: `15:04:05.123 ( 60 FPS)	...`, or a bare time stamp when the FPS part is absent.
  /^\d{1,2}:\d{2}:\d{2}\.\d{1,7}(?:\s|$)/,
  /^\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\s*\(\s*-?[\d.,]+\s*FPS\s*\)/,
  // .NET stack traces: frames, separators, and the `Some.Namespace.FooException: message` heads.
  /^\s+at \S/,
  /^\s*--- End of (?:stack trace|inner exception)/,
  /^\s*(?:--->\s*)?(?:[A-Za-z_][\w`]*\.)*\w*Exception:/,
  /^Unhandled exception\./,
];

export function isLogNoise(line: string): boolean {
  const text = line.replace(/\r$/, '');
  if (text.trim() === '') return true;
  return NOISE_PATTERNS.some((pattern) => pattern.test(text));
}
