import { createRequire } from 'node:module';
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { maskConsoleSecretsInText } from './console/secrets.js';

export interface LoggerOptions {
  /** Values censored wherever they appear in a line, e.g. the bot token. */
  secrets?: readonly string[];
  /** Where the lines go; stdout when absent. Lines are pretty when it is a terminal (`isTTY`). */
  destination?: DestinationStream & { isTTY?: boolean };
  /** Colours in pretty lines; pino-pretty's own guess (NO_COLOR, FORCE_COLOR, the terminal) when absent. */
  colorize?: boolean;
}

const CENSOR = '[redacted]';
/** An interaction token is the credential to answer it, in its callback and webhook paths. */
const TOKEN_IN_PATH = /(\/(?:interactions|webhooks)\/\d+\/)[^/?#\s"'`<>]+/g;
const SECRET_KEY = /^(?:token|authorization)$/i;
/** Shorter values would censor common words; tokens are far longer. */
const MIN_SECRET_LENGTH = 8;

/**
 * Structured logs on stdout: JSON lines for a log collector, or pretty lines when a person watches
 * a terminal. Nothing a call site logs can carry a credential out: Discord's REST errors are
 * reduced to method, route and code, and every line is scrubbed as a whole before it is written
 * (token-named fields, interaction tokens in URLs, the given secrets, login passwords); pretty
 * lines are made from the scrubbed JSON.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const terminal = options.destination ?? process.stdout;
  const destination = terminal.isTTY === true ? prettyOn(terminal, options.colorize) : options.destination;
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= MIN_SECRET_LENGTH);
  const scrubText = (text: string) => scrubString(text, secrets);
  return pino(
    {
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
        censor: CENSOR,
      },
      serializers: { err: serializeError },
      hooks: { streamWrite: (line) => scrubLine(line, scrubText) },
    },
    destination,
  );
}

/**
 * pino-pretty as a plain function on each line, in this thread and synchronous (a last fatal line
 * is written before the process exits); loaded only for a terminal, so a JSON-logging bot never
 * holds it in memory.
 */
function prettyOn(target: DestinationStream, colorize: boolean | undefined): DestinationStream {
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  const pretty = prettyFactory({
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss',
    ignore: 'pid,hostname',
    ...(colorize !== undefined ? { colorize } : {}),
  });
  return { write: (line: string) => target.write(pretty(line)) };
}

/** A REST error without its URL (it holds the interaction token) or request body; others as pino does. */
function serializeError(err: unknown): unknown {
  if (err instanceof DiscordAPIError || err instanceof HTTPError) {
    return {
      type: err instanceof DiscordAPIError ? 'DiscordAPIError' : 'HTTPError',
      message: err.message,
      method: err.method,
      route: discordRoute(err.url),
      status: err.status,
      ...(err instanceof DiscordAPIError ? { code: err.code } : {}),
      stack: err.stack,
    };
  }
  if (err instanceof RateLimitError) {
    return {
      type: 'RateLimitError',
      method: err.method,
      route: discordRoute(err.url),
      status: 429,
      global: err.global,
      scope: err.scope,
      retryAfter: err.retryAfter,
    };
  }
  return stdSerializers.err(err as Error);
}

/** The API path below /api/vN, e.g. `/interactions/:id/:token/callback`. */
export function discordRoute(url: string): string {
  return decodePath(pathOf(url))
    .replace(/^\/api(?:\/v\d+)?/, '')
    .replace(/^\/(interactions|webhooks)\/\d+\/[^/]+/, '/$1/:id/:token');
}

/** discord.js sends `@original` as `%40original`. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.replace(/[?#].*$/s, '');
  }
}

function scrubString(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) scrubbed = scrubbed.split(secret).join(CENSOR);
  return maskConsoleSecretsInText(scrubbed.replace(TOKEN_IN_PATH, '$1:token'));
}

/**
 * Works on the parsed line, so that it reaches the message, nested objects and error stacks alike,
 * and a secret is found whatever JSON escaping it got.
 */
function scrubLine(line: string, scrub: (text: string) => string): string {
  try {
    return `${JSON.stringify(scrubValue(JSON.parse(line), scrub))}\n`;
  } catch {
    return scrub(line);
  }
}

function scrubValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      scrub(key),
      SECRET_KEY.test(key) && item !== null ? CENSOR : scrubValue(item, scrub),
    ]),
  );
}
