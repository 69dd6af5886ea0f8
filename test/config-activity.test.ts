import { describe, expect, it } from 'vitest';
import { loadBotConfig } from '../src/config.js';
import { configProblems, VALID_ENV, withConfigFile } from './support/config-env.js';

describe('activity feed settings', () => {
  it('reads ACTIVITY_CHANNEL_ID and the worlds opted out per server', () => {
    const config = loadBotConfig({
      ...withConfigFile({ lobby: { activityOptOut: ['Build Night', 'Staff <b>Room</b>'] } }),
      ACTIVITY_CHANNEL_ID: '323456789012345678',
    });
    expect(config.activityChannelId).toBe('323456789012345678');
    expect(config.servers.lobby?.activityOptOut).toEqual(['Build Night', 'Staff <b>Room</b>']);
  });

  it('leaves the feed off without ACTIVITY_CHANNEL_ID', () => {
    expect(loadBotConfig(VALID_ENV).activityChannelId).toBeUndefined();
  });

  it('names every bad field', () => {
    const problems = configProblems({
      ...withConfigFile({ lobby: { activityOptOut: 'Build Night' }, other: { activityOptOut: ['', 7] } }),
      ACTIVITY_CHANNEL_ID: 'activity',
    });
    expect(problems).toEqual([
      'ACTIVITY_CHANNEL_ID: must be a Discord id (17 to 20 digits)',
      expect.stringMatching(/^CONFIG_FILE servers\.lobby\.activityOptOut: /),
      'CONFIG_FILE servers.other.activityOptOut.0: must be a world name',
      expect.stringMatching(/^CONFIG_FILE servers\.other\.activityOptOut\.1: /),
    ]);
  });
});
