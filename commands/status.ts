import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { statusEmbeds } from '../src/discord/embeds.js';
import { worldRef } from '../src/discord/inputs.js';
import { serverOption, worldOption } from '../src/discord/options.js';

export const definition = {
  name: 'status',
  description: "A world's status (every world of the server when none is given)",
  level: 'viewer',
  options: [serverOption(), worldOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const world = worldRef(call.options.world);
  const server = await call.server();
  return { embeds: statusEmbeds(server.displayName, await server.statusWithSessionUrls(world)) };
}
