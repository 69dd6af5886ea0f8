import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../src/activity/activity-event.js';
import { ActivityFeed, type ActivityPost } from '../../src/activity/activity-feed.js';

/** A clock the test moves by hand, with the timers it holds. */
function manualClock() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
    /** Moves time on, running each timer due at its own time. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers.splice(timers.indexOf(due), 1);
        now = due.at;
        due.fn();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}

const joined = (user: string, world = 'Lobby World'): ActivityEvent => ({
  kind: 'joined',
  server: 'lobby',
  display: 'lobby',
  world,
  user,
  count: { users: 2, maxUsers: 16 },
});

function feedWith(options: { optedOut?: (server: string, world: string) => boolean; fail?: boolean } = {}) {
  const clock = manualClock();
  const posts: ActivityPost[] = [];
  const feed = new ActivityFeed({
    post: async (body) => {
      if (options.fail) throw new Error('Missing Access');
      posts.push(body);
    },
    logger: pino({ level: 'silent' }),
    now: clock.now,
    setTimer: clock.setTimer,
    ...(options.optedOut ? { optedOut: options.optedOut } : {}),
  });
  return { clock, posts, feed };
}

describe('the activity feed', () => {
  it('posts a burst as one message after a short gathering, pinging nobody', () => {
    const { clock, posts, feed } = feedWith();
    feed.add([joined('alice')]);
    clock.advance(500);
    feed.add([joined('bob')]);
    expect(posts).toHaveLength(0);
    clock.advance(500);
    expect(posts).toEqual([
      { content: 'alice, bob joined Lobby World (2/16)', allowed_mentions: { parse: [] } },
    ]);
  });

  it('posts at most one message every 10 s, with everything that came meanwhile', () => {
    const { clock, posts, feed } = feedWith();
    feed.add([joined('alice')]);
    clock.advance(1_000);
    feed.add([joined('bob')]);
    clock.advance(2_000);
    feed.add([joined('carol')]);
    // The first went out at 1 s: the next may go at 11 s.
    clock.advance(7_999);
    expect(posts).toHaveLength(1);
    clock.advance(1);
    expect(posts.map((p) => p.content)).toEqual([
      'alice joined Lobby World (2/16)',
      'bob, carol joined Lobby World (2/16)',
    ]);
  });

  it('posts news after a quiet spell once its gathering is over', () => {
    const { clock, posts, feed } = feedWith();
    feed.add([joined('alice')]);
    clock.advance(60_000);
    feed.add([joined('bob')]);
    clock.advance(1_000);
    expect(posts).toHaveLength(2);
  });

  it('keeps opted-out worlds out, and posts nothing when nothing is left', () => {
    const { clock, posts, feed } = feedWith({ optedOut: (_, world) => world === 'Build Night' });
    feed.add([
      joined('carol', 'Build Night'),
      { kind: 'world-closed', server: 'lobby', display: 'lobby', world: 'Build Night' },
    ]);
    expect(clock.pending()).toBe(0);
    feed.add([
      joined('alice'),
      joined('dave', 'Build Night'),
      { kind: 'server-down', server: 'lobby', display: 'Lobby' },
    ]);
    clock.advance(1_000);
    expect(posts.map((p) => p.content)).toEqual(['alice joined Lobby World (2/16)\nLobby is down']);
  });

  it('drops what is not posted yet when stopped', () => {
    const { clock, posts, feed } = feedWith();
    feed.add([joined('alice')]);
    feed.stop();
    clock.advance(10_000);
    feed.add([joined('bob')]);
    clock.advance(10_000);
    expect(posts).toEqual([]);
  });

  it('goes on after a post that failed', async () => {
    const { clock, feed } = feedWith({ fail: true });
    feed.add([joined('alice')]);
    clock.advance(1_000);
    await Promise.resolve();
    feed.add([joined('bob')]);
    expect(clock.pending()).toBe(1);
  });
});
