import { describe, expect, it } from 'vitest';
import { parseJoinLine } from '../../src/console/parsers.js';
import { USER_JOINED, USER_SPAWN } from './captures.js';

describe('join lines', () => {
  it('reads the join line captured from a real 2026 server, verbatim, and not its spawn line', () => {
    expect(parseJoinLine(USER_JOINED)).toEqual({ world: '<world name>', user: 'alice', userId: 'U-alice' });
    expect(parseJoinLine(USER_SPAWN)).toBeUndefined();
  });

  it('reads the world and the user of a 2026 join line', () => {
    expect(
      parseJoinLine(
        'User Joined Lobby World. Username: bob smith, UserID: U-bob-smith, AllocID: 3, MachineID: m1',
      ),
    ).toEqual({ world: 'Lobby World', user: 'bob smith', userId: 'U-bob-smith' });
  });

  it('reads a join line printed after a prompt, even one holding `>`', () => {
    expect(
      parseJoinLine(
        '<b>Lobby</b>><b>Lobby</b>>User Joined <b>Lobby</b>. Username: alice, UserID: U-alice, AllocID: 1, MachineID: m',
      ),
    ).toMatchObject({ world: '<b>Lobby</b>', user: 'alice' });
  });

  it('takes a join without a user id', () => {
    expect(parseJoinLine('User Joined A. Username: guest, UserID: , AllocID: 1, MachineID: m\r')).toEqual({
      world: 'A',
      user: 'guest',
      userId: null,
    });
  });

  it('ignores spawn lines, older join wording and a reply merely mentioning a join', () => {
    expect(parseJoinLine('User Spawn Lobby World. Username: alice, UserID: U-alice')).toBeUndefined();
    expect(parseJoinLine('User joined Lobby World')).toBeUndefined();
    expect(parseJoinLine('Description: User Joined X. Username: a')).toBeUndefined();
  });
});
