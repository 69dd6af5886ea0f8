import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { MASK } from '../src/console/secrets.js';
import { ConsoleTimeoutError } from '../src/errors.js';
import { createLogger, discordRoute } from '../src/logger.js';

const BOT_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAw.emulator.test-token-0123456789';
const INTERACTION_TOKEN = `aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpUb2tlbg-${'x'.repeat(40)}`;
const APP = '100000000000000000';
const INTERACTION = '1234567890123456789';
const API = 'https://discord.com/api/v10';
const CALLBACK_URL = `${API}/interactions/${INTERACTION}/${INTERACTION_TOKEN}/callback?with_response=false`;
// As discord.js sends it: `@` encoded.
const WEBHOOK_URL = `${API}/webhooks/${APP}/${INTERACTION_TOKEN}/messages/%40original`;

/** A logger writing into an array, as main.ts creates it. */
function capture(level = 'debug') {
  const lines: string[] = [];
  const logger = createLogger(level, {
    secrets: [BOT_TOKEN],
    destination: { write: (line: string) => void lines.push(line) },
  });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

/** What @discordjs/rest throws on a 4xx: Discord's body, its code, the status, the method, the full URL, the request. */
function apiError(status: number, code: number, message: string, method: string, url: string) {
  return new DiscordAPIError({ code, message }, code, status, method, url, {
    body: { type: 4, data: { content: `Lobby> secret reply for ${INTERACTION_TOKEN}` } },
    files: [{ name: 'console.txt', data: Buffer.from('file body') }],
  });
}

function expectClean(lines: string[]): void {
  const all = lines.join('');
  expect(all).not.toContain(INTERACTION_TOKEN);
  expect(all).not.toContain(BOT_TOKEN);
  expect(all).not.toContain('secret reply');
  expect(all).not.toContain('file body');
}

describe('createLogger: Discord REST errors', () => {
  it('logs a rejected interaction callback with method, route and code, without the URL token or the request body', () => {
    const { logger, lines, parsed } = capture();
    logger.error(
      { err: apiError(404, 10062, 'Unknown interaction', 'POST', CALLBACK_URL) },
      'interaction failed',
    );

    expect(parsed()[0]?.err).toEqual({
      type: 'DiscordAPIError',
      message: 'Unknown interaction',
      method: 'POST',
      route: '/interactions/:id/:token/callback',
      status: 404,
      code: 10062,
      stack: expect.stringContaining('DiscordAPIError[10062]: Unknown interaction'),
    });
    expectClean(lines);
  });

  it('logs a failed webhook edit by its route, also when the error is logged on its own', () => {
    const { logger, lines, parsed } = capture();
    logger.error(apiError(400, 50035, 'Invalid Form Body', 'PATCH', WEBHOOK_URL));

    expect(parsed()[0]).toMatchObject({
      msg: 'Invalid Form Body',
      err: { method: 'PATCH', route: '/webhooks/:id/:token/messages/@original', status: 400, code: 50035 },
    });
    expectClean(lines);
  });

  it('logs a 5xx HTTPError and a RateLimitError by method, route and status only', () => {
    const { logger, lines, parsed } = capture();
    const http = new HTTPError(503, 'Service Unavailable', 'PATCH', WEBHOOK_URL, {
      body: { content: 'secret reply' },
      files: undefined,
    });
    const limited = new RateLimitError({
      timeToReset: 1000,
      limit: 5,
      method: 'POST',
      hash: 'bucket',
      url: CALLBACK_URL,
      route: '/interactions/:id/:token/callback',
      majorParameter: `${APP}/${INTERACTION_TOKEN}`,
      global: false,
      retryAfter: 1000,
      sublimitTimeout: 0,
      scope: 'user',
    });
    logger.warn({ err: http }, 'edit failed');
    logger.warn({ err: limited }, 'rate limited');

    const [first, second] = parsed();
    expect(first?.err).toMatchObject({ type: 'HTTPError', method: 'PATCH', status: 503 });
    expect((first?.err as Record<string, unknown>).route).toBe('/webhooks/:id/:token/messages/@original');
    expect(second?.err).toEqual({
      type: 'RateLimitError',
      method: 'POST',
      route: '/interactions/:id/:token/callback',
      status: 429,
      global: false,
      scope: 'user',
      retryAfter: 1000,
    });
    expectClean(lines);
  });
});

describe('createLogger: whatever a call site logs', () => {
  it('replaces the token of every webhook URL or interaction route, in the message and at any depth', () => {
    const { logger, lines, parsed } = capture();
    logger.info(
      {
        request: {
          urls: [WEBHOOK_URL],
          deeper: { route: `/interactions/${INTERACTION}/${INTERACTION_TOKEN}/callback` },
        },
      },
      `calling ${WEBHOOK_URL}`,
    );

    const [line] = parsed();
    expect(line?.msg).toBe(`calling ${API}/webhooks/${APP}/:token/messages/%40original`);
    expect(line?.request).toEqual({
      urls: [`${API}/webhooks/${APP}/:token/messages/%40original`],
      deeper: { route: `/interactions/${INTERACTION}/:token/callback` },
    });
    expectClean(lines);
  });

  it('masks a login password in options, in an error field and in a message echoing the console', () => {
    const { logger, lines, parsed } = capture();
    logger.error(
      {
        err: new ConsoleTimeoutError('lobby', 'login bob hunter2', 15),
        command: 'console',
        options: { command: 'LOGIN  "bob smith"  "hunter2 and more"', server: 'lobby' },
      },
      'Lobby World>login bob hunter2',
    );

    expect(lines.join('')).not.toContain('hunter2');
    const [line] = parsed();
    expect(line?.options).toEqual({ command: `LOGIN  "bob smith"  ${MASK}`, server: 'lobby' });
    expect(line?.err).toMatchObject({ type: 'ConsoleTimeoutError', line: `login bob ${MASK}` });
    expect(line?.msg).toBe(`Lobby World>login bob ${MASK}`);
  });

  it('censors the configured bot token wherever it appears', () => {
    const { logger, lines, parsed } = capture();
    logger.warn(
      { note: `Bot ${BOT_TOKEN}`, err: new Error(`bad token ${BOT_TOKEN}`) },
      `token is ${BOT_TOKEN}`,
    );

    expect(lines.join('')).not.toContain(BOT_TOKEN);
    expect(parsed()[0]).toMatchObject({ msg: 'token is [redacted]', note: 'Bot [redacted]' });
  });

  it('keeps redacting token and authorization fields, now at any depth', () => {
    const { logger, lines, parsed } = capture();
    logger.info({
      token: 'a-token-value-1',
      config: { discord: { token: 'a-token-value-2' } },
      headers: { authorization: 'Bot a-token-value-3' },
      a: { b: { c: { d: { token: 'a-token-value-4', Authorization: 'a-token-value-5' } } } },
    });

    expect(lines.join('')).not.toContain('a-token-value');
    expect(parsed()[0]).toMatchObject({
      token: '[redacted]',
      a: { b: { c: { d: { token: '[redacted]' } } } },
    });
  });

  it('leaves an ordinary line as pino writes it', () => {
    const { logger, parsed } = capture();
    const err = new Error('Docker is unreachable');
    logger.info({ docker: 'unix:///var/run/docker.sock', count: 3, ok: true, none: null, err }, 'bot ready');

    expect(parsed()[0]).toMatchObject({
      level: 30,
      msg: 'bot ready',
      docker: 'unix:///var/run/docker.sock',
      count: 3,
      ok: true,
      none: null,
      err: {
        type: 'Error',
        message: 'Docker is unreachable',
        stack: expect.stringContaining('Error: Docker'),
      },
    });
  });
});

describe('discordRoute', () => {
  it.each([
    [CALLBACK_URL, '/interactions/:id/:token/callback'],
    [WEBHOOK_URL, '/webhooks/:id/:token/messages/@original'],
    [`${API}/webhooks/${APP}/${INTERACTION_TOKEN}`, '/webhooks/:id/:token'],
    [`${API}/channels/42/messages`, '/channels/42/messages'],
    [`/interactions/${INTERACTION}/${INTERACTION_TOKEN}/callback`, '/interactions/:id/:token/callback'],
  ])('names %s as %s', (url, route) => {
    expect(discordRoute(url)).toBe(route);
  });
});
