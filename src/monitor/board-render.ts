import { createHash } from 'node:crypto';
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { COLOURS, EMBED_LIMITS, inlineText, worstTone, type Tone } from '../discord/embeds.js';
import { fitFields } from './board-budget.js';
import { MAX_SECONDS, discordTime, plural } from './board-format.js';
import { serverFields, serverTone, sortServers, type BoardField } from './board-server.js';
import type { BoardSnapshot, HostSnapshot, ServerSnapshot } from './snapshot.js';

export { coarseMemory, coarseStats, coarseUptime } from './board-format.js';

export interface RenderedBoard {
  embeds: APIEmbed[];
  /**
   * sha1 of the canonical JSON of everything the board shows except the `checked` line: equal for
   * boards that look the same, different as soon as anything shown differs.
   */
  fingerprint: string;
}

export const BOARD_TITLE = 'Resonite servers';
const DOCKER_ERROR_MAX = 300;
const CHECKED_RESERVE = `\nchecked <t:${MAX_SECONDS}:R>`.length;
const MORE_RESERVE = `\n+${'9'.repeat(6)} more servers not shown`.length;
const MAX_FIELDS = EMBED_LIMITS.fields * EMBED_LIMITS.embedsPerMessage;

/** "checked <t:1700000000:R>", which Discord shows as "checked 2 minutes ago". `at` is in ms. */
export function boardFooter(at: number): string {
  // Clamped to the range CHECKED_RESERVE has room for.
  return `checked ${discordTime(at, 'R')}`;
}

/**
 * The status board: one field per server (sorted by name, worlds by index), 25 fields per embed,
 * all within one message's limits whatever the input. Full detail when it fits; otherwise the
 * biggest servers are compacted step by step (see DETAIL_LEVELS). The `checked` line is in the last
 * embed's description (Discord renders timestamps there, not in footers) and not in the fingerprint.
 */
export function renderBoard(snapshot: BoardSnapshot): RenderedBoard {
  const servers = sortServers(snapshot.servers);
  const stale = snapshot.dockerError !== undefined;
  const groups = hostGroups(snapshot, servers);
  const summary = summaryText(snapshot, servers);
  const budget = EMBED_LIMITS.total - BOARD_TITLE.length - summary.length - CHECKED_RESERVE;
  // With several hosts, each host's servers follow a field saying how the host stands.
  const items = groups.flatMap(({ host, servers: onHost }) => [
    ...(host ? [{ server: false, renderings: [hostField(host, onHost)] }] : []),
    ...onHost.map((server) => ({
      server: true,
      renderings: serverFields(server, stale || server.stale === true),
    })),
  ]);
  const renderings = items.map((item) => item.renderings);
  const fit = fitFields(renderings, budget, MORE_RESERVE, MAX_FIELDS);
  const fields: APIEmbedField[] = fit.levels.map((level, index) => {
    const field = renderings[index]?.[level] ?? { name: '—', value: '—' };
    return { name: field.name, value: field.value };
  });
  const hidden = items.slice(fit.shown).filter((item) => item.server).length;
  const description = hidden > 0 ? `${summary}\n+${hidden} more servers not shown` : summary;

  const tones: Tone[] = servers.map(serverTone);
  if (stale || snapshot.hosts?.some((host) => host.error !== undefined)) tones.push('error');
  const color = COLOURS[worstTone(tones)];
  const embeds: APIEmbed[] = [{ title: BOARD_TITLE, description, color }];
  for (let start = 0; start < fields.length; start += EMBED_LIMITS.fields) {
    const chunk = fields.slice(start, start + EMBED_LIMITS.fields);
    const first = embeds[0];
    if (start === 0 && first) first.fields = chunk;
    else embeds.push({ color, fields: chunk });
  }

  const fingerprint = boardFingerprint(embeds);
  const last = embeds.at(-1);
  if (last)
    last.description = last.description
      ? `${last.description}\n${boardFooter(snapshot.at)}`
      : boardFooter(snapshot.at);
  return { embeds, fingerprint };
}

/** sha1 of the embeds' canonical JSON (keys sorted), as rendered before the `checked` line. */
export function boardFingerprint(embeds: readonly APIEmbed[]): string {
  return createHash('sha1').update(canonicalJson(embeds)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface HostGroup {
  /** Absent with one host: the board then looks as it always has. */
  host?: HostSnapshot;
  servers: ServerSnapshot[];
}

/** The servers by host, in the configured order of the hosts; one group without a host when there is one host. */
function hostGroups(snapshot: BoardSnapshot, servers: readonly ServerSnapshot[]): HostGroup[] {
  const hosts = snapshot.hosts ?? [];
  if (hosts.length <= 1) return [{ servers: [...servers] }];
  return hosts.map((host) => ({ host, servers: servers.filter((s) => s.container.host === host.name) }));
}

/** "🖥️ eu-1" with "2 of 2 running · 5 users", or a host that does not answer with why and since when. */
function hostField(host: HostSnapshot, servers: readonly ServerSnapshot[]): BoardField {
  const name = inlineText(host.name, 64);
  if (host.error === undefined) {
    return { name: `🖥️ ${name}`, value: servers.length === 0 ? 'No managed servers here.' : counts(servers) };
  }
  const error = inlineText(host.error, DOCKER_ERROR_MAX) || 'no answer';
  const seen = host.lastSeenAt === undefined ? '' : `, last seen ${discordTime(host.lastSeenAt, 'R')}`;
  const shown =
    servers.length > 0
      ? `Its servers below are the last known state${seen}.`
      : 'No last known state to show.';
  return { name: `🔴 ${name}: Docker is unreachable`, value: `${error}\n${shown}` };
}

function counts(servers: readonly ServerSnapshot[]): string {
  const running = servers.filter((server) => server.container.state === 'running').length;
  const worlds = servers.flatMap((server) => server.worlds);
  const users = worlds.reduce((sum, world) => sum + world.users, 0);
  return `${running} of ${servers.length} running · ${plural(users, 'user')} in ${plural(worlds.length, 'world')}`;
}

function summaryText(snapshot: BoardSnapshot, servers: readonly ServerSnapshot[]): string {
  const hosts = snapshot.hosts ?? [];
  if (hosts.length > 1) {
    const down = hosts.filter((host) => host.error !== undefined).map((host) => inlineText(host.name, 64));
    const fresh = servers.filter((server) => !server.stale);
    const line = fresh.length > 0 ? counts(fresh) : 'No server can be seen now.';
    return down.length === 0
      ? `${line} · ${hosts.length} hosts`
      : `${line}\n🔴 **Unreachable:** ${down.join(', ')} (of ${hosts.length} hosts)`;
  }
  if (snapshot.dockerError !== undefined) {
    const error = inlineText(snapshot.dockerError, DOCKER_ERROR_MAX) || 'no answer';
    const lines = [`🔴 **Docker is unreachable:** ${error}`];
    const seen =
      snapshot.lastSeenAt === undefined ? '' : `, last seen ${discordTime(snapshot.lastSeenAt, 'R')}`;
    lines.push(
      servers.length > 0
        ? `Showing the last known state${seen}; it may be stale.`
        : 'No last known state to show.',
    );
    return lines.join('\n');
  }
  if (servers.length === 0) return 'No servers are managed.';
  return counts(servers);
}
