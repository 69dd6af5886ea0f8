import { ActionRowBuilder, ApplicationCommandOptionType, ButtonBuilder, ButtonStyle } from 'discord.js';
import { MAX_ARG_LENGTH } from '../src/console/quoting.js';
import { MASK } from '../src/console/secrets.js';
import { ContainerFiles } from '../src/docker/archive.js';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { listWithMore, successEmbed } from '../src/discord/embeds.js';
import { serverOption } from '../src/discord/options.js';
import { textReply } from '../src/discord/text-reply.js';
import { alertButtonId } from '../src/discord/alert-button-id.js';
import {
  DEFAULT_HEADLESS_CONFIG_PATH,
  HeadlessConfigFile,
  planRestore,
  planSet,
  showConfig,
  type ConfigChange,
} from '../src/servers/config-file.js';
import { isSecretKey } from '../src/servers/config-text.js';
import type { HeadlessServer } from '../src/servers/headless-server.js';
import { serverKey } from '../src/servers/server-key.js';

const pathOption = <R extends boolean>(required: R, description: string) =>
  ({
    type: ApplicationCommandOptionType.String,
    name: 'path',
    description,
    required,
    max_length: 200,
  }) as const;

export const definition = {
  name: 'config',
  description: "Read and change the headless's own Config.json (takes effect when it starts again)",
  level: 'admin',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'show',
      description: 'Show Config.json (the password masked) and its backups',
      options: [serverOption(), pathOption(false, 'Only this part, e.g. startWorlds[0]')],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'set',
      description: 'Change one field (asks first, keeps a backup)',
      options: [
        pathOption(true, 'The field, e.g. startWorlds[0].maxUsers or tickRate'),
        {
          type: ApplicationCommandOptionType.String,
          name: 'value',
          description: 'The new value: 16, true, Anyone, some text, null, or JSON for lists',
          required: true,
          max_length: MAX_ARG_LENGTH,
        },
        serverOption(),
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'restore',
      description: 'Put a backup back (asks first, keeps a backup of the current file)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'backup',
          description: 'The backup, as /config show lists it',
          required: true,
          max_length: 100,
        },
        serverOption(),
      ],
    },
  ],
} as const satisfies CommandDefinition;

type Call = CommandCall<typeof definition>;

const DIFF_CHARS = 3_000;
const BACKUPS_SHOWN_CHARS = 1_000;

export async function execute(call: Call): Promise<CommandReply> {
  const server = await call.server();
  const file = new HeadlessConfigFile(
    new ContainerFiles(call.bot.servers.containers),
    server.name,
    call.bot.config.servers[server.name]?.headlessConfigPath ?? DEFAULT_HEADLESS_CONFIG_PATH,
  );
  const { options } = call;
  if (options.subcommand === 'show') {
    const loaded = await file.load();
    const shown = showConfig(loaded, options.path);
    const backups = await file.backups();
    const reply = textReply(
      `${file.path}${shown.path ? ` ${shown.path}` : ''} of ${server.displayName}`,
      shown.text,
      `${server.name}-Config.json`,
    );
    if (backups.length === 0) return reply;
    return {
      ...reply,
      embeds: [
        successEmbed(
          `Backups (newest first), for /config restore`,
          listWithMore(backups, BACKUPS_SHOWN_CHARS, '\n'),
        ),
      ],
    };
  }
  if (options.subcommand === 'set') {
    const loaded = await file.load();
    const change = planSet(loaded, options.path, options.value);
    await confirmChange(call, `Set ${change.path} in ${file.path} of ${server.displayName}?`, change);
    call.record({ action: `config set ${change.path} ${change.secret ? MASK : options.value}` });
    const backup = await file.replace(loaded, change.text);
    return written(server, `${change.path} set`, backup, change);
  }
  const loaded = await file.load();
  const change = planRestore(loaded, await file.readBackup(options.backup), options.backup);
  await confirmChange(call, `Restore ${file.path} of ${server.displayName} from ${options.backup}?`, change);
  call.record({ action: `config restore ${options.backup}` });
  const backup = await file.replace(loaded, change.text);
  return written(server, `Restored from ${options.backup}`, backup, change);
}

/** The value of `/config set loginPassword ...` never reaches the audit or a log line. */
export function auditOptions(options: Record<string, unknown>): Record<string, unknown> {
  const path = typeof options.path === 'string' ? options.path : '';
  const last = /([A-Za-z_$][\w$]*)\s*$/.exec(path)?.[1];
  return isSecretKey(last) && 'value' in options ? { ...options, value: MASK } : options;
}

function confirmChange(call: Call, question: string, change: ConfigChange): Promise<void> {
  return call.confirm(
    question,
    `${truncateLines(change.diff, DIFF_CHARS)}\n\nThe current file is kept as a backup. The headless reads it when it starts.`,
  );
}

function written(server: HeadlessServer, title: string, backup: string, change: ConfigChange): CommandReply {
  return {
    embeds: [
      successEmbed(
        `${title}: ${server.displayName}`,
        `${truncateLines(change.diff, DIFF_CHARS)}\n\nBackup of the previous file: ${backup}\nIt takes effect when the headless starts again: restart it now or later.`,
      ),
    ],
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId(alertButtonId('restart', serverKey(server.name)))
          .setLabel('Restart now')
          .setStyle(ButtonStyle.Danger),
      ),
    ],
  };
}

/** Whole lines up to `max` characters, then how many more there were. */
function truncateLines(text: string, max: number): string {
  const lines = text.split('\n');
  let length = 0;
  const kept = lines.filter((line) => (length += line.length + 1) <= max);
  return kept.length === lines.length
    ? text
    : `${kept.join('\n')}\n… ${lines.length - kept.length} more lines`;
}
