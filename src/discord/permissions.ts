import { LEVELS, type Level } from '../config.js';

export type MemberLevel = Level | 'none';

export function rank(level: MemberLevel): number {
  return level === 'none' ? -1 : LEVELS.indexOf(level);
}

export function atLeast(have: MemberLevel, need: Level): boolean {
  return rank(have) >= rank(need);
}

/**
 * A member's level is the highest level any of their roles maps to. Deny by default: a member with
 * no mapped role is a viewer only when no viewer roles are configured, and nothing otherwise.
 */
export function levelOf(memberRoles: readonly string[], roles: Record<Level, string[]>): MemberLevel {
  for (const level of [...LEVELS].reverse()) {
    if (roles[level].some((id) => memberRoles.includes(id))) return level;
  }
  return roles.viewer.length === 0 ? 'viewer' : 'none';
}

export function deniedMessage(need: Level): string {
  return `You need the ${need} level for this. Ask an admin for a role that grants it.`;
}
