import { describe, expect, it } from 'vitest';
import { SharedReads } from '../../src/servers/shared-reads.js';

describe('SharedReads', () => {
  it('gives reads asked for while the same one runs its answer, and runs the next one anew', async () => {
    const reads = new SharedReads();
    let runs = 0;
    let release: (value: number) => void = () => undefined;
    const read = () => {
      runs++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const first = reads.share('status', read);
    const second = reads.share('status', read);
    expect(runs).toBe(1);
    release(42);
    await expect(Promise.all([first, second])).resolves.toEqual([42, 42]);
    const third = reads.share('status', read);
    expect(runs).toBe(2);
    release(7);
    await expect(third).resolves.toBe(7);
  });

  it('keeps different reads apart, and lets a failure reach every sharer once', async () => {
    const reads = new SharedReads();
    let runs = 0;
    const failing = () => {
      runs++;
      return Promise.reject(new Error('console closed'));
    };
    const a = reads.share('users 0', failing);
    const b = reads.share('users 0', failing);
    const c = reads.share('users 1', async () => 'other');
    await expect(a).rejects.toThrow('console closed');
    await expect(b).rejects.toThrow('console closed');
    await expect(c).resolves.toBe('other');
    expect(runs).toBe(1);
  });
});
