import type { Actor } from './lifecycle-lock.js';

/** Steps of a graceful stop or restart, reported as they happen (the /restart reply follows them). */
export type LifecycleStep =
  | { step: 'saving'; worlds: string[] }
  | { step: 'save-skipped'; reason: string }
  | { step: 'stopping' }
  | { step: 'stopped' }
  | { step: 'starting' }
  | { step: 'started' }
  | { step: 'running'; worlds: string[] }
  | { step: 'not-answering'; seconds: number };

export interface StopOptions {
  /** Who asked: named in the reply of anyone who asks for another lifecycle action meanwhile. */
  actor: Actor;
  /** Skip saving through the console: Docker's stop only. */
  force?: boolean;
  onStep?: (step: LifecycleStep) => void;
}

export interface RestartOptions extends StopOptions {
  /** How long to follow the start-up until the worlds run (0: do not wait). */
  waitForWorldsMs?: number;
}

export interface StopResult {
  /** `went down meanwhile`: it was running when the stop began, and Docker found it stopped by then. */
  outcome: 'stopped' | 'already stopped' | 'went down meanwhile';
  saved: string[];
  /** Why worlds were not saved (console did not answer, forced, or disabled for this server). */
  saveSkipped?: string;
}

export interface RestartResult extends StopResult {
  /** The worlds running after the start; empty when not waited for or the console did not answer in time. */
  running: string[];
}
