/** Shared checks of the fault end-to-end suites (faults-*.test.ts). */
import { expect } from 'vitest';
import type { InteractionHandle, RequestRecord } from '../discord-emulator/types.js';
import type { Harness } from '../support/bot.js';

const CALLBACK = /\/callback$/;
const ORIGINAL = /\/messages\/@original$/;

/** This interaction's requests that Discord accepted (injected faults and refusals left out). */
function accepted(h: Harness, handle: InteractionHandle): RequestRecord[] {
  return h.emulator.findRequests((r) => r.path.includes(handle.token) && !r.injected && r.status < 300);
}

/**
 * The requests that gave the invoker an answer: a callback carrying a message, an edit of
 * @original or a follow-up.
 */
export function answerRequests(h: Harness, handle: InteractionHandle): RequestRecord[] {
  return accepted(h, handle).filter((r) => {
    if (CALLBACK.test(r.path)) return [4, 7].includes((r.body as { type?: number }).type ?? 0);
    if (r.method === 'PATCH') return ORIGINAL.test(r.path);
    return r.method === 'POST';
  });
}

/** Discord took exactly one initial response, and refused nothing of this interaction as late or already acknowledged. */
export function expectAcknowledgedOnce(h: Harness, handle: InteractionHandle): void {
  const refused = h.emulator.findRequests(
    (r) => r.path.includes(handle.token) && !r.injected && r.status >= 400,
  );
  expect(refused.map((r) => `${r.method} ${r.path} -> ${r.status}`)).toEqual([]);
  expect(accepted(h, handle).filter((r) => CALLBACK.test(r.path))).toHaveLength(1);
}

/** Acknowledged once, and the invoker got `answers` answers (one unless the command asks first). */
export function expectAnsweredOnce(h: Harness, handle: InteractionHandle, answers = 1): void {
  expectAcknowledgedOnce(h, handle);
  expect(answerRequests(h, handle)).toHaveLength(answers);
}
