/** 100 interactions at once across two servers: each answered once, in time, with its own server's data. */
import { expect, it } from 'vitest';
import type { InteractionHandle } from '../discord-emulator/types.js';
import { finalReply, result } from '../support/bot.js';
import { describeDocker, readReceived } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

const TOTAL = 100;

describeDocker('100 interactions at once', () => {
  const worldsOf: Record<'a' | 'b', string[]> = {
    a: ['Lobby World', 'Build Night'],
    b: ['Alpha Base', 'Beta Camp'],
  };
  const { h, server: servers } = useBotSuite({
    servers: { a: { tty: true }, b: { tty: false, env: { FAKE_WORLDS: worldsOf.b.join('|') } } },
  });
  const { a, b } = servers;

  it('answers each of 100 concurrent /status and /worlds exactly once, for the right server', async () => {
    // Mixed: /status A, /worlds B, /status B, /worlds A, ... so that both kinds hit both servers.
    const plan = Array.from({ length: TOTAL }, (_, i) => ({
      name: i % 2 === 0 ? 'status' : 'worlds',
      server: (i % 4 === 0 || i % 4 === 3 ? 'a' : 'b') as 'a' | 'b',
    }));
    const receivedBefore = {
      a: (await readReceived(a.id)).length,
      b: (await readReceived(b.id)).length,
    };
    const firstRequest = h.emulator.requests.length;

    const started = performance.now();
    const handles: InteractionHandle[] = plan.map((p) =>
      h.send(p.name, { server: servers[p.server].name }, h.member.viewer),
    );
    // One wait for all of them (a hundred `settle` waits would each add a listener to the recorder).
    const done = () => handles.every((x) => finalReply(x) !== undefined);
    if (!done()) await h.emulator.waitForRequest(done, 60_000);
    const results = handles.map((x) => result(x, finalReply(x)!));
    const wallMs = performance.now() - started;
    const deferMs = Math.max(...handles.map((x) => (x.callbacks[0]?.at ?? Infinity) - x.dispatchedAt));
    console.log(
      `[load] ${TOTAL} interactions across 2 servers answered in ${Math.round(wallMs)} ms (slowest deferral ${deferMs} ms)`,
    );

    // None lost, each acknowledged exactly once and within Discord's deadline.
    expect(results).toHaveLength(TOTAL);
    expect(new Set(handles.map((x) => x.id)).size).toBe(TOTAL);
    for (const [i, handle] of handles.entries()) {
      expect(handle.callbacks, `interaction ${i}`).toHaveLength(1);
      expect(handle.callbacks[0]!.status, `interaction ${i}`).toBeLessThan(300);
      expect(handle.callbacks[0]!.body, `interaction ${i}`).toMatchObject({ type: 5 });
    }
    expect(deferMs).toBeLessThan(3000);
    const refused = h.emulator.requests
      .slice(firstRequest)
      .filter((r) => [40060, 10062].includes((r.response as { code?: number } | null)?.code ?? 0));
    expect(refused.map((r) => `${r.method} ${r.path}: ${JSON.stringify(r.response)}`)).toEqual([]);
    expect(h.emulator.unknownRequests).toEqual([]);

    // Each final answer is the public embed of its own command and server.
    for (const [i, r] of results.entries()) {
      const { name, server } = plan[i]!;
      const other = server === 'a' ? 'b' : 'a';
      const label = `interaction ${i}: /${name} ${server}`;
      expect(r.ephemeral, label).toBe(false);
      expect(r.handle.followUps(), label).toEqual([]);
      for (const world of worldsOf[server]) expect(r.text, label).toContain(world);
      for (const world of worldsOf[other]) expect(r.text, label).not.toContain(world);
      if (name === 'status') expect(r.text, label).toContain(server === 'a' ? 'alice' : 'carol');
    }

    // Identical reads in flight share one round trip: each server's console saw a few `status`
    // groups (two worlds each), not one per interaction, and every line is its own server's work.
    for (const server of ['a', 'b'] as const) {
      const lines = (await readReceived(servers[server].id)).slice(receivedBefore[server]);
      const statuses = plan.filter((p) => p.server === server && p.name === 'status').length;
      const statusLines = lines.filter((l) => l.trim() === 'status').length;
      console.log(
        `[load] server ${server}: ${statuses} /status answered with ${statusLines / 2} status round trips`,
      );
      expect(statusLines % 2, server).toBe(0);
      expect(statusLines, server).toBeGreaterThanOrEqual(2);
      expect(statusLines, server).toBeLessThanOrEqual(10);
      // The session URL each status shows is read with it, in the same shared round trips.
      expect(lines.filter((l) => l.trim() === 'sessionurl').length, server).toBeLessThanOrEqual(10);
      expect(
        lines.every((l) => ['', 'status', 'sessionurl', 'worlds', 'focus 0', 'focus 1'].includes(l.trim())),
        server,
      ).toBe(true);
    }
  }, 120_000);
});
