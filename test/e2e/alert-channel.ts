/** The alert channel as the e2e tests read it from the emulator's records: alerts, replies, edits. */
import type { RequestRecord } from '../discord-emulator/types.js';
import { DEATH_ALERT_WAIT_MS, type Harness } from '../support/bot.js';

export type Embed = { title?: string; description?: string };
type Posted = { content?: string; message_reference?: { message_id?: string }; allowed_mentions?: unknown };

export const embedOf = (r: RequestRecord): Embed => ((r.body as { embeds?: Embed[] }).embeds ?? [])[0] ?? {};
export const idOf = (r: RequestRecord) => (r.response as { id: string }).id;
export const posted = (r: RequestRecord) => r.body as Posted;

/** What was posted to, and edited in, the harness's alert channel; every wait is for a death's alert or later. */
export function alertChannel(h: Harness) {
  const path = `/channels/${h.channel.alerts}/messages`;
  const isPost = (r: RequestRecord) => r.method === 'POST' && r.path === path;
  const isReply = (r: RequestRecord) => isPost(r) && posted(r).message_reference !== undefined;
  const isReplyTo = (messageId: string) => (r: RequestRecord) =>
    isReply(r) && posted(r).message_reference?.message_id === messageId;
  const isAlertAbout = (name: string) => (r: RequestRecord) =>
    isPost(r) && !isReply(r) && (embedOf(r).title ?? '').includes(name);
  return {
    alertsAbout: (name: string) => h.emulator.requests.filter(isAlertAbout(name)),
    repliesTo: (messageId: string) => h.emulator.requests.filter(isReplyTo(messageId)),
    waitForAlert: (name: string, since: number) =>
      h.emulator.waitForRequest(isAlertAbout(name), DEATH_ALERT_WAIT_MS, since),
    waitForReply: (messageId: string, since: number, test: (content: string) => boolean = () => true) =>
      h.emulator.waitForRequest(
        (r) => isReplyTo(messageId)(r) && test(posted(r).content ?? ''),
        DEATH_ALERT_WAIT_MS,
        since,
      ),
    waitForEdit: (messageId: string, test: (embed: Embed) => boolean, since: number) =>
      h.emulator.waitForRequest(
        (r) => r.method === 'PATCH' && r.path === `${path}/${messageId}` && test(embedOf(r)),
        DEATH_ALERT_WAIT_MS,
        since,
      ),
  };
}
