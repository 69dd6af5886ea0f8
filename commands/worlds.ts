import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { worldsEmbed } from '../src/discord/embeds.js';
import { serverOption } from '../src/discord/options.js';

export const definition = {
  name: 'worlds',
  description: 'The worlds running on a server',
  level: 'viewer',
  options: [serverOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const server = await call.server();
  return { embeds: [worldsEmbed(server.displayName, await server.worlds())] };
}
