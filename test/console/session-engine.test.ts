/**
 * The console session on a real engine, attached to the fake headless as the bot attaches:
 * the start-up "Unknown command" answered to the very first command, with and without a TTY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseActionReply, parseStatus, parseUsers } from '../../src/console/parsers.js';
import { ConsoleSession } from '../../src/console/session.js';
import { attachStream } from '../../src/docker/attach.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  docker,
  readReceived,
  removeStartedContainers,
  startFakeHeadless,
} from '../support/docker.js';

describeDocker('ConsoleSession on a fake headless that was just started', () => {
  beforeAll(async () => {
    await buildFakeHeadlessImage();
  });
  afterAll(async () => {
    await removeStartedContainers();
  });

  describe.each([{ tty: false }, { tty: true }])('tty: $tty', ({ tty }) => {
    const sessions: ConsoleSession[] = [];
    afterAll(() => {
      for (const session of sessions) session.close();
    });

    async function firstReply(line: string): Promise<{ reply: string; received: string[] }> {
      const { id } = await startFakeHeadless({ tty, env: { FAKE_FIRST_UNKNOWN: '1' } });
      const session = new ConsoleSession({
        name: 'lobby',
        connect: () => attachStream(docker.getContainer(id), tty),
        timeoutMs: 5000,
      });
      sessions.push(session);
      const reply = await session.run(line);
      return { reply, received: (await readReceived(id)).filter((l) => l !== '') };
    }

    it('answers a first status with the status block', async () => {
      const { reply, received } = await firstReply('status');
      expect(parseStatus(reply)).toMatchObject({
        name: 'Lobby World',
        users: ['Lobby Bot', 'alice', 'bob smith'],
      });
      expect(received).toEqual(['status', 'status']);
    });

    it('answers a first users with the users', async () => {
      const { reply } = await firstReply('users');
      expect(parseUsers(reply).map((u) => u.name)).toEqual(['Lobby Bot', 'alice', 'bob smith']);
    });

    it('answers a first kick with its success line', async () => {
      const { reply, received } = await firstReply('kick alice');
      expect(parseActionReply('kick', reply, { user: 'alice' })).toEqual({ ok: true, line: 'alice kicked!' });
      expect(received).toEqual(['kick alice', 'kick alice']);
    });
  });
});
