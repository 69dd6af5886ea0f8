import { createHash } from 'node:crypto';
import {
  ApplicationCommandType,
  InteractionContextType,
  Routes,
  type APIApplicationCommandOption,
  type REST,
  type RESTPutAPIApplicationGuildCommandsJSONBody,
} from 'discord.js';
import type { CommandModule } from './command.js';
import { compareText } from '../text.js';

export const REGISTRATION_KEY = 'commands.registered-hash';

export interface HashStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** The guild command payload, from the same definition objects the router uses. */
export function commandPayload(
  commands: ReadonlyMap<string, CommandModule>,
): RESTPutAPIApplicationGuildCommandsJSONBody {
  return [...commands.values()]
    .map(({ definition }) => ({
      type: ApplicationCommandType.ChatInput as const,
      name: definition.name,
      description: definition.description,
      // The definitions are Discord's option objects, declared read-only so their names stay literal.
      options: (definition.options ?? []) as APIApplicationCommandOption[],
      contexts: [InteractionContextType.Guild],
    }))
    .sort((a, b) => compareText(a.name, b.name));
}

export function payloadHash(payload: unknown, clientId: string, guildId: string): string {
  return createHash('sha256').update(JSON.stringify({ clientId, guildId, payload })).digest('hex');
}

/** Bulk-overwrites the guild's commands; with `onlyIfChanged`, skips when the stored hash matches. */
export async function registerCommands(options: {
  rest: REST;
  clientId: string;
  guildId: string;
  commands: ReadonlyMap<string, CommandModule>;
  store: HashStore;
  onlyIfChanged: boolean;
}): Promise<'registered' | 'unchanged'> {
  const payload = commandPayload(options.commands);
  const hash = payloadHash(payload, options.clientId, options.guildId);
  if (options.onlyIfChanged && options.store.get(REGISTRATION_KEY) === hash) return 'unchanged';
  await options.rest.put(Routes.applicationGuildCommands(options.clientId, options.guildId), {
    body: payload,
  });
  options.store.set(REGISTRATION_KEY, hash);
  return 'registered';
}
