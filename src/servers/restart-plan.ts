import { UserError } from '../errors.js';
import type { Actor } from './lifecycle-lock.js';

/** How far ahead a restart may be planned. */
export const MAX_PLAN_AHEAD_MS = 24 * 3_600_000;

/** What asked for a planned restart: a person's `/restart in`, a schedule, or a load rule. */
export type PlanSource = 'manual' | 'schedule' | 'load';

export interface PlanRequest {
  /** The server's container name. */
  server: string;
  /** When the restart begins (ms since epoch); now or earlier means at once, warnings skipped. */
  at: number;
  /** Who planned it: `@name` for a person, `automation` for a schedule or a load rule. */
  actor: Actor;
  /** The Discord id of the person who planned it, for the audit of the restart (none for automation). */
  memberId?: string;
  /** Why, in the words the countdown shows: "asked by @alice", "schedule #3: every day at 04:00". */
  reason: string;
  source: PlanSource;
  /** The schedule whose run this is. */
  scheduleId?: number;
  /** Warning offsets (ms before `at`) instead of the server's, when a schedule overrides them. */
  warnings?: readonly number[];
}

export type PlanState = 'counting down' | 'restarting' | 'done' | 'failed' | 'aborted' | 'taken over';

export interface PlanView extends PlanRequest {
  id: string;
  state: PlanState;
  /** Who aborted it, or the action and actor that took it over ("a /stop by @bob"). */
  endedBy?: string;
}

/** The one way anything plans a restart: the countdown, its warnings and the restart itself live behind it. */
export interface RestartPlanner {
  /** Throws a UserError when the server already has a restart planned (the message says when). */
  plan(request: PlanRequest): Promise<PlanView>;
  /** The server's next planned restart still ahead, if any (the status board and /schedule list show it). */
  next(server: string): PlanView | undefined;
  /** Called once each plan ends, whatever ended it. */
  onEnd(listener: (plan: PlanView) => void): void;
}

/** One planned restart per server: a second is refused, saying when the first one is. */
export class AlreadyPlannedError extends UserError {
  override name = 'AlreadyPlannedError';
  constructor(
    readonly displayName: string,
    readonly existing: PlanView,
  ) {
    super(
      `${displayName} already has a restart planned <t:${Math.floor(existing.at / 1000)}:R> (${existing.reason}): abort it first.`,
    );
  }
}
