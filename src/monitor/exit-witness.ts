import type { ExitFacts } from './exit-reason.js';

/**
 * `docker stop` shows as kill, die, then stop, a few milliseconds apart: after a kill, a death
 * waits this long for the stop event that tells a stop from a kill.
 */
const STOP_WAIT_MS = 2_000;

interface Seen {
  killSignal?: number;
  oom?: boolean;
  stopped?: boolean;
}

/**
 * What Docker reported about each container since it last started (kill signals, OOM, a stop),
 * so that a death can be told apart: a crash, an OOM kill, or a stop or kill from outside the bot.
 */
export class ExitWitness {
  private readonly seen = new Map<string, Seen>();
  private readonly waiting = new Map<string, () => void>();

  constructor(private readonly stopWaitMs = STOP_WAIT_MS) {}

  started(name: string): void {
    this.seen.delete(name);
  }

  killed(name: string, signal: number | null): void {
    this.note(name).killSignal = signal ?? undefined;
  }

  oom(name: string): void {
    this.note(name).oom = true;
  }

  stopped(name: string): void {
    this.note(name).stopped = true;
    this.waiting.get(name)?.();
  }

  /** Whether a death of the server is being told apart right now (it will be raised shortly). */
  dying(name: string): boolean {
    return this.waiting.has(name);
  }

  /** The facts of a death, after waiting briefly for the stop event when a kill came first. */
  async death(name: string, exitCode: number | null): Promise<ExitFacts> {
    const seen = this.note(name);
    if (seen.killSignal !== undefined && !seen.stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.stopWaitMs);
        const waiting = this.waiting;
        function done() {
          clearTimeout(timer);
          waiting.delete(name);
          resolve();
        }
        this.waiting.set(name, done);
      });
    }
    // What was seen belongs to this death only; a stop event still to come notes a fresh one.
    this.seen.delete(name);
    return {
      exitCode,
      oomKilled: seen.oom === true,
      killSignal: seen.killSignal,
      stopped: seen.stopped === true,
    };
  }

  private note(name: string): Seen {
    let seen = this.seen.get(name);
    if (!seen) {
      seen = {};
      this.seen.set(name, seen);
    }
    return seen;
  }
}
