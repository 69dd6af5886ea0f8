import { replyLines } from './reply-lines.js';
import { UnrecognisedReplyError } from './unrecognised-reply.js';

const SESSION_URL_LINE = /^[a-z][a-z\d+.-]*:\/\/\S+$/i;
const SESSION_ID_LINE = /^S-\S+$/;

function firstLine(text: string, pattern: RegExp): string | undefined {
  return replyLines(text)
    .map((line) => line.trim())
    .find((line) => pattern.test(line));
}

export function parseSessionUrl(text: string): string {
  const url = firstLine(text, SESSION_URL_LINE);
  if (url === undefined) throw new UnrecognisedReplyError('sessionurl', text, 'it has no session URL line.');
  return url;
}

export function parseSessionId(text: string): string {
  const id = firstLine(text, SESSION_ID_LINE);
  if (id === undefined)
    throw new UnrecognisedReplyError('sessionid', text, 'it has no "S-..." session ID line.');
  return id;
}
