import { applicationRoutes } from './routes/application.js';
import { channelRoutes } from './routes/channels.js';
import { guildRoutes } from './routes/guilds.js';
import { interactionRoutes } from './routes/interactions.js';
import type { Route } from './routes/route.js';
import { webhookRoutes } from './routes/webhooks.js';

/** Every REST route the emulator serves below /api/v10; the first match wins (`@me` before `:id`). */
export function restRoutes(wsUrl: () => string): Route[] {
  return [
    ...applicationRoutes(wsUrl),
    ...guildRoutes(),
    ...channelRoutes(),
    ...interactionRoutes(),
    ...webhookRoutes(),
  ];
}
