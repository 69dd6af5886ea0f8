/** One problem in a request body, at a path such as ['data', 'embeds', 0, 'title']. */
export interface FieldIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

/** An error answer in Discord's shape: `{ message, code, errors? }` with an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return this.errors === undefined
      ? { message: this.message, code: this.code }
      : { message: this.message, code: this.code, errors: this.errors };
  }
}

/**
 * 400 / 50035 "Invalid Form Body" with Discord's nested `errors` object. discord.js flattens it
 * into its error message (`data.embeds[0].title[BASE_TYPE_MAX_LENGTH]: ...`), so a test (and the
 * bot's log) sees which field was wrong.
 */
export function invalidFormBody(issues: FieldIssue[]): ApiError {
  const errors: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = errors;
    for (const key of issue.path) {
      const k = String(key);
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    const list = (node._errors ??= []) as { code: string; message: string }[];
    list.push({ code: issue.code, message: issue.message });
  }
  return new ApiError(400, 50035, 'Invalid Form Body', errors);
}

// Discord's JSON error codes, named as in its documentation.
export const unknownChannel = () => new ApiError(404, 10003, 'Unknown Channel');
export const unknownGuild = () => new ApiError(404, 10004, 'Unknown Guild');
export const unknownMember = () => new ApiError(404, 10007, 'Unknown Member');
export const unknownMessage = () => new ApiError(404, 10008, 'Unknown Message');
export const unknownRole = () => new ApiError(404, 10011, 'Unknown Role');
export const unknownUser = () => new ApiError(404, 10013, 'Unknown User');
export const unknownWebhook = () => new ApiError(404, 10015, 'Unknown Webhook');
export const unknownCommand = () => new ApiError(404, 10063, 'Unknown application command');
export const unknownInteraction = () => new ApiError(404, 10062, 'Unknown interaction');
export const alreadyAcknowledged = () =>
  new ApiError(400, 40060, 'Interaction has already been acknowledged.');
export const missingAccess = () => new ApiError(403, 50001, 'Missing Access');
export const missingPermissions = () => new ApiError(403, 50013, 'Missing Permissions');
export const cannotEditOthers = () =>
  new ApiError(403, 50005, 'Cannot edit a message authored by another user');
export const emptyMessage = () => new ApiError(400, 50006, 'Cannot send an empty message');
export const entityTooLarge = () => new ApiError(413, 40005, 'Request entity too large');
export const unauthorized = () => new ApiError(401, 0, '401: Unauthorized');
export const notFound = () => new ApiError(404, 0, '404: Not Found');
export const methodNotAllowed = () => new ApiError(405, 0, '405: Method Not Allowed');
