import { describe, expect, it } from 'vitest';
import { loadBotConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { withConfigFile } from './support/config-env.js';

describe('planned restart settings in CONFIG_FILE', () => {
  it('reads warning offsets as milliseconds, the impulse tag and the message switch', () => {
    const config = loadBotConfig(
      withConfigFile({
        lobby: {
          restartWarnings: ['1h30m', '10m', '30s'],
          restartImpulseTag: 'Lobby.Restart',
          messageUsersBeforeRestart: true,
        },
      }),
    );
    expect(config.servers.lobby).toEqual({
      restartWarnings: [5_400_000, 600_000, 30_000],
      restartImpulseTag: 'Lobby.Restart',
      messageUsersBeforeRestart: true,
    });
  });

  it('lists every bad setting, each saying what is wrong', () => {
    let problems: string[] = [];
    try {
      loadBotConfig(
        withConfigFile({
          lobby: {
            restartWarnings: ['10x', '25h'],
            restartImpulseTag: 'has space',
            messageUsersBeforeRestart: 'yes',
          },
        }),
      );
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([
      'CONFIG_FILE servers.lobby.restartWarnings.0: `10x`: unknown unit x; use s, m or h.',
      'CONFIG_FILE servers.lobby.restartWarnings.1: `25h`: at most 24h',
      'CONFIG_FILE servers.lobby.restartImpulseTag: must be letters, digits, _ . or - (at most 64)',
      expect.stringMatching(/^CONFIG_FILE servers\.lobby\.messageUsersBeforeRestart: /),
    ]);
  });
});
