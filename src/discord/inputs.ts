import { quoteArg } from '../console/quoting.js';
import { InvalidInputError } from '../errors.js';
import { checkedUserId } from '../servers/world-tools.js';

/**
 * A required text option, checked the way the console line will be before any Docker call,
 * so that bad input is refused without touching a container. `what` names it in the refusal
 * ("user name" gives "The user name …").
 */
export function consoleText(value: string | undefined, what: string): string {
  if (value === undefined) throw new InvalidInputError(`The ${what} is missing.`);
  quoteArg(value, what);
  return value;
}

/** An optional world reference, checked like console text (it may be sent as part of a line). */
export function worldRef(value: string | undefined): string | undefined {
  if (value !== undefined) quoteArg(value, 'world');
  return value;
}

/** Who a ban or an unban is about: a user name or a user ID, exactly one of them. */
export type UserTarget = { kind: 'name'; user: string } | { kind: 'id'; id: string };

export function userOrId(user: string | undefined, id: string | undefined): UserTarget {
  if (user === undefined && id === undefined) {
    throw new InvalidInputError('Say who: give a user name (user) or a user ID such as U-alice (id).');
  }
  if (user !== undefined && id !== undefined) {
    throw new InvalidInputError('Give a user name or a user ID, not both.');
  }
  if (id !== undefined) return { kind: 'id', id: checkedUserId(consoleText(id, 'user ID')) };
  return { kind: 'name', user: consoleText(user, 'user name') };
}
