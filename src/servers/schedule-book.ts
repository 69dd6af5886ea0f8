/**
 * Restart schedules as /schedule and the status board see them. The scheduler (src/automation)
 * implements it; it lives here, beside the planner's interface, so that src/discord can name it.
 */

/** How a schedule's run went: handled by the scheduler, then (for a plan) how the plan ended. */
export type RunOutcome =
  'planned' | 'merged' | 'skipped' | 'missed' | 'failed' | 'done' | 'aborted' | 'taken over';

export interface ScheduleRequest {
  server: string;
  /** `0 4 * * *`, `daily 04:00`, `weekly sun 04:00`, `every 12h`, `empty after 12h`. */
  when: string;
  /** Warning offsets instead of the server's (`15m,5m,1m`). */
  warn?: string | undefined;
  onlyWhenEmpty: boolean;
  /** Who added it, as replies name them (`@alice`). */
  actor: string;
}

export interface ScheduleView {
  id: number;
  server: string;
  when: string;
  /** In words: "At 04:00 (Europe/Berlin)", "every 12 hours". */
  description: string;
  /** Warning offsets before each run (ms), largest first. */
  warnings: readonly number[];
  warnOverride: boolean;
  onlyWhenEmpty: boolean;
  createdBy: string;
  createdAt: number;
  /** The next run will be skipped (the first of `next`, or the next time an `empty after` condition holds). */
  skipNext: boolean;
  /** Due times ahead (ms), earliest first; none for `empty after`, which waits for a condition. */
  next: readonly number[];
  /** A run counting down now: when its restart begins (ms). */
  planned?: number;
  /** A due run waiting for the server to empty: since (its due time), until (then it restarts anyway), who is present. */
  waiting?: { since: number; until?: number; present?: number };
  last?: { dueAt: number; at: number; outcome: RunOutcome; detail?: string };
}

export interface ScheduleBook {
  /** Throws a UserError saying what is wrong (the `when`, the `warn`); nothing is stored then. */
  add(request: ScheduleRequest): ScheduleView;
  list(server?: string): ScheduleView[];
  /** Throws a UserError when there is no such schedule. */
  remove(id: number): ScheduleView;
  /** Skips the next run only; throws a UserError when there is no such schedule or its run is counting down. */
  skip(id: number): ScheduleView;
  /** The server's next scheduled run still ahead (ms), for the status board. */
  nextRun(server: string): number | undefined;
}
