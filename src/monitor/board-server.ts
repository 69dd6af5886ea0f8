import { TONE_EMOJI, containerTone, inlineText, listWithMore, type Tone } from '../discord/embeds.js';
import { compareText, truncate } from '../text.js';
import { NONE, coarseStats, coarseUptime, discordTime, plural } from './board-format.js';
import type { ServerSnapshot, WorldSnapshot } from './snapshot.js';

/** How much of one server the board shows; the budget walks down DETAIL_LEVELS until all fit. */
export interface Detail {
  /** Longest display name, after escaping. */
  displayMax: number;
  /** Also name the container when it differs from the display name. */
  showContainer: boolean;
  /**
   * full: state line, stats line, console line. compact: one state line with CPU and RAM, the console
   * only when it is not answering. minimal: one line with state, console trouble and world count.
   */
  head: 'full' | 'compact' | 'minimal';
  withStats: boolean;
  consoleDetailMax: number;
  /** lines: one line per world. count: "5 worlds · 23 users". */
  worlds: 'lines' | 'count';
  worldNameMax: number;
  /** 0 leaves the access level out of world lines. */
  accessMax: number;
  /** Characters for each world's list of present users; null lists no names. */
  userChars: number | null;
  /** Characters for all world lines together; past it, "+N more worlds". */
  worldsChars: number;
}

const FULL: Detail = {
  displayMax: 64,
  showContainer: true,
  head: 'full',
  withStats: true,
  consoleDetailMax: 200,
  worlds: 'lines',
  worldNameMax: 60,
  accessMax: 24,
  userChars: 1024,
  worldsChars: Infinity,
};

/**
 * Most detailed first: shorter user lists, then world lines without user names, then a compact
 * head and shorter world lines, then "+N more worlds", then a world count, then a one-line server.
 */
export const DETAIL_LEVELS: readonly Detail[] = [
  FULL,
  { ...FULL, userChars: 300 },
  { ...FULL, userChars: 160 },
  { ...FULL, userChars: 80 },
  { ...FULL, userChars: 40 },
  { ...FULL, userChars: null },
  {
    ...FULL,
    userChars: null,
    head: 'compact',
    showContainer: false,
    consoleDetailMax: 100,
    worldNameMax: 40,
  },
  { ...FULL, userChars: null, head: 'compact', showContainer: false, consoleDetailMax: 60, worldNameMax: 32 },
  {
    ...FULL,
    userChars: null,
    head: 'compact',
    withStats: false,
    showContainer: false,
    displayMax: 48,
    consoleDetailMax: 60,
    worldNameMax: 28,
    accessMax: 16,
  },
  {
    ...FULL,
    userChars: null,
    head: 'compact',
    withStats: false,
    showContainer: false,
    displayMax: 40,
    consoleDetailMax: 40,
    worldNameMax: 28,
    accessMax: 0,
  },
  {
    ...FULL,
    userChars: null,
    head: 'compact',
    withStats: false,
    showContainer: false,
    displayMax: 40,
    consoleDetailMax: 40,
    worldNameMax: 20,
    accessMax: 0,
  },
  {
    ...FULL,
    userChars: null,
    head: 'compact',
    withStats: false,
    showContainer: false,
    displayMax: 40,
    consoleDetailMax: 40,
    worldNameMax: 16,
    accessMax: 0,
    worldsChars: 120,
  },
  { ...FULL, head: 'compact', withStats: false, showContainer: false, displayMax: 40, worlds: 'count' },
  { ...FULL, head: 'minimal', withStats: false, showContainer: false, displayMax: 32, worlds: 'count' },
  { ...FULL, head: 'minimal', withStats: false, showContainer: false, displayMax: 20, worlds: 'count' },
];

const USER_NAME_MAX = 64;
const CONTAINER_NAME_MAX = 32;

export interface BoardField {
  name: string;
  value: string;
}

/** A running container whose console does not answer needs a look, whatever Docker says. */
export function serverTone(server: ServerSnapshot): Tone {
  const tone = containerTone(server.container);
  return tone === 'ok' && server.console !== 'ok' ? 'warning' : tone;
}

/** Servers by name, then by anything else that tells them apart, so input order never matters. */
export function sortServers(servers: readonly ServerSnapshot[]): ServerSnapshot[] {
  const key = (s: ServerSnapshot): string[] => [s.name, s.displayName, s.container.name, s.container.id];
  return [...servers].sort((a, b) => compareKeys(key(a), key(b)));
}

export function sortWorlds(worlds: readonly WorldSnapshot[]): WorldSnapshot[] {
  return [...worlds].sort((a, b) => a.index - b.index || compareText(a.name, b.name));
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (const [index, value] of a.entries()) {
    const order = compareText(value, b[index] ?? '');
    if (order !== 0) return order;
  }
  return 0;
}

// Code-unit order, not locale order: the same on every machine.

/** `inlineText`, escaping each distinct text once however many lengths it is cut to. */
type Inline = (text: string, max: number) => string;

// No level shows more than this much of one text; a huge name is not worth escaping whole.
const INPUT_MAX = 1024;

function cachedInline(): Inline {
  const escaped = new Map<string, string>();
  return (text, max) => {
    let line = escaped.get(text);
    if (line === undefined) {
      line = inlineText(text.slice(0, INPUT_MAX), Infinity);
      escaped.set(text, line);
    }
    return truncate(line, max);
  };
}

/**
 * One server as one embed field at every level of DETAIL_LEVELS, most detailed first. `stale` marks
 * the last known state while Docker is unreachable.
 */
export function serverFields(server: ServerSnapshot, stale: boolean): BoardField[] {
  const inline = cachedInline();
  const worlds = sortWorlds(server.worlds);
  return DETAIL_LEVELS.map((detail) => ({
    name: fieldName(server, detail, stale, inline),
    value: fieldValue(server, worlds, detail, inline) || NONE,
  }));
}

function fieldName(server: ServerSnapshot, detail: Detail, stale: boolean, inline: Inline): string {
  const emoji = TONE_EMOJI[stale ? 'unknown' : serverTone(server)];
  const display = inline(server.displayName || server.name, detail.displayMax) || '(unnamed)';
  let name = `${emoji} ${display}`;
  if (detail.showContainer && server.displayName && server.displayName !== server.name) {
    name += ` (${inline(server.name, CONTAINER_NAME_MAX)})`;
  }
  return stale ? `${name} · stale` : name;
}

function fieldValue(
  server: ServerSnapshot,
  worlds: readonly WorldSnapshot[],
  detail: Detail,
  inline: Inline,
): string {
  if (detail.head === 'minimal') {
    const parts = [
      ...stateParts(server, detail),
      ...consoleTrouble(server, 0, inline).map((text) => `console ${text}`),
    ];
    if (worlds.length > 0) parts.push(worldCount(worlds));
    if (server.nextRestart !== undefined) parts.push(`next restart ${discordTime(server.nextRestart, 'R')}`);
    return parts.join(' · ');
  }
  const lines = [stateParts(server, detail).join(' · ')];
  if (server.nextRestart !== undefined) lines.push(`Next restart ${discordTime(server.nextRestart, 'R')}`);
  if (detail.head === 'full') {
    if (showsStats(server)) lines.push(coarseStats(server.stats));
    lines.push(consoleLine(server, detail.consoleDetailMax, inline));
  } else {
    lines.push(...consoleTrouble(server, detail.consoleDetailMax, inline).map((text) => `Console ${text}`));
  }
  if (worlds.length === 0) {
    if (server.console === 'ok') lines.push('No worlds running');
  } else if (detail.worlds === 'count') {
    lines.push(worldCount(worlds));
  } else {
    lines.push(worldLines(worlds, detail, inline));
  }
  return lines.join('\n');
}

// A stopped container has no stats; "CPU — · RAM —" under "exited" would say nothing.
function showsStats(server: ServerSnapshot): boolean {
  return server.container.state === 'running' || server.stats !== null;
}

function stateParts(server: ServerSnapshot, detail: Detail): string[] {
  const { container } = server;
  const running = container.state === 'running';
  const parts = [detail.head === 'minimal' ? container.state : `**${container.state}**`];
  if (running && container.health !== 'none') parts.push(container.health);
  if (running) parts.push(`up ${coarseUptime(container.uptimeSeconds)}`);
  else if (container.exitCode !== null) parts.push(`exit code ${container.exitCode}`);
  if (container.oomKilled) parts.push('OOM-killed');
  if (container.state === 'missing') parts.push('no such container');
  else if (detail.head !== 'minimal') parts.push(plural(container.restartCount, 'restart'));
  if (detail.head === 'compact' && detail.withStats && showsStats(server)) {
    parts.push(coarseStats(server.stats, false));
  }
  return parts;
}

function consoleLine(server: ServerSnapshot, detailMax: number, inline: Inline): string {
  if (server.console === 'ok') return 'Console: answering';
  return `Console: ${consoleTrouble(server, detailMax, inline).join('')}`;
}

/** "not answering — timed out after 5 s", or nothing when the console answers. */
function consoleTrouble(server: ServerSnapshot, detailMax: number, inline: Inline): string[] {
  if (server.console === 'ok') return [];
  const detail = detailMax > 0 && server.consoleDetail ? inline(server.consoleDetail, detailMax) : '';
  return [detail ? `${server.console} — ${detail}` : server.console];
}

function worldCount(worlds: readonly WorldSnapshot[]): string {
  const users = worlds.reduce((sum, world) => sum + world.users, 0);
  return `${plural(worlds.length, 'world')} · ${plural(users, 'user')}`;
}

function worldLines(worlds: readonly WorldSnapshot[], detail: Detail, inline: Inline): string {
  const lines = worlds.map((world) => worldLine(world, detail, inline));
  return linesWithMore(lines, detail.worldsChars, 'world');
}

function worldLine(world: WorldSnapshot, detail: Detail, inline: Inline): string {
  const name = inline(world.name, detail.worldNameMax) || '(unnamed)';
  const full = detail.head === 'full';
  const parts = [full ? `• **${name}**` : `• ${name}`, `${world.users}/${world.maxUsers}`];
  if (detail.accessMax > 0) parts.push(inline(world.accessLevel, detail.accessMax) || NONE);
  // Compact lines say only the exception.
  if (full || world.hidden) parts.push(world.hidden ? 'hidden' : 'listed');
  let line = parts.join(' · ');
  if (detail.userChars !== null && world.present.length > 0) {
    const names = world.present.map((user) => inline(user, USER_NAME_MAX) || '(unnamed)');
    line += `\n  ↳ ${listWithMore(names, detail.userChars)}`;
  }
  return line;
}

/** As many whole lines as fit in `maxChars`, then "+N more worlds". */
function linesWithMore(lines: readonly string[], maxChars: number, noun: string): string {
  const more = (left: number): string => (left > 0 ? `+${left} more ${left === 1 ? noun : `${noun}s`}` : '');
  let shown = 0;
  let length = -1;
  for (const [index, line] of lines.entries()) {
    length += 1 + line.length;
    if (length > maxChars) break;
    const suffix = more(lines.length - index - 1);
    if (length + (suffix ? suffix.length + 1 : 0) <= maxChars) shown = index + 1;
  }
  return [...lines.slice(0, shown), more(lines.length - shown)].filter(Boolean).join('\n');
}
