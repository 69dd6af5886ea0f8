import { OAuth2Scopes, PermissionFlagsBits, PermissionsBitField, RouteBases, Routes } from 'discord.js';

/** The channels the bot posts to, by the variable that names each. */
export type PostChannel = 'STATUS_CHANNEL_ID' | 'ALERT_CHANNEL_ID' | 'AUDIT_CHANNEL_ID';

/**
 * What the bot needs in each channel it posts to, and nothing more: commands, buttons and their
 * replies (files included) go through interactions, which need no channel permission of the bot.
 * The status board and alerts are embeds; alerts and countdowns ping again by replying to
 * themselves, and a reply needs Read Message History. The audit channel gets plain lines.
 */
export const CHANNEL_PERMISSIONS: Record<PostChannel, readonly bigint[]> = {
  STATUS_CHANNEL_ID: [
    PermissionFlagsBits.ViewChannel,
    PermissionFlagsBits.SendMessages,
    PermissionFlagsBits.EmbedLinks,
  ],
  ALERT_CHANNEL_ID: [
    PermissionFlagsBits.ViewChannel,
    PermissionFlagsBits.SendMessages,
    PermissionFlagsBits.EmbedLinks,
    PermissionFlagsBits.ReadMessageHistory,
  ],
  AUDIT_CHANNEL_ID: [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages],
};

/** Everything the bot may need anywhere: what its invite asks for. */
export const BOT_PERMISSIONS: bigint = Object.values(CHANNEL_PERMISSIONS)
  .flat()
  .reduce((all, bit) => all | bit, 0n);

export const BOT_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

/**
 * Discord's page that adds the bot to a server with exactly BOT_PERMISSIONS. Always Discord's own
 * address, also when DISCORD_API_URL points the REST calls elsewhere: it is for a person's browser.
 */
export function inviteUrl(clientId: string, guildId?: string): string {
  const url = new URL(Routes.oauth2Authorization(), new URL(RouteBases.api).origin);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('scope', BOT_SCOPES.join(' '));
  url.searchParams.set('permissions', BOT_PERMISSIONS.toString());
  if (guildId) {
    url.searchParams.set('guild_id', guildId);
    url.searchParams.set('disable_guild_select', 'true');
  }
  return url.toString();
}

/** "Send Messages, Embed Links", as Discord's settings name them. */
export function permissionNames(bits: bigint): string {
  return new PermissionsBitField(bits)
    .toArray()
    .map((flag) => flag.replace(/(?<=[a-z])(?=[A-Z])/g, ' '))
    .join(', ');
}
