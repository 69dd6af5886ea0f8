import { Client, GatewayIntentBits, Partials, disableValidators } from 'discord.js';
import type { BotConfig } from '../config.js';

/**
 * Discord's rate-limit documentation says interaction endpoints are not bound to the bot's global
 * rate limit, but discord.js's REST layer counts every request, interaction replies included,
 * against its own 50 a second: a burst of commands would queue replies behind a limit that does not
 * apply to them (1000 commands in 10 s took over 20 s to answer). So the client's own global
 * limiter is set out of the way. What the bot sends with its token (board, alerts, audit posts) is
 * paced by the bot itself far below 50 a second, and a real global 429 is still waited out.
 */
export const CLIENT_GLOBAL_REQUESTS_PER_SECOND = 1_000_000;

/** The gateway client: guild events, and message events so the status board notices its own deletion. */
export function createClient(config: BotConfig): Client {
  // The builders' own checks (shapeshift) cost about a millisecond per /status reply, an Error built
  // for every union branch a value is not. Our embeds are cut to Discord's limits where they are
  // made (embeds/limits.ts, tested at every limit), and Discord checks what it receives anyway.
  disableValidators();
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    // The status board message is written over REST and never cached: deletions must still arrive.
    partials: [Partials.Message],
    // Nothing the bot writes pings anyone unless a message says so explicitly (alerts ping on-call).
    allowedMentions: { parse: [] },
    rest: {
      globalRequestsPerSecond: CLIENT_GLOBAL_REQUESTS_PER_SECOND,
      ...(config.discord.apiUrl ? { api: config.discord.apiUrl } : {}),
    },
  });
}
