import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { ConfigError } from './errors.js';

export const LEVELS = ['viewer', 'moderator', 'operator', 'admin'] as const;
export type Level = (typeof LEVELS)[number];

export type ManagedSelector =
  { kind: 'names'; names: string[] } | { kind: 'label'; key: string; value: string };

export interface ServerOverride {
  displayName?: string | undefined;
  stopTimeoutSeconds?: number | undefined;
  saveBeforeStop?: boolean | undefined;
  /** The watchdog's default for this server; `/watchdog` overrides it (persisted). */
  autoRecover?: boolean | undefined;
  loadRules?: LoadRules | undefined;
  /** Before a planned restart, how long ahead (ms) each warning goes out, largest first. */
  restartWarnings?: number[] | undefined;
  /** The dynamic impulse tag a world built to react shows the restart warning on. */
  restartImpulseTag?: string | undefined;
  /** Also `message` each present user (reaches only the headless's contacts). */
  messageUsersBeforeRestart?: boolean | undefined;
  /** Where the headless's own Config.json is inside its container (default /Config/Config.json). */
  headlessConfigPath?: string | undefined;
  /** Worlds (by name) the activity feed keeps quiet about. */
  activityOptOut?: string[] | undefined;
}

/** Memory above a share of the container's limit ("90%") or above a size ("6GiB"); `text` is as written. */
export type MemoryThreshold =
  { kind: 'share'; share: number; text: string } | { kind: 'bytes'; bytes: number; text: string };

/** Sustained load that plans a restart with warnings (never an immediate kill). */
export interface LoadRules {
  memory?: { above: MemoryThreshold; forMinutes: number } | undefined;
  /** `above`: percent of one CPU, as `docker stats` shows it (200 = two cores busy). */
  cpu?: { above: number; forMinutes: number } | undefined;
}

export interface DockerConfig {
  host?: string | undefined;
  tlsVerify: boolean;
  certPath?: string | undefined;
  /** ssh:// only: the private key to log in with (otherwise the agent at SSH_AUTH_SOCK). */
  identityFile?: string | undefined;
  /** ssh:// only: the known_hosts file the host's key must be in (default ~/.ssh/known_hosts). */
  knownHostsFile?: string | undefined;
}

/** One Docker engine and the servers the bot manages on it. */
export interface HostConfig {
  /** How the board, alerts and errors name it ("eu-1"); DEFAULT_HOST when none are listed. */
  name: string;
  docker: DockerConfig;
  managed: ManagedSelector;
}

/** The name of the one host configured through DOCKER_HOST and HEADLESS_* (CONFIG_FILE lists none). */
export const DEFAULT_HOST = 'docker';

export interface CoreConfig {
  /** One entry from the environment, or CONFIG_FILE's `hosts` in their order. */
  hosts: HostConfig[];
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
  /** Who joins and leaves, worlds and servers starting and stopping (ACTIVITY_CHANNEL_ID). */
  activityChannelId?: string | undefined;
  dataDir: string;
  /** Where the container's HEALTHCHECK reads the bot's health report (HEALTH_FILE; unset: none kept). */
  health: HealthCheckConfig;
  /** IANA zone schedules are read in (TZ, default UTC). */
  timezone: string;
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

export interface HealthCheckConfig {
  file?: string | undefined;
  /** How long the bot may be cut off from Discord or Docker before it is unhealthy. */
  graceSeconds: number;
}

const healthEnv = z.object({
  HEALTH_FILE: optionalText,
  HEALTH_GRACE_SECONDS: positiveInt(60),
});

/** What the image's HEALTHCHECK needs, and nothing else: it runs beside the bot, not as it. */
export function loadHealthCheckConfig(env: Env): HealthCheckConfig {
  const parsed = healthEnv.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return { file: parsed.data.HEALTH_FILE, graceSeconds: parsed.data.HEALTH_GRACE_SECONDS };
}

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
  ACTIVITY_CHANNEL_ID: optionalSnowflake,
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  ...healthEnv.shape,
  TZ: z.preprocess(
    emptyToUndefined,
    z.string().default('UTC').refine(isTimeZone, 'must be an IANA timezone such as Europe/Berlin, or UTC'),
  ),
});

const inviteEnv = z.object({
  DISCORD_CLIENT_ID: botEnv.shape.DISCORD_CLIENT_ID,
  DISCORD_GUILD_ID: optionalSnowflake,
});

/** What the invite link needs, and nothing else: it is printed before the rest is filled in. */
export function loadInviteConfig(env: Env): { clientId: string; guildId?: string | undefined } {
  const parsed = inviteEnv.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return { clientId: parsed.data.DISCORD_CLIENT_ID as string, guildId: parsed.data.DISCORD_GUILD_ID };
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};
const memoryThreshold = z.string().transform((written, ctx): MemoryThreshold => {
  const text = written.trim();
  const share = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (share) {
    const percent = Number(share[1]);
    if (percent > 0 && percent < 100) return { kind: 'share', share: percent / 100, text };
    ctx.addIssue({ code: 'custom', message: 'a share of the memory limit must be above 0% and below 100%' });
    return z.NEVER;
  }
  const size = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text);
  const unit = size ? SIZE_UNITS[size[2]!.toLowerCase()] : undefined;
  if (size && unit !== undefined && Number(size[1]) > 0)
    return { kind: 'bytes', bytes: Math.round(Number(size[1]) * unit), text };
  ctx.addIssue({
    code: 'custom',
    message: 'must be a share of the memory limit ("90%") or a size with its unit ("6GiB", "512MiB", "8GB")',
  });
  return z.NEVER;
});
const forMinutes = z
  .number({ error: 'must be a number of minutes' })
  .int('must be whole minutes')
  .positive('must be at least 1')
  .max(1440, 'must be at most 1440 (a day)');
const loadRules = z
  .object({
    memory: z.object({ above: memoryThreshold, forMinutes }).strict().optional(),
    cpu: z
      .object({
        above: z
          .number({ error: 'must be a percentage of one CPU (95; 200 = two cores busy)' })
          .positive('must be above 0')
          .max(6400, 'must be at most 6400'),
        forMinutes,
      })
      .strict()
      .optional(),
  })
  .strict();

const level = z.enum(LEVELS);
const DAY_MS = 86_400_000;
// "10m" in, milliseconds out; a planned restart is at most a day ahead, so is any warning.
const warningOffset = z.string().transform((text, ctx) => {
  try {
    const ms = parseDuration(text);
    if (ms <= DAY_MS) return ms;
    ctx.addIssue({ code: 'custom', message: `\`${text}\`: at most 24h` });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
  return z.NEVER;
});
const HOST_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,31}$/;
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const hostEntry = z
  .object({
    url: z
      .string({ error: 'is required (unix://, tcp://, ssh://, http:// or https://)' })
      .regex(
        /^(unix|tcp|ssh|http|https):\/\/\S+$/,
        'must start with unix://, tcp://, ssh://, http:// or https://',
      ),
    containers: z
      .array(z.string().regex(CONTAINER_NAME, 'must be a container name or id'))
      .min(1, 'must name at least one container')
      .optional(),
    label: z
      .string()
      .regex(/^[^=\s]+=[^\s]*$/, 'must be a label selector key=value')
      .optional(),
    tlsVerify: z.boolean().optional(),
    certPath: z.string().min(1).optional(),
    identityFile: z.string().min(1).optional(),
    knownHostsFile: z.string().min(1).optional(),
  })
  .strict()
  .refine((host) => (host.containers === undefined) !== (host.label === undefined), {
    message: 'set exactly one of `containers` and `label` (which containers the bot manages there)',
  });
const configFile = z
  .object({
    hosts: z
      .record(z.string().regex(HOST_NAME, 'a host name is letters, digits, _ . or - (at most 32)'), hostEntry)
      .refine((hosts) => Object.keys(hosts).length > 0, 'list at least one host, or leave `hosts` out')
      .optional(),
    servers: z
      .record(
        z.string(),
        z
          .object({
            displayName: z.string().min(1).max(80).optional(),
            stopTimeoutSeconds: z.number().int().positive().max(3600).optional(),
            saveBeforeStop: z.boolean().optional(),
            autoRecover: z.boolean().optional(),
            loadRules: loadRules.optional(),
            restartWarnings: z.array(warningOffset).max(10).optional(),
            restartImpulseTag: z
              .string()
              .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be letters, digits, _ . or - (at most 64)')
              .optional(),
            messageUsersBeforeRestart: z.boolean().optional(),
            headlessConfigPath: z
              .string()
              .regex(
                /^\/[^\0]*[^/]$/,
                'must be an absolute path to a file in the container, like /Config/Config.json',
              )
              .optional(),
            activityOptOut: z
              .array(z.string().min(1, 'must be a world name').max(256, 'must be at most 256 characters'))
              .max(100)
              .optional(),
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
    activityChannelId: fields.ACTIVITY_CHANNEL_ID,
    dataDir: fields.DATA_DIR,
    health: { file: fields.HEALTH_FILE, graceSeconds: fields.HEALTH_GRACE_SECONDS },
    timezone: fields.TZ,
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
  // A `hosts` list the file got wrong is reported as such, not as missing HEADLESS_* variables.
  const hosts = raw && !file.badHosts ? hostsOf(raw, file.hosts, problems) : undefined;
  if (!raw || !hosts || problems.length > 0) throw new ConfigError(problems);
  const core: CoreConfig = {
    hosts,
    consoleTimeoutSeconds: raw.CONSOLE_TIMEOUT_SECONDS,
    servers: file.servers,
    logLevel: raw.LOG_LEVEL,
  };
  return { core, fields: raw as z.infer<S>, file };
}

/** CONFIG_FILE's hosts, or the one host DOCKER_HOST and HEADLESS_* describe: never both. */
function hostsOf(
  raw: z.infer<typeof coreEnv>,
  listed: z.infer<typeof configFile>['hosts'],
  problems: string[],
): HostConfig[] | undefined {
  if (listed === undefined) {
    const managed = managedSelector(raw.HEADLESS_CONTAINERS, raw.HEADLESS_LABEL, problems);
    if (!managed) return undefined;
    const docker = {
      host: raw.DOCKER_HOST,
      tlsVerify: raw.DOCKER_TLS_VERIFY,
      certPath: raw.DOCKER_CERT_PATH,
    };
    return [{ name: DEFAULT_HOST, docker, managed }];
  }
  const envSet = [
    ...(['DOCKER_HOST', 'DOCKER_CERT_PATH', 'HEADLESS_CONTAINERS', 'HEADLESS_LABEL'] as const).filter(
      (key) => raw[key] !== undefined,
    ),
    ...(raw.DOCKER_TLS_VERIFY ? ['DOCKER_TLS_VERIFY'] : []),
  ];
  for (const key of envSet)
    problems.push(
      `${key}: CONFIG_FILE lists hosts, each with its own url and containers: leave ${key} unset`,
    );
  const hosts = Object.entries(listed).map(([name, entry]): HostConfig => {
    const managed: ManagedSelector = entry.label
      ? labelSelector(entry.label)
      : { kind: 'names', names: [...new Set(entry.containers ?? [])] };
    return {
      name,
      docker: {
        host: entry.url,
        tlsVerify: entry.tlsVerify ?? false,
        certPath: entry.certPath,
        identityFile: entry.identityFile,
        knownHostsFile: entry.knownHostsFile,
      },
      managed,
    };
  });
  // A server name must say one server: the same container name on two hosts is refused here, or at start-up for labels.
  const owner = new Map<string, string>();
  for (const host of hosts) {
    if (host.managed.kind !== 'names') continue;
    for (const server of host.managed.names) {
      const first = owner.get(server);
      if (first === undefined) owner.set(server, host.name);
      else
        problems.push(
          `CONFIG_FILE hosts.${host.name}.containers: "${server}" is also on host ${first}; server names must be unique across hosts`,
        );
    }
  }
  return envSet.length > 0 ? undefined : hosts;
}

function labelSelector(label: string): ManagedSelector {
  const at = label.indexOf('=');
  return { kind: 'label', key: label.slice(0, at), value: label.slice(at + 1) };
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
  if (label !== undefined) return labelSelector(label);
  const list = names === undefined ? [] : splitList(names);
  const bad = list.filter((n) => !CONTAINER_NAME.test(n));
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

function readConfigFile(
  path: string | undefined,
  problems: string[],
): z.infer<typeof configFile> & { badHosts?: boolean } {
  const empty = { servers: {}, commands: {}, hosts: undefined };
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
  for (const issue of parsed.error.issues) {
    // A bad record key's own message is inside ("Invalid key in record" says nothing).
    const message =
      issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    problems.push(`CONFIG_FILE ${issue.path.join('.')}: ${message}`);
  }
  return { ...empty, badHosts: typeof json === 'object' && json !== null && 'hosts' in json };
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

/** Whether `zone` is a timezone name (Europe/Berlin, UTC) the runtime knows; offsets such as +01:00 are not. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  // The default needs no ICU: asking Intl loads its time zone data (megabytes of resident memory).
  if (zone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isSet(value: unknown): boolean {
  return value !== undefined;
}
