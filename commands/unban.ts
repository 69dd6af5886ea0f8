import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { successEmbed } from '../src/discord/embeds.js';
import { userOrId } from '../src/discord/inputs.js';
import { serverOption, userIdOption, userOption } from '../src/discord/options.js';

export const definition = {
  name: 'unban',
  description: 'Lift the ban of a user',
  level: 'admin',
  options: [
    { ...userOption('Resonite user name to unban (or give id)'), required: false },
    userIdOption('Resonite user ID to unban, such as U-alice (instead of user)'),
    serverOption(),
  ],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const target = userOrId(call.options.user, call.options.id);
  const server = await call.server();
  const outcome = target.kind === 'id' ? await server.unbanById(target.id) : await server.unban(target.user);
  const who = target.kind === 'id' ? target.id : target.user;
  return { embeds: [successEmbed(`${who} unbanned`, outcome.reply)] };
}
