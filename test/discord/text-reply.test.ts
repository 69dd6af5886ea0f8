import { describe, expect, it } from 'vitest';
import { textReply } from '../../src/discord/text-reply.js';

const ZWSP = '\u200b';

describe('textReply', () => {
  it('shows short output inline in a code block under its title', () => {
    expect(textReply('lobby> version', '2026.6.4\n\n', 'out.txt')).toEqual({
      content: '**lobby> version**\n```\n2026.6.4\n```',
    });
  });

  it('escapes the title and keeps it from pinging anyone', () => {
    const { content } = textReply('Last 5 lines of *big* @everyone', 'ok', 'out.txt');
    expect(content).toMatch(new RegExp(`^\\*\\*Last 5 lines of \\\\\\*big\\\\\\* @${ZWSP}everyone\\*\\*\n`));
  });

  it('cuts a long title, so the output still fits inline', () => {
    const output = 'x'.repeat(1800);
    const { content, files } = textReply('t'.repeat(5000), output, 'out.txt');
    expect(files).toBeUndefined();
    expect(String(content).length).toBeLessThanOrEqual(2000);
    expect(content).toContain(output);
  });

  it('attaches output that does not fit one message, or that holds a code fence', () => {
    for (const output of ['x'.repeat(1990), 'before ``` after']) {
      const { content, files } = textReply('logs', output, 'out.txt');
      expect(content).toBe('**logs** (attached)');
      expect(files).toHaveLength(1);
    }
  });
});
