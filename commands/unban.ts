import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { buildCommandLine } from '../src/console/quoting.js';
import { successEmbed } from '../src/discord/embeds.js';
import { consoleText } from '../src/discord/inputs.js';
import { serverOption, userOption } from '../src/discord/options.js';

export const definition = {
  name: 'unban',
  description: 'Lift the ban of a user',
  level: 'admin',
  options: [userOption('Resonite user name to unban'), serverOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const user = consoleText(call.options.user, 'user name');
  const server = await call.server();
  // Recorded before it is sent, so that a failure is audited with the line too.
  call.record({ action: buildCommandLine('unban', user) });
  const outcome = await server.unban(user);
  call.record({ action: outcome.line });
  return { embeds: [successEmbed(`${user} unbanned`, outcome.reply)] };
}
