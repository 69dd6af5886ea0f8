import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { textOption, serverOption } from '../src/discord/options.js';
import { validateRawConsoleLine, MAX_LINE_LENGTH } from '../src/console/quoting.js';
import { textReply } from '../src/discord/text-reply.js';

export const definition: CommandDefinition = {
  name: 'console',
  description: 'Send one raw console line (crash and log are refused) and show the output',
  level: 'admin',
  ephemeral: true,
  options: [textOption('command', 'The console line, e.g. users', MAX_LINE_LENGTH), serverOption()],
};

export async function execute(call: CommandCall): Promise<CommandReply> {
  const { line } = validateRawConsoleLine(call.interaction.options.getString('command', true));
  const server = await call.server();
  call.record({ action: line });
  const result = await server.raw(line);
  return textReply(`${server.displayName}> ${line}`, result.reply, `${server.name}-console.txt`);
}
