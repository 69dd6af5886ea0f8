/** Shared steps for the admin end-to-end suites (admin-*.test.ts): confirmations and their answers. */
import { expect } from 'vitest';
import type { InteractionHandle, MessageState } from '../discord-emulator/types.js';
import { hasButtons, result, type CommandResult, type Harness } from '../support/bot.js';
import { FAKE_DEFAULT_WORLDS } from '../support/docker.js';

/** The fake's two default worlds and 28 more: over autocomplete's 25 choices, and a `worlds` listing well over the 1800 characters a reply shows inline. */
export const THIRTY_WORLDS = {
  FAKE_WORLDS: [
    ...FAKE_DEFAULT_WORLDS,
    ...Array.from({ length: 28 }, (_, i) => `Extra World ${String(i + 2).padStart(2, '0')}`),
  ].join('|'),
};

export interface Question {
  handle: InteractionHandle;
  message: MessageState;
  yes: string;
  no: string;
}

interface Button {
  type: number;
  custom_id?: string;
  label?: string;
  disabled?: boolean;
}

/** Every button of a message, flattened over its action rows. */
export function buttonsOf(message: MessageState): Button[] {
  return (message.components ?? []).flatMap((row) =>
    'components' in row ? (row.components as Button[]).filter((c) => c.type === 2) : [],
  );
}

/** Sends a command that asks for confirmation and waits for the question with its live buttons. */
export async function ask(
  h: Harness,
  name: string,
  options: Record<string, unknown>,
  member = h.member.admin,
): Promise<Question> {
  const handle = h.send(name, options, member);
  const message = await handle.waitForReply(hasButtons, 10_000);
  const ids = buttonsOf(message).map((b) => b.custom_id ?? '');
  const yes = ids.find((id) => id.endsWith(':yes'));
  const no = ids.find((id) => id.endsWith(':no'));
  expect(yes).toBe(`confirm:${handle.id}:yes`);
  expect(no).toBe(`confirm:${handle.id}:no`);
  return { handle, message, yes: yes!, no: no! };
}

/** Presses Confirm or Cancel on a question as `member`; returns the press interaction. */
export function press(h: Harness, q: Question, choice: 'yes' | 'no', member = h.member.admin) {
  return h.emulator.pressButton({
    customId: choice === 'yes' ? q.yes : q.no,
    messageId: q.message.id,
    member,
  });
}

/** The question's message once the buttons were disabled by a press. */
export async function disabledState(q: Question): Promise<MessageState> {
  return q.handle.waitForReply(
    (m) => buttonsOf(m).length > 0 && buttonsOf(m).every((b) => b.disabled === true),
    10_000,
  );
}

/**
 * The final answer after a question: an ephemeral follow-up, or @original once it carries no
 * buttons at all (the router clears them with its last edit).
 */
export async function answer(
  h: Harness,
  handle: InteractionHandle,
  timeoutMs = 15_000,
): Promise<CommandResult> {
  const done = (): MessageState | undefined => {
    const followUp = handle.followUps().at(-1);
    if (followUp) return followUp;
    const original = handle.original();
    if (!original || (original.flags ?? 0) & 128) return undefined;
    return buttonsOf(original).length === 0 && (original.embeds ?? []).length > 0 ? original : undefined;
  };
  if (!done()) await h.emulator.waitForRequest(() => done() !== undefined, timeoutMs);
  return result(handle, done()!);
}

/** The ephemeral answer an interaction got straight in its callback (type 4). */
export async function callbackReply(handle: InteractionHandle): Promise<{ content: string; flags: number }> {
  const record = await handle.waitForCallback(5_000);
  const body = record.body as { type: number; data?: { content?: string; flags?: number } };
  expect(body.type).toBe(4);
  return { content: body.data?.content ?? '', flags: body.data?.flags ?? 0 };
}
