/** What the fake headless consoles received, as the end-to-end suites compare it before and after a command. */
import type { CommandResult, Harness } from '../support/bot.js';
import { readReceived } from '../support/docker.js';

export async function receivedCount(id: string): Promise<number> {
  return (await readReceived(id)).length;
}

/** The lines the fake console received after `before` (a count taken with `receivedCount`). */
export async function receivedSince(id: string, before: number): Promise<string[]> {
  return (await readReceived(id)).slice(before);
}

/** Sends a command and returns the reply plus the console lines it caused. */
export async function commandOn(
  h: Harness,
  containerId: string,
  name: string,
  options: Record<string, unknown>,
  as: string,
): Promise<CommandResult & { sent: string[] }> {
  const before = await receivedCount(containerId);
  const result = await h.command(name, options, as);
  return { ...result, sent: await receivedSince(containerId, before) };
}
