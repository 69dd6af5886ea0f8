import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { successEmbed } from '../src/discord/embeds.js';
import { userOrId } from '../src/discord/inputs.js';
import { serverOption, userIdOption, userOption } from '../src/discord/options.js';

export const definition = {
  name: 'ban',
  description: 'Ban a user from every session of the server (asks for confirmation)',
  level: 'admin',
  options: [
    { ...userOption('Resonite user name to ban (or give id)'), required: false },
    userIdOption('Resonite user ID to ban, such as U-alice (instead of user)'),
    serverOption(),
  ],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const target = userOrId(call.options.user, call.options.id);
  const who = target.kind === 'id' ? target.id : target.user;
  const server = await call.server();
  await call.confirm(`Ban ${who} from every session of ${server.displayName}?`);
  const outcome = target.kind === 'id' ? await server.banById(target.id) : await server.ban(target.user);
  call.record({ world: outcome.world });
  return { embeds: [successEmbed(`${who} banned`, `${outcome.reply}\non ${server.displayName}`)] };
}
