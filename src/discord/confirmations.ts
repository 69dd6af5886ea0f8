import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { Level } from '../config.js';
import { UserError } from '../errors.js';
import { confirmEmbed } from './embeds.js';

export type Declined = 'cancelled' | 'expired';

/** The invoker said no, or did not answer in time: nothing was done. */
export class NotConfirmedError extends UserError {
  override name = 'NotConfirmedError';
  constructor(readonly outcome: Declined) {
    super(outcome === 'cancelled' ? 'Cancelled: nothing was done.' : 'No answer in time: nothing was done.');
  }
}

/** The level the asking action needs, so a press can be checked against it (roles may change meanwhile). */
export interface AskedLevel {
  levelOf: string;
  level: Level;
}

interface Pending {
  invokerId: string;
  asked: AskedLevel;
  settle: (answer: 'confirmed' | Declined) => void;
}

const PREFIX = 'confirm:';

export function isConfirmationButton(customId: string): boolean {
  return customId.startsWith(PREFIX);
}

/**
 * Confirm / Cancel buttons that only the invoking member can press, expiring after a timeout and
 * disabled once used. The router hands every `confirm:` button press here.
 */
export class Confirmations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly timeoutMs = 60_000) {}

  async ask(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    asked: AskedLevel,
    question: string,
    detail?: string,
  ): Promise<void> {
    const key = interaction.id;
    const answer = new Promise<'confirmed' | Declined>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        resolve('expired');
      }, this.timeoutMs);
      this.pending.set(key, {
        invokerId: interaction.user.id,
        asked,
        settle: (value) => {
          clearTimeout(timer);
          this.pending.delete(key);
          resolve(value);
        },
      });
    });
    await interaction.editReply({
      embeds: [confirmEmbed(question, detail)],
      components: [buttons(key, false)],
    });
    const result = await answer;
    if (result !== 'confirmed') throw new NotConfirmedError(result);
  }

  /**
   * The level the action whose question a confirmation button answers needs, while it is still
   * open: the router checks the presser's level against it (every button press is permission-checked).
   */
  levelFor(customId: string): AskedLevel | undefined {
    return this.pendingFor(customId)?.asked;
  }

  /** Who may answer the confirmation this button belongs to. */
  invokerFor(customId: string): string | undefined {
    return this.pendingFor(customId)?.invokerId;
  }

  private pendingFor(customId: string): Pending | undefined {
    const [, key = ''] = customId.split(':');
    return this.pending.get(key);
  }

  /** A press on a confirmation button: the invoker settles it, anyone else is told it is not theirs. */
  async press(interaction: ButtonInteraction): Promise<void> {
    const [, key = '', choice] = interaction.customId.split(':');
    const pending = this.pending.get(key);
    if (!pending) {
      await interaction.reply({ content: 'This confirmation has expired.', flags: MessageFlags.Ephemeral });
      return;
    }
    if (interaction.user.id !== pending.invokerId) {
      await interaction.reply({
        content: 'Only the member who asked can confirm.',
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    // Disable the buttons before the command goes on, so its later edits are not overtaken.
    try {
      await interaction.update({ components: [buttons(key, true)] });
    } finally {
      pending.settle(choice === 'yes' ? 'confirmed' : 'cancelled');
    }
  }
}

function buttons(key: string, disabled: boolean): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${PREFIX}${key}:yes`)
      .setLabel('Confirm')
      .setStyle(ButtonStyle.Danger)
      .setDisabled(disabled),
    new ButtonBuilder()
      .setCustomId(`${PREFIX}${key}:no`)
      .setLabel('Cancel')
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(disabled),
  );
}
