import { PermissionFlagsBits } from 'discord.js';
import {
  ApiError,
  cannotEditOthers,
  missingAccess,
  missingPermissions,
  unknownChannel,
  unknownMessage,
} from '../errors.js';
import type { StoredMessage } from '../messages.js';
import { has } from '../permissions.js';
import type { StoredChannel } from '../store.js';
import { checkMessageBody } from './message-body.js';
import { noContent, objectBody, ok, type Route, type RouteContext } from './route.js';

// Channel types that hold messages: text, voice (text-in-voice), announcement, threads, stage.
const MESSAGE_CHANNEL_TYPES = new Set([0, 2, 5, 10, 11, 12, 13]);

/** The channel, checked as Discord does: it exists, the bot sees it and holds `needed` there. */
export function channel(ctx: RouteContext, needed = 0n): StoredChannel {
  const { store } = ctx.core;
  const found = store.channels.get(ctx.params.channel!);
  if (!found) throw unknownChannel();
  const perms = store.channelPermissionsOf(store.botUser.id, found.id);
  if (!has(perms, PermissionFlagsBits.ViewChannel)) throw missingAccess();
  if (needed && !has(perms, needed)) throw missingPermissions();
  return found;
}

/** A message as the channel routes see it: ephemeral ones are invisible there. */
function message(ctx: RouteContext): StoredMessage {
  const found = ctx.core.messages.get(ctx.params.channel!, ctx.params.message!);
  if (!found || found.ephemeral) throw unknownMessage();
  return found;
}

function sentWithNonce(ctx: RouteContext, channelId: string, nonce: unknown): StoredMessage | undefined {
  if (nonce === undefined || nonce === null) return undefined;
  const bot = ctx.core.store.botUser.id;
  return ctx.core.messages
    .list(channelId)
    .find(
      (m) => m.api.author.id === bot && m.api.nonce !== undefined && String(m.api.nonce) === String(nonce),
    );
}

export function channelRoutes(): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/channels/:channel/messages',
      auth: true,
      handle: (ctx) => {
        const files = ctx.body.files.length ? PermissionFlagsBits.AttachFiles : 0n;
        const body = objectBody(ctx);
        // A reply reads the message it answers.
        const reply = body.message_reference ? PermissionFlagsBits.ReadMessageHistory : 0n;
        const target = channel(ctx, PermissionFlagsBits.SendMessages | files | reply);
        if (!MESSAGE_CHANNEL_TYPES.has(target.type)) {
          throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
        }
        checkMessageBody(ctx.core, body, ctx.body, [], true);
        // Discord answers a repeated nonce with the message already sent (it remembers nonces for a
        // few minutes, the emulator for its lifetime).
        const sent = body.enforce_nonce === true ? sentWithNonce(ctx, target.id, body.nonce) : undefined;
        if (sent) return ok(sent.api);
        // Only SuppressEmbeds / SuppressNotifications / ComponentsV2 apply to channel messages.
        const flags = Number(body.flags ?? 0) & ((1 << 2) | (1 << 12) | (1 << 15));
        return ok(ctx.core.messages.create(target.id, { ...body, flags }, ctx.body.files).api);
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channel/messages',
      auth: true,
      handle: (ctx) => {
        const target = channel(ctx, PermissionFlagsBits.ReadMessageHistory);
        const limit = Math.min(Math.max(Number(ctx.query.get('limit') ?? 50), 1), 100);
        const before = ctx.query.get('before');
        const after = ctx.query.get('after');
        // Newest first, as Discord lists them.
        const list = ctx.core.messages
          .list(target.id)
          .map((m) => m.api)
          .filter(
            (m) =>
              (before ? BigInt(m.id) < BigInt(before) : true) &&
              (after ? BigInt(m.id) > BigInt(after) : true),
          )
          .reverse()
          .slice(0, limit);
        return ok(list);
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channel/messages/:message',
      auth: true,
      handle: (ctx) => {
        channel(ctx, PermissionFlagsBits.ReadMessageHistory);
        return ok(message(ctx).api);
      },
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channel/messages/:message',
      auth: true,
      handle: (ctx) => {
        channel(ctx);
        const target = message(ctx);
        if (target.api.author.id !== ctx.core.store.botUser.id) throw cannotEditOthers();
        const body = objectBody(ctx);
        checkMessageBody(ctx.core, body, ctx.body, [], false);
        return ok(ctx.core.messages.edit(target, body, ctx.body.files).api);
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channel/messages/:message',
      auth: true,
      handle: (ctx) => {
        const { store, messages } = ctx.core;
        channel(ctx);
        const target = message(ctx);
        const own = target.api.author.id === store.botUser.id;
        const perms = store.channelPermissionsOf(store.botUser.id, target.api.channel_id);
        if (!own && !has(perms, PermissionFlagsBits.ManageMessages)) {
          throw missingPermissions();
        }
        messages.delete(target.api.channel_id, target.api.id);
        return noContent();
      },
    },
  ];
}
