import { StringDecoder } from 'node:string_decoder';
import stripAnsi from 'strip-ansi';

/** A complete escape sequence at the start of a string: CSI, OSC, or a two-byte escape. */
const COMPLETE_ESCAPE = /^\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/;
const LONGEST_ESCAPE = 64;

/**
 * Bytes from the console become clean text: UTF-8 decoded across chunk boundaries, ANSI colour
 * codes and carriage returns (TTY line ends) removed. An escape sequence split between two chunks
 * is held back until its end arrives, so no half-code leaks into a reply.
 */
export class ConsoleTextDecoder {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';

  push(chunk: Buffer): string {
    let text = this.carry + this.decoder.write(chunk);
    this.carry = '';
    const escape = text.lastIndexOf('\x1b');
    if (escape >= 0 && text.length - escape < LONGEST_ESCAPE && !COMPLETE_ESCAPE.test(text.slice(escape))) {
      this.carry = text.slice(escape);
      text = text.slice(0, escape);
    }
    return stripAnsi(text).replace(/\r/g, '');
  }
}
