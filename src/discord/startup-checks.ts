import {
  ChannelType,
  DiscordAPIError,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type Client,
  type Guild,
  type GuildMember,
} from 'discord.js';
import type { Logger } from 'pino';
import type { BotConfig } from '../config.js';
import type { HostedContainers } from '../docker/hosts.js';
import { CHANNEL_PERMISSIONS, inviteUrl, permissionNames, type PostChannel } from './bot-permissions.js';

export interface StartupCheckOptions {
  /** Logged in and ready: the guild, its channels, roles and the bot's member are in its cache. */
  client: Client;
  config: BotConfig;
  containers: HostedContainers;
  logger: Logger;
}

/**
 * What a first-time set-up usually gets wrong, said at start-up rather than at the first alert:
 * channels the bot cannot see or post in, role ids that are no role, containers that are missing
 * or do not keep stdin open. Each problem is one warn line; none stops the bot. Resolves to the
 * lines (none when all is well).
 */
export async function runStartupChecks(options: StartupCheckOptions): Promise<string[]> {
  const { client, config, logger } = options;
  const problems: string[] = [];
  const report = (line: string) => {
    problems.push(line);
    logger.warn({ check: 'start-up' }, line);
  };
  const guild = client.guilds.cache.get(config.discord.guildId);
  if (guild) {
    const me = guild.members.me ?? (await guild.members.fetchMe().catch(() => null));
    if (me) channelProblems(guild, me, config).forEach(report);
    roleProblems(guild, config).forEach(report);
    if (me) oncallPingProblem(guild, me, config).forEach(report);
  } else {
    report(
      `DISCORD_GUILD_ID ${config.discord.guildId}: the bot is not in this server; invite it with ${inviteUrl(config.discord.clientId, config.discord.guildId)}`,
    );
  }
  (await containerProblems(options.containers)).forEach(report);
  logger.info(
    { problems: problems.length },
    problems.length === 0
      ? 'start-up checks passed: channels, roles and containers are as the bot needs them'
      : `start-up checks: ${problems.length} problem${problems.length === 1 ? '' : 's'} (above); the bot runs on`,
  );
  return problems;
}

/** The start-up's fatal error when Discord refuses the commands, with what usually causes it. */
export function explainRegistrationError(err: unknown, config: BotConfig): unknown {
  if (!(err instanceof DiscordAPIError) || err.code !== RESTJSONErrorCodes.MissingAccess) return err;
  const { clientId, guildId } = config.discord;
  return new Error(
    `Discord refused to register the slash commands in server ${guildId} (Missing Access, 50001): the bot is not in that server, or was invited without the applications.commands scope, or DISCORD_CLIENT_ID is not this bot's application id. Invite it with ${inviteUrl(clientId, guildId)}`,
    { cause: err },
  );
}

function channelProblems(guild: Guild, me: GuildMember, config: BotConfig): string[] {
  // One channel may serve several purposes (alerts default to the status channel).
  const uses = new Map<string, PostChannel[]>();
  const use = (id: string | undefined, name: PostChannel) => {
    if (id) uses.set(id, [...(uses.get(id) ?? []), name]);
  };
  use(config.status.channelId, 'STATUS_CHANNEL_ID');
  use(config.alerts.channelId, 'ALERT_CHANNEL_ID');
  use(config.auditChannelId, 'AUDIT_CHANNEL_ID');
  return [...uses].flatMap(([id, names]) => {
    const label = `${names.join(' and ')} ${id}`;
    const channel = guild.channels.cache.get(id);
    if (!channel) return [`${label}: no such channel in ${guild.name} (copy the channel's id again)`];
    const where = `${label} (#${channel.name})`;
    if (!channel.isTextBased())
      return [`${where}: a ${ChannelType[channel.type]} channel; the bot posts only in text channels`];
    const needed = names.flatMap((name) => CHANNEL_PERMISSIONS[name]);
    const held = me.permissionsIn(channel);
    const missing = needed.filter((bit) => !held.has(bit)).reduce((all, bit) => all | bit, 0n);
    if (missing === 0n) return [];
    const what =
      (missing & PermissionFlagsBits.ViewChannel) !== 0n
        ? 'the bot cannot see this channel'
        : (missing & PermissionFlagsBits.SendMessages) !== 0n
          ? 'the bot cannot post there'
          : 'the bot cannot post there as it needs to';
    return [`${where}: ${what} (missing ${permissionNames(missing)})`];
  });
}

function roleProblems(guild: Guild, config: BotConfig): string[] {
  const roles: [string, string][] = [
    ...Object.entries(config.roles).flatMap(([level, ids]) =>
      ids.map((id): [string, string] => [`ROLES_${level.toUpperCase()}`, id]),
    ),
    ...(config.alerts.oncallRoleId
      ? [['ONCALL_ROLE_ID', config.alerts.oncallRoleId] as [string, string]]
      : []),
  ];
  return roles
    .filter(([, id]) => !guild.roles.cache.has(id))
    .map(([name, id]) => `${name} ${id}: no such role in ${guild.name} (copy the role's id again)`);
}

/** Discord drops a bot's ping of a role nobody may mention, silently. */
function oncallPingProblem(guild: Guild, me: GuildMember, config: BotConfig): string[] {
  const { oncallRoleId, channelId } = config.alerts;
  const role = oncallRoleId ? guild.roles.cache.get(oncallRoleId) : undefined;
  if (!role || role.mentionable || !channelId) return [];
  const channel = guild.channels.cache.get(channelId);
  if (channel && me.permissionsIn(channel).has(PermissionFlagsBits.MentionEveryone)) return [];
  return [
    `ONCALL_ROLE_ID ${role.id} (@${role.name}): alerts will not ping it, the role is not mentionable (turn on "Allow anyone to @mention this role" in its settings)`,
  ];
}

async function containerProblems(containers: HostedContainers): Promise<string[]> {
  let listings;
  try {
    listings = await containers.listEach();
  } catch (err) {
    return [`containers not checked: ${err instanceof Error ? err.message : String(err)}`];
  }
  const several = containers.several;
  return listings.flatMap(({ host, containers: list, error }) => {
    if (error) return [`containers not checked: ${error.message}`];
    const names = host.containers.names;
    const where = (field: 'containers' | 'label') =>
      several
        ? `CONFIG_FILE hosts.${host.name}.${field}`
        : field === 'label'
          ? 'HEADLESS_LABEL'
          : 'HEADLESS_CONTAINERS';
    if (names === undefined && list.length === 0) {
      return [`${where('label')} ${host.containers.label ?? ''}: no container carries this label`];
    }
    return list.flatMap((container) => {
      if (container.state === 'missing')
        return [`${where('containers')} ${container.name}: no such container`];
      if (container.openStdin === false) {
        return [
          `${container.name}: the container does not keep stdin open, so the bot cannot type into its console (recreate it with stdin_open: true in compose, or docker run -i)`,
        ];
      }
      return [];
    });
  });
}
