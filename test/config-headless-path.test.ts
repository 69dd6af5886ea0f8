import { describe, expect, it } from 'vitest';
import { loadBotConfig } from '../src/config.js';
import { configProblems, withConfigFile } from './support/config-env.js';

describe('headlessConfigPath in CONFIG_FILE', () => {
  it("reads where each server's Config.json is in its container", () => {
    const config = loadBotConfig(
      withConfigFile({ lobby: { headlessConfigPath: '/data/Headless/Config.json' } }),
    );
    expect(config.servers.lobby).toEqual({ headlessConfigPath: '/data/Headless/Config.json' });
  });

  it('refuses a relative path, a folder and a non-string, naming the server', () => {
    const problems = configProblems(
      withConfigFile({
        a: { headlessConfigPath: 'Config/Config.json' },
        b: { headlessConfigPath: '/Config/' },
        c: { headlessConfigPath: 3 },
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^CONFIG_FILE servers\.a\.headlessConfigPath: must be an absolute path to a file/,
      ),
      expect.stringMatching(
        /^CONFIG_FILE servers\.b\.headlessConfigPath: must be an absolute path to a file/,
      ),
      expect.stringMatching(/^CONFIG_FILE servers\.c\.headlessConfigPath: /),
    ]);
  });
});
