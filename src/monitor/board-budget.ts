import { EMBED_LIMITS } from '../discord/embeds.js';
import type { BoardField } from './board-server.js';

export interface Fit {
  /** For each shown item, the index of its chosen rendering. */
  levels: number[];
  /** How many items (from the start) are shown; the rest are only counted. */
  shown: number;
}

/** Characters a field costs towards the message total; Infinity when it breaks a field limit. */
export function fieldCost(field: BoardField): number {
  if (field.name.length > EMBED_LIMITS.fieldName || field.value.length > EMBED_LIMITS.fieldValue) {
    return Infinity;
  }
  return field.name.length + field.value.length;
}

/**
 * Picks one rendering per item (each item's renderings go from most to least detailed) so that
 * together they cost at most `budget`. Starting from full detail, the most expensive item is made
 * one step more compact until everything fits, so small servers keep their detail while big ones
 * shrink. When even the most compact renderings do not fit, or there are more than `maxItems`, only
 * a prefix is shown and `moreReserve` characters are kept for saying how many were left out.
 * Deterministic: of equally expensive items the later one shrinks first, so the top of the board
 * keeps its detail longest.
 */
export function fitFields(
  renderings: readonly (readonly BoardField[])[],
  budget: number,
  moreReserve: number,
  maxItems: number,
): Fit {
  const costs = renderings.map((options) => options.map(fieldCost));
  const all = fitCosts(costs, budget);
  if (all.fits && costs.length <= maxItems) return { levels: all.levels, shown: costs.length };

  const room = budget - moreReserve;
  let shown = 0;
  let total = 0;
  for (const options of costs.slice(0, maxItems)) {
    total += Math.min(...options);
    if (total > room) break;
    shown += 1;
  }
  return { levels: fitCosts(costs.slice(0, shown), room).levels, shown };
}

function fitCosts(
  costs: readonly (readonly number[])[],
  budget: number,
): { levels: number[]; fits: boolean } {
  const levels = costs.map((options) => Math.max(0, options.findIndex(Number.isFinite)));
  const cost = (item: number): number => costs[item]?.[levels[item] ?? 0] ?? Infinity;
  const total = (): number => levels.reduce((sum, _, item) => sum + cost(item), 0);
  while (total() > budget) {
    let widest = -1;
    for (const item of levels.keys()) {
      const last = (costs[item]?.length ?? 0) - 1;
      if ((levels[item] ?? 0) < last && (widest < 0 || cost(item) >= cost(widest))) widest = item;
    }
    if (widest < 0) return { levels, fits: false };
    levels[widest] = (levels[widest] ?? 0) + 1;
  }
  return { levels, fits: true };
}
