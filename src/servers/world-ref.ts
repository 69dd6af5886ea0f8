import type { WorldSummary } from '../console/parsers.js';
import { UserError } from '../errors.js';

/** A world by its index from `worlds` or by its name (case-insensitive). */
export function resolveWorld(worlds: WorldSummary[], ref: string, server: string): WorldSummary {
  const trimmed = ref.trim();
  if (/^\d+$/.test(trimmed)) {
    const byIndex = worlds.find((w) => w.index === Number(trimmed));
    if (byIndex) return byIndex;
  }
  const lower = trimmed.toLowerCase();
  const byName = worlds.find((w) => w.name.toLowerCase() === lower);
  if (byName) return byName;
  if (worlds.length === 0) throw new UserError(`Server "${server}" has no world running.`);
  const names = worlds.map((w) => `[${w.index}] ${w.name}`).join(', ');
  throw new UserError(`There is no world "${trimmed}" on server "${server}". Worlds: ${names}.`);
}

/** The worlds a command covers: the one asked for, or every world when none was given. */
export function targetWorlds(
  worlds: WorldSummary[],
  ref: string | undefined,
  server: string,
): WorldSummary[] {
  if (ref !== undefined && ref.trim() !== '') return [resolveWorld(worlds, ref, server)];
  if (worlds.length === 0) throw new UserError(`Server "${server}" has no world running.`);
  return worlds;
}
