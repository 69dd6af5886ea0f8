import { describe, expect, it } from 'vitest';
import { ActivityTracker } from '../../src/activity/activity-tracker.js';
import { server, snapshot, world } from './snapshots.js';

const lobby = (...present: string[]) =>
  snapshot(
    server('lobby', [
      world('Lobby World', ['Lobby Bot', ...present]),
      world('Build Night', ['Build Bot', 'carol'], 8),
    ]),
  );
const join = (user: string, worldName = 'Lobby World') => ({ world: worldName, user, userId: `U-${user}` });

describe('activity from sweeps', () => {
  it('tells nothing of the state found at the first sweep', () => {
    expect(new ActivityTracker().sweep(lobby('alice', 'bob smith'))).toEqual([]);
  });

  it('tells who joined and who left between two sweeps, with the count afterwards', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(lobby('alice', 'bob smith'));
    expect(tracker.sweep(lobby('alice', 'dave'))).toEqual([
      {
        kind: 'joined',
        server: 'lobby',
        display: 'lobby',
        world: 'Lobby World',
        user: 'dave',
        count: { users: 3, maxUsers: 16 },
      },
      {
        kind: 'left',
        server: 'lobby',
        display: 'lobby',
        world: 'Lobby World',
        user: 'bob smith',
        count: { users: 3, maxUsers: 16 },
      },
    ]);
    expect(tracker.sweep(lobby('alice', 'dave'))).toEqual([]);
  });

  it('never counts the headless own user, even when it is the only one left', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(snapshot(server('lobby', [world('Lobby World', ['Lobby Bot'])])));
    expect(tracker.sweep(snapshot(server('lobby', [world('Lobby World', ['Lobby Bot'])])))).toEqual([]);
    expect(tracker.joined('lobby', join('Lobby Bot'))).toEqual([]);
  });

  it('tells worlds closing and starting, and the people in a world that started', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(lobby('alice'));
    const events = tracker.sweep(
      snapshot(
        server('lobby', [
          world('Lobby World', ['Lobby Bot', 'alice']),
          world('Build Night', ['Build Bot', 'carol'], 8),
          world('Party', ['Party Bot', 'erin']),
        ]),
      ),
    );
    expect(events.map((e) => [e.kind, 'world' in e ? e.world : '', 'user' in e ? e.user : ''])).toEqual([
      ['world-started', 'Party', ''],
      ['joined', 'Party', 'erin'],
    ]);
    const closed = tracker.sweep(lobby('alice'));
    expect(closed).toEqual([{ kind: 'world-closed', server: 'lobby', display: 'lobby', world: 'Party' }]);
  });

  it('takes a world renamed in its place for the same world', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(lobby('alice'));
    const renamed = snapshot(
      server('lobby', [
        world('Lobby 2', ['Lobby Bot', 'alice', 'zed']),
        world('Build Night', ['Build Bot', 'carol'], 8),
      ]),
    );
    expect(tracker.sweep(renamed).map((e) => e.kind)).toEqual(['joined']);
  });

  it('tells a server going down and coming up, then its worlds as started', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(lobby('alice'));
    const down = tracker.sweep(snapshot(server('lobby', [], { state: 'exited', displayName: 'Lobby' })));
    expect(down).toEqual([{ kind: 'server-down', server: 'lobby', display: 'Lobby' }]);
    // Up, but its console not answering yet: no world news until it does.
    const up = tracker.sweep(
      snapshot(server('lobby', [], { console: 'not answering', displayName: 'Lobby' })),
    );
    expect(up).toEqual([{ kind: 'server-up', server: 'lobby', display: 'Lobby' }]);
    const worlds = tracker.sweep(lobby());
    expect(worlds.map((e) => e.kind)).toEqual(['world-started', 'world-started', 'joined']);
  });

  it('changes nothing while Docker is unreachable or a console does not answer', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(lobby('alice'));
    expect(tracker.sweep({ ...snapshot(), dockerError: 'Docker is unreachable', lastSeenAt: 1 })).toEqual([]);
    expect(tracker.sweep(snapshot(server('lobby', [], { console: 'not answering' })))).toEqual([]);
    expect(tracker.sweep(lobby('alice'))).toEqual([]);
  });

  it('quietly takes in a server that appears later, and forgets one no longer managed', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(lobby('alice'));
    expect(
      tracker.sweep(snapshot(...lobby('alice').servers, server('other', [world('O', ['O Bot', 'x'])]))),
    ).toEqual([]);
    expect(tracker.sweep(lobby('alice'))).toEqual([]);
  });
});

describe('activity from join lines', () => {
  it('tells a join at once, and the next sweep does not tell it again', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(lobby('alice'));
    expect(tracker.joined('lobby', join('dave'))).toEqual([
      {
        kind: 'joined',
        server: 'lobby',
        display: 'lobby',
        world: 'Lobby World',
        user: 'dave',
        count: { users: 3, maxUsers: 16 },
      },
    ]);
    expect(tracker.joined('lobby', join('dave'))).toEqual([]);
    expect(tracker.sweep(lobby('alice', 'dave'))).toEqual([]);
    expect(tracker.sweep(lobby('alice'))).toMatchObject([{ kind: 'left', user: 'dave' }]);
  });

  it('does not tell a join the sweep saw first', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(lobby('alice'));
    expect(tracker.sweep(lobby('alice', 'dave'))).toMatchObject([{ kind: 'joined', user: 'dave' }]);
    expect(tracker.joined('lobby', join('dave'))).toEqual([]);
  });

  it('gives a sweep that read the world just before the join a grace, then tells the leave', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(lobby('alice'));
    tracker.joined('lobby', join('dave'));
    expect(tracker.sweep(lobby('alice'))).toEqual([]);
    expect(tracker.sweep(lobby('alice'))).toMatchObject([{ kind: 'left', user: 'dave' }]);
  });

  it('does not tell again a join into a world no sweep has seen yet when that world shows up', () => {
    const tracker = new ActivityTracker();
    tracker.sweep(lobby('alice'));
    expect(tracker.joined('lobby', join('erin', 'Party'))).toEqual([
      { kind: 'joined', server: 'lobby', display: 'lobby', world: 'Party', user: 'erin' },
    ]);
    const events = tracker.sweep(
      snapshot(
        server('lobby', [...lobby('alice').servers[0]!.worlds, world('Party', ['Lobby Bot', 'erin'])]),
      ),
    );
    expect(events.map((e) => e.kind)).toEqual(['world-started']);
  });

  it('ignores join lines of a server not running or not yet seen', () => {
    const tracker = new ActivityTracker();
    expect(tracker.joined('lobby', join('dave'))).toEqual([]);
    tracker.sweep(snapshot(server('lobby', [], { state: 'exited' })));
    expect(tracker.joined('lobby', join('dave'))).toEqual([]);
  });
});
