/**
 * /graph end to end: the monitor's sweeps of a real fake headless recorded in the bot's SQLite,
 * then a viewer's /graph answered with a PNG attached and the figures the sweeps saw; a stopped
 * server records nothing.
 */
import { join } from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import BetterSqlite3 from 'better-sqlite3';
import { expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/storage/database.js';
import { describeDocker, docker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

describeDocker('/graph', () => {
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: false } },
    harness: { monitor: true, env: { TZ: 'Europe/Berlin' } },
  });

  const storedMinutes = () => {
    const db = new BetterSqlite3(join(h.dataDir, DATABASE_FILE), { readonly: true });
    try {
      return db.prepare('SELECT count(*) AS n FROM player_minutes').get() as { n: number };
    } finally {
      db.close();
    }
  };

  it('charts what the sweeps saw, as a PNG, with peak, mean and the busiest hour', async () => {
    const snapshot = await h.bot.monitor!.sweepNow();
    const worlds = snapshot!.servers.find((s) => s.name === server.lobby.name)!.worlds;
    expect(worlds.length).toBeGreaterThan(1);
    const others = new Map(worlds.map((w) => [w.name, w.present.length - 1]));
    const busiest = [...others.values()].reduce((a, b) => Math.max(a, b));
    expect(busiest).toBeGreaterThan(0);

    const r = await h.command('graph', { server: server.lobby.name }, h.member.viewer);
    expect(r.ephemeral).toBe(false);
    const attachment = r.reply.attachments?.[0];
    expect(attachment?.filename).toBe(`users-${server.lobby.name}-24h.png`);
    const png = r.reply.files[0]!.data;
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const image = await loadImage(png);
    expect([image.width, image.height]).toEqual([800, 300]);

    const embed = r.reply.embeds![0]!;
    expect(embed.image?.url).toContain(attachment!.filename);
    expect(embed.description).toContain(`**Peak**: ${busiest} in `);
    const total = [...others.values()].reduce((a, b) => a + b, 0);
    expect(embed.description).toContain(`**Mean**: ${total.toFixed(1)} across the worlds`);
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Berlin',
        hour: 'numeric',
        hourCycle: 'h23',
      }).format(snapshot!.at),
    );
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(embed.description).toContain(
      `**Busiest hour**: ${pad(hour)}:00–${pad((hour + 1) % 24)}:00 (Europe/Berlin), ${total.toFixed(1)} users on average`,
    );
    expect(embed.fields?.map((f) => [f.name, f.value])).toEqual(
      expect.arrayContaining([...others].map(([name, n]) => [name, `peak ${n}, mean ${n.toFixed(1)}`])),
    );
  });

  it('charts one world over a week', async () => {
    const r = await h.command('graph', { server: server.lobby.name, world: 'lobby world', period: '7d' });
    expect(r.reply.attachments?.[0]?.filename).toBe(`users-${server.lobby.name}-7d.png`);
    expect(r.reply.embeds![0]!.fields?.map((f) => f.name)).toEqual(['Lobby World']);
  });

  it('names the worlds it has when asked for one it has not', async () => {
    const r = await h.command('graph', { server: server.lobby.name, world: 'Nowhere' }, h.member.viewer);
    expect(r.reply.attachments ?? []).toEqual([]);
    expect(r.text).toContain('No world named "Nowhere" was recorded on');
    expect(r.text).toContain('Lobby World');
  });

  it('records nothing while the server is stopped', async () => {
    const before = storedMinutes().n;
    expect(before).toBeGreaterThan(0);
    await docker.getContainer(server.lobby.id).stop({ t: 1 });
    await expect
      .poll(async () => (await h.bot.monitor!.sweepNow())?.servers[0]?.container.state)
      .toBe('exited');
    expect(storedMinutes().n).toBe(before);
  });
});
