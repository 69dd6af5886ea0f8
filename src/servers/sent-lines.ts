import { AsyncLocalStorage } from 'node:async_hooks';
import { consoleCommandOf } from '../console/quoting.js';

export type LineObserver = (line: string) => void;

/** Lines the bot sends to look before it acts: not what an audit means by "the line sent". */
const LOOKING = new Set([
  'worlds',
  'status',
  'users',
  'focus',
  'listbans',
  'friendrequests',
  'sessionurl',
  'sessionid',
]);

const observers = new AsyncLocalStorage<LineObserver>();

/**
 * Runs an action with an observer of the console lines it sends (the audit records them): the line
 * is reported where it is built and sent, so no caller has to build it a second time to record it.
 */
export function observeSentLines<T>(observer: LineObserver, work: () => Promise<T>): Promise<T> {
  return observers.run(observer, work);
}

/** The observer of the action running here, if any, reporting only the lines that act. */
export function actionLineObserver(): LineObserver | undefined {
  const observer = observers.getStore();
  if (!observer) return undefined;
  return (line) => {
    const command = consoleCommandOf(line);
    if (line.trim() !== '' && (command === undefined || !LOOKING.has(command))) observer(line);
  };
}
