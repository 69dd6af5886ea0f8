import type { APIMessage, ApplicationCommandOptionType } from 'discord.js';

export interface RoleSeed {
  id?: string;
  name: string;
  /** Permission bits; defaults to none (members still get @everyone's). */
  permissions?: bigint | string;
  position?: number;
  color?: number;
  /** "Allow anyone to @mention this role"; Discord's default for a new role is off. */
  mentionable?: boolean;
}

export interface ChannelSeed {
  id?: string;
  name: string;
  /** A `ChannelType`; defaults to GuildText (0). */
  type?: number;
  parentId?: string | null;
  topic?: string | null;
  permissionOverwrites?: OverwriteSeed[];
}

/** A channel's permission overwrite for a role (id or name; the guild id for @everyone) or a member. */
export interface OverwriteSeed {
  /** Role id or name, or member user id or username. */
  target: string;
  type: 'role' | 'member';
  allow?: bigint;
  deny?: bigint;
}

export interface MemberSeed {
  id?: string;
  username: string;
  globalName?: string | null;
  nick?: string | null;
  /** Role ids or role names (resolved when the member is added). */
  roles?: string[];
  bot?: boolean;
}

export interface EmulatorOptions {
  /** The bot token the emulator accepts on REST and IDENTIFY. */
  token?: string;
  applicationId?: string;
  botUsername?: string;
  /** Permissions of the bot's managed role; defaults to view/send/embed/attach/history/manage messages. */
  botPermissions?: bigint;
  guild?: { id?: string; name?: string; ownerId?: string; preferredLocale?: string };
  /** Permissions of @everyone; defaults to view channel, send messages, read history, use commands. */
  everyonePermissions?: bigint;
  roles?: RoleSeed[];
  /** Defaults to one text channel, `general`. */
  channels?: ChannelSeed[];
  /** Without `guild.ownerId` the first member owns the guild (one `owner` member is made if none). */
  members?: MemberSeed[];
  heartbeatIntervalMs?: number;
  /** Discord's 3 s deadline for the first interaction callback. */
  interactionDeadlineMs?: number;
  /** Per-file upload limit (Discord's default for bots is 10 MiB). */
  maxFileBytes?: number;
}

export interface StoredFile {
  /** The multipart field, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export interface RecordedBodyMultipart {
  payload: unknown;
  files: StoredFile[];
}

export interface RequestRecord {
  /** Position in `emulator.requests`. */
  index: number;
  method: string;
  /** Decoded path below `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, `{ payload, files }` for multipart, null when empty. */
  body: unknown;
  /** Every byte of the body as received (multipart parts and unparsable bodies included). */
  rawBody: Buffer;
  at: number;
  status: number;
  /** The JSON the emulator answered with (null for 204). */
  response: unknown;
  /** Answered by a `failNext` fault instead of the route. */
  injected: boolean;
  /** No route matched: the bot called something the emulator (or Discord) does not serve. */
  unknownRoute: boolean;
}

export interface FaultSpec {
  method?: string;
  /** Matched against the decoded path below `/api/v10`. */
  path: RegExp | string;
  status: number;
  body?: unknown;
  /** Seconds, for 429 (`Retry-After`, `retry_after`, `X-RateLimit-Reset-After`); default 0.05. */
  retryAfter?: number;
  /** How many matching requests fail; default 1. */
  count?: number;
  headers?: Record<string, string>;
  /**
   * The route runs first and only its answer is replaced: Discord did the work but the client never
   * learns (a 500 or 502 after the write), so a retry repeats it.
   */
  processed?: boolean;
}

export interface Fault {
  readonly spec: FaultSpec;
  remaining: number;
  readonly hits: RequestRecord[];
}

/** A message as the emulator holds it: Discord's shape plus the uploaded file contents. */
export type MessageState = APIMessage & { files: StoredFile[] };

export interface CommandOptionInput {
  name: string;
  /** Inferred from the registered command when omitted. */
  type?: ApplicationCommandOptionType;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOptionInput[];
}

export interface SendCommandInput {
  name: string;
  options?: CommandOptionInput[];
  /** User id of the invoking member. */
  member: string;
  /** Defaults to the first text channel. */
  channelId?: string;
  locale?: string;
  /** Dispatch even if Discord would hide the command from this member (default_member_permissions). */
  force?: boolean;
  /** Override the callback deadline for this interaction only. */
  deadlineMs?: number;
}

export interface PressButtonInput {
  customId: string;
  messageId: string;
  /** Defaults to the channel holding `messageId`. */
  channelId?: string;
  member: string;
  locale?: string;
  deadlineMs?: number;
}

export interface AutocompleteChoice {
  name: string;
  value: string | number;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly dispatchedAt: number;
  /** The INTERACTION_CREATE payload as sent. */
  readonly payload: Record<string, unknown>;
  /** Every callback request for this interaction (accepted or refused), in order. */
  readonly callbacks: RequestRecord[];
  /** Resolves when the callback deadline has passed (for tests of late answers). */
  readonly expired: Promise<void>;
  waitForCallback(timeoutMs?: number): Promise<RequestRecord>;
  /** Next state of @original (after the previous `waitForReply`) that is not a loading placeholder. */
  waitForReply(predicate?: (message: MessageState) => boolean, timeoutMs?: number): Promise<MessageState>;
  /** Choices of the accepted autocomplete callback; rejects with Discord's error if it was refused. */
  waitForChoices(timeoutMs?: number): Promise<AutocompleteChoice[]>;
  original(): MessageState | null;
  followUps(): MessageState[];
}

export type MessageChange =
  | { kind: 'create' | 'update'; message: MessageState }
  | { kind: 'delete'; channelId: string; id: string; ephemeral: boolean };

export interface GatewayEvent {
  kind: 'connect' | 'identify' | 'resume' | 'close' | 'heartbeat';
  sessionId: string | null;
  code?: number;
}

export interface DispatchEvent {
  t: string;
  d: unknown;
}
