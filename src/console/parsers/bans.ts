import { replyLines } from './reply-lines.js';

export interface Ban {
  index: number;
  username: string;
  /** null when the ban was made by name only. */
  userId: string | null;
  machineIds: string[];
}

const BAN_LINE = /^\[(\d+)\][ \t]+Username: ([^\t]*)\tUserID: ([^\t]*)\tMachineIds:(?:[ \t]+(.*))?$/;

export function parseBans(text: string): Ban[] {
  const bans: Ban[] = [];
  for (const line of replyLines(text)) {
    const match = BAN_LINE.exec(line);
    if (!match) continue;
    const [, index = '', username = '', userId = '', machineIds = ''] = match;
    bans.push({
      index: Number(index),
      username: username.trim(),
      userId: userId.trim() === '' ? null : userId.trim(),
      machineIds: machineIds.split(/[\s,;]+/).filter((id) => id.length > 0),
    });
  }
  return bans;
}
