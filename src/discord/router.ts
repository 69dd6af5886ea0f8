import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { autocompleteChoices } from './autocomplete.js';
import type { BotContext, ButtonModule, CommandCall, CommandModule } from './command.js';
import { isConfirmationButton } from './confirmations.js';
import { errorEmbed } from './embeds.js';
import { memberLevel, requiredLevel } from './member-level.js';
import { atLeast, deniedMessage } from './permissions.js';
import { readOptions } from './option-values.js';
import { runAction } from './pipeline.js';

/** Sends each interaction where it belongs; commands and buttons alike run through one pipeline. */
export function createRouter(
  bot: BotContext,
  commands: ReadonlyMap<string, CommandModule>,
  buttons: readonly ButtonModule[] = [],
) {
  return async (interaction: Interaction): Promise<void> => {
    try {
      if (interaction.isChatInputCommand()) await runCommand(interaction);
      else if (interaction.isAutocomplete()) await answerAutocomplete(interaction);
      else if (interaction.isButton()) await pressButton(interaction);
    } catch (err) {
      bot.logger.error({ err, interaction: interaction.id, type: interaction.type }, 'interaction failed');
    }
  };

  async function runCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = commands.get(interaction.commandName);
    if (!command || !interaction.inGuild()) {
      await interaction.reply({
        content: 'This command is not available here.',
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const { definition } = command;
    const options = readOptions(interaction);
    await runAction(bot, {
      interaction,
      levelOf: definition.name,
      level: definition.level,
      command: fullName(interaction),
      server: interaction.options.getString('server') ?? undefined,
      world: interaction.options.getString('world') ?? undefined,
      options: command.auditOptions?.(optionValues(interaction)) ?? optionValues(interaction),
      ephemeral: definition.ephemeral === true,
      execute: (base) => {
        const call: CommandCall = {
          ...base,
          interaction,
          options,
          server: async () => {
            const server = await bot.servers.get(
              typeof options.server === 'string' ? options.server : undefined,
            );
            base.record({ server: server.name });
            return server;
          },
        };
        return command.execute(call);
      },
    });
  }

  async function answerAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = commands.get(interaction.commandName);
    const need = command
      ? requiredLevel(command.definition.name, command.definition.level, bot.config)
      : 'admin';
    if (!command || !atLeast(memberLevel(interaction, bot.config), need)) {
      await interaction.respond([]);
      return;
    }
    await interaction.respond(await autocompleteChoices(interaction, bot.lookups).catch(() => []));
  }

  async function pressButton(interaction: ButtonInteraction): Promise<void> {
    if (isConfirmationButton(interaction.customId)) {
      // Roles may have changed since the question was asked: the press needs the action's level too.
      const asked = bot.confirmations.levelFor(interaction.customId);
      const isInvoker = bot.confirmations.invokerFor(interaction.customId) === interaction.user.id;
      if (asked && isInvoker) {
        const need = requiredLevel(asked.levelOf, asked.level, bot.config);
        if (!atLeast(memberLevel(interaction, bot.config), need)) {
          await interaction.reply({
            embeds: [errorEmbed(deniedMessage(need))],
            flags: MessageFlags.Ephemeral,
          });
          return;
        }
      }
      await bot.confirmations.press(interaction);
      return;
    }
    const prefix = interaction.customId.split(':')[0] ?? '';
    const action = await buttons.find((b) => b.prefix === prefix)?.action(interaction, bot);
    if (!action) {
      await interaction.reply({ content: 'This button is no longer active.', flags: MessageFlags.Ephemeral });
      return;
    }
    await runAction(bot, { interaction, ...action });
  }
}

function fullName(interaction: ChatInputCommandInteraction): string {
  const sub = interaction.options.getSubcommand(false);
  return sub ? `${interaction.commandName} ${sub}` : interaction.commandName;
}

function optionValues(interaction: ChatInputCommandInteraction): Record<string, unknown> {
  const flat = interaction.options.data.flatMap((o) => (o.options ? o.options : [o]));
  return Object.fromEntries(flat.map((o) => [o.name, o.value]));
}
