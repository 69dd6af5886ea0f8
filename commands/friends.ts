import { ApplicationCommandOptionType } from 'discord.js';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { successEmbed } from '../src/discord/embeds.js';
import { consoleText } from '../src/discord/inputs.js';
import { serverOption, userOption } from '../src/discord/options.js';

export const definition = {
  name: 'friends',
  description: "The server account's contact requests",
  level: 'admin',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'list',
      description: 'Incoming contact requests',
      options: [serverOption()],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'accept',
      description: 'Accept a contact request',
      options: [userOption('Who sent the request', false), serverOption()],
    },
  ],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const { options } = call;
  if (options.subcommand === 'accept') {
    const user = consoleText(options.user, 'user name');
    const server = await call.server();
    const outcome = await server.acceptFriendRequest(user);
    return { embeds: [successEmbed(`Contact request from ${user} accepted`, outcome.reply)] };
  }
  const server = await call.server();
  call.record({ action: 'friendrequests' });
  const requests = await server.friendRequests();
  return {
    embeds: [
      successEmbed(
        `Contact requests on ${server.displayName}`,
        requests.length === 0 ? 'No pending requests.' : requests.join('\n'),
      ),
    ],
  };
}
