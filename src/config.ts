import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.js';

export const LEVELS = ['viewer', 'moderator', 'operator', 'admin'] as const;
export type Level = (typeof LEVELS)[number];

export type ManagedSelector =
  { kind: 'names'; names: string[] } | { kind: 'label'; key: string; value: string };

export interface ServerOverride {
  displayName?: string | undefined;
  stopTimeoutSeconds?: number | undefined;
  saveBeforeStop?: boolean | undefined;
}

export interface DockerConfig {
  host?: string | undefined;
  tlsVerify: boolean;
  certPath?: string | undefined;
}

export interface CoreConfig {
  docker: DockerConfig;
  managed: ManagedSelector;
  consoleTimeoutSeconds: number;
  servers: Record<string, ServerOverride>;
  logLevel: string;
}

export interface BotConfig extends CoreConfig {
  discord: { token: string; clientId: string; guildId: string; apiUrl?: string | undefined };
  roles: Record<Level, string[]>;
  status: { channelId?: string | undefined; intervalSeconds: number; heartbeatMinutes: number };
  alerts: { channelId?: string | undefined; oncallRoleId?: string | undefined };
  auditChannelId?: string | undefined;
  dataDir: string;
  commandLevels: Record<string, Level>;
}

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
const optionalSnowflake = z.preprocess(emptyToUndefined, snowflake.optional());
const snowflakeList = z.preprocess(
  (v) => (typeof v === 'string' ? splitList(v) : []),
  z.array(snowflake.describe('role id')),
);
const positiveInt = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().positive().max(86_400).default(fallback));
const boolFlag = z.preprocess(
  emptyToUndefined,
  z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
);
const optionalText = z.preprocess(emptyToUndefined, z.string().optional());

const coreEnv = z.object({
  DOCKER_HOST: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^(unix|tcp|ssh|npipe|http|https):\/\//, 'must start with unix://, tcp://, ssh:// or npipe://')
      .optional(),
  ),
  DOCKER_TLS_VERIFY: boolFlag,
  DOCKER_CERT_PATH: optionalText,
  HEADLESS_CONTAINERS: optionalText,
  HEADLESS_LABEL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[^=\s]+=[^\s]*$/, 'must be a label selector key=value')
      .optional(),
  ),
  CONSOLE_TIMEOUT_SECONDS: positiveInt(15),
  CONFIG_FILE: optionalText,
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

const botEnv = coreEnv.extend({
  // The token's value never appears in an error: only its shape is described.
  DISCORD_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string({ error: 'is required' }).regex(/^[\w.-]{20,}$/, 'does not look like a bot token'),
  ),
  DISCORD_CLIENT_ID: z.preprocess(emptyToUndefined, snowflake.or(z.undefined()).refine(isSet, 'is required')),
  DISCORD_GUILD_ID: z.preprocess(emptyToUndefined, snowflake.or(z.undefined()).refine(isSet, 'is required')),
  DISCORD_API_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
  ROLES_VIEWER: snowflakeList,
  ROLES_MODERATOR: snowflakeList,
  ROLES_OPERATOR: snowflakeList,
  ROLES_ADMIN: snowflakeList,
  STATUS_CHANNEL_ID: optionalSnowflake,
  STATUS_INTERVAL_SECONDS: positiveInt(60),
  STATUS_HEARTBEAT_MINUTES: positiveInt(10),
  ALERT_CHANNEL_ID: optionalSnowflake,
  ONCALL_ROLE_ID: optionalSnowflake,
  AUDIT_CHANNEL_ID: optionalSnowflake,
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
});

const level = z.enum(LEVELS);
const configFile = z
  .object({
    servers: z
      .record(
        z.string(),
        z
          .object({
            displayName: z.string().min(1).max(80).optional(),
            stopTimeoutSeconds: z.number().int().positive().max(3600).optional(),
            saveBeforeStop: z.boolean().optional(),
          })
          .strict(),
      )
      .default({}),
    commands: z.record(z.string(), level).default({}),
  })
  .strict();

type Env = Record<string, string | undefined>;

/** Configuration the CLI needs: Docker and the managed servers, no Discord. */
export function loadCoreConfig(env: Env): CoreConfig {
  const { core } = parseAll(env, coreEnv);
  return core;
}

/** Full bot configuration; throws one ConfigError naming every bad field. */
export function loadBotConfig(env: Env): BotConfig {
  const { core, fields, file } = parseAll(env, botEnv);
  return {
    ...core,
    discord: {
      token: fields.DISCORD_TOKEN,
      clientId: fields.DISCORD_CLIENT_ID as string,
      guildId: fields.DISCORD_GUILD_ID as string,
      apiUrl: fields.DISCORD_API_URL,
    },
    roles: {
      viewer: fields.ROLES_VIEWER,
      moderator: fields.ROLES_MODERATOR,
      operator: fields.ROLES_OPERATOR,
      admin: fields.ROLES_ADMIN,
    },
    status: {
      channelId: fields.STATUS_CHANNEL_ID,
      intervalSeconds: fields.STATUS_INTERVAL_SECONDS,
      heartbeatMinutes: fields.STATUS_HEARTBEAT_MINUTES,
    },
    alerts: {
      channelId: fields.ALERT_CHANNEL_ID ?? fields.STATUS_CHANNEL_ID,
      oncallRoleId: fields.ONCALL_ROLE_ID,
    },
    auditChannelId: fields.AUDIT_CHANNEL_ID,
    dataDir: fields.DATA_DIR,
    commandLevels: file.commands,
  };
}

function parseAll<S extends typeof coreEnv>(env: Env, schema: S) {
  const problems: string[] = [];
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  const raw = parsed.success ? parsed.data : undefined;
  const file = readConfigFile(raw?.CONFIG_FILE ?? (env.CONFIG_FILE?.trim() || undefined), problems);
  const managed = raw ? managedSelector(raw.HEADLESS_CONTAINERS, raw.HEADLESS_LABEL, problems) : undefined;
  if (!raw || !managed || problems.length > 0) throw new ConfigError(problems);
  const core: CoreConfig = {
    docker: { host: raw.DOCKER_HOST, tlsVerify: raw.DOCKER_TLS_VERIFY, certPath: raw.DOCKER_CERT_PATH },
    managed,
    consoleTimeoutSeconds: raw.CONSOLE_TIMEOUT_SECONDS,
    servers: file.servers,
    logLevel: raw.LOG_LEVEL,
  };
  return { core, fields: raw as z.infer<S>, file };
}

function managedSelector(
  names: string | undefined,
  label: string | undefined,
  problems: string[],
): ManagedSelector | undefined {
  if (names !== undefined && label !== undefined) {
    problems.push('HEADLESS_CONTAINERS and HEADLESS_LABEL: set only one of them');
    return undefined;
  }
  if (label !== undefined) {
    const at = label.indexOf('=');
    return { kind: 'label', key: label.slice(0, at), value: label.slice(at + 1) };
  }
  const list = names === undefined ? [] : splitList(names);
  const bad = list.filter((n) => !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(n));
  if (bad.length > 0) {
    problems.push(
      `HEADLESS_CONTAINERS: not a container name or id: ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
    );
    return undefined;
  }
  if (list.length === 0) {
    problems.push(
      'HEADLESS_CONTAINERS or HEADLESS_LABEL: one is required (which containers the bot manages)',
    );
    return undefined;
  }
  return { kind: 'names', names: [...new Set(list)] };
}

function readConfigFile(path: string | undefined, problems: string[]): z.infer<typeof configFile> {
  const empty = { servers: {}, commands: {} };
  if (path === undefined) return empty;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`CONFIG_FILE: cannot read ${path}: ${(err as Error).message}`);
    return empty;
  }
  const parsed = configFile.safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    problems.push(`CONFIG_FILE ${issue.path.join('.')}: ${issue.message}`);
  return empty;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function emptyToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

function isSet(value: unknown): boolean {
  return value !== undefined;
}
