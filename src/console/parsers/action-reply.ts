import { headlessWords, meaningfulLines, sameName } from './reply-lines.js';

/** What the command was about; each given field must match the success line (case-insensitive). */
export interface ActionContext {
  user?: string;
  /** An alternative to `user`; sendfriendrequest answers with the user's ID. */
  userId?: string;
  world?: string;
  role?: string;
  accessLevel?: string;
  /** For hidefromlisting: whether the world was asked to be hidden. */
  hidden?: boolean;
}

export type ActionResult = { ok: true; line: string } | { ok: false; message: string };

type SuccessLine = (line: string, context: ActionContext) => boolean;

function matchesUser(replied: string, { user, userId }: ActionContext): boolean {
  const expected = [user, userId].filter((name): name is string => name !== undefined);
  return expected.length === 0 || expected.some((name) => sameName(name, replied));
}

function matchesOptional(replied: string, expected: string | undefined): boolean {
  return expected === undefined || sameName(expected, replied);
}

function userDone(verb: string): SuccessLine {
  const pattern = new RegExp(`^(.+) ${verb}!$`, 'i');
  return (line, context) => {
    const user = pattern.exec(line)?.[1];
    return user !== undefined && matchesUser(user, context);
  };
}

function exactly(pattern: RegExp): SuccessLine {
  return (line) => pattern.test(line);
}

const roleChanged: SuccessLine = (line, context) => {
  const match = /^(.+) now has role (.+)!$/i.exec(line);
  if (!match) return false;
  const [, user = '', role = ''] = match;
  return matchesUser(user, context) && matchesOptional(role, context.role);
};

/** Contact replies name the resolved ID, which a caller that only knows the user name cannot check. */
function namesContact(target: string, context: ActionContext): boolean {
  if (context.userId === undefined && /^U-/i.test(target)) return true;
  return matchesUser(target, context);
}

const contactRequestSent: SuccessLine = (line, context) => {
  const target = /^Contact request sent to (.+?)\.?$/i.exec(line)?.[1];
  return target !== undefined && namesContact(target, context);
};

const contactRemoved: SuccessLine = (line, context) => {
  const target = /^(.+?) has been removed from your contacts\.?$/i.exec(line)?.[1];
  return target !== undefined && namesContact(target, context);
};

const bansRemoved: SuccessLine = (line) => {
  const count = /^Removed (\d+) matching bans?\.?$/i.exec(line)?.[1];
  return count !== undefined && Number(count) > 0;
};

// `World <name> now has access level <Level>`: the leading `World ` is not part of the name.
const accessLevelSet: SuccessLine = (line, context) => {
  const match = /^World (.+) now has access level (\w+)\.?$/i.exec(line);
  if (!match) return false;
  const [, world = '', level = ''] = match;
  return matchesOptional(world, context.world) && matchesOptional(level, context.accessLevel);
};

// `will now show in listing` / `will now be hidden from listing`; other builds' hide-like tails count too.
const listingChanged: SuccessLine = (line, context) => {
  const match = /^World (.+) will (now .*)$/i.exec(line);
  if (!match) return false;
  const [, world = '', tail = ''] = match;
  const hidden = /\b(?:hid(?:e|den)|not|no longer|won't)\b/i.test(tail);
  const shown = !hidden && /\bshow(?:n)? in (?:the )?listing\b/i.test(tail);
  if (!hidden && !shown) return false;
  return matchesOptional(world, context.world) && (context.hidden === undefined || context.hidden === hidden);
};

const SUCCESS_LINES = {
  kick: userDone('kicked'),
  ban: userDone('banned'),
  // By ID the headless names the user it found, whose name the caller may not know.
  banbyid: userDone('banned'),
  silence: userDone('silenced'),
  unsilence: userDone('unsilenced'),
  respawn: userDone('respawned'),
  role: roleChanged,
  invite: exactly(/^Invite sent!?$/i),
  message: exactly(/^Message sent!?$/i),
  acceptfriendrequest: exactly(/^Request accepted!?$/i),
  sendfriendrequest: contactRequestSent,
  removefriend: contactRemoved,
  unban: bansRemoved,
  unbanbyname: bansRemoved,
  unbanbyid: bansRemoved,
  accesslevel: accessLevelSet,
  hidefromlisting: listingChanged,
  gc: exactly(/^GC finished\.?$/i),
} satisfies Record<string, SuccessLine>;

/** World commands that print nothing when they work. */
const SILENT_ACTIONS = [
  'save',
  'close',
  'restart',
  'name',
  'description',
  'maxusers',
  'awaykickinterval',
  'focus',
  'dynamicimpulse',
  'dynamicimpulsestring',
  'dynamicimpulseint',
  'dynamicimpulsefloat',
  'spawn',
] as const;

export type ActionName = keyof typeof SUCCESS_LINES | (typeof SILENT_ACTIONS)[number];

export const ACTION_NAMES: readonly ActionName[] = [
  ...(Object.keys(SUCCESS_LINES) as (keyof typeof SUCCESS_LINES)[]),
  ...SILENT_ACTIONS,
];

const UNKNOWN_COMMAND = /^Unknown command\b/i;

const FAILURE_WORDS =
  /unknown command|not found|\binvalid\b|\berror\b|\busage\b|could ?not|couldn't|cannot|can't|\bfail(?:ed|ure)?\b|doesn't exist|does not exist|\bno (?:such|world|user|session)\b|not allowed|not permitted|\bdenied\b|\bunable\b|out of range|must be|not logged in/i;

function isSilent(action: ActionName): action is (typeof SILENT_ACTIONS)[number] {
  return (SILENT_ACTIONS as readonly string[]).includes(action);
}

export function parseActionReply(
  action: ActionName,
  text: string,
  context: ActionContext = {},
): ActionResult {
  const lines = meaningfulLines(text).map((line) => line.trim());
  const failure: ActionResult = { ok: false, message: headlessWords(text) };
  if (lines.some((line) => UNKNOWN_COMMAND.test(line))) return failure;
  if (isSilent(action)) {
    return lines.some((line) => FAILURE_WORDS.test(line)) ? failure : { ok: true, line: headlessWords(text) };
  }
  const isSuccess = SUCCESS_LINES[action];
  const line = lines.find((candidate) => isSuccess(candidate, context));
  return line === undefined ? failure : { ok: true, line };
}
