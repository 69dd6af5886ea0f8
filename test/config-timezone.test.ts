import { describe, expect, it } from 'vitest';
import { isTimeZone, loadBotConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { VALID_ENV } from './support/config-env.js';

describe('TZ', () => {
  it('defaults to UTC, also when empty', () => {
    expect(loadBotConfig(VALID_ENV).timezone).toBe('UTC');
    expect(loadBotConfig({ ...VALID_ENV, TZ: ' ' }).timezone).toBe('UTC');
  });

  it('takes an IANA zone', () => {
    expect(loadBotConfig({ ...VALID_ENV, TZ: 'Europe/Berlin' }).timezone).toBe('Europe/Berlin');
  });

  it('refuses a zone that does not exist, naming the field', () => {
    let problems: string[] = [];
    try {
      loadBotConfig({ ...VALID_ENV, TZ: 'Mars/Olympus' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual(['TZ: must be an IANA timezone such as Europe/Berlin, or UTC']);
  });

  it('IANA names and UTC are zones; offsets and nonsense are not', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('+01:00')).toBe(false);
    expect(isTimeZone(':/etc/localtime')).toBe(false);
  });
});
