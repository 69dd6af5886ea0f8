import { ApplicationCommandOptionType } from 'discord.js';
import { auditEmbedJson } from '../src/audit/audit-format.js';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { serverOption } from '../src/discord/options.js';

export const definition = {
  name: 'audit',
  description: 'Latest audit entries, optionally for one server or one member',
  level: 'admin',
  ephemeral: true,
  options: [
    { ...serverOption(), description: 'Only this server' },
    { type: ApplicationCommandOptionType.User, name: 'user', description: 'Only this Discord member' },
  ],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const { server, user: memberId } = call.options;
  const member = memberId === undefined ? undefined : call.interaction.options.resolved?.users?.get(memberId);
  const rows = call.bot.audit.latest({ server, memberId, limit: 25 });
  const scope = [server && `server ${server}`, member && `member ${member.tag}`].filter(Boolean).join(', ');
  return { embeds: [auditEmbedJson(rows, `Audit${scope ? ` (${scope})` : ''}`)] };
}
