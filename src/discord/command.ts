import type { ButtonInteraction, ChatInputCommandInteraction, InteractionEditReplyOptions } from 'discord.js';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import type { BotConfig, Level } from '../config.js';
import type { ServerSet } from '../servers/server-set.js';
import type { HeadlessServer } from '../servers/headless-server.js';
import type { PlayerHistory } from '../servers/player-history.js';
import type { RestartPlanner } from '../servers/restart-plan.js';
import type { ScheduleBook } from '../servers/schedule-book.js';
import type { WatchdogSwitch } from '../servers/watchdog-switch.js';
import type { Confirmations } from './confirmations.js';
import type { Lookups } from './lookups.js';
import type { OptionDefinition, OptionValues } from './option-values.js';

/** A command as registered with Discord, plus the level it needs; one plain object per command file. */
export interface CommandDefinition {
  name: string;
  description: string;
  level: Level;
  options?: readonly OptionDefinition[];
  /** The reply is shown to the invoker only (raw console output, logs, audit). */
  ephemeral?: boolean;
}

/** `components` only for buttons offered with the answer (a confirmation's own are cleared). */
export type CommandReply = Pick<InteractionEditReplyOptions, 'content' | 'embeds' | 'files' | 'components'>;

/** What every command may use; handed in, never imported, so tests can pass real parts or fakes. */
export interface BotContext {
  config: BotConfig;
  servers: ServerSet;
  audit: AuditLog;
  logger: Logger;
  lookups: Lookups;
  confirmations: Confirmations;
  /** Planned restarts with warnings and a countdown (/restart in, schedules, load rules). */
  planner: RestartPlanner;
  /** Self-healing per server: /watchdog shows and switches it. */
  watchdog: WatchdogSwitch;
  /** Restart schedules: /schedule adds, lists, removes and skips them. */
  schedules: ScheduleBook;
  /** Users per world over time, from the monitor's sweeps: /graph charts it. */
  history: PlayerHistory;
}

export interface AuditDetail {
  server?: string;
  world?: string;
  action?: string;
}

/** What an action sees, whether a slash command or a button started it. */
export interface ActionCall {
  bot: BotContext;
  /** The member who asked, as replies name them: `@name` (plain text, so it reads the same everywhere). */
  actor: string;
  /** Adds to the audit record what becomes known while running (the server, the exact console line). */
  record(detail: AuditDetail): void;
  /** Asks the invoker to confirm; throws NotConfirmedError when cancelled or expired. */
  confirm(question: string, detail?: string): Promise<void>;
  /** Replaces the reply with a progress note while a long action runs. */
  progress(text: string): Promise<void>;
}

/** One invocation of a slash command, as its execute function sees it. */
export interface CommandCall<D extends CommandDefinition = CommandDefinition> extends ActionCall {
  interaction: ChatInputCommandInteraction;
  /** The values given, typed from the definition (text trimmed of spaces; empty text is not given). */
  options: OptionValues<D>;
  /** The server named by the `server` option (or the only one), checked against the managed containers. */
  server(): Promise<HeadlessServer>;
}

/** What a command file exports: its definition (`as const satisfies CommandDefinition`) and execute. */
export interface CommandModule<D extends CommandDefinition = CommandDefinition> {
  definition: D;
  execute(call: CommandCall<D>): Promise<CommandReply>;
  /** What the audit and the logs keep of the options given, when one may hold a secret. */
  auditOptions?(options: Record<string, unknown>): Record<string, unknown>;
}

/** What a button press asks for: it then runs through the same pipeline as a command. */
export interface ButtonAction {
  /** The command whose level the press needs (and whose override in CONFIG_FILE applies). */
  levelOf: string;
  level: Level;
  /** The audit's name for it, e.g. "alert restart". */
  command: string;
  server?: string;
  ephemeral: boolean;
  execute(call: ActionCall): Promise<CommandReply>;
}

/** Buttons under one custom id prefix (the alerts' Restart and Logs). */
export interface ButtonModule {
  prefix: string;
  /** Reads the press; a custom id it does not know gives undefined. */
  action(interaction: ButtonInteraction, bot: BotContext): Promise<ButtonAction | undefined>;
}
