#!/usr/bin/env node
import dotenv from 'dotenv';
import { loadInviteConfig } from './config.js';
import { inviteUrl } from './discord/bot-permissions.js';
import { ConfigError } from './errors.js';

dotenv.config({ quiet: true });

// Only DISCORD_CLIENT_ID is needed (DISCORD_GUILD_ID preselects the server): the link comes before the bot can start.
try {
  const { clientId, guildId } = loadInviteConfig(process.env);
  console.log(inviteUrl(clientId, guildId));
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
