import type Docker from 'dockerode';
import { Status, type Client } from 'discord.js';
import pTimeout from 'p-timeout';
import type { Logger } from 'pino';
import { writeHealthReport, type HealthReport } from './health-report.js';

export interface HealthReporterOptions {
  file: string;
  client: Client;
  /** Every host's client: Docker counts as reachable while any answers (one remote host down is no reason to restart the bot). */
  dockers: readonly Docker[];
  logger: Logger;
  intervalMs?: number;
}

const INTERVAL_MS = 5_000;
const PING_TIMEOUT_MS = 3_000;

/**
 * Keeps the health report fresh for the container's HEALTHCHECK: whether the gateway is ready and
 * Docker answers a ping, checked every few seconds. A file rather than a port: nothing to expose,
 * and the check reads it without talking to the bot.
 */
export function startHealthReporter(options: HealthReporterOptions): { stop(): void } {
  const { client, dockers, file, logger } = options;
  const report: HealthReport = { writtenAt: 0, ready: false, discordDownSince: null, dockerDownSince: null };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const now = Date.now();
    const shards = [...client.ws.shards.values()];
    const discordUp = shards.length > 0 && shards.every((shard) => shard.status === Status.Ready);
    const pings = dockers.map((docker) =>
      pTimeout(docker.ping(), { milliseconds: PING_TIMEOUT_MS }).then(
        () => true,
        () => false,
      ),
    );
    const dockerUp = (await Promise.all(pings)).some(Boolean);
    report.ready ||= discordUp;
    report.discordDownSince = discordUp ? null : (report.discordDownSince ?? now);
    report.dockerDownSince = dockerUp ? null : (report.dockerDownSince ?? now);
    report.writtenAt = Date.now();
    try {
      writeHealthReport(file, report);
    } catch (err) {
      logger.warn({ err, file }, 'could not write the health report');
    }
  };
  const loop = () => {
    void check().finally(() => {
      if (!stopped) timer = setTimeout(loop, options.intervalMs ?? INTERVAL_MS);
    });
  };
  loop();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
