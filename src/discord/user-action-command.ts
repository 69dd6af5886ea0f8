import type { UserAction } from '../servers/headless-server.js';
import type { CommandDefinition, CommandModule } from './command.js';
import { successEmbed } from './embeds.js';
import { consoleText, worldRef } from './inputs.js';
import { serverOption, userOption, worldOption } from './options.js';

/** kick, silence, unsilence and respawn differ only in words: one shape for the four command files. */
export function userActionCommand(action: UserAction, description: string, done: string) {
  const definition = {
    name: action,
    description,
    level: 'moderator',
    options: [
      userOption(),
      serverOption(),
      worldOption('World the user is in (needed only when in several)'),
    ],
  } as const satisfies CommandDefinition;
  return {
    definition,
    async execute(call) {
      const user = consoleText(call.options.user, 'user name');
      const world = worldRef(call.options.world);
      const server = await call.server();
      const outcome = await server.userAction(action, user, world);
      call.record({ world: outcome.world });
      return {
        embeds: [
          successEmbed(
            `${user} ${done}`,
            `${outcome.reply}\nin ${outcome.world ?? 'the world'} on ${server.displayName}`,
          ),
        ],
      };
    },
  } satisfies CommandModule<typeof definition>;
}
