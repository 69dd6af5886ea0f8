/** Shared steps of the moderation end-to-end suites (moderation-*.test.ts). */
import { Routes } from 'discord.js';
import { expect } from 'vitest';
import type { InteractionHandle, RequestRecord } from '../discord-emulator/types.js';
import type { Harness } from '../support/bot.js';

/** Read-only lines a command may send while it looks for a world or a user (plus the empty line the first attach sends to sync the prompt). */
export const LOOKUP = /^(worlds|focus \d+|users|)$/;

/** Requests of one interaction that carry message content (callback data or webhook bodies). */
export function replyRequests(h: Harness, handle: InteractionHandle): RequestRecord[] {
  return h.emulator.findRequests(
    (r) =>
      r.path.includes(handle.token) &&
      (r.method === 'POST' || r.method === 'PATCH') &&
      messageBody(r) !== undefined,
  );
}

/** The message part of a request body: a callback's `data`, or a webhook body as is. */
export function messageBody(r: RequestRecord): Record<string, unknown> | undefined {
  const body = r.body as Record<string, unknown> | null;
  if (!body) return undefined;
  const message = (r.path.endsWith('/callback') ? body.data : body) as Record<string, unknown> | undefined;
  return message && ('embeds' in message || 'content' in message) ? message : undefined;
}

/** Every request that carried message content for the interaction asked Discord to ping nobody. */
export function expectNoPings(h: Harness, handle: InteractionHandle): void {
  const requests = replyRequests(h, handle);
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) expect(messageBody(r)?.allowed_mentions).toEqual({ parse: [] });
}

/**
 * Raises max_length of a registered string option, as a stale or hand-edited registration would:
 * the emulator (like the Discord client) refuses over-long values before sending otherwise.
 */
export async function raiseMaxLength(h: Harness, command: string, option: string, maxLength: number) {
  const registered = h.emulator.commands('guild').find((c) => c.name === command);
  if (!registered) throw new Error(`/${command} is not registered`);
  const options = (registered.options ?? []).map((o) =>
    o.name === option ? { ...o, max_length: maxLength } : o,
  );
  const route = Routes.applicationGuildCommand(h.emulator.applicationId, h.emulator.guildId, registered.id);
  await h.bot.client.rest.patch(route, { body: { options } });
}
