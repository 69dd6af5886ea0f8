import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleSession, type ConsoleTransport } from '../../src/console/session.js';
import { ConsoleClosedError, ConsoleTimeoutError } from '../../src/errors.js';

/** An in-process console double: answers lines the way the headless does (reply lines, then the prompt). */
class ScriptedConsole {
  prompt = 'Lobby';
  received: string[] = [];
  attaches = 0;
  hang = false;
  output: PassThrough | null = null;

  constructor(
    private readonly tty = false,
    private readonly answer: (line: string, self: ScriptedConsole) => string | null = (line) =>
      line === '' ? '' : `echo: ${line}\n`,
  ) {}

  connect = async (): Promise<ConsoleTransport> => {
    this.attaches++;
    const output = new PassThrough();
    this.output = output;
    return {
      output,
      tty: this.tty,
      close: () => output.destroy(),
      write: (text) => {
        for (const line of text.split('\n').slice(0, -1)) {
          this.received.push(line);
          if (this.tty) output.write(`${line}\r\n`);
          if (this.hang) continue;
          const reply = this.answer(line, this);
          if (reply !== null)
            setImmediate(() =>
              output.write(`${reply.replace(/\n/g, this.tty ? '\r\n' : '\n')}${this.prompt}>`),
            );
        }
      },
    };
  };
}

function session(fake: ScriptedConsole, timeoutMs = 200) {
  return new ConsoleSession({ name: 'lobby', connect: fake.connect, timeoutMs, settleMs: 5 });
}

describe('ConsoleSession', () => {
  it('answers a command with its reply, without the prompt', async () => {
    const fake = new ScriptedConsole();
    await expect(session(fake).run('status')).resolves.toBe('echo: status\n');
    expect(fake.received).toEqual(['', 'status']);
  });

  it('removes the TTY echo of the line sent', async () => {
    const fake = new ScriptedConsole(true);
    await expect(session(fake).run('status')).resolves.toBe('echo: status\n');
  });

  it('answers 50 queued commands in order', async () => {
    const s = session(new ScriptedConsole());
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => s.run(`say ${i}`)));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => `echo: say ${i}\n`));
  });

  it('follows the prompt when a world is renamed', async () => {
    const fake = new ScriptedConsole(false, (line, self) => {
      if (line.startsWith('name ')) self.prompt = line.slice(5).replace(/"/g, '');
      return line.startsWith('name ') ? '' : `ok ${line}\n`;
    });
    const s = session(fake);
    await s.run('name "New Name"');
    await expect(s.run('status')).resolves.toBe('ok status\n');
  });

  it('learns the prompt again after focus', async () => {
    const fake = new ScriptedConsole(false, (line, self) => {
      if (line === 'focus 1') self.prompt = 'Build Night';
      return line === 'focus 1' ? '' : `ok ${line}\n`;
    });
    const s = session(fake);
    await s.run('focus 1');
    await expect(s.run('status')).resolves.toBe('ok status\n');
  });

  it('fails a command that gets no answer, then moves on', async () => {
    const fake = new ScriptedConsole();
    const s = session(fake, 100);
    await s.run('status');
    fake.hang = true;
    await expect(s.run('users')).rejects.toBeInstanceOf(ConsoleTimeoutError);
    fake.hang = false;
    await expect(s.run('worlds')).resolves.toBe('echo: worlds\n');
  });

  it('does not take a late answer for the next command', async () => {
    let slow = true;
    const fake = new ScriptedConsole(false, (line, self) => {
      if (line === 'slow' && slow) {
        slow = false;
        setTimeout(() => self.output?.write(`late answer\n${self.prompt}>`), 150);
        return null;
      }
      return `ok ${line}\n`;
    });
    const s = new ConsoleSession({ name: 'lobby', connect: fake.connect, timeoutMs: 100, settleMs: 80 });
    await s.run('status');
    await expect(s.run('slow')).rejects.toBeInstanceOf(ConsoleTimeoutError);
    await expect(s.run('users')).resolves.toBe('ok users\n');
  });

  it('fails the waiting command when the stream ends, and attaches again for the next', async () => {
    const fake = new ScriptedConsole(false, (line, self) => {
      if (line === 'crash-me') setImmediate(() => self.output?.end());
      return line === 'crash-me' ? null : `ok ${line}\n`;
    });
    const s = session(fake);
    await s.run('status');
    await expect(s.run('crash-me')).rejects.toBeInstanceOf(ConsoleClosedError);
    await expect(s.run('status')).resolves.toBe('ok status\n');
    expect(fake.attaches).toBe(2);
  });

  it('takes the end of the stream as the answer to shutdown', async () => {
    const fake = new ScriptedConsole(false, (line, self) => {
      if (line !== 'shutdown') return `ok ${line}\n`;
      setImmediate(() => {
        self.output?.write('Exiting. Save Homes: False\nShutting down\n');
        self.output?.end();
      });
      return null;
    });
    const s = session(fake);
    await expect(s.run('shutdown')).resolves.toContain('Shutting down');
  });

  it('runs a group with nothing in between', async () => {
    const fake = new ScriptedConsole();
    const s = session(fake);
    const group = s.group(async (exec) => {
      await exec('focus 1');
      await new Promise((r) => setTimeout(r, 20));
      return exec('status');
    });
    const other = s.run('focus 0');
    await Promise.all([group, other]);
    expect(fake.received.filter((l) => l !== '')).toEqual(['focus 1', 'status', 'focus 0']);
  });

  it('fails queued commands once closed', async () => {
    const s = session(new ScriptedConsole());
    s.close();
    await expect(s.run('status')).rejects.toBeInstanceOf(ConsoleClosedError);
  });
});
