import { once } from 'node:events';
import type Docker from 'dockerode';
import type { Client } from 'discord.js';
import type { Logger } from 'pino';
import { AuditLog } from './audit/audit-log.js';
import type { BotConfig } from './config.js';
import { createClient } from './discord/client.js';
import type { BotContext, CommandModule } from './discord/command.js';
import { loadCommands } from './discord/command-loader.js';
import { Confirmations } from './discord/confirmations.js';
import { Lookups, type LookupOptions } from './discord/lookups.js';
import { registerCommands } from './discord/registration.js';
import { createRouter } from './discord/router.js';
import { connectDocker, fallbackConnection } from './docker/connection.js';
import { ManagedContainers } from './docker/containers.js';
import { DockerUnreachableError } from './errors.js';
import { ServerSet } from './servers/server-set.js';
import { KeyValueStore, openDatabase } from './storage/database.js';

export interface BotOptions {
  config: BotConfig;
  logger: Logger;
  /** A Docker client to use as is (tests); otherwise DOCKER_HOST or the defaults are tried. */
  docker?: Docker;
  commands?: Map<string, CommandModule>;
  confirmTimeoutMs?: number;
  lookups?: LookupOptions;
}

export interface RunningBot {
  client: Client;
  context: BotContext;
  registration: 'registered' | 'unchanged';
  stop(): Promise<void>;
}

/** Validated config in, a logged-in bot out: Docker, database, commands, gateway, registration. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const docker = options.docker ?? (await dockerOrFallback(config, logger));
  const db = openDatabase(config.dataDir);
  const store = new KeyValueStore(db);
  const servers = new ServerSet(new ManagedContainers(docker, config.managed), config);
  const audit = new AuditLog(db);
  const context: BotContext = {
    config,
    servers,
    audit,
    logger,
    lookups: new Lookups(servers, options.lookups),
    confirmations: new Confirmations(options.confirmTimeoutMs),
  };
  const commands = options.commands ?? (await loadCommands());
  const client = createClient(config);
  client.on('interactionCreate', createRouter(context, commands));
  client.on('error', (err) => logger.error({ err }, 'discord client error'));
  const stop = async () => {
    servers.close();
    await client.destroy();
    db.close();
  };
  try {
    const ready = once(client, 'clientReady');
    await client.login(config.discord.token);
    await ready;
    const registration = await registerCommands({
      rest: client.rest,
      clientId: config.discord.clientId,
      guildId: config.discord.guildId,
      commands,
      store,
      onlyIfChanged: true,
    });
    logger.info(
      { user: client.user?.tag, guild: config.discord.guildId, commands: commands.size, registration },
      'bot ready',
    );
    return { client, context, registration, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function dockerOrFallback(config: BotConfig, logger: Logger): Promise<Docker> {
  try {
    const { docker, address } = await connectDocker(config.docker);
    logger.info({ docker: address }, 'connected to Docker');
    return docker;
  } catch (err) {
    if (!(err instanceof DockerUnreachableError)) throw err;
    // Not fatal: commands answer that the daemon is unreachable until it is back.
    const { docker, address } = fallbackConnection(config.docker);
    logger.warn({ docker: address, reason: err.message }, 'Docker is unreachable; will keep trying');
    return docker;
  }
}
