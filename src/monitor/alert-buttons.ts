import { ALERT_BUTTON_PREFIX } from '../discord/alert-button-id.js';
import type { ButtonModule } from '../discord/command.js';
import { restartServer } from '../discord/lifecycle-command.js';
import { textReply } from '../discord/text-reply.js';
import { UserError } from '../errors.js';

const LOG_LINES = 100;

/**
 * The Restart and Logs buttons on an alert: operator level (as /restart and /logs), checked on
 * every press and audited, through the same pipeline as the commands. Restart saves worlds first
 * where the console still answers, and does not ask again: on-call wants speed.
 */
export const alertButtons: ButtonModule = {
  prefix: ALERT_BUTTON_PREFIX,
  async action(interaction, bot) {
    const [, action, key] = interaction.customId.split(':');
    if ((action !== 'restart' && action !== 'logs') || key === undefined || key === '') return undefined;
    const name = await bot.servers.nameForKey(key).catch(() => undefined);
    const server = async () => {
      if (name === undefined) throw new UserError('The server this alert was about is no longer managed.');
      return bot.servers.get(name);
    };
    if (action === 'logs') {
      return {
        levelOf: 'logs',
        level: 'operator',
        command: 'alert logs',
        server: name,
        ephemeral: true,
        async execute(call) {
          const target = await server();
          call.record({ action: `docker logs --tail ${LOG_LINES}` });
          return textReply(
            `Last ${LOG_LINES} lines of ${target.displayName}`,
            await target.container.logs(LOG_LINES),
            `${target.name}.log`,
          );
        },
      };
    }
    return {
      levelOf: 'restart',
      level: 'operator',
      command: 'alert restart',
      server: name,
      ephemeral: false,
      async execute(call) {
        const target = await server();
        call.record({ action: 'restart' });
        return restartServer(call, target, false);
      },
    };
  },
};
