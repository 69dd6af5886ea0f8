import { ApplicationCommandOptionType, type ChatInputCommandInteraction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { readOptions } from '../../src/discord/option-values.js';

const interaction = (data: unknown[]) => ({ options: { data } }) as unknown as ChatInputCommandInteraction;
const S = ApplicationCommandOptionType.String;

describe('readOptions', () => {
  it('trims spaces only, so a trailing newline is kept for the console check to refuse', () => {
    expect(readOptions(interaction([{ name: 'user', type: S, value: '  bob smith \n' }]))).toEqual({
      user: 'bob smith \n',
    });
  });

  it('counts empty or all-space text as not given', () => {
    expect(
      readOptions(
        interaction([
          { name: 'world', type: S, value: '   ' },
          { name: 'server', type: S, value: '' },
        ]),
      ),
    ).toEqual({});
  });

  it('names the subcommand and reads its options, numbers and booleans as given', () => {
    const values = readOptions(
      interaction([
        {
          name: 'maxusers',
          type: ApplicationCommandOptionType.Subcommand,
          options: [
            { name: 'value', type: ApplicationCommandOptionType.Integer, value: 0 },
            { name: 'hidden', type: ApplicationCommandOptionType.Boolean, value: false },
          ],
        },
      ]),
    );
    expect(values).toEqual({ subcommand: 'maxusers', value: 0, hidden: false });
  });
});
