import { EmbedBuilder } from 'discord.js';
import { COLOURS } from './colours.js';
import { EMBED_LIMITS, blockText, inlineText } from './limits.js';

// These take plain text and escape it: messages quote names users typed and replies the headless wrote.

export function successEmbed(title: string, description?: string): EmbedBuilder {
  return withDescription(
    new EmbedBuilder().setColor(COLOURS.ok).setTitle(inlineText(title, EMBED_LIMITS.title) || 'Done'),
    description,
  );
}

export function errorEmbed(message: string): EmbedBuilder {
  return new EmbedBuilder()
    .setColor(COLOURS.error)
    .setDescription(blockText(message, EMBED_LIMITS.description) || 'Something went wrong.');
}

export function confirmEmbed(question: string, detail?: string): EmbedBuilder {
  const embed = new EmbedBuilder()
    .setColor(COLOURS.warning)
    .setTitle(inlineText(question, EMBED_LIMITS.title) || 'Are you sure?')
    .setFooter({ text: 'Only the member who asked can confirm or cancel.' });
  return withDescription(embed, detail);
}

function withDescription(embed: EmbedBuilder, text: string | undefined): EmbedBuilder {
  const description = text === undefined ? '' : blockText(text, EMBED_LIMITS.description);
  return description ? embed.setDescription(description) : embed;
}
