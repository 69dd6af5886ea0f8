import { constants } from 'node:os';

/** What Docker told about one container's death. */
export interface ExitFacts {
  exitCode: number | null;
  oomKilled: boolean;
  /** The signal of the `kill` event Docker reported since the container last started, if any. */
  killSignal?: number | undefined;
  /** Docker reported a `stop` event: someone ran `docker stop` (or the host is shutting down). */
  stopped?: boolean;
}

/** oom, stopped and killed come from outside the process; crashed and exited from inside it. */
export type ExitCause = 'oom' | 'stopped' | 'killed' | 'crashed' | 'exited';

export interface ExitReason {
  cause: ExitCause;
  /** In on-call's words: "stopped from outside the bot (docker stop), exit code 0". */
  text: string;
}

/** "SIGKILL" for 9; undefined for a number this platform has no name for. */
export function signalName(signal: number): string | undefined {
  return Object.entries(constants.signals).find(([, n]) => n === signal)?.[0];
}

/** "exit code 137 (SIGKILL)": a process killed by signal N exits with 128 + N. */
export function exitCodeText(exitCode: number | null): string {
  if (exitCode === null) return 'exit code unknown';
  const signal = exitCode > 128 ? signalName(exitCode - 128) : undefined;
  return signal ? `exit code ${exitCode} (${signal})` : `exit code ${exitCode}`;
}

export function describeExit(facts: ExitFacts): ExitReason {
  const code = exitCodeText(facts.exitCode);
  // Where the words name the signal already, the code is given without it.
  const bare = facts.exitCode === null ? code : `exit code ${facts.exitCode}`;
  if (facts.oomKilled) return { cause: 'oom', text: `killed: out of memory (${bare})` };
  if (facts.stopped) return { cause: 'stopped', text: `stopped from outside the bot (docker stop), ${code}` };
  if (facts.killSignal !== undefined) {
    const signal = signalName(facts.killSignal) ?? `signal ${facts.killSignal}`;
    return { cause: 'killed', text: `killed from outside the bot (docker kill, ${signal}), ${bare}` };
  }
  if (facts.exitCode === 0) return { cause: 'exited', text: `exited by itself: ${code}` };
  return { cause: 'crashed', text: `crashed: ${code}` };
}
