import type { CommandStore } from './commands.js';
import type { Gateway } from './gateway.js';
import type { MessageStore } from './messages.js';
import type { SnowflakeGenerator } from './snowflake.js';
import type { GuildStore } from './store.js';

export interface ResolvedOptions {
  heartbeatIntervalMs: number;
  interactionDeadlineMs: number;
  maxFileBytes: number;
}

/** The emulator's parts, as route handlers and the interaction registry see them. */
export interface Core {
  store: GuildStore;
  messages: MessageStore;
  commands: CommandStore;
  gateway: Gateway;
  nextId: SnowflakeGenerator;
  options: ResolvedOptions;
}
