import type { Ban, WorldStatus, WorldSummary } from '../console/parsers.js';
import type { ManagedContainer } from '../docker/container-info.js';
import type { ContainerStats } from '../docker/stats.js';
import type { WorldUsers } from '../servers/headless-server.js';
import { formatDuration } from '../text.js';

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** With several hosts, a HOST column, and a line for each host that did not answer. */
export function formatContainers(
  containers: ManagedContainer[],
  hosts?: { unreachable: { name: string; error: string }[] },
): string {
  const rows = table([
    ['SERVER', ...(hosts ? ['HOST'] : []), 'STATE', 'HEALTH', 'UPTIME', 'RESTARTS', 'ID'],
    ...containers.map((c) => [
      c.name,
      ...(hosts ? [c.host ?? '-'] : []),
      c.state,
      c.health,
      formatDuration(c.uptimeSeconds, '-'),
      String(c.restartCount),
      c.id.slice(0, 12),
    ]),
  ]);
  const down = (hosts?.unreachable ?? []).map((h) => `host ${h.name} is unreachable: ${h.error}`);
  return [rows, ...down].join('\n');
}

export function formatStatus(worlds: WorldStatus[]): string {
  return worlds
    .map((w) =>
      [
        w.name,
        `  session:  ${w.sessionId}`,
        `  users:    ${w.currentUsers} (${w.presentUsers} present) / ${w.maxUsers}`,
        `  access:   ${w.accessLevel}${w.hiddenFromListing ? ', hidden' : ''}`,
        `  uptime:   ${formatDuration(w.uptimeSeconds, '-')}`,
        `  users:    ${w.users.join(', ') || '-'}`,
        ...(w.description ? [`  about:    ${w.description}`] : []),
      ].join('\n'),
    )
    .join('\n\n');
}

export function formatWorlds(worlds: WorldSummary[]): string {
  return table([
    ['#', 'WORLD', 'USERS', 'PRESENT', 'MAX', 'ACCESS'],
    ...worlds.map((w) => [
      String(w.index),
      w.name,
      String(w.users),
      String(w.present),
      String(w.maxUsers),
      w.accessLevel,
    ]),
  ]);
}

export function formatUsers(groups: WorldUsers[]): string {
  return groups
    .map(({ world, users }) =>
      [
        world.name,
        table([
          ['  USER', 'ROLE', 'PRESENT', 'PING', 'SILENCED'],
          ...users.map((u) => [
            `  ${u.name}`,
            u.role,
            u.present ? 'yes' : 'no',
            `${u.ping} ms`,
            u.silenced ? 'yes' : 'no',
          ]),
        ]),
      ].join('\n'),
    )
    .join('\n\n');
}

export function formatBans(bans: Ban[]): string {
  if (bans.length === 0) return 'No bans.';
  return table([
    ['USER', 'ID', 'MACHINES'],
    ...bans.map((b) => [b.username, b.userId ?? '-', b.machineIds.join(', ')]),
  ]);
}

export function formatStats(stats: ContainerStats): string {
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const cpu = stats.cpuPercent === null ? '-' : `${stats.cpuPercent}%`;
  const limit = stats.memoryLimitBytes > 0 ? ` / ${mib(stats.memoryLimitBytes)}` : '';
  return `cpu:    ${cpu}\nmemory: ${mib(stats.memoryBytes)}${limit}`;
}
