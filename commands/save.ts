import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { successEmbed } from '../src/discord/embeds.js';
import { worldRef } from '../src/discord/inputs.js';
import { serverOption, worldOption } from '../src/discord/options.js';

export const definition = {
  name: 'save',
  description: 'Save one world, or every world of the server when none is given',
  level: 'moderator',
  options: [serverOption(), worldOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const world = worldRef(call.options.world);
  const server = await call.server();
  const saved = await server.save(world);
  call.record({ world: saved.join(', ') });
  return { embeds: [successEmbed('Saved', `${saved.join(', ')} on ${server.displayName}`)] };
}
