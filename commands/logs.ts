import { ApplicationCommandOptionType } from 'discord.js';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { serverOption } from '../src/discord/options.js';
import { textReply } from '../src/discord/text-reply.js';
import { MAX_LOG_LINES } from '../src/docker/logs.js';

export const definition = {
  name: 'logs',
  description: "Recent output of a server's container",
  level: 'operator',
  ephemeral: true,
  options: [
    serverOption(),
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'lines',
      description: `How many lines (default 50, at most ${MAX_LOG_LINES})`,
      min_value: 1,
      max_value: MAX_LOG_LINES,
    },
  ],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const lines = call.options.lines ?? 50;
  const server = await call.server();
  call.record({ action: `docker logs --tail ${lines}` });
  return textReply(
    `Last ${lines} lines of ${server.displayName}`,
    await server.container.logs(lines),
    `${server.name}.log`,
  );
}
