import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { successEmbed } from '../src/discord/embeds.js';
import { consoleText } from '../src/discord/inputs.js';
import { serverOption, userOption } from '../src/discord/options.js';

export const definition = {
  name: 'invite',
  description: "Invite a Resonite user to the server's focused world",
  level: 'moderator',
  options: [userOption('Resonite user name to invite'), serverOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const user = consoleText(call.options.user, 'user name');
  const server = await call.server();
  const outcome = await server.invite(user);
  return { embeds: [successEmbed(`Invited ${user}`, outcome.reply)] };
}
