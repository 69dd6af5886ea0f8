import { randomBytes } from 'node:crypto';
import { PermissionFlagsBits, type APIApplicationCommand, type APIMessage } from 'discord.js';
import { buildOptions } from './command-options.js';
import { GLOBAL } from './commands.js';
import type { Core } from './core.js';
import {
  createHandle,
  newState,
  recordOriginal,
  type InteractionState,
  type MessageRef,
} from './interaction-state.js';
import { snapshot, type MessageOrigin } from './messages.js';
import { has } from './permissions.js';
import type {
  InteractionHandle,
  MessageChange,
  PressButtonInput,
  RequestRecord,
  SendCommandInput,
} from './types.js';
import { without } from './objects.js';

const COMMAND = 2;
const COMPONENT = 3;
const AUTOCOMPLETE = 4;
const CALLBACK_PATH = /^\/interactions\/(\d+)\/[^/]+\/callback$/;

/** Dispatches interactions and keeps their state for the callback and webhook routes. */
export class InteractionRegistry {
  private readonly byId = new Map<string, InteractionState>();

  constructor(private readonly core: Core) {}

  get(id: string): InteractionState | undefined {
    return this.byId.get(id);
  }

  byToken(token: string): InteractionState | undefined {
    for (const state of this.byId.values()) if (state.token === token) return state;
    return undefined;
  }

  sendCommand(input: SendCommandInput, autocomplete: boolean): InteractionHandle {
    const { store, commands } = this.core;
    const command = commands.find(store.guildId, input.name) ?? commands.find(GLOBAL, input.name);
    if (!command) {
      const known = [...commands.list(store.guildId), ...commands.list(GLOBAL)].map((c) => c.name);
      throw new Error(
        `/${input.name} is not registered (registered: ${known.join(', ') || 'none'}); the bot must register its commands (bulk overwrite) first`,
      );
    }
    const memberId = this.requireMember(input.member);
    if (!input.force) this.checkDefaultPermissions(command, memberId);
    const { options, resolved } = buildOptions(command, input.options ?? [], store, autocomplete);
    const data = {
      id: command.id,
      name: command.name,
      type: command.type,
      ...(command.guild_id ? { guild_id: command.guild_id } : {}),
      ...(options.length ? { options } : {}),
      ...(resolved ? { resolved } : {}),
    };
    const channelId = this.requireChannel(input.channelId);
    return this.dispatch(autocomplete ? AUTOCOMPLETE : COMMAND, memberId, channelId, data, input, {
      commandName: command.name,
      componentMessage: null,
    });
  }

  pressButton(input: PressButtonInput): InteractionHandle {
    const { messages } = this.core;
    const stored = input.channelId
      ? messages.get(input.channelId, input.messageId)
      : messages.find(input.messageId);
    if (!stored)
      throw new Error(
        `pressButton: no message ${input.messageId}${input.channelId ? ` in channel ${input.channelId}` : ''}`,
      );
    const button = findComponent(stored.api.components ?? [], input.customId);
    if (!button) {
      throw new Error(
        `pressButton: message ${input.messageId} has no component "${input.customId}" (has: ${customIds(stored.api.components ?? []).join(', ') || 'none'})`,
      );
    }
    if (button.disabled === true)
      throw new Error(`pressButton: "${input.customId}" is disabled; Discord would not send the press`);
    const memberId = this.requireMember(input.member);
    const owner = stored.interactionId ? this.byId.get(stored.interactionId)?.user.id : undefined;
    if (stored.ephemeral && owner !== memberId) {
      throw new Error(
        `pressButton: message ${input.messageId} is ephemeral; only ${owner ?? 'its recipient'} can see it`,
      );
    }
    const message = without(snapshot(stored), 'files');
    const channelId = stored.api.channel_id;
    return this.dispatch(
      COMPONENT,
      memberId,
      channelId,
      { custom_id: input.customId, component_type: button.type },
      input,
      {
        commandName: null,
        componentMessage: { channelId, messageId: stored.api.id },
        message,
      },
    );
  }

  /** Attaches each answered callback request to its interaction (for handles' waits). */
  onRequest(record: RequestRecord): void {
    const match = CALLBACK_PATH.exec(record.path);
    const state = match && this.byId.get(match[1]!);
    if (!state) return;
    state.callbacks.push(record);
    state.events.emit('callback', record);
  }

  /** Keeps every interaction's @original history current, whichever route edited the message. */
  onMessageChange(change: MessageChange): void {
    if (change.kind !== 'update') return;
    for (const state of this.byId.values()) {
      if (state.original?.messageId === change.message.id) recordOriginal(state, change.message);
    }
  }

  /** The fields Discord puts on messages an interaction produced. */
  origin(state: InteractionState): MessageOrigin {
    const { store } = this.core;
    const metadata = {
      id: state.id,
      type: state.type,
      user: state.user,
      authorizing_integration_owners: { '0': store.guildId },
      ...(state.componentMessage ? { interacted_message_id: state.componentMessage.messageId } : {}),
    };
    const fields: Partial<APIMessage> = {
      webhook_id: store.applicationId,
      application_id: store.applicationId,
      interaction_metadata: metadata as APIMessage['interaction_metadata'],
      ...(state.commandName
        ? {
            interaction: {
              id: state.id,
              type: state.type,
              name: state.commandName,
              user: state.user,
            } as APIMessage['interaction'],
          }
        : {}),
    };
    return { type: state.commandName ? 20 : 0, fields, interactionId: state.id };
  }

  /**
   * Points @original at `ref`. A newly created reply is recorded as its first state; a component's
   * existing message (type 6/7) is not, so `waitForReply` only sees what the bot changed.
   */
  setOriginal(state: InteractionState, ref: MessageRef, recordCurrent: boolean): void {
    state.original = ref;
    const stored = this.core.messages.get(ref.channelId, ref.messageId);
    if (stored && recordCurrent) recordOriginal(state, snapshot(stored));
  }

  close(): void {
    for (const state of this.byId.values()) clearTimeout(state.timer);
  }

  private dispatch(
    type: number,
    memberId: string,
    channelId: string,
    data: Record<string, unknown>,
    input: { locale?: string; deadlineMs?: number },
    extra: { commandName: string | null; componentMessage: MessageRef | null; message?: unknown },
  ): InteractionHandle {
    const { store, gateway, options, nextId } = this.core;
    if (!gateway.hasSession)
      throw new Error('No bot is logged in to the emulator gateway; log the client in first');
    const member = store.members.get(memberId)!;
    const channel = store.channels.get(channelId)!;
    const id = nextId();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const payload: Record<string, unknown> = {
      id,
      application_id: store.applicationId,
      type,
      token,
      version: 1,
      guild_id: store.guildId,
      guild: { id: store.guildId, locale: store.preferredLocale, features: [] },
      channel_id: channelId,
      channel: { ...store.apiChannel(channel), permissions: store.permissionsOf(memberId).toString() },
      member: { ...store.apiMember(member), permissions: store.permissionsOf(memberId).toString() },
      data,
      app_permissions: store.permissionsOf(store.botUser.id).toString(),
      locale: input.locale ?? 'en-US',
      guild_locale: store.preferredLocale,
      entitlements: [],
      authorizing_integration_owners: { '0': store.guildId },
      context: 0,
      attachment_size_limit: options.maxFileBytes,
      ...(extra.message ? { message: extra.message } : {}),
    };
    const state = newState({
      id,
      token,
      type,
      payload,
      channelId,
      commandName: extra.commandName,
      user: member.user,
      dispatchedAt: Date.now(),
      deadlineMs: input.deadlineMs ?? options.interactionDeadlineMs,
      componentMessage: extra.componentMessage,
    });
    this.byId.set(id, state);
    gateway.dispatch('INTERACTION_CREATE', payload, null);
    return createHandle(state, this.core.messages);
  }

  private requireMember(ref: string): string {
    const member = this.core.store.findMember(ref);
    if (!member) throw new Error(`No guild member "${ref}"; add it with emulator.addMember() first`);
    return member.user.id;
  }

  private requireChannel(ref: string | undefined): string {
    const { store } = this.core;
    const channel = ref ? store.findChannel(ref) : [...store.channels.values()].find((c) => c.type === 0);
    if (!channel) throw new Error(`No channel "${ref ?? '(first text channel)'}" in the emulated guild`);
    return channel.id;
  }

  /** Discord hides a command from members lacking its default_member_permissions. */
  private checkDefaultPermissions(command: APIApplicationCommand, memberId: string): void {
    const required = command.default_member_permissions;
    if (required === null || required === undefined) return;
    const bits = BigInt(required);
    // "0" leaves the command to administrators only.
    const needed = bits === 0n ? PermissionFlagsBits.Administrator : bits;
    if (!has(this.core.store.permissionsOf(memberId), needed)) {
      throw new Error(
        `/${command.name} needs default_member_permissions ${required}, which member ${memberId} lacks: Discord would not show it (pass force: true to send it anyway)`,
      );
    }
  }
}

interface ComponentLike {
  type: number;
  custom_id?: string;
  disabled?: boolean;
  components?: ComponentLike[];
  accessory?: ComponentLike;
}

function walkComponents(list: unknown[], visit: (c: ComponentLike) => void): void {
  for (const item of list as ComponentLike[]) {
    visit(item);
    if (item.components) walkComponents(item.components, visit);
    if (item.accessory) visit(item.accessory);
  }
}

function findComponent(list: unknown[], customId: string): ComponentLike | undefined {
  let found: ComponentLike | undefined;
  walkComponents(list, (c) => {
    if (c.custom_id === customId) found ??= c;
  });
  return found;
}

function customIds(list: unknown[]): string[] {
  const ids: string[] = [];
  walkComponents(list, (c) => {
    if (c.custom_id) ids.push(c.custom_id);
  });
  return ids;
}
