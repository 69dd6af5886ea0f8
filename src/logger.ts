import { pino, type Logger } from 'pino';

/** Structured logs on stdout; anything shaped like a token is redacted before it is written. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'token',
        '*.token',
        '*.*.token',
        'config.discord.token',
        'headers.authorization',
        '*.headers.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
