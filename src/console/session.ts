import type { Readable } from 'node:stream';
import PQueue from 'p-queue';
import pTimeout from 'p-timeout';
import { ConsoleClosedError, ConsoleTimeoutError } from '../errors.js';
import { ConsoleAttachTimeoutError } from './console-errors.js';
import { ConsoleTextDecoder } from './console-text.js';
import { isBareUnknownCommand, worldProblem } from './headless-answers.js';
import { PromptFramer, type Frame } from './prompt-framer.js';
import { consoleCommandOf, splitConsoleArgs, type ConsoleCommand } from './quoting.js';

/** What a session runs on: an attached stdin/stdout pair (Docker provides it; tests may fake it). */
export interface ConsoleTransport {
  output: Readable;
  write(text: string): void;
  close(): void;
  tty: boolean;
}

export interface ConsoleSessionOptions {
  /** The server's name, for error messages. */
  name: string;
  connect: () => Promise<ConsoleTransport>;
  timeoutMs: number;
  /** After a sync, how long the output must stay quiet before the session trusts its framing again. */
  settleMs?: number;
  /** How long the output must stay quiet before an unknown prompt is learned from its end. */
  promptQuietMs?: number;
  /** Told when the console is attached, re-attached after a drop, or lost (not when closed). */
  onEvent?: (event: ConsoleEvent) => void;
  /**
   * Told every complete line the console prints, within replies or between them (log lines such as
   * `User Joined ...` come at any time); a prompt printed before it stays at its start.
   */
  onLine?: (line: string) => void;
}

export type ConsoleEvent = 'attached' | 're-attached' | 'lost';

export interface ExecOptions {
  timeoutMs?: number;
  /**
   * The prompt the caller expects this line to leave (after `focus 1`, the name `worlds` gave for
   * world 1): seen whole at the end of the output, it is taken at once instead of after a quiet
   * pause. Anything else falls back to learning the prompt once the output is quiet.
   */
  expectPrompt?: string;
}

/** Runs one already-validated console line inside a group and resolves with its reply text. */
export type ConsoleExec = (line: string, options?: ExecOptions) => Promise<string>;

interface Waiter {
  line: string;
  resolve: (frame: Frame) => void;
  reject: (err: Error) => void;
}

/** Commands after which the focused world, and so the prompt text, may be different. */
const CHANGES_FOCUS: ReadonlySet<ConsoleCommand> = new Set<ConsoleCommand>([
  'focus',
  'close',
  'restart',
  'startworldurl',
  'startworldtemplate',
]);

const LONGEST_LINE = 16_384;

const seconds = (ms: number): number => Math.round(ms / 100) / 10;

/**
 * One long-lived console per container: one attach, commands one at a time through a queue,
 * each reply framed by the prompt and bounded by a timeout. A dropped stream (container stopped,
 * crashed or restarted) fails the waiting command and is re-attached on the next one.
 *
 * What a reply says regardless of the command is handled here, so no caller sees it as an answer:
 * a known command answered only `Unknown command` (the start-up quirk) is sent once more, and a
 * world destroyed meanwhile or the `NO WORLD>` prompt fail the command with a clear UserError.
 */
export class ConsoleSession {
  private readonly queue = new PQueue({ concurrency: 1 });
  private readonly framer = new PromptFramer();
  private readonly closing = new AbortController();
  private transport: ConsoleTransport | null = null;
  private decoder = new ConsoleTextDecoder();
  private waiter: Waiter | null = null;
  private synced = false;
  private lastDataAt = 0;
  private quietWaiter: (() => void) | null = null;
  private learnTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private everAttached = false;
  private partialLine = '';

  constructor(private readonly options: ConsoleSessionOptions) {}

  /** Runs one line, queued behind the commands before it. */
  run(line: string, options?: ExecOptions): Promise<string> {
    return this.group((exec) => exec(line, options));
  }

  /**
   * Runs several lines with nothing else in between: `focus` and the commands that depend on it
   * must not be split by another command changing the focus.
   */
  group<T>(work: (exec: ConsoleExec) => Promise<T>): Promise<T> {
    return this.queue.add(() => {
      if (this.closed) throw new ConsoleClosedError(this.options.name);
      return work((line, options) => this.exec(line, options));
    });
  }

  /** Commands waiting behind the running one. */
  get waiting(): number {
    return this.queue.size;
  }

  get attached(): boolean {
    return this.transport !== null;
  }

  /** Detaches for good: the headless keeps running; the running command and every queued one fail as closed. */
  close(): void {
    this.closed = true;
    this.closing.abort(new ConsoleClosedError(this.options.name));
    this.drop()?.reject(new ConsoleClosedError(this.options.name));
  }

  private async exec(line: string, options?: ExecOptions): Promise<string> {
    if (this.closed) throw new ConsoleClosedError(this.options.name);
    const timeoutMs = options?.timeoutMs ?? this.options.timeoutMs;
    if (!this.transport || !this.synced) await this.sync(timeoutMs);
    const command = consoleCommandOf(line);
    let promptBefore = this.framer.prompt;
    let reply = await this.send(line, timeoutMs, command, options?.expectPrompt);
    if (command !== undefined && isBareUnknownCommand(reply.text)) {
      promptBefore = reply.prompt;
      reply = await this.send(line, timeoutMs, command, options?.expectPrompt);
    }
    const problem = worldProblem(this.options.name, command, promptBefore, reply);
    if (problem) throw problem;
    return reply.text;
  }

  /**
   * Attaches if needed, then learns the prompt from an empty line's answer and waits for the output
   * to settle, so late prompts of a command that timed out cannot be taken for the next reply.
   */
  private async sync(timeoutMs: number): Promise<void> {
    if (!this.transport) await this.attach(timeoutMs);
    this.framer.prompt = null;
    this.framer.clear();
    await this.send('', timeoutMs);
    await this.settle(this.options.settleMs ?? 50);
    this.synced = true;
  }

  private async attach(timeoutMs: number): Promise<void> {
    const connecting = this.options.connect();
    let transport: ConsoleTransport;
    try {
      transport = await pTimeout(connecting, {
        milliseconds: timeoutMs,
        message: new ConsoleAttachTimeoutError(this.options.name, seconds(timeoutMs)),
        signal: this.closing.signal,
      });
    } catch (err) {
      // An attach that completes after all would hold a second connection open.
      connecting.then(
        (late) => late.close(),
        () => undefined,
      );
      throw err;
    }
    if (this.closed) {
      transport.close();
      throw new ConsoleClosedError(this.options.name);
    }
    this.transport = transport;
    this.options.onEvent?.(this.everAttached ? 're-attached' : 'attached');
    this.everAttached = true;
    this.decoder = new ConsoleTextDecoder();
    this.partialLine = '';
    this.framer.clear();
    transport.output.on('data', (chunk: Buffer) => {
      if (this.transport === transport) this.receive(this.decoder.push(chunk));
    });
    const ended = () => {
      if (this.transport === transport) this.lost();
    };
    transport.output.on('end', ended);
    transport.output.on('close', ended);
    transport.output.on('error', ended);
  }

  private send(
    line: string,
    timeoutMs: number,
    command?: ConsoleCommand,
    expectPrompt?: string,
  ): Promise<Frame> {
    const transport = this.transport;
    if (!transport) return Promise.reject(new ConsoleClosedError(this.options.name));
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.waiter !== waiter) return;
        this.waiter = null;
        // Its prompt may still come later; the next command re-syncs first.
        this.synced = false;
        reject(new ConsoleTimeoutError(this.options.name, line, seconds(timeoutMs)));
      }, timeoutMs);
      const waiter: Waiter = {
        line,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(transport.tty ? { ...frame, text: withoutEcho(frame.text, line) } : frame);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.framer.dropIdleLines();
      // The answer to these ends with the new prompt already.
      const next = promptAfter(line, command);
      if (next !== undefined) this.framer.prompt = next;
      this.framer.expected = this.framer.prompt === null ? (expectPrompt ?? null) : null;
      this.waiter = waiter;
      transport.write(`${line}\n`);
    });
  }

  private receive(text: string): void {
    this.lastDataAt = performance.now();
    if (this.options.onLine) this.tellLines(text, this.options.onLine);
    this.framer.push(text);
    for (let frame = this.framer.next(); frame !== null; frame = this.framer.next()) {
      const waiter = this.waiter;
      if (!waiter) continue;
      this.waiter = null;
      waiter.resolve(frame);
    }
    if (!this.waiter) this.framer.dropIdleLines();
    else if (this.framer.prompt === null) {
      const expected = this.framer.learnExpected();
      if (expected) {
        const waiter = this.waiter;
        this.waiter = null;
        waiter.resolve(expected);
      } else this.learnWhenQuiet();
    }
  }

  private tellLines(text: string, onLine: (line: string) => void): void {
    const lines = (this.partialLine + text).split('\n');
    // Silent commands pile prompts up on one line without end: only its tail can matter.
    this.partialLine = (lines.pop() ?? '').slice(-LONGEST_LINE);
    for (const line of lines) onLine(line);
  }

  /** An unknown prompt is learned only once the output pauses, so a prompt split across chunks is whole. */
  private learnWhenQuiet(): void {
    clearTimeout(this.learnTimer);
    this.learnTimer = setTimeout(() => {
      const waiter = this.waiter;
      const frame = waiter && this.framer.prompt === null ? this.framer.learn() : null;
      if (!waiter || !frame) return;
      this.waiter = null;
      waiter.resolve(frame);
    }, this.options.promptQuietMs ?? 20);
  }

  private settle(quietMs: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const idle = performance.now() - this.lastDataAt;
        if (idle >= quietMs || !this.transport) {
          this.quietWaiter = null;
          resolve();
        } else {
          setTimeout(check, quietMs - idle);
        }
      };
      this.quietWaiter = resolve;
      check();
    });
  }

  private lost(): void {
    const leftover = this.framer.pending();
    const waiter = this.drop();
    this.options.onEvent?.('lost');
    if (!waiter) return;
    // `shutdown` ends the process without a prompt: the stream's end is its answer.
    if (waiter.line.trim().toLowerCase() === 'shutdown') waiter.resolve({ text: leftover, prompt: '' });
    else waiter.reject(new ConsoleClosedError(this.options.name));
  }

  /** Forgets the attach and returns the command that was waiting on it, if any. */
  private drop(): Waiter | null {
    const transport = this.transport;
    const waiter = this.waiter;
    this.transport = null;
    this.synced = false;
    this.waiter = null;
    this.framer.prompt = null;
    this.framer.clear();
    clearTimeout(this.learnTimer);
    this.quietWaiter?.();
    this.quietWaiter = null;
    transport?.close();
    return waiter;
  }
}

/** The prompt after this line: a new world name, null when it cannot be known ahead, undefined if unchanged. */
function promptAfter(line: string, command: ConsoleCommand | undefined): string | null | undefined {
  if (command === undefined) return undefined;
  if (CHANGES_FOCUS.has(command)) return null;
  if (command !== 'name') return undefined;
  const args = splitConsoleArgs(line).slice(1);
  return args.length === 1 && args[0] !== undefined ? args[0] : null;
}

/** A TTY echoes the line typed: drop that one line from the reply. */
function withoutEcho(text: string, line: string): string {
  const echo = `${line}\n`;
  const at = text.indexOf(echo);
  if (at < 0) return text;
  return text.slice(0, at) + text.slice(at + echo.length);
}
