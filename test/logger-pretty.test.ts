import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

const BOT_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAw.emulator.test-token-0123456789';

/** A destination that says it is a terminal, or not, as process.stdout does. */
function stream(isTTY: boolean) {
  const lines: string[] = [];
  return { lines, destination: { isTTY, write: (line: string) => void lines.push(line) } };
}

describe('createLogger: the format follows the destination', () => {
  it('writes JSON lines when the destination is not a terminal', () => {
    const { lines, destination } = stream(false);
    createLogger('info', { destination }).info({ server: 'lobby' }, 'bot ready');

    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'bot ready', server: 'lobby' });
  });

  it('writes readable lines for a terminal: time, level, message, then the fields', () => {
    const { lines, destination } = stream(true);
    createLogger('info', { destination, colorize: false }).warn(
      { server: 'lobby' },
      'lobby: the container does not keep stdin open',
    );

    const [line] = lines;
    expect(() => JSON.parse(line!) as unknown).toThrow();
    expect(line).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] WARN: lobby: the container does not keep stdin open\n\s+server: "lobby"\n$/,
    );
  });

  it('colours the level for a terminal when asked', () => {
    const { lines, destination } = stream(true);
    createLogger('info', { destination, colorize: true }).error('failed');

    expect(lines[0]).not.toBe(stripAnsi(lines[0]!));
    expect(stripAnsi(lines[0]!)).toContain('ERROR: failed');
  });

  it('keeps the token, token fields and login passwords out of pretty lines too', () => {
    const { lines, destination } = stream(true);
    const logger = createLogger('info', { destination, secrets: [BOT_TOKEN], colorize: false });
    logger.error(
      { token: 'a-token-value-1', note: `Bot ${BOT_TOKEN}`, err: new Error(`bad token ${BOT_TOKEN}`) },
      `Lobby World>login bob hunter2 with ${BOT_TOKEN}`,
    );

    const all = lines.join('');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain('a-token-value-1');
    expect(all).not.toContain('hunter2');
    expect(all).toContain('ERROR: Lobby World>login bob');
    expect(all).toContain('bad token [redacted]');
  });
});
