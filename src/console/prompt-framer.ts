import { isLogNoise, withoutLogNoise } from './noise.js';

export interface Frame {
  /** Everything the console printed before the prompt: the reply, with any interleaved log lines. */
  text: string;
  prompt: string;
}

/** The prompt of a headless with no world focused (none left, or the focused one closed). */
export const NO_WORLD_PROMPT = 'NO WORLD';

/**
 * Finds replies in the console's output by its prompt: the focused world's name followed by `>`,
 * with no newline after it. A prompt stands at the start of a line (after the reply's last
 * newline, or right after another prompt when they pile up) or ends the output received so far.
 *
 * When the prompt text is known, only that exact text counts, so world names containing `>` and
 * replies containing `>` cannot end a reply early; `NO WORLD>` at a line start counts too, since the
 * focused world can vanish under any command. When the prompt is not known (just attached, or after
 * a command that changes focus), it is learned from the end of the output once that has gone quiet.
 */
export class PromptFramer {
  prompt: string | null = null;
  private buffer = '';

  push(text: string): void {
    this.buffer += text;
  }

  /** The next reply ended by the known prompt; null while none has arrived or the prompt is not known. */
  next(): Frame | null {
    if (this.prompt === null) return null;
    const frame = this.match(this.prompt, true);
    if (frame || this.prompt === NO_WORLD_PROMPT) return frame;
    return this.match(NO_WORLD_PROMPT, false);
  }

  /** The prompt a caller expects next, while the prompt is not known (see learnExpected). */
  expected: string | null = null;

  /**
   * The reply, when the output ends with the expected prompt on a line of its own (piled prompts
   * count once): known text needs no quiet pause to be taken whole.
   */
  learnExpected(): Frame | null {
    if (this.expected === null || this.expected === '') return null;
    const lines = this.buffer.split('\n');
    const last = lines.length - 1;
    const segment = lines[last] ?? '';
    if (!segment.endsWith('>') || collapsePile(segment.slice(0, -1)) !== this.expected) return null;
    return this.learned(last, lines, segment.slice(0, -1));
  }

  /**
   * Learns the prompt from the output so far and returns the reply before it. Call it only once the
   * output has gone quiet: a rich-text world name (`<b>Lobby</b>`) holds several `>`, and a chunk that
   * ends after the first of them would otherwise be taken for a whole prompt.
   *
   * The prompt is the last line if it ends with `>` (piled prompts count once), or the start of the
   * last line that is not log output, when a log line printed after the prompt landed on its line.
   */
  learn(): Frame | null {
    const lines = this.buffer.split('\n');
    const last = lines.length - 1;
    const segment = lines[last] ?? '';
    if (segment.endsWith('>')) return this.learned(last, lines, segment.slice(0, -1));
    if (segment !== '') return null;
    for (let at = last - 1; at >= 0; at--) {
      const line = lines[at] ?? '';
      const after = lines.slice(at + 1, last);
      for (let gt = line.indexOf('>'); gt >= 0; gt = line.indexOf('>', gt + 1)) {
        const rest = line.slice(gt + 1);
        if (rest.trim() !== '' && withoutLogNoise([rest, ...after]).length === 0) {
          return this.learned(at, lines, line.slice(0, gt));
        }
      }
      // Above a line that is neither log output nor a dump's TAB-indented child, no prompt can count.
      if (!isLogNoise(line) && !line.startsWith('\t')) return null;
    }
    return null;
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

  private learned(lineIndex: number, lines: string[], promptLine: string): Frame {
    const prompt = collapsePile(promptLine);
    const text = lines.slice(0, lineIndex).join('\n') + (lineIndex > 0 ? '\n' : '');
    this.buffer = '';
    this.prompt = prompt;
    this.expected = null;
    return { text, prompt };
  }

  /** The reply up to `prompt>`; a prompt other than the known one must start a line. */
  private match(prompt: string, known: boolean): Frame | null {
    const token = `${prompt}>`;
    for (let at = this.buffer.indexOf(token); at >= 0; at = this.buffer.indexOf(token, at + 1)) {
      const lineStart = at === 0 || this.buffer[at - 1] === '\n';
      const atEnd = at + token.length === this.buffer.length;
      if (lineStart || (known && atEnd)) {
        const text = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + token.length);
        this.prompt = prompt;
        return { text, prompt };
      }
    }
    return null;
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
