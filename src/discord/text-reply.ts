import { AttachmentBuilder } from 'discord.js';
import type { CommandReply } from './command.js';

/** Longer output goes as a file: a message holds 2000 characters, less the title and code block. */
const INLINE_LIMIT = 1800;

/** Console or log output: inline in a code block when short, otherwise as a text file. */
export function textReply(title: string, text: string, fileName: string): CommandReply {
  const body = text.trimEnd() || '(nothing)';
  const heading = `**${title.replace(/[`*_~|\\]/g, '')}**`;
  if (body.length <= INLINE_LIMIT && !body.includes('```'))
    return { content: `${heading}\n\`\`\`\n${body}\n\`\`\`` };
  return {
    content: `${heading} (attached)`,
    files: [new AttachmentBuilder(Buffer.from(body, 'utf8'), { name: fileName })],
  };
}
