import { INTENT_GUILD_MESSAGES, type Gateway } from './gateway.js';
import { EPHEMERAL } from './messages.js';
import { without } from './objects.js';
import type { GuildStore } from './store.js';
import type { MessageChange } from './types.js';

/**
 * Sends MESSAGE_CREATE / MESSAGE_UPDATE / MESSAGE_DELETE for a change, as Discord does for guild
 * messages: only with the GuildMessages intent, never for ephemeral messages, and with `guild_id`
 * and the author's `member` added.
 */
export function dispatchMessageChange(change: MessageChange, gateway: Gateway, store: GuildStore): void {
  if (change.kind === 'delete') {
    if (change.ephemeral) return;
    const d = { id: change.id, channel_id: change.channelId, guild_id: store.guildId };
    gateway.dispatch('MESSAGE_DELETE', d, INTENT_GUILD_MESSAGES);
    return;
  }
  if (((change.message.flags ?? 0) & EPHEMERAL) !== 0) return;
  const message = without(change.message, 'files');
  const author = store.members.get(message.author.id);
  const member = author ? { member: without(store.apiMember(author), 'user') } : {};
  const t = change.kind === 'create' ? 'MESSAGE_CREATE' : 'MESSAGE_UPDATE';
  gateway.dispatch(t, { ...message, guild_id: store.guildId, ...member }, INTENT_GUILD_MESSAGES);
}
