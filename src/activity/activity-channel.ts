import { Routes, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { ServerOverride } from '../config.js';
import { parseJoinLine } from '../console/parsers.js';
import type { BoardSnapshot } from '../monitor/snapshot.js';
import type { ServerSet } from '../servers/server-set.js';
import { ActivityFeed } from './activity-feed.js';
import { ActivityTracker } from './activity-tracker.js';

export interface ActivityChannelOptions {
  rest: REST;
  channelId: string;
  servers: ServerSet;
  onSweep: (listener: (snapshot: BoardSnapshot) => void) => void;
  overrides: Record<string, Pick<ServerOverride, 'activityOptOut'>>;
  logger: Logger;
  /** Least time between two messages (default 10 s). */
  intervalMs?: number | undefined;
}

/** The activity feed in ACTIVITY_CHANNEL_ID, fed by every sweep and by the consoles' join lines. */
export function startActivityChannel(options: ActivityChannelOptions): { stop(): void } {
  const { rest, channelId, logger, overrides } = options;
  const tracker = new ActivityTracker();
  let serverCount = 0;
  const feed = new ActivityFeed({
    post: (body) => rest.post(Routes.channelMessages(channelId), { body }),
    logger: logger.child({ channel: channelId }),
    optedOut: (server, world) => overrides[server]?.activityOptOut?.includes(world) === true,
    severalServers: () => serverCount > 1,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
  });
  options.onSweep((snapshot) => {
    if (snapshot.dockerError === undefined) serverCount = snapshot.servers.length;
    feed.add(tracker.sweep(snapshot));
  });
  options.servers.onConsoleLine((server, line) => {
    const join = parseJoinLine(line);
    if (join) feed.add(tracker.joined(server, join));
  });
  return { stop: () => feed.stop() };
}
