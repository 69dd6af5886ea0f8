import { describe, expect, it } from 'vitest';
import { loadBotConfig, loadHealthCheckConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { VALID_ENV } from './support/config-env.js';

describe('health settings', () => {
  it('keeps no health report unless HEALTH_FILE is set, with a grace of a minute', () => {
    expect(loadBotConfig(VALID_ENV).health).toEqual({ file: undefined, graceSeconds: 60 });
    expect(loadHealthCheckConfig({ HEALTH_FILE: '/tmp/h.json', HEALTH_GRACE_SECONDS: '5' })).toEqual({
      file: '/tmp/h.json',
      graceSeconds: 5,
    });
  });

  it('names a bad HEALTH_GRACE_SECONDS, for the bot and for the check alike', () => {
    const bad = { ...VALID_ENV, HEALTH_GRACE_SECONDS: 'soon' };
    expect(() => loadBotConfig(bad)).toThrow(ConfigError);
    expect(() => loadBotConfig(bad)).toThrow(/HEALTH_GRACE_SECONDS/);
    expect(() => loadHealthCheckConfig(bad)).toThrow(/HEALTH_GRACE_SECONDS/);
  });
});
