import { EmbedBuilder } from 'discord.js';
import type { WorldStatusWithUrl } from '../../servers/headless-server.js';
import { COLOURS } from './colours.js';
import { formatDuration } from '../../text.js';
import { EMBED_LIMITS, blockText, inlineText, listWithMore, shareBudget } from './limits.js';

const ITEM_MAX = 64;
const SERVER_NAME_MAX = 100;
// Real session URLs are about 80 characters; a longer one is not one to offer.
const SESSION_URL_MAX = 300;

/**
 * One embed per world, at most 10 (a message's limit); the last one's footer counts worlds left
 * out. The 6000-character message total is shared equally, so many worlds get shorter lists.
 */
export function statusEmbeds(server: string, worlds: readonly WorldStatusWithUrl[]): EmbedBuilder[] {
  const serverName = inlineText(server, SERVER_NAME_MAX);
  if (worlds.length === 0) {
    return [
      new EmbedBuilder()
        .setTitle(`Status of ${serverName}`)
        .setColor(COLOURS.info)
        .setDescription('No worlds are running.'),
    ];
  }
  const shown = worlds.slice(0, EMBED_LIMITS.embedsPerMessage);
  const hidden = worlds.length - shown.length;
  const budget = Math.floor(EMBED_LIMITS.total / shown.length);
  return shown.map((world, index) => {
    const more = hidden > 0 && index === shown.length - 1 ? ` · +${hidden} more worlds not shown` : '';
    return worldEmbed(world, `Server: ${serverName}${more}`, budget);
  });
}

function worldEmbed(world: WorldStatusWithUrl, footer: string, budget: number): EmbedBuilder {
  const title = inlineText(world.name, Math.min(EMBED_LIMITS.title, Math.floor(budget / 5))) || '(unnamed)';
  const fixedFields = [
    { name: 'Users', value: `${world.currentUsers} / ${world.maxUsers} (${world.presentUsers} present)` },
    { name: 'Access level', value: inlineText(world.accessLevel, 40) || '—' },
    { name: 'Hidden', value: world.hiddenFromListing ? 'Yes' : 'No' },
    { name: 'Uptime', value: world.uptime ? formatDuration(world.uptimeSeconds) : '—' },
    { name: 'Session', value: inlineText(world.sessionId, 80) || '—' },
    ...(world.resoniteLink === undefined
      ? []
      : [{ name: 'ResoniteLink', value: inlineText(world.resoniteLink, 40) || '—' }]),
  ].map((field) => ({ ...field, inline: true }));
  // On a line of its own, so members can copy it whole.
  const url = inlineText(world.sessionUrl ?? '', EMBED_LIMITS.fieldValue);
  if (url && url.length <= SESSION_URL_MAX)
    fixedFields.push({ name: 'Session URL', value: url, inline: false });

  const tags = world.tags.map((tag) => inlineText(tag, ITEM_MAX));
  const users = world.users.map((user) => inlineText(user, ITEM_MAX));
  const description = blockText(world.description, EMBED_LIMITS.description);
  const listNames = 'Tags'.length + 'User list'.length;
  const fixed =
    title.length +
    footer.length +
    listNames +
    fixedFields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const [descriptionShare = 0, tagsShare = 0, usersShare = 0] = shareBudget(budget - fixed, [
    description.length,
    Math.min(EMBED_LIMITS.fieldValue, listOrNone(tags, Infinity).length),
    Math.min(EMBED_LIMITS.fieldValue, listOrNone(users, Infinity).length),
  ]);

  const embed = new EmbedBuilder()
    .setTitle(title)
    .setColor(COLOURS.info)
    .addFields(
      ...fixedFields,
      { name: 'Tags', value: listOrNone(tags, tagsShare) },
      { name: 'User list', value: listOrNone(users, usersShare) },
    )
    .setFooter({ text: footer });
  const cut = blockText(world.description, descriptionShare);
  if (cut) embed.setDescription(cut);
  return embed;
}

function listOrNone(items: readonly string[], max: number): string {
  if (items.length === 0) return 'none';
  return listWithMore(items, max) || `+${items.length}`;
}
