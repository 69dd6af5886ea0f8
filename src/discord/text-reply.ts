import { AttachmentBuilder } from 'discord.js';
import type { CommandReply } from './command.js';
import { inlineText } from './embeds.js';

/** What a message's content holds, in UTF-16 code units (Discord counts code points: never more). */
const CONTENT_MAX = 2000;
// Leaves the output at least 1800 characters inline, whatever the title.
const TITLE_MAX = 180;
const FENCE = '```';

/** Console or log output: inline in a code block when it fits one message, otherwise as a text file. */
export function textReply(title: string, text: string, fileName: string): CommandReply {
  const body = text.trimEnd() || '(nothing)';
  const heading = `**${inlineText(title, TITLE_MAX) || 'Output'}**`;
  const inline = `${heading}\n${FENCE}\n${body}\n${FENCE}`;
  // A fence inside the output would end the code block early.
  if (inline.length <= CONTENT_MAX && !body.includes(FENCE)) return { content: inline };
  return {
    content: `${heading} (attached)`,
    files: [new AttachmentBuilder(Buffer.from(body, 'utf8'), { name: fileName })],
  };
}
