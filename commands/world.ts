import { ApplicationCommandOptionType, type APIApplicationCommandBasicOption } from 'discord.js';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { buildCommandLine, MAX_ARG_LENGTH } from '../src/console/quoting.js';
import { successEmbed } from '../src/discord/embeds.js';
import { consoleText, worldRef } from '../src/discord/inputs.js';
import { serverOption, textOption, worldOption } from '../src/discord/options.js';
import { InvalidInputError } from '../src/errors.js';
import type { WorldSetting } from '../src/servers/headless-server.js';

const ACCESS_LEVELS = ['Private', 'LAN', 'Contacts', 'ContactsPlus', 'RegisteredUsers', 'Anyone'] as const;

const sub = (name: string, description: string, options: APIApplicationCommandBasicOption[] = []) => ({
  type: ApplicationCommandOptionType.Subcommand as const,
  name,
  description,
  options: [...options, serverOption(), worldOption()],
});

export const definition: CommandDefinition = {
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
    ]),
    sub('maxusers', 'Maximum number of users', [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'value',
        description: 'Maximum users (1 to 256)',
        required: true,
        min_value: 1,
        max_value: 256,
      },
    ]),
    sub('hidden', 'Hide the world from the session listing, or show it', [
      { type: ApplicationCommandOptionType.Boolean, name: 'value', description: 'Hidden?', required: true },
    ]),
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
};

export async function execute(call: CommandCall): Promise<CommandReply> {
  const subcommand = call.interaction.options.getSubcommand();
  if (subcommand === 'start') return startWorld(call);
  const world = worldRef(call);
  if (subcommand === 'close' || subcommand === 'restart') {
    const server = await call.server();
    await call.confirm(
      `${subcommand === 'close' ? 'Close' : 'Restart'} ${world ?? 'the world'} on ${server.displayName}?`,
    );
    // Recorded before it is sent, so that a failure is audited with the line too.
    call.record({ action: subcommand });
    const outcome = await server.worldLifecycle(subcommand, world);
    call.record({ world: outcome.world, action: outcome.line });
    return {
      embeds: [successEmbed(`World ${subcommand === 'close' ? 'closed' : 'restarted'}`, outcome.world ?? '')],
    };
  }
  const [setting, value] = settingValue(call, subcommand);
  const server = await call.server();
  // Recorded before it is sent, so that a failure is audited with the line too.
  call.record({ action: buildCommandLine(setting, value) });
  const outcome = await server.setWorld(setting, value, world);
  call.record({ world: outcome.world, action: outcome.line });
  return { embeds: [successEmbed(`World ${subcommand} set`, `${outcome.world ?? ''}: ${value}`)] };
}

function settingValue(call: CommandCall, subcommand: string): [WorldSetting, string] {
  const options = call.interaction.options;
  switch (subcommand) {
    case 'name':
      return ['name', consoleText(call, 'value', 'world name')];
    case 'description':
      return ['description', consoleText(call, 'value', 'description')];
    case 'accesslevel': {
      const level = ACCESS_LEVELS.find((l) => l.toLowerCase() === call.text('value')?.toLowerCase());
      if (!level) throw new InvalidInputError(`The access level must be one of ${ACCESS_LEVELS.join(', ')}.`);
      return ['accesslevel', level];
    }
    case 'maxusers': {
      const max = options.getInteger('value', true);
      if (max < 1 || max > 256) throw new InvalidInputError('Max users must be between 1 and 256.');
      return ['maxusers', String(max)];
    }
    case 'hidden':
      return ['hidefromlisting', String(options.getBoolean('value', true))];
    default:
      throw new InvalidInputError(`Unknown world setting "${subcommand}".`);
  }
}

async function startWorld(call: CommandCall): Promise<CommandReply> {
  const url = call.text('url');
  const template = call.text('template');
  if ((url === undefined) === (template === undefined)) {
    throw new InvalidInputError('Give either a record URL or a template name.');
  }
  if (url !== undefined && !/^resrec:\/\/\/\S+$/.test(url)) {
    throw new InvalidInputError('The URL must be a resrec:/// record URL.');
  }
  const value =
    url !== undefined ? consoleText(call, 'url', 'URL') : consoleText(call, 'template', 'template');
  const kind = url !== undefined ? 'url' : 'template';
  const server = await call.server();
  // Recorded before it is sent, so that a failure is audited with the line too.
  call.record({ action: buildCommandLine(kind === 'url' ? 'startworldurl' : 'startworldtemplate', value) });
  const outcome = await server.startWorld(kind, value);
  call.record({ action: outcome.line });
  return { embeds: [successEmbed('World starting', value)] };
}
