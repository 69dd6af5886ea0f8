export { parseStatus, type WorldStatus } from './parsers/status.js';
export { parseUsers, type WorldUser } from './parsers/users.js';
export { parseWorlds, type WorldSummary } from './parsers/worlds.js';
export { parseBans, type Ban } from './parsers/bans.js';
export { parseJoinLine, type JoinLine } from './parsers/join-line.js';
export { parseFriendRequests } from './parsers/friend-requests.js';
export { parseSessionId, parseSessionUrl } from './parsers/session-url-and-id.js';
export {
  ACTION_NAMES,
  parseActionReply,
  type ActionContext,
  type ActionName,
  type ActionResult,
} from './parsers/action-reply.js';
export { UnrecognisedReplyError } from './parsers/unrecognised-reply.js';
export { MAX_REPLY_MESSAGE_LENGTH } from './parsers/reply-lines.js';
