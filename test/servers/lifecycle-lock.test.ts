import { describe, expect, it } from 'vitest';
import { LifecycleBusyError, LifecycleLocks } from '../../src/servers/lifecycle-lock.js';

describe('LifecycleLocks', () => {
  it('refuses a second action on the same server while the first runs, naming who started it and when', async () => {
    const locks = new LifecycleLocks();
    let release: () => void = () => undefined;
    const first = locks.run(
      'lobby',
      'Lobby',
      { action: 'restarting', actor: '@otto' },
      () => new Promise<void>((r) => (release = r)),
    );
    const second = locks.run('lobby', 'Lobby', { action: 'stopping', actor: '@anna' }, async () => 'ran');
    await expect(second).rejects.toBeInstanceOf(LifecycleBusyError);
    await expect(second).rejects.toThrow(/^Lobby is already restarting, started by @otto <t:\d+:R>\.$/);
    release();
    await first;
    await expect(
      locks.run('lobby', 'Lobby', { action: 'stopping', actor: '@anna' }, async () => 'ran'),
    ).resolves.toBe('ran');
  });

  it('lets different servers run at once', async () => {
    const locks = new LifecycleLocks();
    let release: () => void = () => undefined;
    const held = locks.run(
      'a',
      'A',
      { action: 'restarting', actor: '@otto' },
      () => new Promise<void>((r) => (release = r)),
    );
    await expect(locks.run('b', 'B', { action: 'starting', actor: '@anna' }, async () => 1)).resolves.toBe(1);
    release();
    await held;
  });

  it('releases the lock when the action fails, and tells listeners when it is taken and released', async () => {
    const locks = new LifecycleLocks();
    const seen: (string | undefined)[] = [];
    locks.onChange((server, hold) => seen.push(hold ? `${server} ${hold.action}` : `${server} free`));
    await expect(
      locks.run('lobby', 'Lobby', { action: 'stopping', actor: '@otto' }, () =>
        Promise.reject(new Error('docker said no')),
      ),
    ).rejects.toThrow('docker said no');
    expect(locks.current('lobby')).toBeUndefined();
    expect(seen).toEqual(['lobby stopping', 'lobby free']);
    expect(() => locks.check('lobby', 'Lobby')).not.toThrow();
  });
});
