/**
 * A DOCKER_HOST whose name does not resolve, end to end: the board, the alerts and the commands
 * say Docker is unreachable, exactly as for a daemon that refuses connections.
 */
import { describe, expect, it } from 'vitest';
import { fallbackConnection } from '../../src/docker/connection.js';
import type { RequestRecord } from '../discord-emulator/types.js';
import { useBotSuite } from '../support/suite.js';

// `.invalid` never resolves (RFC 2606): the lookup fails and nothing is sent to any Docker host.
const DOCKER_HOST = 'tcp://no-such-host.invalid:2375';

type Embed = { title?: string; description?: string };
const embedsOf = (r: RequestRecord) => (r.body as { embeds?: Embed[] }).embeds ?? [];

describe('Docker behind a host name that does not resolve', () => {
  const { h } = useBotSuite({
    harness: {
      containers: ['lobby'],
      monitor: true,
      // The client the bot keeps when no endpoint answered at start-up (see dockerOrFallback).
      docker: fallbackConnection({ host: DOCKER_HOST, tlsVerify: false }).docker,
    },
  });

  it('shows Docker as unreachable on the board and raises one Docker alert', async () => {
    await h.bot.monitor!.sweepNow();
    await h.bot.monitor!.sweepNow();
    const [board, ...others] = h.emulator.channelMessages(h.channel.status);
    expect(others).toEqual([]);
    const shown = JSON.stringify(board?.embeds);
    expect(shown).toContain('Docker is unreachable');
    expect(shown).toContain('no-such-host.invalid');
    const alerts = h.emulator.findRequests({
      method: 'POST',
      path: `/channels/${h.channel.alerts}/messages`,
    });
    expect(alerts).toHaveLength(1);
    expect(embedsOf(alerts[0]!)[0]?.title).toContain('Docker is unreachable');
  });

  it('answers a command with the reason instead of an apology', async () => {
    const r = await h.command('worlds', { server: 'lobby' }, h.member.viewer);
    expect(r.ephemeral).toBe(true);
    expect(r.text).toMatch(/Docker is unreachable \(.*"no-such-host\.invalid".*\)\./);
  });
});
