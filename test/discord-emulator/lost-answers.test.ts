/**
 * The emulator's faults that let the route run and lose only its answer (`processed`), and
 * Discord's nonce check that makes a repeated message post safe, seen through discord.js's REST.
 */
import { REST, Routes, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from './index.js';

describe('answers lost after the work was done', () => {
  let emulator: DiscordEmulator;
  let rest: REST;
  let channelId: string;

  beforeAll(async () => {
    emulator = await startDiscordEmulator({ token: 'lost.answers.token' });
    rest = new REST({ api: emulator.apiUrl }).setToken(emulator.token);
    channelId = emulator.channel('general').id;
  });
  afterAll(async () => {
    await emulator.close();
  });

  const post = (body: Record<string, unknown>) =>
    rest.post(Routes.channelMessages(channelId), { body }) as Promise<APIMessage>;
  const posted = (content: string) =>
    emulator.channelMessages(channelId).filter((m) => m.content === content);

  it('makes the retry of a post whose answer was lost post it again', async () => {
    const fault = emulator.failNext({
      method: 'POST',
      path: `/channels/${channelId}/messages`,
      status: 500,
      processed: true,
    });
    const message = await post({ content: 'twice' });
    expect(fault.hits).toHaveLength(1);
    expect(posted('twice').map((m) => m.id)).toEqual([expect.any(String), message.id]);
  });

  it('answers a repeated nonce with the message already posted when enforce_nonce is set', async () => {
    emulator.failNext({
      method: 'POST',
      path: `/channels/${channelId}/messages`,
      status: 500,
      processed: true,
    });
    const message = await post({ content: 'once', nonce: 'board-1', enforce_nonce: true });
    expect(posted('once').map((m) => m.id)).toEqual([message.id]);
    const again = await post({ content: 'once', nonce: 'board-1', enforce_nonce: true });
    expect(again.id).toBe(message.id);
    const other = await post({ content: 'once', nonce: 'board-2', enforce_nonce: true });
    expect(other.id).not.toBe(message.id);
  });

  it('posts a repeated nonce again without enforce_nonce, as Discord does', async () => {
    const first = await post({ content: 'loose', nonce: 'n-1' });
    const second = await post({ content: 'loose', nonce: 'n-1' });
    expect(second.id).not.toBe(first.id);
  });
});
