import { once } from 'node:events';
import type Docker from 'dockerode';
import { DiscordAPIError, Routes, type Client } from 'discord.js';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { startActivityChannel } from './activity/activity-channel.js';
import { AuditLog } from './audit/audit-log.js';
import type { BotConfig } from './config.js';
import { createClient } from './discord/client.js';
import type { BotContext, CommandModule } from './discord/command.js';
import { loadCommands } from './discord/command-loader.js';
import { Confirmations } from './discord/confirmations.js';
import { Lookups, type LookupOptions } from './discord/lookups.js';
import { registerCommands } from './discord/registration.js';
import { inviteUrl } from './discord/bot-permissions.js';
import { explainRegistrationError, runStartupChecks } from './discord/startup-checks.js';
import { createRouter } from './discord/router.js';
import { HostEvents } from './docker/host-events.js';
import { connectHosts, HostedContainers } from './docker/hosts.js';
import { ConfigError } from './errors.js';
import { auditLine } from './audit/audit-format.js';
import { Alerts } from './monitor/alerts.js';
import { alertButtons } from './monitor/alert-buttons.js';
import { CountdownMessages } from './automation/countdown-message.js';
import { planButtons } from './automation/plan-buttons.js';
import { DEFAULT_RESTART_WARNINGS_MS, PlannedRestarts } from './automation/planned-restarts.js';
import { LoadRules } from './automation/load-rules.js';
import { Watchdog } from './automation/watchdog.js';
import { readOccupancy } from './automation/occupancy.js';
import { ScheduleStore } from './automation/schedule-store.js';
import { Scheduler } from './automation/scheduler.js';
import { startHealthReporter } from './health/health-reporter.js';
import { PlayerHistoryRecorder } from './history/player-history.js';
import { Monitor } from './monitor/monitor.js';
import { StatusBoard } from './monitor/status-board.js';
import { Sweeper } from './monitor/sweep.js';
import type { LifecycleHold } from './servers/lifecycle-lock.js';
import { ServerSet } from './servers/server-set.js';
import { KeyValueStore, openDatabase } from './storage/database.js';
import { formatDuration } from './text.js';

/** Well below Discord's global 50 a second, which the bot's own posts share. */
const AUDIT_POSTS_PER_SECOND = 20;

export interface BotOptions {
  config: BotConfig;
  logger: Logger;
  /** A Docker client to use as is (tests); otherwise DOCKER_HOST or the defaults are tried. */
  docker?: Docker;
  commands?: Map<string, CommandModule>;
  confirmTimeoutMs?: number;
  lookups?: LookupOptions;
  /** Alert debounce window (default 10 minutes): flaps inside it edit the open alert. */
  alertDebounceMs?: number;
  /** How long the watchdog leaves a dead container to Docker's restart policy (default 30 s). */
  watchdogGraceMs?: number;
  /** How long after any start the watchdog expects a silent console (worlds loading; default 3 min). */
  watchdogStartupGraceMs?: number;
  /** How often a scheduled run waiting for its server to empty looks again (default 1 min). */
  scheduleEmptyCheckMs?: number;
  /** Least time between two activity feed messages (default 10 s). */
  activityIntervalMs?: number;
}

export interface RunningBot {
  client: Client;
  context: BotContext;
  registration: 'registered' | 'unchanged';
  monitor: Monitor | undefined;
  board: StatusBoard | undefined;
  stop(): Promise<void>;
}

/** Validated config in, a logged-in bot out: Docker, database, commands, gateway, registration. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const containers = await openHosts(config, logger, options.docker);
  const db = openDatabase(config.dataDir);
  const store = new KeyValueStore(db);
  const servers = new ServerSet(containers, config, (server, event) =>
    logger.info({ server, console: event }, `console ${event}: ${server}`),
  );
  const audit = new AuditLog(db);
  const client = createClient(config);
  const planner = new PlannedRestarts({
    servers,
    config,
    audit,
    guildId: config.discord.guildId,
    logger,
    countdown: config.alerts.channelId
      ? new CountdownMessages({
          rest: client.rest,
          channelId: config.alerts.channelId,
          oncallRoleId: config.alerts.oncallRoleId,
        })
      : undefined,
  });
  const schedules = new Scheduler({
    store: new ScheduleStore(db),
    planner,
    timezone: config.timezone,
    warnings: (server) => config.servers[server]?.restartWarnings ?? DEFAULT_RESTART_WARNINGS_MS,
    occupancy: (server) => readOccupancy(servers, server),
    logger,
    ...(options.scheduleEmptyCheckMs !== undefined ? { emptyCheckMs: options.scheduleEmptyCheckMs } : {}),
  });
  const board = config.status.channelId
    ? new StatusBoard({
        rest: client.rest,
        channelId: config.status.channelId,
        store,
        heartbeatMs: config.status.heartbeatMinutes * 60_000,
        logger,
      })
    : undefined;
  client.on('messageDelete', (message) => board?.deleted(message.channelId, message.id));
  const alerts = config.alerts.channelId
    ? new Alerts({
        rest: client.rest,
        channelId: config.alerts.channelId,
        oncallRoleId: config.alerts.oncallRoleId,
        debounceMs: options.alertDebounceMs ?? 10 * 60_000,
        logger,
        dockerHosts: new Map(containers.hosts.map((host) => [host.name, host.address])),
      })
    : undefined;
  const holds = new Map<string, LifecycleHold>();
  servers.locks.onChange((server, hold) => {
    void alerts?.setBusy(server, hold !== undefined);
    logLifecycle(logger, server, hold, holds);
  });
  const intervalMs = config.status.intervalSeconds * 1000;
  const events = new HostEvents(containers);
  const monitor =
    board || alerts || config.activityChannelId
      ? new Monitor({
          servers,
          sweeper: new Sweeper(servers, {
            consoleDeadlineMs: Math.min(config.consoleTimeoutSeconds * 1000, intervalMs / 2),
            nextRestart: (server) => soonest(planner.next(server)?.at, schedules.nextRun(server)),
          }),
          events,
          board,
          alerts,
          intervalMs,
          logger,
        })
      : undefined;
  const automation = { audit, guildId: config.discord.guildId, logger };
  const watchdog = new Watchdog({
    ...automation,
    servers,
    overrides: config.servers,
    store,
    events,
    onSweep: monitor && ((listener) => monitor.onSweep(listener)),
    alerts,
    ...(options.watchdogGraceMs !== undefined ? { graceMs: options.watchdogGraceMs } : {}),
    ...(options.watchdogStartupGraceMs !== undefined
      ? { startupGraceMs: options.watchdogStartupGraceMs }
      : {}),
  });
  const loadRules =
    monitor &&
    new LoadRules({
      ...automation,
      overrides: config.servers,
      planner,
      onSweep: (listener) => monitor.onSweep(listener),
    });
  const history = new PlayerHistoryRecorder({
    db,
    timezone: config.timezone,
    onSweep: monitor && ((listener) => monitor.onSweep(listener)),
    logger,
  });
  const activityChannel = config.activityChannelId;
  const activity =
    monitor &&
    activityChannel &&
    startActivityChannel({
      rest: client.rest,
      channelId: activityChannel,
      servers,
      onSweep: (listener) => monitor.onSweep(listener),
      overrides: config.servers,
      logger,
      intervalMs: options.activityIntervalMs,
    });
  const context: BotContext = {
    config,
    servers,
    audit,
    logger,
    lookups: new Lookups(servers, options.lookups),
    confirmations: new Confirmations(options.confirmTimeoutMs),
    planner,
    watchdog,
    schedules,
    history,
  };
  const commands = options.commands ?? (await loadCommands());
  client.on('interactionCreate', createRouter(context, commands, [alertButtons, planButtons(planner)]));
  client.on('error', (err) => logger.error({ err }, 'discord client error'));
  const auditChannel = config.auditChannelId;
  if (auditChannel) {
    // A burst of privileged commands must not push the bot's own posts past Discord's global limit.
    const posts = new PQueue({ interval: 1000, intervalCap: AUDIT_POSTS_PER_SECOND });
    audit.subscribe((row) =>
      posts
        .add(async () => {
          await client.rest.post(Routes.channelMessages(auditChannel), {
            body: { content: auditLine(row), allowed_mentions: { parse: [] } },
          });
        })
        // The record in SQLite stands; the operator learns why the channel stays empty.
        .catch((err: unknown) =>
          logger.warn(
            { err, audit: row.id },
            `AUDIT_CHANNEL_ID ${auditChannel}: could not post the audit line (${discordErrorText(err)})`,
          ),
        ),
    );
  }
  let health: { stop(): void } | undefined;
  const stop = async () => {
    await schedules.stop();
    health?.stop();
    await planner.stop();
    watchdog.stop();
    loadRules?.stop();
    if (activity) activity.stop();
    history.stop();
    monitor?.stop();
    events.stop();
    servers.close();
    await client.destroy();
    db.close();
  };
  try {
    const ready = once(client, 'clientReady');
    await client.login(config.discord.token);
    await ready;
    const healthFile = config.health.file;
    if (healthFile)
      health = startHealthReporter({
        file: healthFile,
        client,
        dockers: containers.hosts.map((h) => h.docker),
        logger,
      });
    const invite = inviteUrl(config.discord.clientId, config.discord.guildId);
    logger.info({ invite }, `invite link (asks for exactly the permissions the bot needs): ${invite}`);
    // Not awaited: a Docker host that does not answer must not hold the start-up; each problem is a line.
    void runStartupChecks({ client, config, containers, logger }).catch((err: unknown) =>
      logger.warn({ err }, 'start-up checks could not finish'),
    );
    const registration = await registerCommands({
      rest: client.rest,
      clientId: config.discord.clientId,
      guildId: config.discord.guildId,
      commands,
      store,
      onlyIfChanged: true,
    }).catch((err: unknown) => {
      throw explainRegistrationError(err, config);
    });
    monitor?.start();
    watchdog.start();
    loadRules?.start();
    history.start();
    schedules.start();
    // The watchdog hears Docker's deaths also when no monitor runs (no status or alert channel).
    events.start();
    logger.info(
      { user: client.user?.tag, guild: config.discord.guildId, commands: commands.size, registration },
      'bot ready',
    );
    return { client, context, registration, monitor, board, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** "lobby restarting, asked by <@123>", then "lobby restarting done after 12.3s". */
function logLifecycle(
  logger: Logger,
  server: string,
  hold: LifecycleHold | undefined,
  holds: Map<string, LifecycleHold>,
): void {
  if (hold) {
    holds.set(server, hold);
    logger.info(
      { server, action: hold.action, actor: hold.actor },
      `${server} ${hold.action}, asked by ${hold.actor}`,
    );
    return;
  }
  const ended = holds.get(server);
  holds.delete(server);
  if (!ended) return;
  const ms = Date.now() - ended.since;
  logger.info(
    { server, action: ended.action, actor: ended.actor, ms },
    `${server} ${ended.action} done after ${formatDuration(ms / 1000)}`,
  );
}

function soonest(...times: (number | undefined)[]): number | undefined {
  const known = times.filter((time) => time !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
}

/** "Missing Access, 50001": Discord's words and code, as its documentation lists them. */
function discordErrorText(err: unknown): string {
  if (err instanceof DiscordAPIError) return `${err.message}, ${err.code}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Every configured host, connected; one that does not answer is not fatal (commands say it is
 * unreachable until it is back). Server names found on two hosts are: a name must say one server.
 */
async function openHosts(config: BotConfig, logger: Logger, docker?: Docker): Promise<HostedContainers> {
  const { hosts, unreachable } = await connectHosts(config.hosts, docker);
  const several = hosts.length > 1;
  for (const host of hosts) {
    const down = unreachable.find((u) => u.host === host.name);
    const fields = { docker: host.address, ...(several ? { host: host.name } : {}) };
    const who = several ? `Docker host ${host.name}` : 'Docker';
    if (down) logger.warn({ ...fields, reason: down.reason }, `${who} is unreachable; will keep trying`);
    else logger.info(fields, `connected to ${who}`);
  }
  const containers = new HostedContainers(hosts);
  if (several) {
    await containers.listEach();
    const twice = [...containers.duplicates].map(
      ([server, on]) =>
        `CONFIG_FILE hosts: "${server}" is a managed container on ${on.join(' and ')}; server names must be unique across hosts (rename one, or narrow a host's label)`,
    );
    if (twice.length > 0) throw new ConfigError(twice);
  }
  return containers;
}
