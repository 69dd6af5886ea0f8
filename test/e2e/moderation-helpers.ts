/** Shared steps of the moderation end-to-end suites (moderation-*.test.ts). */
import { Routes } from 'discord.js';
import { expect, vi } from 'vitest';
import type { AuditRow } from '../../src/audit/audit-log.js';
import type { InteractionHandle, RequestRecord } from '../discord-emulator/types.js';
import type { CommandResult, Harness } from '../support/bot.js';
import { readReceived } from '../support/docker.js';

/** Runs `fn` and returns, with its result, every line the container's console received meanwhile. */
export async function linesSentDuring<T>(
  id: string,
  fn: () => Promise<T>,
): Promise<{ result: T; sent: string[] }> {
  const before = (await readReceived(id)).length;
  const result = await fn();
  return { result, sent: (await readReceived(id)).slice(before) };
}

/** Sends a command and returns the reply plus the console lines it caused. */
export async function commandOn(
  h: Harness,
  containerId: string,
  name: string,
  options: Record<string, unknown>,
  as: string,
): Promise<CommandResult & { sent: string[] }> {
  const { result, sent } = await linesSentDuring(containerId, () => h.command(name, options, as));
  return { ...result, sent };
}

/**
 * The newest audit row of `command`, once finished: the router finishes a successful record only
 * after Discord accepted the reply, so it may still be open when the test sees that reply.
 */
export async function finishedAudit(h: Harness, command: string): Promise<AuditRow> {
  return vi.waitFor(
    () => {
      const row = h.bot.context.audit.latest({ limit: 50 }).find((r) => r.command === command);
      expect(row?.finishedAt ?? null).not.toBeNull();
      return row!;
    },
    { timeout: 5_000, interval: 20 },
  );
}

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
