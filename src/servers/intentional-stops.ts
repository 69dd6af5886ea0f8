/** Slack around a window, for Docker events whose timestamps straddle the bot's own calls. */
const SLACK_MS = 3_000;

interface Window {
  from: number;
  to?: number;
}

/**
 * When the bot itself stopped a server: from the stop until the next start. Docker events and
 * sweeps that fall inside such a window are the bot's own doing, not incidents to alert about.
 */
export class IntentionalStops {
  private readonly windows = new Map<string, Window>();

  begin(server: string, at = Date.now()): void {
    this.windows.set(server, { from: at });
  }

  /** The server runs again (started by the bot or by anyone): later deaths are incidents again. */
  end(server: string, at = Date.now()): void {
    const window = this.windows.get(server);
    if (window && window.to === undefined) window.to = at;
  }

  /** Whether the bot started this server again within `graceMs` before `at` (its worlds may still be loading). */
  startedRecently(server: string, at: number, graceMs: number): boolean {
    const window = this.windows.get(server);
    return window?.to !== undefined && at - window.to >= 0 && at - window.to < graceMs;
  }

  covers(server: string, at = Date.now()): boolean {
    const window = this.windows.get(server);
    if (!window) return false;
    return at >= window.from - SLACK_MS && (window.to === undefined || at <= window.to + SLACK_MS);
  }
}
