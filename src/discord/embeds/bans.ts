import { EmbedBuilder } from 'discord.js';
import type { Ban } from '../../console/parsers.js';
import { COLOURS } from './colours.js';
import { EMBED_LIMITS, inlineText, listWithMore } from './limits.js';

const NAME_MAX = 64;

export function bansEmbed(server: string, bans: readonly Ban[]): EmbedBuilder {
  const lines = bans.map((ban) => {
    const parts = [`\`${ban.index}\` **${inlineText(ban.username, NAME_MAX) || '(no name)'}**`];
    parts.push(ban.userId === null ? 'no user id' : inlineText(ban.userId, NAME_MAX));
    const machines = ban.machineIds.length;
    if (machines > 0) parts.push(`${machines} ${machines === 1 ? 'machine' : 'machines'}`);
    return parts.join(' · ');
  });
  return new EmbedBuilder()
    .setTitle(`Bans on ${inlineText(server, 100)}`)
    .setColor(COLOURS.info)
    .setDescription(lines.length > 0 ? listWithMore(lines, EMBED_LIMITS.description, '\n') : 'No bans.')
    .setFooter({ text: `${bans.length} ${bans.length === 1 ? 'ban' : 'bans'}` });
}
