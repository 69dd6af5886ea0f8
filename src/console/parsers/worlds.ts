import { replyLines } from './reply-lines.js';

export interface WorldSummary {
  index: number;
  name: string;
  users: number;
  present: number;
  accessLevel: string;
  maxUsers: number;
}

// The name is padded to 32 columns; a longer one runs straight into `Users:`, hence the lazy match.
const WORLD_LINE = /^\[(\d+)\] (.*?)[ \t]*Users: (\d+)\tPresent: (\d+)\tAccessLevel: (\w+)\tMaxUsers: (\d+)$/;

export function parseWorlds(text: string): WorldSummary[] {
  const worlds: WorldSummary[] = [];
  for (const line of replyLines(text)) {
    const match = WORLD_LINE.exec(line);
    if (!match) continue;
    const [, index = '', name = '', users = '', present = '', accessLevel = '', maxUsers = ''] = match;
    worlds.push({
      index: Number(index),
      name: name.trimEnd(),
      users: Number(users),
      present: Number(present),
      accessLevel,
      maxUsers: Number(maxUsers),
    });
  }
  return worlds;
}
