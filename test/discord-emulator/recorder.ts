import { EventEmitter } from 'node:events';
import type { RequestRecord } from './types.js';
import { waitFor } from './wait.js';

export type RequestPredicate = (record: RequestRecord) => boolean;

export function describeRecord(r: RequestRecord): string {
  const flags = [r.injected ? 'injected' : '', r.unknownRoute ? 'unknown route' : '']
    .filter(Boolean)
    .join(', ');
  return `${r.method} ${r.path} -> ${r.status}${flags ? ` (${flags})` : ''}`;
}

/** Every REST request, in arrival order, with its answer; emits 'request' once answered. */
export class RequestRecorder extends EventEmitter<{ request: [RequestRecord] }> {
  readonly records: RequestRecord[] = [];

  add(record: Omit<RequestRecord, 'index'>): RequestRecord {
    const full = { ...record, index: this.records.length };
    this.records.push(full);
    this.emit('request', full);
    return full;
  }

  /** Waits for a matching request answered from now on, or from record index `since` if given. */
  waitFor(predicate: RequestPredicate, timeoutMs: number, since?: number): Promise<RequestRecord> {
    const past = since === undefined ? [] : this.records.slice(since);
    return waitFor(this, 'request', predicate, timeoutMs, () => this.describeRecent(), past);
  }

  private describeRecent(): string {
    const recent = this.records.slice(-10).map((r) => `  ${describeRecord(r)}`);
    return `a matching request; the last requests were:\n${recent.join('\n') || '  (none)'}`;
  }
}
