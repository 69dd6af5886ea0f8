import { EmbedBuilder } from 'discord.js';
import type { WorldSummary } from '../../console/parsers.js';
import { COLOURS } from './colours.js';
import { EMBED_LIMITS, inlineText, listWithMore } from './limits.js';

const NAME_MAX = 100;

/** The `worlds` table, one line per world with the index `/status` and `world:` accept. */
export function worldsEmbed(server: string, worlds: readonly WorldSummary[]): EmbedBuilder {
  const lines = worlds.map((world) => {
    const name = inlineText(world.name, NAME_MAX) || '(unnamed)';
    const access = inlineText(world.accessLevel, 20);
    return `\`${world.index}\` **${name}** · ${world.users}/${world.maxUsers} users (${world.present} present) · ${access}`;
  });
  return new EmbedBuilder()
    .setTitle(`Worlds on ${inlineText(server, NAME_MAX)}`)
    .setColor(COLOURS.info)
    .setDescription(
      lines.length > 0 ? listWithMore(lines, EMBED_LIMITS.description, '\n') : 'No worlds are running.',
    )
    .setFooter({ text: `${worlds.length} ${worlds.length === 1 ? 'world' : 'worlds'}` });
}
