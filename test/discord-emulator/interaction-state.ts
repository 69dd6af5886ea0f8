import { EventEmitter } from 'node:events';
import type { APIUser } from 'discord.js';
import { LOADING, snapshot, type MessageStore } from './messages.js';
import type { AutocompleteChoice, InteractionHandle, MessageState, RequestRecord } from './types.js';
import { waitFor } from './wait.js';

export interface MessageRef {
  channelId: string;
  messageId: string;
}

interface HistoryEntry {
  index: number;
  message: MessageState;
}

/** What the emulator tracks about one dispatched interaction. */
export interface InteractionState {
  id: string;
  token: string;
  /** InteractionType: 2 command, 3 component, 4 autocomplete. */
  type: number;
  payload: Record<string, unknown>;
  channelId: string;
  commandName: string | null;
  user: APIUser;
  dispatchedAt: number;
  deadlineMs: number;
  acknowledged: boolean;
  callbackType: number | null;
  /** The message `@original` names: the reply, or the component's message after type 6/7. */
  original: MessageRef | null;
  componentMessage: MessageRef | null;
  followUps: MessageRef[];
  callbacks: RequestRecord[];
  /** Every state @original went through, for `waitForReply`. */
  history: HistoryEntry[];
  replyCursor: number;
  events: EventEmitter<{ callback: [RequestRecord]; original: [HistoryEntry] }>;
  expired: Promise<void>;
  timer: NodeJS.Timeout;
}

/** What the registry knows when it dispatches; the rest of the state starts empty. */
export type InteractionSeed = Pick<
  InteractionState,
  | 'id'
  | 'token'
  | 'type'
  | 'payload'
  | 'channelId'
  | 'commandName'
  | 'user'
  | 'dispatchedAt'
  | 'deadlineMs'
  | 'componentMessage'
>;

export function newState(fields: InteractionSeed): InteractionState {
  let timer!: NodeJS.Timeout;
  const expired = new Promise<void>((resolve) => {
    // A few ms of slack: timers may fire a little early against Date.now().
    timer = setTimeout(resolve, fields.deadlineMs + 5);
    timer.unref();
  });
  return {
    ...fields,
    acknowledged: false,
    callbackType: null,
    original: null,
    followUps: [],
    callbacks: [],
    history: [],
    replyCursor: 0,
    events: new EventEmitter(),
    expired,
    timer,
  };
}

export function recordOriginal(state: InteractionState, message: MessageState): void {
  const entry = { index: state.history.length, message };
  state.history.push(entry);
  state.events.emit('original', entry);
}

export function createHandle(state: InteractionState, messages: MessageStore): InteractionHandle {
  const lookup = (ref: MessageRef | null): MessageState | null => {
    const stored = ref && messages.get(ref.channelId, ref.messageId);
    return stored ? snapshot(stored) : null;
  };
  const waitForCallback = (timeoutMs = 5000): Promise<RequestRecord> =>
    waitFor(
      state.events,
      'callback',
      () => true,
      timeoutMs,
      () => `a callback to interaction ${state.id}`,
      state.callbacks,
    );

  return {
    id: state.id,
    token: state.token,
    type: state.type,
    dispatchedAt: state.dispatchedAt,
    payload: state.payload,
    callbacks: state.callbacks,
    expired: state.expired,
    waitForCallback,
    async waitForReply(predicate = () => true, timeoutMs = 5000) {
      const accept = (e: HistoryEntry): boolean =>
        e.index >= state.replyCursor && ((e.message.flags ?? 0) & LOADING) === 0 && predicate(e.message);
      const entry = await waitFor(
        state.events,
        'original',
        accept,
        timeoutMs,
        () =>
          `a reply to interaction ${state.id} (/${state.commandName ?? 'component'}); @original went through ${state.history.length} state(s), callbacks: ${state.callbacks.map((c) => c.status).join(', ') || 'none'}`,
        state.history,
      );
      state.replyCursor = entry.index + 1;
      return entry.message;
    },
    async waitForChoices(timeoutMs = 5000): Promise<AutocompleteChoice[]> {
      const record = await waitForCallback(timeoutMs);
      if (record.status >= 300) {
        throw new Error(
          `The autocomplete answer was refused (${record.status}): ${JSON.stringify(record.response)}`,
        );
      }
      const data = (record.body as { data?: { choices?: AutocompleteChoice[] } }).data;
      return data?.choices ?? [];
    },
    original: () => lookup(state.original),
    followUps: () => state.followUps.flatMap((ref) => lookup(ref) ?? []),
  };
}
