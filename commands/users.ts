import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { usersEmbed } from '../src/discord/embeds.js';
import { worldRef } from '../src/discord/inputs.js';
import { serverOption, worldOption } from '../src/discord/options.js';

export const definition = {
  name: 'users',
  description: 'Users with role, presence, ping and silenced (every world when none is given)',
  level: 'viewer',
  options: [serverOption(), worldOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const world = worldRef(call.options.world);
  const server = await call.server();
  return { embeds: [usersEmbed(server.displayName, await server.users(world))] };
}
