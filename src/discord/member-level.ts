import type { Interaction } from 'discord.js';
import type { BotConfig, Level } from '../config.js';
import { levelOf, type MemberLevel } from './permissions.js';

/** The member's role ids, whether discord.js cached the member or only has the raw payload. */
export function memberRoles(interaction: Interaction): string[] {
  const member = interaction.member;
  if (!member) return [];
  return Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
}

export function memberLevel(interaction: Interaction, config: BotConfig): MemberLevel {
  return levelOf(memberRoles(interaction), config.roles);
}

export function requiredLevel(command: string, defined: Level, config: BotConfig): Level {
  return config.commandLevels[command] ?? defined;
}
