import { EmbedBuilder } from 'discord.js';
import type { WorldSummary } from '../../console/parsers.js';
import type { ManagedContainer } from '../../docker/container-info.js';
import type { ContainerStats } from '../../docker/stats.js';
import { COLOURS, TONE_EMOJI, containerTone, worstTone, type Tone } from './colours.js';
import { formatDuration, truncate } from '../../text.js';
import { statsLine } from './format.js';
import { EMBED_LIMITS, inlineText, listWithMore, shareBudget } from './limits.js';

export interface ServerEntry {
  container: ManagedContainer;
  /** A friendlier label from the config; the container name when there is none. */
  displayName: string;
  /** The `worlds` table; null or absent when the console was not asked or did not answer. */
  worlds?: WorldSummary[] | null;
  /** Why the console state is unknown, in a moderator's words. */
  consoleError?: string;
  stats?: ContainerStats | null;
  /** The host it is on, said when the bot manages several. */
  host?: string;
}

export interface ServersEmbedOptions {
  /** Shown as a relative timestamp, so readers of the status board can tell the bot is alive. */
  checkedAt?: Date;
  /** Hosts that did not answer, with why: their servers cannot be listed. */
  unreachableHosts?: readonly { name: string; error: string }[];
}

const TITLE = 'Servers';
const DISPLAY_NAME_MAX = 64;
const CONTAINER_NAME_MAX = 32;
const WORLD_NAME_MAX = 60;
const CONSOLE_ERROR_MAX = 200;
// Below this a field could not show more than its state line; such servers are only counted.
const MIN_VALUE = 120;
const FOOTER_RESERVE = 40;
const MAX_SERVERS = EMBED_LIMITS.fields * EMBED_LIMITS.embedsPerMessage;

/**
 * One field per server. Returns one embed per 25 servers (each coloured by its most troubled
 * server); together they fit one message (≤ 10 embeds, ≤ 6000 characters), so send them together.
 * The character budget is shared between servers, so with many servers each lists fewer worlds.
 */
export function serversEmbed(
  entries: readonly ServerEntry[],
  options: ServersEmbedOptions = {},
): EmbedBuilder[] {
  const description = summary(entries, options);
  if (entries.length === 0) {
    return [new EmbedBuilder().setTitle(TITLE).setColor(COLOURS.unknown).setDescription(description)];
  }
  const fields = entries.map((entry) => ({ entry, tone: entryTone(entry), name: fieldName(entry) }));
  const budget = EMBED_LIMITS.total - TITLE.length - description.length - FOOTER_RESERVE;
  const visible = fields.slice(
    0,
    fittingCount(
      fields.map((field) => field.name.length),
      budget,
    ),
  );
  const names = visible.reduce((sum, field) => sum + field.name.length, 0);
  const wants = visible.map((field) => serverValue(field.entry, EMBED_LIMITS.fieldValue).length);
  const shares = shareBudget(budget - names, wants);

  const embeds: EmbedBuilder[] = [];
  for (let start = 0; start < visible.length; start += EMBED_LIMITS.fields) {
    const chunk = visible.slice(start, start + EMBED_LIMITS.fields);
    const colour = COLOURS[worstTone(chunk.map((field) => field.tone))];
    const values = chunk.map((field, i) => serverValue(field.entry, shares[start + i] ?? 0));
    const embed = new EmbedBuilder()
      .setColor(colour)
      .addFields(chunk.map((field, i) => ({ name: field.name, value: values[i] ?? '—' })));
    if (start === 0) embed.setTitle(TITLE).setDescription(description);
    embeds.push(embed);
  }
  const hidden = entries.length - visible.length;
  if (hidden > 0) embeds.at(-1)?.setFooter({ text: `+${hidden} more servers not shown` });
  return embeds;
}

/** How many servers fit when each needs its name plus at least MIN_VALUE characters. */
function fittingCount(nameLengths: readonly number[], budget: number): number {
  let fitting = 0;
  let names = 0;
  for (const [index, length] of nameLengths.slice(0, MAX_SERVERS).entries()) {
    names += length;
    if ((budget - names) / (index + 1) < MIN_VALUE) break;
    fitting = index + 1;
  }
  return fitting;
}

function summary(entries: readonly ServerEntry[], options: ServersEmbedOptions): string {
  const { checkedAt, unreachableHosts = [] } = options;
  const running = entries.filter((entry) => entry.container.state === 'running').length;
  const lines = [
    entries.length === 0
      ? unreachableHosts.length > 0
        ? 'No server can be listed.'
        : 'No servers are managed.'
      : `${running} of ${entries.length} running`,
  ];
  for (const host of unreachableHosts.slice(0, 10))
    lines.push(
      `🔴 Host ${inlineText(host.name, 64)} is unreachable, its servers are not listed: ${inlineText(host.error, 200)}`,
    );
  if (checkedAt) lines.push(`checked <t:${Math.floor(checkedAt.getTime() / 1000)}:R>`);
  return lines.join('\n');
}

function entryTone(entry: ServerEntry): Tone {
  const tone = containerTone(entry.container);
  // A running container whose console does not answer needs a look, even if Docker calls it healthy.
  return tone === 'ok' && !entry.worlds ? 'warning' : tone;
}

function fieldName(entry: ServerEntry): string {
  const { container, displayName } = entry;
  let name = `${TONE_EMOJI[entryTone(entry)]} ${inlineText(displayName || container.name, DISPLAY_NAME_MAX)}`;
  if (displayName && displayName !== container.name) {
    name += ` (${inlineText(container.name, CONTAINER_NAME_MAX)})`;
  }
  return name;
}

function serverValue(entry: ServerEntry, max: number): string {
  const head = headLines(entry).join('\n');
  // A stopped container's worlds and health are stale; its state line says all there is.
  const worlds = entry.container.state === 'running' ? (entry.worlds ?? []) : [];
  const room = max - head.length - 1;
  if (worlds.length === 0 || room < 12) return truncate(head, max);
  return `${head}\n${listWithMore(worlds.map(worldLine), room, '\n')}`;
}

function headLines(entry: ServerEntry): string[] {
  const { container } = entry;
  const running = container.state === 'running';
  const state = [`**${container.state}**`];
  if (running) {
    if (container.health !== 'none') state.push(container.health);
    state.push(`up ${formatDuration(container.uptimeSeconds)}`);
  } else if (container.exitCode !== null) state.push(`exit code ${container.exitCode}`);
  if (container.oomKilled) state.push('OOM-killed');
  if (container.state === 'missing') state.push('no such container');
  else state.push(`${container.restartCount} ${container.restartCount === 1 ? 'restart' : 'restarts'}`);
  if (entry.host !== undefined) state.push(`on ${inlineText(entry.host, 64)}`);

  const lines = [state.join(' · ')];
  if (running && entry.stats) lines.push(statsLine(entry.stats));
  if (entry.consoleError) lines.push(`Console: ${inlineText(entry.consoleError, CONSOLE_ERROR_MAX)}`);
  else if (running && !entry.worlds) lines.push('Console: unknown');
  else if (running && entry.worlds?.length === 0) lines.push('No worlds running');
  return lines;
}

function worldLine(world: WorldSummary): string {
  const name = inlineText(world.name, WORLD_NAME_MAX) || '(unnamed)';
  const access = inlineText(world.accessLevel, 20);
  return `• **${name}** ${world.users}/${world.maxUsers} (${world.present} present) · ${access}`;
}
