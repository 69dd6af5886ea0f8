/** Viewer commands end to end: real discord.js client, local Discord emulator, real engine, fake headless. */
import { beforeAll, expect, it } from 'vitest';
import { describeDocker, setHang } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

describeDocker('read commands end to end', () => {
  const { h, server } = useBotSuite({ servers: { lobby: { tty: true } } });
  const { lobby } = server;

  it('registers every command on first start', () => {
    expect(h.bot.registration).toBe('registered');
    expect(h.emulator.commands('guild').map((c) => c.name)).toEqual(
      expect.arrayContaining(['servers', 'status', 'kick', 'ban', 'world', 'console', 'audit', 'restart']),
    );
  });

  it('answers /status with an embed per world, deferred first', async () => {
    const r = await h.command('status', {}, h.member.viewer);
    expect(r.handle.callbacks[0]?.body).toMatchObject({ type: 5 });
    expect(r.ephemeral).toBe(false);
    expect(r.reply.embeds?.map((e) => e.title)).toEqual(
      expect.arrayContaining([expect.stringContaining('Lobby World')]),
    );
    expect(r.text).toContain('alice');
  });

  it('answers /worlds and /users', async () => {
    expect((await h.command('worlds', {}, h.member.viewer)).text).toContain('Build Night');
    expect((await h.command('users', { world: 'Build Night' }, h.member.viewer)).text).toContain('carol');
  });

  it('answers /servers with the container state', async () => {
    const r = await h.command('servers', {}, h.member.viewer);
    expect(r.text).toContain(lobby.name);
    expect(r.text.toLowerCase()).toContain('running');
  });

  it('shows an unknown world as a private, specific error', async () => {
    const r = await h.command('status', { world: 'Nowhere' }, h.member.viewer);
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('There is no world "Nowhere"');
  });

  it('does not register again when nothing changed', async () => {
    const puts = () => h.emulator.findRequests({ method: 'PUT', path: /\/commands$/ }).length;
    const before = puts();
    expect((await h.restartBot()).registration).toBe('unchanged');
    expect(puts()).toBe(before);
  });
});

describeDocker('/servers with a console that hangs', () => {
  const { h, server } = useBotSuite({
    servers: { fine: { tty: false }, hung: { tty: false } },
    harness: { env: { CONSOLE_TIMEOUT_SECONDS: '30' } },
  });
  const { fine, hung } = server;
  beforeAll(() => setHang(hung.id, true));

  it('lists every server, marking the one whose console does not answer, without waiting for its timeout', async () => {
    const started = Date.now();
    const r = await h.command('servers', {}, h.member.viewer);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.text).toContain(fine.name);
    expect(r.text).toContain('Build Night');
    expect(r.text).toContain(hung.name);
    expect(r.text).toContain('did not answer within 3 s');
  });
});
