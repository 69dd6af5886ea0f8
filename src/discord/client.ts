import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { BotConfig } from '../config.js';

/** The gateway client: guild events, and message events so the status board notices its own deletion. */
export function createClient(config: BotConfig): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    // The status board message is written over REST and never cached: deletions must still arrive.
    partials: [Partials.Message],
    // Nothing the bot writes pings anyone unless a message says so explicitly (alerts ping on-call).
    allowedMentions: { parse: [] },
    ...(config.discord.apiUrl ? { rest: { api: config.discord.apiUrl } } : {}),
  });
}
