import { DiscordAPIError, PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadBotConfig } from '../../src/config.js';
import {
  BOT_PERMISSIONS,
  CHANNEL_PERMISSIONS,
  inviteUrl,
  permissionNames,
} from '../../src/discord/bot-permissions.js';
import { explainRegistrationError } from '../../src/discord/startup-checks.js';

const APP = '100000000000000001';
const GUILD = '100000000000000002';

describe('the invite link', () => {
  it("asks Discord's own page for the bot and its commands, with exactly View Channel, Send Messages, Embed Links and Read Message History", () => {
    const url = new URL(inviteUrl(APP, GUILD));

    expect(`${url.origin}${url.pathname}`).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe(APP);
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(new PermissionsBitField(BigInt(url.searchParams.get('permissions')!)).toArray()).toEqual([
      'ViewChannel',
      'SendMessages',
      'EmbedLinks',
      'ReadMessageHistory',
    ]);
    expect(url.searchParams.get('guild_id')).toBe(GUILD);
    expect(url.searchParams.get('disable_guild_select')).toBe('true');
  });

  it('leaves the server to choose when none is configured', () => {
    const url = new URL(inviteUrl(APP));

    expect(url.searchParams.has('guild_id')).toBe(false);
    expect(url.searchParams.has('disable_guild_select')).toBe(false);
  });

  it('asks for what the channel checks need, and no more', () => {
    const union = Object.values(CHANNEL_PERMISSIONS)
      .flat()
      .reduce((all, bit) => all | bit, 0n);

    expect(BOT_PERMISSIONS).toBe(union);
    expect(BOT_PERMISSIONS & PermissionFlagsBits.Administrator).toBe(0n);
    expect(BOT_PERMISSIONS & PermissionFlagsBits.ManageMessages).toBe(0n);
  });

  it('names permissions as Discord settings do', () => {
    expect(permissionNames(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ReadMessageHistory)).toBe(
      'Send Messages, Read Message History',
    );
  });
});

describe('explainRegistrationError', () => {
  const config = loadBotConfig({
    DISCORD_TOKEN: 'MTAwMDAwMDAwMDAwMDAwMDAw.emulator.test-token-0123456789',
    DISCORD_CLIENT_ID: APP,
    DISCORD_GUILD_ID: GUILD,
    HEADLESS_CONTAINERS: 'lobby',
  });
  const refused = (code: number, message: string) =>
    new DiscordAPIError(
      { code, message },
      code,
      403,
      'PUT',
      `/applications/${APP}/guilds/${GUILD}/commands`,
      {
        body: [],
      },
    );

  it('turns Missing Access into what causes it and the invite link', () => {
    const explained = explainRegistrationError(refused(50001, 'Missing Access'), config) as Error;

    expect(explained.message).toBe(
      `Discord refused to register the slash commands in server ${GUILD} (Missing Access, 50001): the bot is not in that server, or was invited without the applications.commands scope, or DISCORD_CLIENT_ID is not this bot's application id. Invite it with ${inviteUrl(APP, GUILD)}`,
    );
  });

  it('leaves any other error as it is', () => {
    const other = refused(50013, 'Missing Permissions');

    expect(explainRegistrationError(other, config)).toBe(other);
  });
});
