import { ApplicationCommandOptionType } from 'discord.js';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { successEmbed } from '../src/discord/embeds.js';
import { consoleText, worldRef } from '../src/discord/inputs.js';
import { serverOption, userOption, worldOption } from '../src/discord/options.js';
import { InvalidInputError } from '../src/errors.js';

const ROLES = ['Admin', 'Builder', 'Moderator', 'Guest', 'Spectator'] as const;

export const definition = {
  name: 'role',
  description: "Set a user's role in a world",
  level: 'admin',
  options: [
    userOption(),
    {
      type: ApplicationCommandOptionType.String,
      name: 'role',
      description: 'The role to give',
      required: true,
      choices: ROLES.map((r) => ({ name: r, value: r })),
    },
    serverOption(),
    worldOption('World the user is in (needed only when in several)'),
  ],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const user = consoleText(call.options.user, 'user name');
  const role = ROLES.find((r) => r.toLowerCase() === call.options.role.toLowerCase());
  if (!role) throw new InvalidInputError(`The role must be one of ${ROLES.join(', ')}.`);
  const world = worldRef(call.options.world);
  const server = await call.server();
  const outcome = await server.role(user, role, world);
  call.record({ world: outcome.world });
  return {
    embeds: [successEmbed(`${user} is now ${role}`, `${outcome.reply}\nin ${outcome.world ?? 'the world'}`)],
  };
}
