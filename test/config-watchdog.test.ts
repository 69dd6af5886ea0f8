import { describe, expect, it } from 'vitest';
import { loadBotConfig } from '../src/config.js';
import { configProblems, withConfigFile } from './support/config-env.js';

const problemsOf = (servers: unknown) => configProblems(withConfigFile(servers));

describe('watchdog settings in CONFIG_FILE', () => {
  it('reads autoRecover and load rules: a share of the limit, a size, a CPU percentage', () => {
    const config = loadBotConfig(
      withConfigFile({
        lobby: {
          autoRecover: true,
          loadRules: { memory: { above: '90%', forMinutes: 10 }, cpu: { above: 95, forMinutes: 15 } },
        },
        build: { loadRules: { memory: { above: '6GiB', forMinutes: 5 } } },
        big: { loadRules: { memory: { above: '12.5 GB', forMinutes: 1 } } },
      }),
    );
    expect(config.servers.lobby).toEqual({
      autoRecover: true,
      loadRules: {
        memory: { above: { kind: 'share', share: 0.9, text: '90%' }, forMinutes: 10 },
        cpu: { above: 95, forMinutes: 15 },
      },
    });
    expect(config.servers.build?.loadRules?.memory?.above).toEqual({
      kind: 'bytes',
      bytes: 6 * 2 ** 30,
      text: '6GiB',
    });
    expect(config.servers.big?.loadRules?.memory?.above).toMatchObject({ bytes: 12_500_000_000 });
  });

  it('lists every bad field, each saying what is wrong', () => {
    const problems = problemsOf({
      a: { autoRecover: 'yes' },
      b: { loadRules: { memory: { above: '120%', forMinutes: 10 } } },
      c: { loadRules: { memory: { above: '6 gigs', forMinutes: 0 } } },
      d: { loadRules: { cpu: { above: '95%', forMinutes: 2.5 } } },
      e: { loadRules: { disk: { above: '90%', forMinutes: 1 } } },
      f: { loadRules: { cpu: { above: 95 } } },
    });
    const text = problems.join('\n');
    expect(text).toContain('CONFIG_FILE servers.a.autoRecover');
    expect(text).toMatch(/servers\.b\.loadRules\.memory\.above: .*above 0% and below 100%/);
    expect(text).toMatch(/servers\.c\.loadRules\.memory\.above: must be a share .*\("90%"\) or a size/);
    expect(text).toMatch(/servers\.c\.loadRules\.memory\.forMinutes: must be at least 1/);
    expect(text).toMatch(/servers\.d\.loadRules\.cpu\.above: must be a percentage of one CPU/);
    expect(text).toMatch(/servers\.d\.loadRules\.cpu\.forMinutes: must be whole minutes/);
    expect(text).toMatch(/servers\.e\.loadRules: .*disk/);
    expect(text).toMatch(/servers\.f\.loadRules\.cpu\.forMinutes: must be a number of minutes/);
  });
});
