import { ApplicationCommandOptionType, AttachmentBuilder, EmbedBuilder } from 'discord.js';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { COLOURS, inlineText } from '../src/discord/embeds.js';
import { serverOption, worldOption } from '../src/discord/options.js';
import type { HeadlessServer } from '../src/servers/headless-server.js';
import { GRAPH_PERIODS, type GraphResult } from '../src/servers/player-history.js';
import { UserError } from '../src/errors.js';
import { hourRange } from '../src/history/local-time.js';

const NAME_MAX = 100;
/** Discord allows 25 fields; the chart draws at most 10 worlds anyway. */
const FIELDS_MAX = 10;

export const definition = {
  name: 'graph',
  description: 'How many users were in each world over time, as a chart',
  level: 'viewer',
  options: [
    serverOption(),
    worldOption('Only this world (default: every world of the server)'),
    {
      type: ApplicationCommandOptionType.String,
      name: 'period',
      description: 'How far back (default 24h)',
      required: false,
      choices: GRAPH_PERIODS.map((period) => ({ name: period, value: period })),
    },
  ],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const server = await call.server();
  const wanted = call.options.period ?? '24h';
  const period = GRAPH_PERIODS.find((known) => known === wanted);
  if (period === undefined) throw new UserError(`period must be one of ${GRAPH_PERIODS.join(', ')}.`);
  const world = call.options.world === undefined ? undefined : await worldName(server, call.options.world);
  const result = await call.bot.history.graph({
    server: server.name,
    displayName: server.displayName,
    world,
    period,
  });
  const file = `users-${server.name.replace(/[^\w-]/g, '_')}-${period}.png`;
  return {
    embeds: [graphEmbed(server.displayName, period, result, file)],
    files: [new AttachmentBuilder(result.png, { name: file })],
  };
}

/** Autocomplete gives a long world name as its index: the name it has now is the one recorded. */
async function worldName(server: HeadlessServer, given: string): Promise<string> {
  if (!/^\d+$/.test(given)) return given;
  const current = await server.worlds().catch(() => []);
  return current.find((world) => String(world.index) === given)?.name ?? given;
}

function graphEmbed(server: string, period: string, result: GraphResult, file: string): EmbedBuilder {
  const lines: string[] = [];
  const top = result.worlds.reduce((a, b) => (b.peak > a.peak ? b : a));
  lines.push(
    `**Peak**: ${top.peak} in ${inlineText(top.world, NAME_MAX) || '(unnamed)'}, <t:${Math.floor(top.peakAt / 1000)}:f>`,
  );
  const mean = result.worlds.reduce((sum, world) => sum + world.mean, 0);
  lines.push(`**Mean**: ${mean.toFixed(1)} across the worlds`);
  if (result.busiestHour) {
    lines.push(
      `**Busiest hour**: ${hourRange(result.busiestHour.hour)} (${result.timezone}), ${result.busiestHour.mean.toFixed(1)} users on average`,
    );
  }
  if (result.leftOff > 0) lines.push(`${result.leftOff} quieter worlds are not drawn.`);
  lines.push('Users other than the headless itself; gaps are times the server was down.');
  return new EmbedBuilder()
    .setTitle(`Users on ${inlineText(server, NAME_MAX)}, last ${period}`)
    .setColor(COLOURS.info)
    .setDescription(lines.join('\n'))
    .addFields(
      result.worlds.slice(0, FIELDS_MAX).map((world) => ({
        name: inlineText(world.world, NAME_MAX) || '(unnamed)',
        value: `peak ${world.peak}, mean ${world.mean.toFixed(1)}`,
        inline: true,
      })),
    )
    .setImage(`attachment://${file}`)
    .setFooter({
      text: `${formatTime(result.from, result.timezone)} to ${formatTime(result.to, result.timezone)}`,
    });
}

function formatTime(ms: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(ms);
}
