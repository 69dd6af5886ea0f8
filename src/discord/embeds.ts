export {
  EMBED_LIMITS,
  ELLIPSIS,
  blockText,
  escapeMarkdown,
  inlineText,
  listWithMore,
  neutralizeMentions,
  shareBudget,
  totalEmbedLength,
  truncate,
} from './embeds/limits.js';
export { COLOURS, TONE_EMOJI, containerTone, worstTone, type Tone } from './embeds/colours.js';
export { formatBytes, formatDuration, statsLine } from './embeds/format.js';
export { serversEmbed, type ServerEntry, type ServersEmbedOptions } from './embeds/servers.js';
export { statusEmbeds } from './embeds/status.js';
export { worldsEmbed } from './embeds/worlds.js';
export { usersEmbed } from './embeds/users.js';
export { bansEmbed } from './embeds/bans.js';
export { confirmEmbed, errorEmbed, successEmbed } from './embeds/messages.js';
