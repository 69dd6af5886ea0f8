/**
 * Identical reads in flight on one server share one console round trip: a hundred members asking
 * for /status at once cost one `status`, not a hundred queued behind each other. A read asked for
 * while the same one runs gets that run's answer, at most one round trip old. Callers must treat
 * the shared result as read-only.
 */
export class SharedReads {
  private readonly running = new Map<string, Promise<unknown>>();

  share<T>(key: string, read: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) return existing as Promise<T>;
    const started = read().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
