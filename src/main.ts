import dotenv from 'dotenv';
import { startBot } from './bot.js';
import { loadBotConfig } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';

dotenv.config({ quiet: true });

let config;
try {
  config = loadBotConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
const logger = createLogger(config.logLevel, { secrets: [config.discord.token] });

const starting = startBot({ config, logger }).catch((err: unknown) => {
  logger.fatal({ err }, `could not start the bot: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

// Installed before start-up finishes, so that a signal arriving at any point (even right after
// "bot ready") shuts down cleanly instead of killing the process with the signal's default action.
const SHUTDOWN_DEADLINE_MS = 15_000;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A start-up still running is waited for, but not forever.
    setTimeout(() => {
      logger.error('shutdown did not finish in time');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    starting
      .then((bot) => bot.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'unclean shutdown');
          process.exit(1);
        },
      );
  });
}
