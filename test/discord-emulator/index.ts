// A local Discord API (REST + gateway) that the real discord.js Client logs in to, for end-to-end tests.
export {
  DiscordEmulator,
  startDiscordEmulator,
  type EmulatorEvents,
  type RequestFilter,
} from './emulator.js';
export { INTENT_GUILDS, INTENT_GUILD_MEMBERS, INTENT_GUILD_MESSAGES } from './gateway.js';
export { createSnowflakeGenerator, snowflakeTime, type SnowflakeGenerator } from './snowflake.js';
export type * from './types.js';
