/** The smallest environment loadBotConfig accepts, and a CONFIG_FILE written for a test. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadBotConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

export const VALID_ENV = {
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.secret.token-value',
  DISCORD_CLIENT_ID: '123456789012345678',
  DISCORD_GUILD_ID: '223456789012345678',
  HEADLESS_CONTAINERS: 'lobby',
};

/** VALID_ENV with CONFIG_FILE pointing at a fresh file holding `{ servers }`. */
export function withConfigFile(servers: unknown): Record<string, string> {
  const file = join(mkdtempSync(join(tmpdir(), 'config-')), 'config.json');
  writeFileSync(file, JSON.stringify({ servers }));
  return { ...VALID_ENV, CONFIG_FILE: file };
}

/** Every problem the ConfigError names; fails the test when the config loads. */
export function configProblems(env: Record<string, string | undefined>): string[] {
  try {
    loadBotConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}
