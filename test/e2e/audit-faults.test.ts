/**
 * The audit log fails closed, end to end: a full DATA_DIR refuses privileged commands with a clear
 * reply and sends nothing to the console, while viewer commands keep working; a deferral Discord
 * rejects leaves no audit row "running"; an unwritable DATA_DIR stops the start-up with a clear error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotConfig } from '../../src/config.js';
import { DataDirError, openDatabase } from '../../src/storage/database.js';
import { pino } from 'pino';
import { startBot } from '../../src/bot.js';
import { TOKEN, startHarness, type Harness } from '../support/bot.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  removeStartedContainers,
  startFakeHeadless,
  type StartedContainer,
} from '../support/docker.js';
import { mountTmpfs, type Tmpfs } from '../support/tmpfs.js';
import { lastAudit } from './audit-support.js';
import { receivedCount, receivedSince } from './console-support.js';

describeDocker('audit faults end to end', () => {
  let ctr: StartedContainer;
  beforeAll(async () => {
    await buildFakeHeadlessImage();
    ctr = await startFakeHeadless({ tty: false });
  });
  afterAll(() => removeStartedContainers());

  describe('a full DATA_DIR', () => {
    let disk: Tmpfs;
    let h: Harness;

    beforeAll(async () => {
      disk = mountTmpfs({ sizeKb: 2048 });
      h = await startHarness({ containers: [ctr.name], dataDir: disk.path });
    });
    afterAll(async () => {
      await h?.stop();
      disk?.unmount();
    });

    it('refuses a kick with a clear reply and sends nothing, while /worlds still answers; works again once there is room', async () => {
      disk.fill();
      const before = await receivedCount(ctr.id);
      const kick = await h.command('kick', { user: 'alice' }, h.member.moderator);
      expect(kick.ephemeral).toBe(true);
      expect(kick.text).toContain('The audit log cannot be written');
      expect(await receivedSince(ctr.id, before)).toEqual([]);

      const worlds = await h.command('worlds', {}, h.member.viewer);
      expect(worlds.text).toContain('Lobby World');

      disk.free();
      const retry = await h.command('respawn', { user: 'alice' }, h.member.moderator);
      expect(retry.text).toContain('alice respawned');
      expect(lastAudit(h)).toMatchObject({ command: 'respawn', outcome: 'ok' });
    });
  });

  describe('a deferral Discord rejects', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ containers: [ctr.name] });
    });
    afterAll(() => h?.stop());

    for (const [code, status, message] of [
      [10062, 404, 'Unknown interaction'],
      [40060, 400, 'Interaction has already been acknowledged.'],
    ] as const) {
      it(`finishes the audit row as not acknowledged on ${code}, and sends nothing to the console`, async () => {
        const before = await receivedCount(ctr.id);
        h.emulator.failNext({
          method: 'POST',
          path: /\/interactions\/\d+\/[^/]+\/callback$/,
          status,
          body: { code, message },
        });
        const handle = h.send('kick', { user: 'alice' }, h.member.moderator);
        await h.emulator.waitForRequest((r) => r.path.includes(handle.token) && r.injected === true, 5_000);
        await expect.poll(() => lastAudit(h).outcome, { timeout: 5_000 }).toBe('unacknowledged');
        expect(lastAudit(h)).toMatchObject({ command: 'kick', memberId: h.member.moderator });
        expect(lastAudit(h).finishedAt).not.toBeNull();
        expect(await receivedSince(ctr.id, before)).toEqual([]);
        // The bot goes on: the next command is answered.
        const next = await h.command('worlds', {}, h.member.viewer);
        expect(next.text).toContain('Lobby World');
      });
    }
  });

  describe('an unwritable DATA_DIR at start-up', () => {
    it('is a start-up error that names DATA_DIR and what to do, before anything connects', async () => {
      const disk = mountTmpfs({ sizeKb: 64, readOnly: true });
      try {
        expect(() => openDatabase(disk.path)).toThrow(/DATA_DIR ".*" is not usable \(.*\).*write access/);
        const config = loadBotConfig({
          DISCORD_TOKEN: TOKEN,
          DISCORD_CLIENT_ID: '100000000000000001',
          DISCORD_GUILD_ID: '100000000000000002',
          // Never reached: the start-up stops at the database.
          DISCORD_API_URL: 'http://127.0.0.1:9/api',
          HEADLESS_CONTAINERS: ctr.name,
          DATA_DIR: disk.path,
        });
        await expect(startBot({ config, logger: pino({ level: 'silent' }) })).rejects.toBeInstanceOf(
          DataDirError,
        );
      } finally {
        disk.unmount();
      }
    });
  });
});
