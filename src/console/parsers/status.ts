import { meaningfulLines } from './reply-lines.js';
import { UnrecognisedReplyError } from './unrecognised-reply.js';

export interface WorldStatus {
  name: string;
  sessionId: string;
  currentUsers: number;
  presentUsers: number;
  maxUsers: number;
  /** As printed, a .NET TimeSpan such as `01:12:35.4423964` or `1.02:03:04.5`. */
  uptime: string;
  /** Whole seconds; 0 when the uptime is missing or not a TimeSpan. */
  uptimeSeconds: number;
  accessLevel: string;
  hiddenFromListing: boolean;
  mobileFriendly: boolean;
  description: string;
  tags: string[];
  users: string[];
  /** Only newer builds print it. */
  resoniteLink?: string;
}

const KEYS = [
  'Name',
  'SessionID',
  'Current Users',
  'Present Users',
  'Max Users',
  'Uptime',
  'Access Level',
  'Hidden from listing',
  'Mobile Friendly',
  'Description',
  'Tags',
  'Users',
  'ResoniteLink',
] as const;
type Key = (typeof KEYS)[number];

/** Values a key must have for its line to count; anything else is treated as an unknown line. */
const VALUE_PATTERNS: Partial<Record<Key, RegExp>> = {
  SessionID: /^S-\S+$/,
  'Current Users': /^\d+$/,
  'Present Users': /^\d+$/,
  'Max Users': /^\d+$/,
  'Access Level': /^\w+$/,
  'Hidden from listing': /^(?:true|false)$/i,
  'Mobile Friendly': /^(?:true|false)$/i,
};

/**
 * Names and descriptions may contain newlines; their extra lines run until the key printed
 * right after them. Only then are they taken, so stray lines elsewhere are never absorbed.
 */
const MULTILINE_NEXT_KEY: Partial<Record<Key, Key>> = { Name: 'SessionID', Description: 'Tags' };

function keyedLine(line: string): { key: Key; value: string } | undefined {
  for (const key of KEYS) {
    const value =
      line === `${key}:` ? '' : line.startsWith(`${key}: `) ? line.slice(key.length + 2) : undefined;
    if (value === undefined) continue;
    const pattern = VALUE_PATTERNS[key];
    return pattern && !pattern.test(value) ? undefined : { key, value };
  }
  return undefined;
}

function collectFields(text: string): Map<Key, string> {
  const fields = new Map<Key, string>();
  let open: { key: Key; extra: string[] } | undefined;
  for (const line of meaningfulLines(text)) {
    const keyed = keyedLine(line);
    if (!keyed) {
      open?.extra.push(line);
      continue;
    }
    if (open && open.extra.length > 0 && MULTILINE_NEXT_KEY[open.key] === keyed.key) {
      fields.set(open.key, [fields.get(open.key) ?? '', ...open.extra].join('\n'));
    }
    open = undefined;
    if (fields.has(keyed.key)) continue;
    fields.set(keyed.key, keyed.value);
    if (MULTILINE_NEXT_KEY[keyed.key]) open = { key: keyed.key, extra: [] };
  }
  return fields;
}

/** Seconds in a .NET TimeSpan (`[d.]hh:mm:ss[.fffffff]`), fractions dropped. */
function timeSpanSeconds(value: string): number | undefined {
  const match = /^(?:(\d+)\.)?(\d{1,2}):([0-5]\d):([0-5]\d)(?:\.\d+)?$/.exec(value);
  if (!match) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(days) * 86_400 + Number(hours) * 3_600 + Number(minutes) * 60 + Number(seconds);
}

function commaList(value: string): string[] {
  return value
    .split(', ')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function parseStatus(text: string): WorldStatus {
  const fields = collectFields(text);
  const name = fields.get('Name');
  if (name === undefined) throw new UnrecognisedReplyError('status', text, 'it has no "Name:" line.');
  const count = (key: Key): number => Number(fields.get(key) ?? 0);
  const flag = (key: Key): boolean => fields.get(key)?.toLowerCase() === 'true';
  const uptime = fields.get('Uptime') ?? '';
  const resoniteLink = fields.get('ResoniteLink');
  return {
    name,
    sessionId: fields.get('SessionID') ?? '',
    currentUsers: count('Current Users'),
    presentUsers: count('Present Users'),
    maxUsers: count('Max Users'),
    uptime,
    uptimeSeconds: timeSpanSeconds(uptime) ?? 0,
    accessLevel: fields.get('Access Level') ?? '',
    hiddenFromListing: flag('Hidden from listing'),
    mobileFriendly: flag('Mobile Friendly'),
    description: fields.get('Description') ?? '',
    tags: commaList(fields.get('Tags') ?? ''),
    users: commaList(fields.get('Users') ?? ''),
    ...(resoniteLink === undefined ? {} : { resoniteLink }),
  };
}
