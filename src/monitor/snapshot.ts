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
  /** Its host did not answer this sweep: this is the last state seen there. */
  stale?: true;
}

/** One Docker host at one sweep, when the bot manages several. */
export interface HostSnapshot {
  name: string;
  address: string;
  /** Why it could not be reached; its servers are then its last known state. */
  error?: string;
  /** When it last answered, if it ever did. */
  lastSeenAt?: number;
}

/**
 * Everything one sweep saw; `dockerError` set when no Docker host could be reached, and then
 * `servers` is the last known state, seen at `lastSeenAt`. With several hosts, `hosts` says how
 * each stands, and the servers of one that did not answer are its last known state (`stale`).
 */
export interface BoardSnapshot {
  servers: ServerSnapshot[];
  hosts?: HostSnapshot[];
  dockerError?: string;
  lastSeenAt?: number;
  /** When the sweep finished (ms since epoch). */
  at: number;
}

/** The servers whose host answered this sweep: what automation and history may act on. */
export function answeredServers(snapshot: BoardSnapshot): ServerSnapshot[] {
  return snapshot.dockerError === undefined ? snapshot.servers.filter((server) => !server.stale) : [];
}
