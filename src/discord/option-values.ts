import {
  ApplicationCommandOptionType,
  type CommandInteractionOption,
  type ChatInputCommandInteraction,
} from 'discord.js';

/** One option of a command, as a command file declares it (`as const`, so its name is a literal). */
export interface OptionDefinition {
  readonly type: ApplicationCommandOptionType;
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly autocomplete?: boolean;
  readonly max_length?: number;
  readonly min_value?: number;
  readonly max_value?: number;
  readonly choices?: readonly { readonly name: string; readonly value: string | number }[];
  readonly options?: readonly OptionDefinition[];
}

type ValueOf<O> = O extends { type: ApplicationCommandOptionType.String | ApplicationCommandOptionType.User }
  ? string
  : O extends { type: ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number }
    ? number
    : O extends { type: ApplicationCommandOptionType.Boolean }
      ? boolean
      : never;

type Given<O> = O extends { required: true } ? ValueOf<O> : ValueOf<O> | undefined;

/** `{ user: string; world: string | undefined }` for a command's plain options. */
export type PlainValues<Options> = Options extends readonly (infer O)[]
  ? { readonly [K in O as K extends { name: infer N extends string } ? N : never]: Given<K> }
  : Record<never, never>;

type Subcommand = { type: ApplicationCommandOptionType.Subcommand; name: string };

/** One case per subcommand: `{ subcommand: 'name'; value: string; ... } | ...`. */
type SubcommandValues<Options> = Options extends readonly (infer O)[]
  ? O extends Subcommand
    ? { readonly subcommand: O['name'] } & PlainValues<O extends { options: infer S } ? S : []>
    : never
  : never;

/**
 * The option values a command's execute function reads, typed from its definition: renaming an
 * option in the definition is a compile error where it is read, never a silent `undefined`.
 */
export type OptionValues<D extends { options?: readonly OptionDefinition[] }> = D extends {
  options: infer Options;
}
  ? Options extends readonly (infer O)[]
    ? [Extract<O, Subcommand>] extends [never]
      ? PlainValues<Options>
      : SubcommandValues<Options>
    : Record<never, never>
  : Record<never, never>;

/**
 * The values given, by option name (a subcommand's under its own, with `subcommand` naming it).
 * Text is trimmed of spaces only, and empty text counts as not given: a newline or other control
 * character, even at the end, is kept so that it is refused later. A user option gives the user's id.
 */
export function readOptions(interaction: ChatInputCommandInteraction): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const take = (options: readonly CommandInteractionOption[]) => {
    for (const option of options) {
      if (option.type === ApplicationCommandOptionType.Subcommand) {
        values.subcommand = option.name;
        take(option.options ?? []);
      } else if (option.type === ApplicationCommandOptionType.String) {
        const text = String(option.value ?? '').replace(/^ +| +$/g, '');
        if (text !== '') values[option.name] = text;
      } else if (option.value !== undefined) {
        values[option.name] = option.value;
      }
    }
  };
  take(interaction.options.data);
  return values;
}
