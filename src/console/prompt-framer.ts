export interface Frame {
  /** Everything the console printed before the prompt: the reply, with any interleaved log lines. */
  text: string;
  prompt: string;
}

/**
 * Finds replies in the console's output by its prompt: the focused world's name followed by `>`,
 * with no newline after it. A prompt stands at the start of a line (after the reply's last
 * newline, or right after another prompt when they pile up) or ends the output received so far.
 *
 * When the prompt text is known, only that exact text counts, so world names containing `>` and
 * replies containing `>` cannot end a reply early. When it is not known (just attached, or after
 * a command that changes focus or a world's name), the trailing unterminated segment that ends
 * with `>` is taken as the prompt and its text is learned.
 */
export class PromptFramer {
  prompt: string | null = null;
  private buffer = '';

  push(text: string): void {
    this.buffer += text;
  }

  next(): Frame | null {
    return this.prompt === null ? this.learn() : this.match(this.prompt);
  }

  /** What has arrived since the last prompt (for a reply that ends without one, like `shutdown`). */
  pending(): string {
    return this.buffer;
  }

  /** Drops complete lines that no command is waiting for, keeping a partial line that may become a prompt. */
  dropIdleLines(): void {
    const newline = this.buffer.lastIndexOf('\n');
    if (newline >= 0) this.buffer = this.buffer.slice(newline + 1);
  }

  clear(): void {
    this.buffer = '';
  }

  private match(prompt: string): Frame | null {
    const token = `${prompt}>`;
    for (let at = this.buffer.indexOf(token); at >= 0; at = this.buffer.indexOf(token, at + 1)) {
      const lineStart = at === 0 || this.buffer[at - 1] === '\n';
      const atEnd = at + token.length === this.buffer.length;
      if (lineStart || atEnd) {
        const text = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + token.length);
        return { text, prompt };
      }
    }
    return null;
  }

  private learn(): Frame | null {
    const lineStart = this.buffer.lastIndexOf('\n') + 1;
    const segment = this.buffer.slice(lineStart);
    if (!segment.endsWith('>')) return null;
    const prompt = collapsePile(segment.slice(0, -1));
    const text = this.buffer.slice(0, lineStart);
    this.buffer = '';
    this.prompt = prompt;
    return { text, prompt };
  }
}

/** `A>A>A` (prompts piled on one line) is the prompt `A`; `A>B` stays a world named `A>B`. */
function collapsePile(segment: string): string {
  const parts = segment.split('>');
  for (let size = 1; size < parts.length; size++) {
    if (parts.length % size !== 0) continue;
    const unit = parts.slice(0, size).join('>');
    let repeated = true;
    for (let i = size; i < parts.length && repeated; i += size) {
      repeated = parts.slice(i, i + size).join('>') === unit;
    }
    if (repeated) return unit;
  }
  return segment;
}
