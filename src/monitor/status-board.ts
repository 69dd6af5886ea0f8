import { DiscordAPIError, RESTJSONErrorCodes, Routes, type APIEmbed, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { KeyValueStore } from '../storage/database.js';
import { postOnce } from '../discord/post-once.js';

export type PublishOutcome = 'posted' | 'edited' | 'heartbeat' | 'unchanged' | 'failed';

export interface StatusBoardOptions {
  rest: REST;
  channelId: string;
  store: KeyValueStore;
  heartbeatMs: number;
  logger: Logger;
  now?: () => number;
}

export interface RenderedBoard {
  embeds: APIEmbed[];
  /** Equal for boards that show the same thing; excludes the "checked" time. */
  fingerprint: string;
}

/**
 * The status board: one message, edited in place, its id kept in SQLite so a restarted bot edits
 * the same message. A new message is posted only when the old one is gone (Discord's Unknown
 * Message, or its delete event); any other failure is retried at the next sweep, never re-posted.
 * An unchanged board is edited only for the heartbeat.
 */
export class StatusBoard {
  private lastFingerprint: string | undefined;
  private lastWriteAt = 0;
  private running: Promise<PublishOutcome> = Promise.resolve('unchanged');

  constructor(private readonly options: StatusBoardOptions) {}

  private get key(): string {
    return `status-board:${this.options.channelId}`;
  }

  get messageId(): string | undefined {
    return this.options.store.get(this.key);
  }

  /** Publishes one sweep's board; publishes never overlap, so two sweeps cannot post twice. */
  publish(board: RenderedBoard): Promise<PublishOutcome> {
    this.running = this.running.then(() => this.write(board));
    return this.running;
  }

  /** The board message was deleted (gateway event): the next sweep posts a new one. */
  deleted(channelId: string, messageId: string): void {
    if (channelId === this.options.channelId && messageId === this.messageId) {
      this.options.store.delete(this.key);
      this.lastFingerprint = undefined;
    }
  }

  private async write(board: RenderedBoard): Promise<PublishOutcome> {
    const now = this.options.now?.() ?? Date.now();
    const id = this.messageId;
    const changed = board.fingerprint !== this.lastFingerprint;
    const heartbeatDue = now - this.lastWriteAt >= this.options.heartbeatMs;
    if (id !== undefined && !changed && !heartbeatDue) return 'unchanged';
    const body = { content: '', embeds: board.embeds, allowed_mentions: { parse: [] } };
    try {
      if (id === undefined) return await this.post(body, board, now);
      await this.options.rest.patch(Routes.channelMessage(this.options.channelId, id), { body });
      this.remember(board, now);
      return changed ? 'edited' : 'heartbeat';
    } catch (err) {
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMessage) {
        this.options.logger.info({ messageId: id }, 'status board message is gone; posting a new one');
        try {
          return await this.post(body, board, now);
        } catch (postErr) {
          return this.failed(postErr);
        }
      }
      return this.failed(err);
    }
  }

  private async post(body: object, board: RenderedBoard, now: number): Promise<PublishOutcome> {
    const message = await postOnce(this.options.rest, this.options.channelId, body);
    this.options.store.set(this.key, message.id);
    this.remember(board, now);
    return 'posted';
  }

  private remember(board: RenderedBoard, now: number): void {
    this.lastFingerprint = board.fingerprint;
    this.lastWriteAt = now;
  }

  private failed(err: unknown): PublishOutcome {
    // Rate limits and 5xx were already retried by discord.js; the next sweep tries again.
    this.options.logger.warn({ err }, 'status board update failed; will retry at the next sweep');
    return 'failed';
  }
}
