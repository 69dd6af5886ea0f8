import type { EventEmitter } from 'node:events';

/**
 * Resolves with the first value that `predicate` accepts, looking first at `past` values and then
 * at `event` emissions; rejects after `timeoutMs` with `describe()` in the message. Event-driven:
 * the timer only bounds the wait.
 */
export function waitFor<T>(
  emitter: EventEmitter,
  event: string,
  predicate: (value: T) => boolean,
  timeoutMs: number,
  describe: () => string,
  past: Iterable<T> = [],
): Promise<T> {
  for (const value of past) if (predicate(value)) return Promise.resolve(value);
  return new Promise<T>((resolve, reject) => {
    const onEvent = (value: T): void => {
      let accepted: boolean;
      try {
        accepted = predicate(value);
      } catch (error) {
        cleanup();
        reject(error as Error);
        return;
      }
      if (accepted) {
        cleanup();
        resolve(value);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${describe()}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
    };
    emitter.on(event, onEvent);
  });
}
