import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import type { AuditRecord } from '../audit/audit-log.js';
import { InvalidInputError, UserError } from '../errors.js';
import { autocompleteChoices } from './autocomplete.js';
import type { BotContext, CommandCall, CommandModule, CommandReply } from './command.js';
import { NotConfirmedError, isConfirmationButton } from './confirmations.js';
import { errorEmbed, successEmbed } from './embeds.js';
import { memberLevel, requiredLevel } from './member-level.js';
import { atLeast, deniedMessage } from './permissions.js';

/** Another part of the bot (the alerts) may own buttons under its own custom id prefix. */
export type ButtonHandler = (interaction: ButtonInteraction, bot: BotContext) => Promise<void>;

const APOLOGY = 'Sorry, something went wrong on our side. It has been logged; please try again.';
const NO_PINGS = { parse: [] };

/** The one interaction handler: permissions, deferral, audit and the one error boundary. */
export function createRouter(
  bot: BotContext,
  commands: ReadonlyMap<string, CommandModule>,
  buttons: ReadonlyMap<string, ButtonHandler> = new Map(),
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
    const name = fullName(interaction);
    const need = requiredLevel(definition.name, definition.level, bot.config);
    const level = memberLevel(interaction, bot.config);
    const entry = {
      guildId: interaction.guildId,
      memberId: interaction.user.id,
      memberTag: interaction.user.tag,
      level,
      command: name,
      server: interaction.options.getString('server') ?? undefined,
      world: interaction.options.getString('world') ?? undefined,
      options: optionValues(interaction),
    };
    if (!atLeast(level, need)) {
      if (need !== 'viewer') bot.audit.refused({ ...entry, reason: `needs ${need}` });
      await interaction.reply({ embeds: [errorEmbed(deniedMessage(need))], flags: MessageFlags.Ephemeral });
      return;
    }
    const audit = need === 'viewer' ? undefined : bot.audit.begin(entry);
    const ephemeral = definition.ephemeral === true;
    const deferral = interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    // A read may start while the deferral is on its way; anything that changes something waits until
    // Discord has accepted the interaction, so no action is taken that its invoker never hears of.
    if (need !== 'viewer') await deferral;
    else deferral.catch(() => undefined);
    const call = makeCall(interaction, audit, deferral);
    try {
      const reply = await command.execute(call);
      // The action is done whether or not the reply edit goes through.
      audit?.finish('ok', summary(reply));
      await deferral;
      await interaction.editReply({ ...reply, components: [], allowedMentions: NO_PINGS });
    } catch (err) {
      await deferral;
      await fail(interaction, err, audit, ephemeral);
    }
  }

  function makeCall(
    interaction: ChatInputCommandInteraction,
    audit: AuditRecord | undefined,
    deferral: Promise<unknown>,
  ): CommandCall {
    return {
      interaction,
      bot,
      record: (detail) => audit?.detail(detail),
      confirm: async (question, detail) => {
        await deferral;
        await bot.confirmations.ask(interaction, question, detail);
      },
      progress: async (text) => {
        await deferral;
        await interaction.editReply({
          embeds: [successEmbed('Working…', text)],
          components: [],
          allowedMentions: NO_PINGS,
        });
      },
      server: async () => {
        const server = await bot.servers.get(interaction.options.getString('server') ?? undefined);
        audit?.detail({ server: server.name });
        return server;
      },
      text: (option) => {
        // Only spaces are trimmed: a newline or other control character, even at the end, is refused later.
        const value = interaction.options.getString(option)?.replace(/^ +| +$/g, '');
        return value === undefined || value === '' ? undefined : value;
      },
    };
  }

  async function fail(
    interaction: ChatInputCommandInteraction,
    err: unknown,
    audit: AuditRecord | undefined,
    ephemeral: boolean,
  ): Promise<void> {
    if (err instanceof NotConfirmedError) {
      audit?.finish(err.outcome, err.message);
      await interaction.editReply({
        embeds: [errorEmbed(err.message)],
        components: [],
        allowedMentions: NO_PINGS,
      });
      return;
    }
    let message = APOLOGY;
    if (err instanceof UserError) {
      message = err.message;
      audit?.finish(err instanceof InvalidInputError ? 'refused' : 'failed', err.message);
    } else {
      audit?.finish('error', err instanceof Error ? err.message : String(err));
      bot.logger.error(
        {
          err,
          command: fullName(interaction),
          options: optionValues(interaction),
          member: interaction.user.id,
        },
        'command failed',
      );
    }
    const payload = { embeds: [errorEmbed(message)], components: [], allowedMentions: NO_PINGS };
    if (ephemeral) {
      await interaction.editReply(payload);
      return;
    }
    // The deferral was public; errors are for the invoker's eyes only.
    await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
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
      // Roles may have changed since the question was asked: the press needs the command's level too.
      const name = bot.confirmations.commandFor(interaction.customId);
      const command = name === undefined ? undefined : commands.get(name);
      const need = command
        ? requiredLevel(command.definition.name, command.definition.level, bot.config)
        : 'viewer';
      const isInvoker = bot.confirmations.invokerFor(interaction.customId) === interaction.user.id;
      if (isInvoker && !atLeast(memberLevel(interaction, bot.config), need)) {
        await interaction.reply({ embeds: [errorEmbed(deniedMessage(need))], flags: MessageFlags.Ephemeral });
        return;
      }
      await bot.confirmations.press(interaction);
      return;
    }
    const prefix = interaction.customId.split(':')[0] ?? '';
    const handler = buttons.get(prefix);
    if (!handler) {
      await interaction.reply({ content: 'This button is no longer active.', flags: MessageFlags.Ephemeral });
      return;
    }
    await handler(interaction, bot);
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

function summary(reply: CommandReply): string {
  const embed = reply.embeds?.[0];
  const json = embed && 'toJSON' in embed ? embed.toJSON() : (embed as { title?: string } | undefined);
  return json?.title ?? (typeof reply.content === 'string' ? reply.content : 'done');
}
