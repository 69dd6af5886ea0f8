import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { successEmbed } from '../src/discord/embeds.js';
import { consoleText } from '../src/discord/inputs.js';
import { serverOption, userOption } from '../src/discord/options.js';

export const definition = {
  name: 'ban',
  description: 'Ban a user from every session of the server (asks for confirmation)',
  level: 'admin',
  options: [userOption('Resonite user name to ban'), serverOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const user = consoleText(call.options.user, 'user name');
  const server = await call.server();
  await call.confirm(`Ban ${user} from every session of ${server.displayName}?`);
  const outcome = await server.ban(user);
  call.record({ world: outcome.world });
  return { embeds: [successEmbed(`${user} banned`, `${outcome.reply}\non ${server.displayName}`)] };
}
