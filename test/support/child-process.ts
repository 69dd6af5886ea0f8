import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * SIGTERM, then waits for the process to exit, with SIGKILL after `forceAfterMs` should it hang.
 * A process already gone (or never started) is left alone.
 */
export async function terminate(child: ChildProcess | undefined, forceAfterMs = 30_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), forceAfterMs);
  await exited;
  clearTimeout(force);
}
