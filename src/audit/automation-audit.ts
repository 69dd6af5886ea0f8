import type { AuditLog } from './audit-log.js';

/** The actor every automatic action is recorded and shown with. */
export const AUTOMATION = 'automation';

export interface AutomationEntry {
  guildId: string;
  /** What ran, as /audit lists it: "planned restart", "watchdog start". */
  command: string;
  server: string;
  action?: string;
  options?: Record<string, unknown>;
}

/**
 * Runs an action nobody typed (a schedule, the watchdog, a load rule) as an audited one: recorded
 * before it starts, finished with its outcome, so /audit shows what automation did and when.
 */
export async function auditedAutomation<T>(
  audit: AuditLog,
  entry: AutomationEntry,
  work: () => Promise<T>,
  summary: (result: T) => string = () => 'done',
): Promise<T> {
  const record = audit.begin({
    ...entry,
    memberId: AUTOMATION,
    memberTag: AUTOMATION,
    level: 'none',
  });
  try {
    const result = await work();
    record.finish('ok', summary(result));
    return result;
  } catch (err) {
    record.finish('failed', err instanceof Error ? err.message : String(err));
    throw err;
  }
}
