import { MASK } from '../console/secrets.js';
import type { PathPart } from './config-path.js';

/** The headless's password field; its value never leaves the container through the bot. */
export function isSecretKey(key: PathPart | undefined): boolean {
  return typeof key === 'string' && key.toLowerCase() === 'loginpassword';
}

/** A copy with every `loginPassword` (any casing, at any depth) masked; an unset one stays null. */
export function maskConfigSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskConfigSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      isSecretKey(key) && v !== null ? MASK : maskConfigSecrets(v),
    ]),
  );
}

/** JSON written the way the original file is: its byte order mark, indentation, line endings and final newline. */
export function formatLike(original: string, json: unknown): string {
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const indent = /\n([ \t]+)\S/.exec(original)?.[1] ?? '  ';
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(json, null, indent).replace(/\n/g, eol);
  return bom + (/\r?\n$/.test(original) ? body + eol : body);
}

/**
 * The changed lines of a file with a few lines around them (`-` before, `+` after, ` ` unchanged),
 * one hunk from the first change to the last; empty when nothing changed.
 */
export function lineDiff(before: string, after: string, context = 2): string {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  if (start === a.length && start === b.length) return '';
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const from = Math.max(0, start - context);
  return [
    ...a.slice(from, start).map((line) => `  ${line}`),
    ...a.slice(start, endA).map((line) => `- ${line}`),
    ...b.slice(start, endB).map((line) => `+ ${line}`),
    ...a.slice(endA, endA + context).map((line) => `  ${line}`),
  ].join('\n');
}
