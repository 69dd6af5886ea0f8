import { ApplicationCommandOptionType, type APIApplicationCommandBasicOption } from 'discord.js';
import { MAX_ARG_LENGTH } from '../console/quoting.js';

/** The options several commands share, spelled once so their names and limits agree everywhere. */
export const serverOption = (): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.String,
  name: 'server',
  description: 'Managed server (container name); may be left out when only one is managed',
  required: false,
  autocomplete: true,
  max_length: 128,
});

export const worldOption = (
  description = 'World name or index from /worlds',
): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.String,
  name: 'world',
  description,
  required: false,
  autocomplete: true,
  max_length: MAX_ARG_LENGTH,
});

export const userOption = (
  description = 'Resonite user name',
  autocomplete = true,
): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.String,
  name: 'user',
  description,
  required: true,
  autocomplete,
  max_length: MAX_ARG_LENGTH,
});

export const textOption = (name: string, description: string, maxLength = MAX_ARG_LENGTH) =>
  ({
    type: ApplicationCommandOptionType.String,
    name,
    description,
    required: true,
    max_length: maxLength,
  }) satisfies APIApplicationCommandBasicOption;
