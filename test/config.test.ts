import { describe, expect, it } from 'vitest';
import { loadBotConfig, loadCoreConfig } from '../src/config.js';
import { configProblems } from './support/config-env.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.secret.token-value';
const valid = {
  DISCORD_TOKEN: TOKEN,
  DISCORD_CLIENT_ID: '123456789012345678',
  DISCORD_GUILD_ID: '223456789012345678',
  HEADLESS_CONTAINERS: 'lobby, build-night',
};

describe('loadBotConfig', () => {
  it('fills the documented defaults', () => {
    const config = loadBotConfig(valid);
    expect(config.hosts[0]?.managed).toEqual({ kind: 'names', names: ['lobby', 'build-night'] });
    expect(config.consoleTimeoutSeconds).toBe(15);
    expect(config.status).toEqual({ channelId: undefined, intervalSeconds: 60, heartbeatMinutes: 10 });
    expect(config.dataDir).toBe('./data');
    expect(config.roles).toEqual({ viewer: [], moderator: [], operator: [], admin: [] });
    expect(config.hosts).toHaveLength(1);
    expect(config.hosts[0]?.docker.tlsVerify).toBe(false);
  });

  it('names every bad field in one error', () => {
    const problems = configProblems({
      DISCORD_TOKEN: 'short',
      HEADLESS_CONTAINERS: 'lobby',
      STATUS_INTERVAL_SECONDS: 'soon',
      ROLES_ADMIN: '123456789012345678,admins',
      DOCKER_HOST: 'localhost:2375',
    });
    const fields = problems.map((p) => p.split(':')[0]);
    expect(fields).toEqual(
      expect.arrayContaining([
        'DISCORD_TOKEN',
        'DISCORD_CLIENT_ID',
        'DISCORD_GUILD_ID',
        'STATUS_INTERVAL_SECONDS',
        'ROLES_ADMIN.1',
        'DOCKER_HOST',
      ]),
    );
  });

  it('never echoes the token in its error', () => {
    const secret = 'not a token but secret-looking value';
    const problems = configProblems({ ...valid, DISCORD_TOKEN: secret });
    expect(problems.join('\n')).not.toContain(secret);
    expect(problems.join('\n')).toContain('DISCORD_TOKEN');
  });

  it('defaults the alert channel to the status channel', () => {
    const config = loadBotConfig({ ...valid, STATUS_CHANNEL_ID: '323456789012345678' });
    expect(config.alerts.channelId).toBe('323456789012345678');
  });

  it('parses a label selector', () => {
    const config = loadBotConfig({
      ...valid,
      HEADLESS_CONTAINERS: '',
      HEADLESS_LABEL: 'resonite.headless=true',
    });
    expect(config.hosts[0]?.managed).toEqual({ kind: 'label', key: 'resonite.headless', value: 'true' });
  });

  it('refuses both a container list and a label', () => {
    expect(configProblems({ ...valid, HEADLESS_LABEL: 'a=b' }).join()).toContain('set only one');
  });
});

describe('loadCoreConfig', () => {
  it('needs no Discord variables', () => {
    expect(loadCoreConfig({ HEADLESS_CONTAINERS: 'lobby' }).hosts[0]?.managed).toEqual({
      kind: 'names',
      names: ['lobby'],
    });
  });

  it('requires a way to pick the managed containers', () => {
    expect(() => loadCoreConfig({})).toThrow(/HEADLESS_CONTAINERS or HEADLESS_LABEL/);
  });

  it('refuses container names that Docker would not accept', () => {
    expect(() => loadCoreConfig({ HEADLESS_CONTAINERS: 'ok,bad name' })).toThrow(/"bad name"/);
  });
});
