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
  /** Skip saving through the console: Docker's stop only. */
  force?: boolean;
  onStep?: (step: LifecycleStep) => void;
}

export interface StopResult {
  outcome: 'stopped' | 'already stopped';
  saved: string[];
  /** Why worlds were not saved (console did not answer, forced, or disabled for this server). */
  saveSkipped?: string;
}
