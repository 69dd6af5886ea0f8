import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { bansEmbed } from '../src/discord/embeds.js';
import { serverOption } from '../src/discord/options.js';

export const definition = {
  name: 'bans',
  description: 'The ban list of a server',
  level: 'admin',
  options: [serverOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const server = await call.server();
  call.record({ action: 'listbans' });
  return { embeds: [bansEmbed(server.displayName, await server.bans())] };
}
