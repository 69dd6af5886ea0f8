import { quoteArg } from '../console/quoting.js';
import { InvalidInputError } from '../errors.js';

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
