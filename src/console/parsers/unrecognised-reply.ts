/**
 * The headless answered with something a parser does not know. Not a UserError: it points at a
 * headless build the bot does not understand, so it is logged with the reply and not shown as is.
 */
export class UnrecognisedReplyError extends Error {
  override name = 'UnrecognisedReplyError';
  constructor(
    readonly command: string,
    readonly reply: string,
    problem: string,
  ) {
    super(`Unrecognised reply to "${command}": ${problem}`);
  }
}
