import { replyLines } from './reply-lines.js';

export interface WorldUser {
  name: string;
  /** null for the headless's own user while it is logged out. */
  id: string | null;
  role: string;
  present: boolean;
  /** Milliseconds. */
  ping: number;
  fps: number;
  silenced: boolean;
}

// A decimal as .NET prints a float, in the invariant culture or one with a decimal comma.
const FLOAT = String.raw`-?\d+(?:[.,]\d+)?(?:E[+-]?\d+)?|NaN|-?Infinity|-?∞`;

const USER_LINE = new RegExp(
  String.raw`^([^\t]+)\tID: (U-\S+)?\tRole: ([^\t]+)\tPresent: (True|False)\tPing: (\d+) ms` +
    String.raw`\tFPS: (${FLOAT})\tSilenced: (True|False)$`,
  'i',
);

function floatValue(text: string): number {
  return Number(text.replace(',', '.').replace('∞', 'Infinity'));
}

export function parseUsers(text: string): WorldUser[] {
  const users: WorldUser[] = [];
  for (const line of replyLines(text)) {
    const match = USER_LINE.exec(line);
    if (!match) continue;
    const [, name = '', id, role = '', present = '', ping = '', fps = '', silenced = ''] = match;
    users.push({
      name,
      id: id ?? null,
      role,
      present: present.toLowerCase() === 'true',
      ping: Number(ping),
      fps: floatValue(fps),
      silenced: silenced.toLowerCase() === 'true',
    });
  }
  return users;
}
