export {
  EMBED_LIMITS,
  blockText,
  inlineText,
  listWithMore,
  shareBudget,
  totalEmbedLength,
} from './embeds/limits.js';
export { escapeMarkdown, neutralizeMentions } from './embeds/markdown.js';
export { COLOURS, TONE_EMOJI, containerTone, worstTone, type Tone } from './embeds/colours.js';
export { formatBytes, statsLine } from './embeds/format.js';
export { serversEmbed, type ServerEntry, type ServersEmbedOptions } from './embeds/servers.js';
export { statusEmbeds } from './embeds/status.js';
export { worldsEmbed } from './embeds/worlds.js';
export { usersEmbed } from './embeds/users.js';
export { bansEmbed } from './embeds/bans.js';
export { confirmEmbed, errorEmbed, successEmbed } from './embeds/messages.js';
