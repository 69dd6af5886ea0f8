/** The audit rows the end-to-end suites check, read from the running bot's own log. */
import { vi } from 'vitest';
import type { AuditRow } from '../../src/audit/audit-log.js';
import type { Harness } from '../support/bot.js';

/** The last audit row (the suites run their commands one at a time). */
export function lastAudit(h: Harness): AuditRow {
  const [row] = h.bot.context.audit.latest({ limit: 1 });
  if (!row) throw new Error('no audit row yet');
  return row;
}

/**
 * The newest audit row of `command` (on `server`, if given), once finished: the router finishes a
 * successful record only after Discord accepted the reply, so it may still be open when the test
 * sees that reply.
 */
export async function finishedAudit(h: Harness, command: string, server?: string): Promise<AuditRow> {
  return vi.waitFor(
    () => {
      const row = h.bot.context.audit.latest({ server, limit: 50 }).find((r) => r.command === command);
      if (!row || row.outcome === 'started') throw new Error(`no finished /${command} audit row yet`);
      return row;
    },
    { timeout: 5_000, interval: 20 },
  );
}
