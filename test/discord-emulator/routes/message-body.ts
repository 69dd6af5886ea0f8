import type { ParsedBody } from '../body.js';
import type { Core } from '../core.js';
import { emptyMessage, entityTooLarge, invalidFormBody } from '../errors.js';
import { isEmptyMessage, validateMessageBody } from '../message-validation.js';

/**
 * Checks a message create/edit body as Discord would: field limits (50035), file sizes (40005)
 * and, for new messages, that there is something to show (50006).
 */
export function checkMessageBody(
  core: Core,
  body: Record<string, unknown>,
  parsed: ParsedBody,
  prefix: (string | number)[],
  isNew: boolean,
): void {
  const issues = validateMessageBody(body, prefix, parsed.files.length);
  if (issues.length) throw invalidFormBody(issues);
  if (parsed.files.some((f) => f.data.length > core.options.maxFileBytes)) throw entityTooLarge();
  if (isNew && isEmptyMessage(body, parsed.files.length)) throw emptyMessage();
}
