import {
  alreadyAcknowledged,
  invalidFormBody,
  unknownInteraction,
  unknownMessage,
  type FieldIssue,
} from '../errors.js';
import type { InteractionState } from '../interaction-state.js';
import { EPHEMERAL, LOADING, snapshot, type StoredMessage } from '../messages.js';
import { checkMessageBody } from './message-body.js';
import { noContent, objectBody, ok, type Route, type RouteContext } from './route.js';
import { without } from '../objects.js';

// Callback types Discord accepts per interaction type (2 command, 3 component, 4 autocomplete).
const ALLOWED: Record<number, number[]> = { 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8] };

type Json = Record<string, unknown>;

function checkChoices(data: Json): FieldIssue[] {
  const choices = data.choices;
  if (!Array.isArray(choices)) {
    return [{ path: ['data', 'choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }];
  }
  const issues: FieldIssue[] = [];
  if (choices.length > 25) {
    issues.push({
      path: ['data', 'choices'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 25 or fewer in length.',
    });
  }
  choices.forEach((choice: Json, i) => {
    const name = choice.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
      issues.push({
        path: ['data', 'choices', i, 'name'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 100 in length.',
      });
    }
    if (typeof choice.value === 'string' && choice.value.length > 100) {
      issues.push({
        path: ['data', 'choices', i, 'value'],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 100 or fewer in length.',
      });
    }
  });
  return issues;
}

function checkModal(data: Json): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);
  if (len(data.custom_id) < 1 || len(data.custom_id) > 100) {
    issues.push({
      path: ['data', 'custom_id'],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be between 1 and 100 in length.',
    });
  }
  if (len(data.title) < 1 || len(data.title) > 45) {
    issues.push({
      path: ['data', 'title'],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be between 1 and 45 in length.',
    });
  }
  const components = Array.isArray(data.components) ? data.components.length : 0;
  if (components < 1 || components > 5) {
    issues.push({
      path: ['data', 'components'],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be between 1 and 5 in length.',
    });
  }
  return issues;
}

/** Applies an accepted callback; returns the message it created or changed, if any. */
function apply(ctx: RouteContext, state: InteractionState, type: number, data: Json): StoredMessage | null {
  const { messages } = ctx.core;
  const { interactions } = ctx;
  switch (type) {
    case 4: {
      checkMessageBody(ctx.core, data, ctx.body, ['data'], true);
      const created = messages.create(state.channelId, data, ctx.body.files, interactions.origin(state));
      interactions.setOriginal(state, { channelId: state.channelId, messageId: created.api.id }, true);
      return created;
    }
    case 5: {
      // Discord shows a "thinking" placeholder (flag LOADING) until the first edit.
      const flags = Number(data.flags ?? 0) & EPHEMERAL;
      const created = messages.create(state.channelId, { content: '', flags }, [], {
        ...interactions.origin(state),
        extraFlags: LOADING,
      });
      interactions.setOriginal(state, { channelId: state.channelId, messageId: created.api.id }, true);
      return created;
    }
    case 6:
    case 7: {
      const ref = state.componentMessage!;
      const target = messages.get(ref.channelId, ref.messageId);
      if (type === 7) checkMessageBody(ctx.core, data, ctx.body, ['data'], false);
      if (!target) throw unknownMessage();
      interactions.setOriginal(state, ref, false);
      return type === 7 ? messages.edit(target, data, ctx.body.files) : target;
    }
    case 8: {
      const issues = checkChoices(data);
      if (issues.length) throw invalidFormBody(issues);
      return null;
    }
    default: {
      const issues = checkModal(data);
      if (issues.length) throw invalidFormBody(issues);
      return null;
    }
  }
}

/** POST /interactions/{id}/{token}/callback with Discord's deadline and one-response rules. */
export function interactionRoutes(): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/interactions/:id/:token/callback',
      auth: false,
      handle: (ctx) => {
        const state = ctx.interactions.get(ctx.params.id!);
        if (!state || state.token !== ctx.params.token) throw unknownInteraction();
        if (state.acknowledged) throw alreadyAcknowledged();
        // Past the deadline Discord has already shown "The application did not respond".
        if (Date.now() - state.dispatchedAt > state.deadlineMs) throw unknownInteraction();
        const body = objectBody(ctx);
        const type = body.type;
        if (typeof type !== 'number' || !ALLOWED[state.type]?.includes(type)) {
          throw invalidFormBody([
            {
              path: ['type'],
              code: 'INTERACTION_RESPONSE_TYPE_INVALID',
              message: `Callback type ${String(type)} is not valid for interaction type ${state.type}`,
            },
          ]);
        }
        const data = (typeof body.data === 'object' && body.data !== null ? body.data : {}) as Json;
        const message = apply(ctx, state, type, data);
        state.acknowledged = true;
        state.callbackType = type;
        if (ctx.query.get('with_response') !== 'true') return noContent();
        const flags = message?.api.flags ?? 0;
        return ok({
          interaction: {
            id: state.id,
            type: state.type,
            ...(message
              ? {
                  response_message_id: message.api.id,
                  response_message_loading: (flags & LOADING) !== 0,
                  response_message_ephemeral: (flags & EPHEMERAL) !== 0,
                }
              : {}),
          },
          resource: { type, ...(message && type !== 6 ? { message: apiOf(message) } : {}) },
        });
      },
    },
  ];
}

function apiOf(message: StoredMessage): unknown {
  return without(snapshot(message), 'files');
}
