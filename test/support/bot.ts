/**
 * A running bot for end-to-end tests: the real discord.js client logged in to the local Discord
 * emulator, the real Docker adapter on fake headless containers, SQLite in a temp folder.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { pino, type Logger } from 'pino';
import { startBot, type RunningBot } from '../../src/bot.js';
import { loadBotConfig } from '../../src/config.js';
import { startDiscordEmulator, type DiscordEmulator } from '../discord-emulator/index.js';
import type { InteractionHandle, MessageState } from '../discord-emulator/types.js';
import { docker } from './docker.js';

export const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAw.emulator.test-token-0123456789';
export const LEVEL_NAMES = ['viewer', 'moderator', 'operator', 'admin'] as const;
/**
 * How long a test waits for the alert about a death: a kill's alert comes after the 2 s wait for a
 * stop event and the 5 s hold, about 7 s on an idle machine; the rest is room for a loaded one.
 */
export const DEATH_ALERT_WAIT_MS = 30_000;

export interface Harness {
  emulator: DiscordEmulator;
  bot: RunningBot;
  dataDir: string;
  /** Member user ids by level; `nobody` has no mapped role. */
  member: Record<(typeof LEVEL_NAMES)[number] | 'nobody', string>;
  channel: Record<'general' | 'status' | 'alerts' | 'audit' | 'activity', string>;
  role: Record<(typeof LEVEL_NAMES)[number] | 'oncall', string>;
  /** Sends a slash command as a member in #general (an admin unless `as` says otherwise), without waiting. */
  send(name: string, options: Record<string, unknown>, as?: string): InteractionHandle;
  /** Sends a slash command as a member and waits for the bot's final (non-placeholder) reply. */
  command(name: string, options: Record<string, unknown>, as?: string): Promise<CommandResult>;
  restartBot(extraEnv?: Record<string, string>): Promise<RunningBot>;
  stop(): Promise<void>;
}

export interface CommandResult {
  handle: InteractionHandle;
  /** The reply the invoker sees: @original, or the ephemeral follow-up carrying an error. */
  reply: MessageState;
  ephemeral: boolean;
  text: string;
}

/** One Docker host of CONFIG_FILE's `hosts`, as the bot reads it. */
export interface HarnessHost {
  url: string;
  containers?: string[];
  label?: string;
}

export interface HarnessOptions {
  /** HEADLESS_CONTAINERS; left out (with the injected Docker client) when `hosts` is given. */
  containers?: string[];
  /** CONFIG_FILE's `hosts`, merged into the env's CONFIG_FILE if there is one: the bot connects to each itself. */
  hosts?: Record<string, HarnessHost>;
  env?: Record<string, string>;
  /** Status board in #status and alerts in #alerts; tests sweep with `bot.monitor.sweepNow()` (the timer is slow). */
  monitor?: boolean;
  /** Privileged actions also posted in #audit. */
  auditChannel?: boolean;
  /** The activity feed in #activity (ACTIVITY_CHANNEL_ID). */
  activityChannel?: boolean;
  /** Another Docker client (e.g. through a proxy the test can cut). */
  docker?: Docker;
  alertDebounceMs?: number;
  /** How long the watchdog leaves a dead container to Docker before starting it (the bot's default: 30 s). */
  watchdogGraceMs?: number;
  /** How long after a start the watchdog expects a silent console (the bot's default: 3 min). */
  watchdogStartupGraceMs?: number;
  /** How often a scheduled run waiting for its server to empty looks again (the bot's default: 1 min). */
  scheduleEmptyCheckMs?: number;
  confirmTimeoutMs?: number;
  /** Least time between two activity feed messages (the bot's default: 10 s). */
  activityIntervalMs?: number;
  dataDir?: string;
  /** The bot's logger (a test reading the log lines passes its own); silent by default. */
  logger?: Logger;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const emulator = await startDiscordEmulator({
    token: TOKEN,
    // On-call is mentionable, as docs/operators.md asks: a bot's ping reaches it only then.
    roles: [...LEVEL_NAMES.map((name) => ({ name })), { name: 'oncall', mentionable: true }],
    channels: [
      { name: 'general' },
      { name: 'status' },
      { name: 'alerts' },
      { name: 'audit' },
      { name: 'activity' },
    ],
    members: [
      { username: 'owner' },
      ...LEVEL_NAMES.map((level) => ({ username: level, roles: [level] })),
      { username: 'nobody' },
    ],
  });
  const role = Object.fromEntries(
    [...LEVEL_NAMES, 'oncall'].map((n) => [n, emulator.role(n).id]),
  ) as Harness['role'];
  const member = Object.fromEntries(
    [...LEVEL_NAMES, 'nobody'].map((n) => [n, emulator.member(n).user.id]),
  ) as Harness['member'];
  const channel = Object.fromEntries(
    ['general', 'status', 'alerts', 'audit', 'activity'].map((n) => [n, emulator.channel(n).id]),
  ) as Harness['channel'];
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rhb-data-'));
  const env = (extra: Record<string, string> = {}) => ({
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: emulator.applicationId,
    DISCORD_GUILD_ID: emulator.guildId,
    DISCORD_API_URL: emulator.apiUrl,
    ...(options.hosts ? {} : { HEADLESS_CONTAINERS: (options.containers ?? []).join(',') }),
    ROLES_VIEWER: role.viewer,
    ROLES_MODERATOR: role.moderator,
    ROLES_OPERATOR: role.operator,
    ROLES_ADMIN: role.admin,
    ONCALL_ROLE_ID: role.oncall,
    CONSOLE_TIMEOUT_SECONDS: '3',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(options.monitor
      ? { STATUS_CHANNEL_ID: channel.status, ALERT_CHANNEL_ID: channel.alerts, STATUS_INTERVAL_SECONDS: '30' }
      : {}),
    ...(options.auditChannel ? { AUDIT_CHANNEL_ID: channel.audit } : {}),
    ...(options.activityChannel ? { ACTIVITY_CHANNEL_ID: channel.activity } : {}),
    ...options.env,
    ...extra,
    ...(options.hosts
      ? { CONFIG_FILE: withHosts(extra.CONFIG_FILE ?? options.env?.CONFIG_FILE, options.hosts, dataDir) }
      : {}),
  });
  const launch = (extra?: Record<string, string>) =>
    startBot({
      config: loadBotConfig(env(extra)),
      logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      docker: options.hosts ? undefined : (options.docker ?? docker),
      alertDebounceMs: options.alertDebounceMs,
      watchdogGraceMs: options.watchdogGraceMs,
      watchdogStartupGraceMs: options.watchdogStartupGraceMs,
      scheduleEmptyCheckMs: options.scheduleEmptyCheckMs,
      activityIntervalMs: options.activityIntervalMs,
      confirmTimeoutMs: options.confirmTimeoutMs ?? 5_000,
      lookups: { waitMs: 1_000 },
    });
  let bot: RunningBot;
  try {
    bot = await launch();
  } catch (err) {
    // Nobody gets a harness to stop: close the emulator here, or it outlives the suite.
    await emulator.close();
    throw err;
  }
  const send: Harness['send'] = (name, opts, as = member.admin) =>
    emulator.sendCommand({ name, options: toOptions(opts), member: as, channelId: channel.general });

  const harness: Harness = {
    emulator,
    get bot() {
      return bot;
    },
    dataDir,
    member,
    channel,
    role,
    send,
    async command(name, opts, as) {
      return settle(emulator, send(name, opts, as));
    },
    async restartBot(extraEnv) {
      await bot.stop();
      bot = await launch(extraEnv);
      return bot;
    },
    async stop() {
      await bot.stop();
      await emulator.close();
    },
  };
  return harness;
}

/** A CONFIG_FILE in the data dir: the given one's content (if any) with `hosts` set. */
function withHosts(file: string | undefined, hosts: Record<string, HarnessHost>, dataDir: string): string {
  const content = file ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const path = join(dataDir, 'config-hosts.json');
  writeFileSync(path, JSON.stringify({ ...content, hosts }, null, 2));
  return path;
}

/** Turns `{ user: 'bob', world: undefined }` into the emulator's option list; a `sub` key picks a subcommand. */
export function toOptions(opts: Record<string, unknown>) {
  const { sub, ...rest } = opts;
  const list = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([name, value]) => ({ name, value: value as string | number | boolean }));
  return typeof sub === 'string' ? [{ name: sub, options: list }] : list;
}

/** The invoker's final answer so far: an ephemeral follow-up, or an @original that is neither a placeholder nor a question. */
export function finalReply(handle: InteractionHandle): MessageState | undefined {
  const followUp = handle.followUps().at(-1);
  if (followUp) return followUp;
  const original = handle.original();
  return original && !isPlaceholder(original) && !hasButtons(original) ? original : undefined;
}

/** Waits, on recorded requests (ephemeral replies make no message events), until the interaction has its final answer. */
export async function settle(emulator: DiscordEmulator, handle: InteractionHandle, timeoutMs = 15_000) {
  const done = finalReply(handle);
  if (done) return result(handle, done);
  await emulator.waitForRequest(() => finalReply(handle) !== undefined, timeoutMs);
  return result(handle, finalReply(handle)!);
}

export function result(handle: InteractionHandle, reply: MessageState): CommandResult {
  const ephemeral = ((reply.flags ?? 0) & 64) !== 0;
  const text = [
    reply.content ?? '',
    ...(reply.embeds ?? []).flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ].join('\n');
  return { handle, reply, ephemeral, text };
}

/** Text as a member reads it: the zero-width spaces that neutralize mentions are invisible. */
export function visible(text: string): string {
  return text.replaceAll('\u200b', '');
}

function isPlaceholder(message: MessageState): boolean {
  return (
    ((message.flags ?? 0) & 128) !== 0 ||
    (message.content === '' &&
      (message.embeds ?? []).length === 0 &&
      (message.attachments ?? []).length === 0)
  );
}

/** A question still on screen (buttons, enabled or already pressed): the final answer replaces them. */
export function hasButtons(message: MessageState): boolean {
  return (message.components ?? []).some(
    (row) => 'components' in row && row.components.some((c) => c.type === 2),
  );
}

/** The custom id of a question's Confirm (`yes`) or Cancel (`no`) button. */
export function buttonId(message: MessageState, choice: 'yes' | 'no'): string {
  const ids = (message.components ?? []).flatMap((row) =>
    'components' in row ? row.components.map((c) => ('custom_id' in c ? c.custom_id : '')) : [],
  );
  const id = ids.find((x) => x.endsWith(`:${choice}`));
  if (id === undefined) throw new Error(`no "${choice}" button among ${ids.join(', ') || 'none'}`);
  return id;
}
