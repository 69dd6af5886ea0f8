import type { ManagedContainer } from '../docker/container-info.js';
import type { ContainerStats } from '../docker/stats.js';

/** One world as the status board shows it. */
export interface WorldSnapshot {
  index: number;
  name: string;
  /** Users in the session (the headless's own user included, as the console counts it). */
  users: number;
  maxUsers: number;
  accessLevel: string;
  hidden: boolean;
  /** Names of the users in the session, in the console's order. */
  present: string[];
}

export type ConsoleHealth = 'ok' | 'not answering' | 'not running' | 'error';

/** One managed server at one sweep. */
export interface ServerSnapshot {
  name: string;
  displayName: string;
  container: ManagedContainer;
  stats: ContainerStats | null;
  console: ConsoleHealth;
  /** Why the console is not ok, in a moderator's words. */
  consoleDetail?: string;
  worlds: WorldSnapshot[];
  /** When its next restart is planned or scheduled (ms), if any. */
  nextRestart?: number;
}

/**
 * Everything one sweep saw; `dockerError` set when the daemon itself could not be reached, and then
 * `servers` is the last known state, seen at `lastSeenAt`.
 */
export interface BoardSnapshot {
  servers: ServerSnapshot[];
  dockerError?: string;
  lastSeenAt?: number;
  /** When the sweep finished (ms since epoch). */
  at: number;
}
