import { quoteArg } from '../console/quoting.js';
import { InvalidInputError } from '../errors.js';
import type { CommandCall } from './command.js';

/**
 * A required text option, checked the way the console line will be before any Docker call,
 * so that bad input is refused without touching a container.
 */
export function consoleText(call: CommandCall, option: string, what: string): string {
  const value = call.text(option);
  if (value === undefined) throw new InvalidInputError(`${what} is missing.`);
  // `what` is a sentence subject ("The user name"); quoteArg puts its own "The" in front.
  quoteArg(value, what.replace(/^the\s+/i, ''));
  return value;
}

/** An optional world reference, checked like console text (it may be sent as part of a line). */
export function worldRef(call: CommandCall): string | undefined {
  const value = call.text('world');
  if (value !== undefined) quoteArg(value, 'world');
  return value;
}
