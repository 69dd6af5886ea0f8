import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { successEmbed } from '../src/discord/embeds.js';
import { serverOption } from '../src/discord/options.js';

export const definition = {
  name: 'start',
  description: "Start a server's container",
  level: 'operator',
  options: [serverOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const server = await call.server();
  call.record({ action: 'docker start' });
  const outcome = await server.container.start(call.actor);
  return {
    embeds: [
      successEmbed(
        outcome === 'started' ? `${server.displayName} started` : `${server.displayName} was already running`,
        '',
      ),
    ],
  };
}
