import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { BotContext } from '../discord/command.js';
import { errorEmbed, successEmbed } from '../discord/embeds.js';
import { STARTUP_WAIT_MS, stepText } from '../discord/lifecycle-command.js';
import { memberLevel, requiredLevel } from '../discord/member-level.js';
import { atLeast, deniedMessage } from '../discord/permissions.js';
import { textReply } from '../discord/text-reply.js';
import { UserError } from '../errors.js';

const NO_PINGS = { parse: [] };
const LOG_LINES = 100;

/**
 * The Restart and Logs buttons on an alert: operator level (as /restart and /logs), checked on
 * every press and audited. Restart saves worlds first where the console still answers.
 */
export async function handleAlertButton(interaction: ButtonInteraction, bot: BotContext): Promise<void> {
  const [, action = '', server = ''] = interaction.customId.split(':');
  const command = action === 'restart' ? 'restart' : 'logs';
  const need = requiredLevel(command, 'operator', bot.config);
  const level = memberLevel(interaction, bot.config);
  const entry = {
    guildId: interaction.guildId ?? '',
    memberId: interaction.user.id,
    memberTag: interaction.user.tag,
    level,
    command: `alert ${command}`,
    server,
  };
  if (!atLeast(level, need)) {
    bot.audit.refused({ ...entry, reason: `needs ${need}` });
    await interaction.reply({ embeds: [errorEmbed(deniedMessage(need))], flags: MessageFlags.Ephemeral });
    return;
  }
  const audit = bot.audit.begin(entry);
  await interaction.deferReply(command === 'logs' ? { flags: MessageFlags.Ephemeral } : {});
  try {
    const target = await bot.servers.get(server);
    if (command === 'logs') {
      audit.detail({ action: `docker logs --tail ${LOG_LINES}` });
      const reply = textReply(
        `Last ${LOG_LINES} lines of ${target.displayName}`,
        await target.logs(LOG_LINES),
        `${server}.log`,
      );
      await interaction.editReply({ ...reply, allowedMentions: NO_PINGS });
      audit.finish('ok', 'logs shown');
      return;
    }
    const steps: string[] = [];
    const progress = (text: string) => {
      steps.push(text);
      void interaction
        .editReply({
          embeds: [successEmbed(`Restarting ${target.displayName}…`, steps.join('\n'))],
          allowedMentions: NO_PINGS,
        })
        .catch(() => undefined);
    };
    const result = await target.restart({
      onStep: (step) => progress(stepText(step)),
    });
    audit.detail({ action: `restart (saved ${result.saved.join(', ') || 'nothing'})` });
    const worlds = await target.waitUntilRunning(STARTUP_WAIT_MS);
    const lines = [
      result.saved.length > 0
        ? `Saved: ${result.saved.join(', ')}`
        : `Not saved: ${result.saveSkipped ?? 'no worlds'}`,
      worlds.length > 0 ? `Running: ${worlds.join(', ')}` : 'The console has not answered yet.',
    ];
    await interaction.editReply({
      embeds: [
        successEmbed(`${target.displayName} restarted by ${interaction.user.username}`, lines.join('\n')),
      ],
      allowedMentions: NO_PINGS,
    });
    audit.finish('ok', lines.join('; '));
  } catch (err) {
    const message = err instanceof UserError ? err.message : 'Sorry, something went wrong on our side.';
    audit.finish(
      err instanceof UserError ? 'failed' : 'error',
      err instanceof Error ? err.message : String(err),
    );
    if (!(err instanceof UserError)) bot.logger.error({ err, server, action }, 'alert button failed');
    await interaction.editReply({ embeds: [errorEmbed(message)], allowedMentions: NO_PINGS });
  }
}
