import { EventEmitter } from 'node:events';
import type { APIAttachment, APIEmbed, APIMessage, APIUser } from 'discord.js';
import { computeMentions } from './mentions.js';
import type { SnowflakeGenerator } from './snowflake.js';
import type { GuildStore } from './store.js';
import type { MessageChange, MessageState, StoredFile } from './types.js';

type Json = Record<string, unknown>;

export const EPHEMERAL = 1 << 6;
export const LOADING = 1 << 7;
// Flags a sender may set; the rest are Discord's own.
const SETTABLE_FLAGS = (1 << 2) | EPHEMERAL | (1 << 12) | (1 << 15);

export interface StoredMessage {
  api: APIMessage;
  /** File contents by attachment id. */
  files: Map<string, StoredFile>;
  ephemeral: boolean;
  interactionId: string | null;
}

/** Extra fields for messages the emulator makes on the bot's behalf (interaction replies). */
export interface MessageOrigin {
  author?: APIUser;
  type?: number;
  extraFlags?: number;
  fields?: Partial<APIMessage>;
  interactionId?: string;
}

/** Messages per channel, built from request bodies as Discord would, with change events. */
export class MessageStore extends EventEmitter<{ change: [MessageChange] }> {
  private readonly channels = new Map<string, Map<string, StoredMessage>>();

  constructor(
    private readonly store: GuildStore,
    private readonly nextId: SnowflakeGenerator,
    private readonly attachmentBase: () => string,
  ) {
    super();
  }

  get(channelId: string, id: string): StoredMessage | undefined {
    return this.channels.get(channelId)?.get(id);
  }

  find(id: string): StoredMessage | undefined {
    for (const messages of this.channels.values()) {
      const found = messages.get(id);
      if (found) return found;
    }
    return undefined;
  }

  list(channelId: string, includeEphemeral = false): StoredMessage[] {
    return [...(this.channels.get(channelId)?.values() ?? [])].filter(
      (m) => includeEphemeral || !m.ephemeral,
    );
  }

  create(channelId: string, body: Json, files: StoredFile[], origin: MessageOrigin = {}): StoredMessage {
    const id = this.nextId();
    const author = origin.author ?? this.store.botUser;
    const flags = (Number(body.flags ?? 0) & SETTABLE_FLAGS) | (origin.extraFlags ?? 0);
    const content = typeof body.content === 'string' ? body.content : '';
    const fileMap = new Map<string, StoredFile>();
    const api: APIMessage = {
      id,
      channel_id: channelId,
      author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      ...computeMentions(content, body.allowed_mentions, this.store, author.id),
      attachments: this.attachments(channelId, body.attachments, files, [], fileMap),
      embeds: normalizeEmbeds(body.embeds),
      components: Array.isArray(body.components) ? structuredClone(body.components) : [],
      pinned: false,
      type: origin.type ?? (body.message_reference ? 19 : 0),
      flags,
      ...(body.nonce !== undefined ? { nonce: body.nonce as string } : {}),
      ...(body.message_reference
        ? { message_reference: body.message_reference as APIMessage['message_reference'] }
        : {}),
      ...origin.fields,
    };
    const stored: StoredMessage = {
      api,
      files: fileMap,
      ephemeral: (flags & EPHEMERAL) !== 0,
      interactionId: origin.interactionId ?? null,
    };
    let channel = this.channels.get(channelId);
    if (!channel) this.channels.set(channelId, (channel = new Map()));
    channel.set(id, stored);
    this.emit('change', { kind: 'create', message: snapshot(stored) });
    return stored;
  }

  /** Applies the fields present in an edit body, as Discord's PATCH does. */
  edit(stored: StoredMessage, body: Json, files: StoredFile[]): StoredMessage {
    const api = stored.api;
    const wasLoading = ((api.flags ?? 0) & LOADING) !== 0;
    if (body.content !== undefined) api.content = typeof body.content === 'string' ? body.content : '';
    if (body.embeds !== undefined) api.embeds = normalizeEmbeds(body.embeds);
    if (body.components !== undefined)
      api.components = Array.isArray(body.components) ? structuredClone(body.components) : [];
    if (body.content !== undefined || body.allowed_mentions !== undefined) {
      Object.assign(api, computeMentions(api.content, body.allowed_mentions, this.store, api.author.id));
    }
    if (body.attachments !== undefined || files.length > 0) {
      const keep = Array.isArray(body.attachments) ? null : api.attachments;
      const newFiles = new Map<string, StoredFile>();
      api.attachments = this.attachments(
        api.channel_id,
        body.attachments,
        files,
        keep ?? [],
        newFiles,
        stored.files,
      );
      stored.files = newFiles;
    }
    // The sender may only toggle SuppressEmbeds/ComponentsV2; an edit ends the "thinking" state.
    let flags = (api.flags ?? 0) & ~LOADING;
    if (body.flags !== undefined && body.flags !== null) {
      const changeable = (1 << 2) | (1 << 15);
      flags = (flags & ~changeable) | (Number(body.flags) & changeable);
    }
    api.flags = flags;
    if (!wasLoading) api.edited_timestamp = new Date().toISOString();
    this.emit('change', { kind: 'update', message: snapshot(stored) });
    return stored;
  }

  delete(channelId: string, id: string): boolean {
    const stored = this.get(channelId, id);
    if (!stored) return false;
    this.channels.get(channelId)!.delete(id);
    this.emit('change', { kind: 'delete', channelId, id, ephemeral: stored.ephemeral });
    return true;
  }

  fileOf(channelId: string, attachmentId: string): StoredFile | undefined {
    for (const m of this.channels.get(channelId)?.values() ?? []) {
      const file = m.files.get(attachmentId);
      if (file) return file;
    }
    return undefined;
  }

  /**
   * Resolves `attachments` against uploaded `files[n]` parts: an entry whose id is an existing
   * attachment's id keeps it, an entry with id n names the upload `files[n]`; uploads without an
   * entry are added with their own file names.
   */
  private attachments(
    channelId: string,
    entries: unknown,
    files: StoredFile[],
    keep: APIAttachment[],
    out: Map<string, StoredFile>,
    previous = new Map<string, StoredFile>(),
  ): APIAttachment[] {
    const list = Array.isArray(entries) ? (entries as Json[]) : [];
    const result: APIAttachment[] = [];
    for (const existing of keep) {
      result.push(existing);
      const file = previous.get(existing.id);
      if (file) out.set(existing.id, file);
    }
    const used = new Set<StoredFile>();
    for (const entry of list) {
      const entryId = String(entry.id);
      const old = previous.get(entryId);
      if (old) {
        result.push(this.attachment(channelId, entryId, old, entry));
        out.set(entryId, old);
        continue;
      }
      const file = files.find((f) => f.field === `files[${entryId}]`);
      if (!file) continue;
      used.add(file);
      const id = this.nextId();
      const named = { ...file, name: typeof entry.filename === 'string' ? entry.filename : file.name };
      result.push(this.attachment(channelId, id, named, entry));
      out.set(id, named);
    }
    for (const file of files) {
      if (used.has(file)) continue;
      const id = this.nextId();
      result.push(this.attachment(channelId, id, file, {}));
      out.set(id, file);
    }
    return result;
  }

  private attachment(channelId: string, id: string, file: StoredFile, entry: Json): APIAttachment {
    const url = `${this.attachmentBase()}/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`;
    return {
      id,
      filename: file.name,
      size: file.data.length,
      url,
      proxy_url: url,
      content_type: file.contentType,
      ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
    };
  }
}

/** Discord marks embeds sent by bots as `rich` and drops empty optional parts. */
function normalizeEmbeds(embeds: unknown): APIEmbed[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map(
    (e: unknown) => ({ type: 'rich', ...(JSON.parse(JSON.stringify(e)) as APIEmbed) }) as APIEmbed,
  );
}

/** A detached copy for tests and history, with the file contents in attachment order. */
export function snapshot(stored: StoredMessage): MessageState {
  const api = structuredClone(stored.api);
  const files = api.attachments.flatMap((a) => {
    const file = stored.files.get(a.id);
    return file ? [{ ...file, name: a.filename }] : [];
  });
  return { ...api, files };
}
