import { UserError } from '../errors.js';

/** Who asked for a lifecycle action, as a reply names them: a Discord mention, "the CLI", "automation". */
export type Actor = string;

export type LifecycleAction = 'starting' | 'stopping' | 'restarting' | 'shutting down';

export interface LifecycleHold {
  action: LifecycleAction;
  actor: Actor;
  since: number;
}

/** A second start, stop or restart while one runs: nothing is done, the reply says who runs the first. */
export class LifecycleBusyError extends UserError {
  override name = 'LifecycleBusyError';
  constructor(
    readonly server: string,
    readonly hold: LifecycleHold,
  ) {
    super(
      `${server} is already ${hold.action}, started by ${hold.actor} <t:${Math.floor(hold.since / 1000)}:R>.`,
    );
  }
}

export type HoldListener = (server: string, hold: LifecycleHold | undefined) => void;

/**
 * One lifecycle operation per server at a time, whatever asks for it (a command, a confirmation,
 * an alert's button, automation): a request while one runs is refused at once rather than queued,
 * so nothing is stopped twice and a double press restarts once.
 */
export class LifecycleLocks {
  private readonly held = new Map<string, LifecycleHold>();
  private readonly listeners: HoldListener[] = [];

  current(server: string): LifecycleHold | undefined {
    return this.held.get(server);
  }

  /** Throws LifecycleBusyError when the server is busy, without taking the lock (a check before asking to confirm). */
  check(server: string, displayName: string): void {
    const busy = this.held.get(server);
    if (busy) throw new LifecycleBusyError(displayName, busy);
  }

  async run<T>(
    server: string,
    displayName: string,
    hold: Omit<LifecycleHold, 'since'>,
    work: () => Promise<T>,
  ): Promise<T> {
    this.check(server, displayName);
    const taken = { ...hold, since: Date.now() };
    this.held.set(server, taken);
    this.notify(server, taken);
    try {
      return await work();
    } finally {
      this.held.delete(server);
      this.notify(server, undefined);
    }
  }

  onChange(listener: HoldListener): void {
    this.listeners.push(listener);
  }

  private notify(server: string, hold: LifecycleHold | undefined): void {
    for (const listener of this.listeners) listener(server, hold);
  }
}
