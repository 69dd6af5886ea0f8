import type { APIApplicationCommand } from 'discord.js';
import type { GuildStore } from './store.js';
import type { CommandOptionInput } from './types.js';

/** The registered shape of an option, loosely typed (discord-api-types splits it into many unions). */
interface OptionDef {
  name: string;
  type: number;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string | number }[];
  options?: OptionDef[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
}

type Json = Record<string, unknown>;

export interface Resolved {
  users: Record<string, unknown>;
  members: Record<string, unknown>;
  roles: Record<string, unknown>;
  channels: Record<string, unknown>;
}

const TYPE_NAMES: Record<number, string> = {
  1: 'subcommand',
  2: 'subcommand group',
  3: 'string',
  4: 'integer',
  5: 'boolean',
  6: 'user',
  7: 'channel',
  8: 'role',
  9: 'mentionable',
  10: 'number',
  11: 'attachment',
};

/**
 * Turns test input into the `options` Discord would send for `command`, checking it the way the
 * Discord client does before sending (known names, types, choices, ranges, required options), so a
 * test cannot send what a real user could not. Fills `resolved` for user/role/channel options.
 */
export function buildOptions(
  command: APIApplicationCommand,
  inputs: CommandOptionInput[],
  store: GuildStore,
  autocomplete: boolean,
): { options: Json[]; resolved: Resolved | null } {
  const resolved: Resolved = { users: {}, members: {}, roles: {}, channels: {} };
  let used = false;
  let focused = 0;

  const level = (defs: OptionDef[], given: CommandOptionInput[], where: string): Json[] => {
    const fail = (msg: string): never => {
      throw new Error(`/${command.name}${where}: ${msg}`);
    };
    const nested = defs.some((d) => d.type === 1 || d.type === 2);
    if (nested && given.length !== 1 && defs.length > 0) {
      fail(`choose exactly one of the subcommands ${defs.map((d) => d.name).join(', ')}`);
    }
    const out = given.map((input) => {
      const def = defs.find((d) => d.name === input.name);
      if (!def)
        fail(`no option "${input.name}"; registered: ${defs.map((d) => d.name).join(', ') || '(none)'}`);
      const type = def!.type;
      if (input.type !== undefined && input.type !== type) {
        fail(
          `option "${input.name}" is a ${TYPE_NAMES[type]}, not a ${TYPE_NAMES[input.type] ?? input.type}`,
        );
      }
      if (type === 1 || type === 2) {
        return {
          name: input.name,
          type,
          options: level(def!.options ?? [], input.options ?? [], `${where} ${input.name}`),
        };
      }
      if (input.focused) {
        if (!autocomplete || !def!.autocomplete) fail(`option "${input.name}" is not an autocomplete option`);
        focused += 1;
        return { name: input.name, type, value: String(input.value ?? ''), focused: true };
      }
      if (input.value === undefined) fail(`option "${input.name}" needs a value`);
      checkValue(def!, input.value!, fail);
      used = resolveEntity(type, String(input.value), store, resolved, fail) || used;
      return { name: input.name, type, value: input.value };
    });
    if (!autocomplete) {
      for (const def of defs) {
        if (def.required && !given.some((g) => g.name === def.name))
          fail(`required option "${def.name}" is missing`);
      }
    }
    return out;
  };

  const options = level((command.options ?? []) as unknown as OptionDef[], inputs, '');
  if (autocomplete && focused !== 1) {
    throw new Error(
      `/${command.name}: an autocomplete interaction needs exactly one option with focused: true`,
    );
  }
  return { options, resolved: used ? resolved : null };
}

function checkValue(def: OptionDef, value: string | number | boolean, fail: (msg: string) => never): void {
  const name = def.name;
  switch (def.type) {
    case 3:
      if (typeof value !== 'string') fail(`option "${name}" needs a string`);
      if (def.min_length !== undefined && (value as string).length < def.min_length)
        fail(`option "${name}" is shorter than ${def.min_length}`);
      if (def.max_length !== undefined && (value as string).length > def.max_length)
        fail(`option "${name}" is longer than ${def.max_length}`);
      break;
    case 4:
    case 10:
      if (typeof value !== 'number' || (def.type === 4 && !Number.isInteger(value)))
        fail(`option "${name}" needs a ${TYPE_NAMES[def.type]}`);
      if (def.min_value !== undefined && (value as number) < def.min_value)
        fail(`option "${name}" is below ${def.min_value}`);
      if (def.max_value !== undefined && (value as number) > def.max_value)
        fail(`option "${name}" is above ${def.max_value}`);
      break;
    case 5:
      if (typeof value !== 'boolean') fail(`option "${name}" needs a boolean`);
      break;
    case 11:
      fail(`attachment options are not emulated`);
  }
  if (def.choices?.length && !def.choices.some((c) => c.value === value)) {
    fail(
      `option "${name}" must be one of the choices ${def.choices.map((c) => JSON.stringify(c.value)).join(', ')}`,
    );
  }
}

/** Adds the user/member/role/channel an option points at to `resolved`, as Discord does. */
function resolveEntity(
  type: number,
  id: string,
  store: GuildStore,
  resolved: Resolved,
  fail: (msg: string) => never,
): boolean {
  const member = store.members.get(id);
  const role = store.roles.get(id);
  const channel = store.channels.get(id);
  const addMember = (): void => {
    const { user, ...rest } = store.apiMember(member!);
    resolved.users[id] = user;
    resolved.members[id] = { ...rest, permissions: store.permissionsOf(id).toString() };
  };
  switch (type) {
    case 6:
      if (!member) fail(`no member ${id} for a user option`);
      addMember();
      return true;
    case 8:
      if (!role) fail(`no role ${id} for a role option`);
      resolved.roles[id] = store.apiRole(role!);
      return true;
    case 7:
      if (!channel) fail(`no channel ${id} for a channel option`);
      resolved.channels[id] = {
        ...store.apiChannel(channel!),
        permissions: store.permissionsOf(store.botUser.id).toString(),
      };
      return true;
    case 9:
      if (member) addMember();
      else if (role) resolved.roles[id] = store.apiRole(role);
      else fail(`no member or role ${id} for a mentionable option`);
      return true;
    default:
      return false;
  }
}
