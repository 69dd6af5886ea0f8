import { ApplicationCommandOptionType } from 'discord.js';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { MAX_ARG_LENGTH } from '../src/console/quoting.js';
import { successEmbed } from '../src/discord/embeds.js';
import { consoleText, worldRef } from '../src/discord/inputs.js';
import type { OptionDefinition } from '../src/discord/option-values.js';
import { serverOption, textOption, worldOption } from '../src/discord/options.js';
import { InvalidInputError } from '../src/errors.js';
import type { WorldSetting } from '../src/servers/headless-server.js';
import {
  AWAY_KICK_MAX_MINUTES,
  AWAY_KICK_OFF,
  checkedAwayKickMinutes,
  IMPULSE_TYPES,
  impulseCommand,
  spawnCommand,
  type ImpulseType,
} from '../src/servers/world-tools.js';

const ACCESS_LEVELS = ['Private', 'LAN', 'Contacts', 'ContactsPlus', 'RegisteredUsers', 'Anyone'] as const;

/** A world subcommand: its own options, then the server and world every one of them takes. */
const sub = <N extends string, O extends readonly OptionDefinition[] = readonly []>(
  name: N,
  description: string,
  options?: O,
) =>
  ({
    type: ApplicationCommandOptionType.Subcommand,
    name,
    description,
    options: [...(options ?? ([] as unknown as O)), serverOption(), worldOption()] as const,
  }) as const;

export const definition = {
  name: 'world',
  description: 'World settings and world lifecycle',
  level: 'admin',
  options: [
    sub('name', 'Rename a world', [textOption('value', 'New name')]),
    sub('description', "Change a world's description", [textOption('value', 'New description')]),
    sub('accesslevel', 'Who may join', [
      {
        type: ApplicationCommandOptionType.String,
        name: 'value',
        description: 'Access level',
        required: true,
        choices: ACCESS_LEVELS.map((l) => ({ name: l, value: l })),
      },
    ] as const),
    sub('maxusers', 'Maximum number of users', [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'value',
        description: 'Maximum users (1 to 256)',
        required: true,
        min_value: 1,
        max_value: 256,
      },
    ] as const),
    sub('hidden', 'Hide the world from the session listing, or show it', [
      { type: ApplicationCommandOptionType.Boolean, name: 'value', description: 'Hidden?', required: true },
    ] as const),
    sub('awaykick', 'Minutes a user may be away before being kicked', [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'minutes',
        description: `Minutes (1 to ${AWAY_KICK_MAX_MINUTES}; ${AWAY_KICK_OFF} switches it off)`,
        required: true,
        min_value: AWAY_KICK_OFF,
        max_value: AWAY_KICK_MAX_MINUTES,
      },
    ] as const),
    sub('impulse', 'Send a dynamic impulse to the world (for worlds built to react to its tag)', [
      textOption('tag', 'Impulse tag'),
      {
        type: ApplicationCommandOptionType.String,
        name: 'value',
        description: 'Value carried by the impulse (none: a plain impulse)',
        max_length: MAX_ARG_LENGTH,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'type',
        description: 'How the value is read (default string)',
        choices: IMPULSE_TYPES.map((t) => ({ name: t, value: t })),
      },
    ] as const),
    sub('spawn', 'Spawn a saved item into the world', [
      textOption('url', 'resrec:///U-.../R-... or resrec:///G-.../R-... record URL'),
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'active',
        description: 'Active once spawned (default yes)',
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'persistent',
        description: 'Saved with the world (default yes)',
      },
    ] as const),
    sub('close', 'Close a world (asks for confirmation)'),
    sub('restart', 'Restart a world (asks for confirmation)'),
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'start',
      description: 'Start a new world from a record URL or a template',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'url',
          description: 'resrec:/// URL',
          max_length: MAX_ARG_LENGTH,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'template',
          description: 'Template name',
          max_length: MAX_ARG_LENGTH,
        },
        serverOption(),
      ],
    },
  ],
} as const satisfies CommandDefinition;

type Call = CommandCall<typeof definition>;
type Options = Call['options'];

export async function execute(call: Call): Promise<CommandReply> {
  const { options } = call;
  if (options.subcommand === 'start') return startWorld(call, options);
  const world = worldRef(options.world);
  if (options.subcommand === 'impulse' || options.subcommand === 'spawn')
    return inWorld(call, options, world);
  if (options.subcommand === 'close' || options.subcommand === 'restart') {
    const action = options.subcommand;
    const server = await call.server();
    await call.confirm(
      `${action === 'close' ? 'Close' : 'Restart'} ${world ?? 'the world'} on ${server.displayName}?`,
    );
    const outcome = await server.worldLifecycle(action, world);
    call.record({ world: outcome.world });
    return {
      embeds: [successEmbed(`World ${action === 'close' ? 'closed' : 'restarted'}`, outcome.world ?? '')],
    };
  }
  const [setting, value] = settingValue(options);
  const server = await call.server();
  const outcome = await server.setWorld(setting, value, world);
  call.record({ world: outcome.world });
  return { embeds: [successEmbed(`World ${options.subcommand} set`, `${outcome.world ?? ''}: ${value}`)] };
}

function settingValue(
  options: Exclude<Options, { subcommand: 'start' | 'close' | 'restart' | 'impulse' | 'spawn' }>,
): [WorldSetting, string] {
  switch (options.subcommand) {
    case 'name':
      return ['name', consoleText(options.value, 'world name')];
    case 'description':
      return ['description', consoleText(options.value, 'description')];
    case 'accesslevel': {
      const level = ACCESS_LEVELS.find((l) => l.toLowerCase() === options.value.toLowerCase());
      if (!level) throw new InvalidInputError(`The access level must be one of ${ACCESS_LEVELS.join(', ')}.`);
      return ['accesslevel', level];
    }
    case 'maxusers': {
      const max = options.value;
      if (!Number.isInteger(max) || max < 1 || max > 256) {
        throw new InvalidInputError('Max users must be between 1 and 256.');
      }
      return ['maxusers', String(max)];
    }
    case 'hidden':
      return ['hidefromlisting', String(options.value)];
    case 'awaykick':
      return ['awaykickinterval', checkedAwayKickMinutes(options.minutes)];
  }
}

async function inWorld(
  call: Call,
  options: Extract<Options, { subcommand: 'impulse' | 'spawn' }>,
  world: string | undefined,
): Promise<CommandReply> {
  const [command, title, detail] =
    options.subcommand === 'impulse'
      ? [
          impulseCommand({ tag: options.tag, value: options.value, type: impulseType(options.type) }),
          'Impulse sent',
          options.tag,
        ]
      : [
          spawnCommand(options.url, options.active ?? true, options.persistent ?? true),
          'Item spawned',
          options.url,
        ];
  const server = await call.server();
  const outcome = await server.inWorld(command, world);
  call.record({ world: outcome.world });
  return {
    embeds: [
      successEmbed(
        title,
        `${detail}
in ${outcome.world ?? ''}`,
      ),
    ],
  };
}

function impulseType(type: string | undefined): ImpulseType | undefined {
  if (type === undefined) return undefined;
  const known = IMPULSE_TYPES.find((t) => t === type.toLowerCase());
  if (!known) throw new InvalidInputError(`The impulse type must be one of ${IMPULSE_TYPES.join(', ')}.`);
  return known;
}

async function startWorld(
  call: Call,
  options: Extract<Options, { subcommand: 'start' }>,
): Promise<CommandReply> {
  const { url, template } = options;
  if ((url === undefined) === (template === undefined)) {
    throw new InvalidInputError('Give either a record URL or a template name.');
  }
  if (url !== undefined && !/^resrec:\/\/\/\S+$/.test(url)) {
    throw new InvalidInputError('The URL must be a resrec:/// record URL.');
  }
  const value = url !== undefined ? consoleText(url, 'URL') : consoleText(template, 'template');
  const kind = url !== undefined ? 'url' : 'template';
  const server = await call.server();
  await server.startWorld(kind, value);
  return { embeds: [successEmbed('World starting', value)] };
}
