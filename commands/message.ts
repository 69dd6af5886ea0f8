import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { successEmbed } from '../src/discord/embeds.js';
import { consoleText } from '../src/discord/inputs.js';
import { serverOption, textOption, userOption } from '../src/discord/options.js';

export const definition = {
  name: 'message',
  description: "Send a Resonite direct message from the server's account",
  level: 'moderator',
  options: [userOption('Resonite user name to message'), textOption('text', 'The message'), serverOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const user = consoleText(call.options.user, 'user name');
  const text = consoleText(call.options.text, 'message');
  const server = await call.server();
  const outcome = await server.message(user, text);
  return { embeds: [successEmbed(`Message sent to ${user}`, outcome.reply)] };
}
