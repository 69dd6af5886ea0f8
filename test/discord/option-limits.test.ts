import { ApplicationCommandOptionType } from 'discord.js';
import type { OptionDefinition } from '../../src/discord/option-values.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_ARG_LENGTH, MAX_LINE_LENGTH } from '../../src/console/quoting.js';
import type { CommandModule } from '../../src/discord/command.js';
import { loadCommands } from '../../src/discord/command-loader.js';

interface StringOption {
  path: string;
  maxLength: number | undefined;
  choices: boolean;
}

function stringOptions(prefix: string, options: readonly OptionDefinition[] = []): StringOption[] {
  return options.flatMap((o): StringOption[] => {
    if (
      o.type === ApplicationCommandOptionType.Subcommand ||
      o.type === ApplicationCommandOptionType.SubcommandGroup
    )
      return stringOptions(`${prefix} ${o.name}`, o.options);
    if (o.type !== ApplicationCommandOptionType.String) return [];
    return [{ path: `${prefix} ${o.name}`, maxLength: o.max_length, choices: (o.choices ?? []).length > 0 }];
  });
}

const BOT_READ_OPTIONS = [
  'restart in',
  'schedule add when',
  'schedule add warn',
  'config show path',
  'config set path',
  'config set value',
  'config restore backup',
];

describe('option length limits', () => {
  let all: StringOption[];
  beforeAll(async () => {
    const commands: Map<string, CommandModule> = await loadCommands();
    all = [...commands.values()].flatMap((c) => stringOptions(c.definition.name, c.definition.options));
  });

  it('gives every free-text option a maximum, so Discord refuses what the console would', () => {
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((o) => !o.choices && o.maxLength === undefined).map((o) => o.path)).toEqual([]);
  });

  it('lets each argument be as long as the console takes, and no longer', () => {
    const lines = all.filter((o) => o.path === 'console command');
    expect(lines.map((o) => o.maxLength)).toEqual([MAX_LINE_LENGTH]);
    const servers = all.filter((o) => o.path.endsWith(' server'));
    // Docker's limit for a container name is not the console's.
    for (const o of servers) expect(o.maxLength, o.path).toBe(128);
    // Read by the bot itself, never sent to the console: a limit of their own, no longer than an argument's.
    const own = all.filter((o) => BOT_READ_OPTIONS.includes(o.path));
    for (const o of own) expect(o.maxLength, o.path).toBeLessThanOrEqual(MAX_ARG_LENGTH);
    const args = all.filter(
      (o) => !o.choices && !lines.includes(o) && !servers.includes(o) && !own.includes(o),
    );
    for (const o of args) expect(o.maxLength, o.path).toBe(MAX_ARG_LENGTH);
    expect(args.map((o) => o.path)).toEqual(
      expect.arrayContaining([
        'world description value',
        'world name value',
        'world impulse tag',
        'world impulse value',
        'world spawn url',
        'ban id',
        'unban id',
      ]),
    );
  });
});
