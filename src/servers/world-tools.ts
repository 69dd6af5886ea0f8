import type { ActionName } from '../console/parsers.js';
import { buildCommandLine } from '../console/quoting.js';
import { InvalidInputError } from '../errors.js';

/** A line for the focused world, with the action its reply is judged as. */
export interface WorldCommand {
  action: ActionName;
  line: string;
}

export const IMPULSE_TYPES = ['string', 'int', 'float'] as const;
export type ImpulseType = (typeof IMPULSE_TYPES)[number];

export interface Impulse {
  tag: string;
  value?: string;
  /** How the headless reads the value; `string` when a value is given without one. */
  type?: ImpulseType;
}

// What .NET's int and float take: the value is checked here, since the headless would only log a
// parse failure and the world would never see the impulse.
const INT_RANGE = { min: -2_147_483_648, max: 2_147_483_647 } as const;
const FLOAT_MAX = 3.4028234663852886e38;
const WHOLE_NUMBER = /^[+-]?\d+$/;
const DECIMAL_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function checkedInt(value: string): string {
  if (!WHOLE_NUMBER.test(value)) {
    throw new InvalidInputError(`The impulse value "${value}" is not a whole number (such as 3 or -12).`);
  }
  const number = Number(value);
  if (number < INT_RANGE.min || number > INT_RANGE.max) {
    throw new InvalidInputError(
      `The impulse value ${value} is out of range for a whole number (${INT_RANGE.min} to ${INT_RANGE.max}).`,
    );
  }
  return value;
}

function checkedFloat(value: string): string {
  if (!DECIMAL_NUMBER.test(value)) {
    throw new InvalidInputError(
      `The impulse value "${value}" is not a number (write it like 1.5, -0.25 or 2e3, with a dot).`,
    );
  }
  if (Math.abs(Number(value)) > FLOAT_MAX) {
    throw new InvalidInputError(`The impulse value ${value} is too large for a float.`);
  }
  return value;
}

/** `dynamicimpulse <tag>`, or `dynamicimpulsestring|int|float <tag> <value>`. */
export function impulseCommand({ tag, value, type }: Impulse): WorldCommand {
  if (value === undefined) {
    if (type !== undefined) {
      throw new InvalidInputError(
        `An impulse of type ${type} needs a value: give the value, or leave the type out for a plain impulse.`,
      );
    }
    return { action: 'dynamicimpulse', line: buildCommandLine('dynamicimpulse', tag) };
  }
  switch (type ?? 'string') {
    case 'string':
      return { action: 'dynamicimpulsestring', line: buildCommandLine('dynamicimpulsestring', tag, value) };
    case 'int':
      return {
        action: 'dynamicimpulseint',
        line: buildCommandLine('dynamicimpulseint', tag, checkedInt(value)),
      };
    case 'float':
      return {
        action: 'dynamicimpulsefloat',
        line: buildCommandLine('dynamicimpulsefloat', tag, checkedFloat(value)),
      };
  }
}

// Resonite ids: a letter or digit, then letters, digits, `-`, `_` or `.` (user names may be in any
// script, so letters are Unicode's). Nothing here can be a space, a quote, a slash or a control.
const ID_BODY = '[\\p{L}\\p{N}][\\p{L}\\p{N}_.-]*';
const RECORD_URL = new RegExp(`^resrec:///[UG]-${ID_BODY}/R-${ID_BODY}$`, 'u');
const USER_ID = new RegExp(`^U-${ID_BODY}$`, 'u');

/** `spawn <record URL> <active> <persistent>` of one record, owned by a user or a group. */
export function spawnCommand(url: string, active: boolean, persistent: boolean): WorldCommand {
  if (!RECORD_URL.test(url)) {
    throw new InvalidInputError(
      'The record URL must be resrec:///U-<user id>/R-<record id> or resrec:///G-<group id>/R-<record id>, and nothing more.',
    );
  }
  return { action: 'spawn', line: buildCommandLine('spawn', url, String(active), String(persistent)) };
}

/** A user ID as `users` and `listbans` show it (`U-alice`); refused otherwise. */
export function checkedUserId(id: string): string {
  if (!USER_ID.test(id)) {
    throw new InvalidInputError(
      `The user ID "${id}" is not one: it is U- followed by letters, digits, "-", "_" or "." (such as U-alice), as /users and /bans show it.`,
    );
  }
  return id;
}

export const AWAY_KICK_MAX_MINUTES = 1440;
/** What switches the away kick off, as in the headless's own configuration. */
export const AWAY_KICK_OFF = -1;

/** Minutes a user may be away before the headless kicks them: 1 to a day, or -1 for never. */
export function checkedAwayKickMinutes(minutes: number): string {
  if (minutes === AWAY_KICK_OFF) return String(minutes);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > AWAY_KICK_MAX_MINUTES) {
    throw new InvalidInputError(
      `The away kick must be 1 to ${AWAY_KICK_MAX_MINUTES} minutes, or ${AWAY_KICK_OFF} to switch it off.`,
    );
  }
  return String(minutes);
}
