/**
 * The gateway connection dropping while commands are in flight: discord.js resumes the session,
 * Discord replays the interactions it missed, and each one is answered exactly once.
 */
import { beforeAll, expect, it, vi } from 'vitest';
import type { GatewayEvent } from '../discord-emulator/types.js';
import { buttonId, hasButtons, result, settle } from '../support/bot.js';
import { describeDocker, readReceived, setHang } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { expectAnsweredOnce } from './faults-helpers.js';

describeDocker('the gateway dropping with commands in flight', () => {
  const { h, server } = useBotSuite({ servers: { srv: { tty: false } } });
  const { srv } = server;
  const gateway: GatewayEvent[] = [];
  beforeAll(() => {
    h.emulator.on('gateway', (e) => gateway.push(e));
  });

  it('answers each command sent while the connection was down once it resumes', async () => {
    const mark = gateway.length;
    const closed = h.emulator.waitForGateway('close');
    h.emulator.dropGatewayConnections();
    await closed;
    expect(h.emulator.gatewayConnected).toBe(false);
    const handles = [
      h.send('worlds', { server: srv.name }, h.member.viewer),
      h.send('respawn', { user: 'alice', server: srv.name }, h.member.moderator),
      h.send('users', { server: srv.name, world: 'Build Night' }, h.member.viewer),
    ];
    const results = await Promise.all(handles.map((handle) => settle(h.emulator, handle)));
    expect(gateway.slice(mark).map((e) => e.kind)).toContain('resume');
    expect(gateway.slice(mark).map((e) => e.kind)).not.toContain('identify');
    expect(results[0]!.text).toContain('Lobby World');
    expect(results[1]!.text).toContain('alice respawned');
    expect(results[2]!.text).toContain('carol');
    for (const handle of handles) expectAnsweredOnce(h, handle);
  });

  it('answers each command dispatched as the connection drops once, whether it arrived or was replayed', async () => {
    const closed = h.emulator.waitForGateway('close');
    const handles = [
      h.send('worlds', { server: srv.name }, h.member.viewer),
      h.send('respawn', { user: 'carol', server: srv.name }, h.member.moderator),
    ];
    h.emulator.dropGatewayConnections();
    await closed;
    const results = await Promise.all(handles.map((handle) => settle(h.emulator, handle)));
    expect(results[0]!.text).toContain('Build Night');
    expect(results[1]!.text).toContain('carol respawned');
    for (const handle of handles) expectAnsweredOnce(h, handle);
  });

  it('confirms once a question answered while the connection was down', async () => {
    const asked = h.send('ban', { user: 'bob smith', server: srv.name }, h.member.admin);
    const question = await asked.waitForReply(hasButtons, 10_000);
    const yes = buttonId(question, 'yes');
    const closed = h.emulator.waitForGateway('close');
    h.emulator.dropGatewayConnections();
    await closed;
    const press = h.emulator.pressButton({ customId: yes, messageId: question.id, member: h.member.admin });
    const final = await asked.waitForReply((m) => !hasButtons(m), 10_000);
    expect(result(asked, final).text).toContain('bob smith banned');
    expect((await readReceived(srv.id)).filter((line) => line.startsWith('ban '))).toHaveLength(1);
    // The question and the final answer are both edits of @original.
    expectAnsweredOnce(h, asked, 2);
    expect(press.callbacks.filter((c) => c.status < 300)).toHaveLength(1);
  });

  it('answers once a command that was waiting on its console when the connection dropped', async () => {
    await setHang(srv.id, true);
    try {
      const before = (await readReceived(srv.id)).length;
      const handle = h.send('respawn', { user: 'alice', server: srv.name }, h.member.moderator);
      await vi.waitFor(async () => expect((await readReceived(srv.id)).length).toBeGreaterThan(before), {
        timeout: 5_000,
        interval: 50,
      });
      const closed = h.emulator.waitForGateway('close');
      h.emulator.dropGatewayConnections();
      await closed;
      const r = await settle(h.emulator, handle);
      expect(r.ephemeral).toBe(true);
      expect(r.text).toContain(`The console of "${srv.name}" did not answer within 3 s.`);
      expectAnsweredOnce(h, handle);
    } finally {
      await setHang(srv.id, false);
    }
  });
});
