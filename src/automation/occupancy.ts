import type { ServerSet } from '../servers/server-set.js';
import type { Occupancy } from './scheduler.js';

/**
 * Who is on a server, from Docker (running, since when) and its console (every world's users).
 * The headless's own user hosts each world and is listed first; everyone after it counts. A console
 * that does not answer leaves `others` unknown, which a schedule treats as not empty.
 */
export async function readOccupancy(servers: ServerSet, name: string): Promise<Occupancy> {
  const container = await servers.containers.get(name);
  if (container.state !== 'running') return { running: false, startedAt: null, others: [] };
  const startedAt = container.startedAt?.getTime() ?? null;
  try {
    const server = await servers.get(name);
    const worlds = await server.overview();
    return { running: true, startedAt, others: worlds.flatMap((world) => world.users.slice(1)) };
  } catch {
    return { running: true, startedAt, others: undefined };
  }
}
