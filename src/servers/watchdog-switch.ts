import type { Actor } from './lifecycle-lock.js';

/** How the watchdog stands for one server, as `/watchdog` tells it. */
export interface WatchdogState {
  enabled: boolean;
  /** Where `enabled` comes from: set by `/watchdog` (persisted), `autoRecover` in CONFIG_FILE, or the default (off). */
  source: 'command' | 'config' | 'default';
  /** It gave up on a crash loop at this time (ms since epoch) and does not act until it is re-enabled or healthy for a while. */
  gaveUpAt?: number;
  /** Automatic recoveries within the crash-loop window. */
  recentRecoveries: number;
  rules: WatchdogRules;
}

/** What the watchdog does when on, in the numbers a reply states. */
export interface WatchdogRules {
  /** A dead container still down after this long is started. */
  graceSeconds: number;
  /** A running server's console silent for this many sweeps in a row is restarted. */
  consoleMisses: number;
  /** After this many recoveries within `windowMinutes` it gives up... */
  recoveries: number;
  windowMinutes: number;
  /** ...until switched on again, or after running healthy this long. */
  healthyMinutes: number;
}

/**
 * The watchdog as commands see it (implemented in src/automation, which src/discord must not
 * import): whether it acts for a server, and the operator's switch.
 */
export interface WatchdogSwitch {
  state(server: string): WatchdogState;
  /** Persisted across bot restarts, overriding `autoRecover`; switching on also lifts a give-up. */
  setEnabled(server: string, on: boolean, actor: Actor): WatchdogState;
}
