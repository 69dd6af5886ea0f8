import { randomBytes } from 'node:crypto';
import { Routes, type APIMessage, type REST } from 'discord.js';

/**
 * Posts a message that must appear once: discord.js sends a request again after a 5xx, and a 500
 * can come after Discord already posted. A nonce with `enforce_nonce` makes Discord hand back the
 * message it already has instead of posting a second one.
 */
export async function postOnce(rest: REST, channelId: string, body: object): Promise<APIMessage> {
  const nonce = randomBytes(12).toString('hex');
  return (await rest.post(Routes.channelMessages(channelId), {
    body: { ...body, nonce, enforce_nonce: true },
  })) as APIMessage;
}
