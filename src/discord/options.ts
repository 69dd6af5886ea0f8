import { ApplicationCommandOptionType } from 'discord.js';
import { MAX_ARG_LENGTH } from '../console/quoting.js';
import type { OptionDefinition } from './option-values.js';

/**
 * The options several commands share, spelled once so their names and limits agree everywhere.
 * Each keeps its literal name and `required` in its type, so the values a command reads are typed.
 */
export const serverOption = () =>
  ({
    type: ApplicationCommandOptionType.String,
    name: 'server',
    description: 'Managed server (container name); may be left out when only one is managed',
    required: false,
    autocomplete: true,
    max_length: 128,
  }) as const satisfies OptionDefinition;

export const worldOption = (description = 'World name or index from /worlds') =>
  ({
    type: ApplicationCommandOptionType.String,
    name: 'world',
    description,
    required: false,
    autocomplete: true,
    max_length: MAX_ARG_LENGTH,
  }) as const satisfies OptionDefinition;

export const userOption = (description = 'Resonite user name', autocomplete = true) =>
  ({
    type: ApplicationCommandOptionType.String,
    name: 'user',
    description,
    required: true,
    autocomplete,
    max_length: MAX_ARG_LENGTH,
  }) as const satisfies OptionDefinition;

export const textOption = <N extends string>(name: N, description: string, maxLength = MAX_ARG_LENGTH) =>
  ({
    type: ApplicationCommandOptionType.String,
    name,
    description,
    required: true,
    max_length: maxLength,
  }) as const satisfies OptionDefinition;

/** A Resonite user ID (`U-alice`), for commands that take it instead of a user name. */
export const userIdOption = (description: string) =>
  ({
    type: ApplicationCommandOptionType.String,
    name: 'id',
    description,
    required: false,
    max_length: MAX_ARG_LENGTH,
  }) as const satisfies OptionDefinition;
