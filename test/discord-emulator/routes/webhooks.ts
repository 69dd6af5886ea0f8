import { unknownMessage, unknownWebhook } from '../errors.js';
import type { InteractionState, MessageRef } from '../interaction-state.js';
import { LOADING, type StoredMessage } from '../messages.js';
import { checkMessageBody } from './message-body.js';
import { noContent, objectBody, ok, type Route, type RouteContext } from './route.js';

/** The interaction behind an interaction webhook (application id + interaction token). */
function interaction(ctx: RouteContext): InteractionState {
  const state = ctx.interactions.byToken(ctx.params.token!);
  if (!state || ctx.params.app !== ctx.core.store.applicationId) throw unknownWebhook();
  return state;
}

/** `@original` or one of the interaction's follow-ups; anything else is Unknown Message. */
function message(ctx: RouteContext, state: InteractionState): StoredMessage {
  const id = ctx.params.message!;
  const ref: MessageRef | null | undefined =
    id === '@original'
      ? state.original
      : [state.original, ...state.followUps].find((r) => r?.messageId === id);
  const stored = ref && ctx.core.messages.get(ref.channelId, ref.messageId);
  if (!stored) throw unknownMessage();
  return stored;
}

/** Interaction webhooks: @original and follow-ups (no Authorization header, the token is the key). */
export function webhookRoutes(): Route[] {
  const path = '/webhooks/:app/:token/messages/:message';
  return [
    {
      method: 'POST',
      pattern: '/webhooks/:app/:token',
      auth: false,
      handle: (ctx) => {
        const state = interaction(ctx);
        // Follow-ups need the initial response first.
        if (!state.acknowledged) throw unknownWebhook();
        const body = objectBody(ctx);
        const { messages } = ctx.core;
        const original = state.original && messages.get(state.original.channelId, state.original.messageId);
        let result: StoredMessage;
        if (original && ((original.api.flags ?? 0) & LOADING) !== 0) {
          // After a deferral the first follow-up replaces the "thinking" message (keeping its ephemerality).
          checkMessageBody(ctx.core, body, ctx.body, [], true);
          result = messages.edit(original, body, ctx.body.files);
        } else {
          checkMessageBody(ctx.core, body, ctx.body, [], true);
          result = messages.create(state.channelId, body, ctx.body.files, ctx.interactions.origin(state));
          state.followUps.push({ channelId: state.channelId, messageId: result.api.id });
        }
        return ctx.query.get('wait') === 'true' ? ok(result.api) : noContent();
      },
    },
    {
      method: 'GET',
      pattern: path,
      auth: false,
      handle: (ctx) => ok(message(ctx, interaction(ctx)).api),
    },
    {
      method: 'PATCH',
      pattern: path,
      auth: false,
      handle: (ctx) => {
        const target = message(ctx, interaction(ctx));
        const body = objectBody(ctx);
        checkMessageBody(ctx.core, body, ctx.body, [], false);
        return ok(ctx.core.messages.edit(target, body, ctx.body.files).api);
      },
    },
    {
      method: 'DELETE',
      pattern: path,
      auth: false,
      handle: (ctx) => {
        const target = message(ctx, interaction(ctx));
        ctx.core.messages.delete(target.api.channel_id, target.api.id);
        return noContent();
      },
    },
  ];
}
