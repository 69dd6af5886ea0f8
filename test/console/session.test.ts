import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  ConsoleAttachTimeoutError,
  NoWorldRunningError,
  WorldDestroyedError,
} from '../../src/console/console-errors.js';
import { ConsoleSession, type ConsoleTransport } from '../../src/console/session.js';
import { ConsoleClosedError, ConsoleTimeoutError } from '../../src/errors.js';
import { KICK_REPLY, MOUSEPAD_SHOP, SHUTDOWN, STATUS_DUMP, WORLD_DESTROYED } from './captures.js';

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

  it('takes the prompt a focus was expected to leave at once, and falls back to a quiet pause otherwise', async () => {
    const fake = () =>
      new ScriptedConsole(false, (line, self) => {
        if (line === 'focus 1') self.prompt = 'Build Night';
        if (line === 'focus 0') self.prompt = 'Renamed meanwhile';
        return line === '' || line.startsWith('focus') ? '' : `echo: ${line}\n`;
      });
    // A quiet pause longer than the focus may take: only the expected prompt can end it in time.
    const quick = new ConsoleSession({
      name: 'lobby',
      connect: fake().connect,
      timeoutMs: 5_000,
      settleMs: 5,
      promptQuietMs: 1_500,
    });
    await quick.run('status'); // the attach learns its first prompt after the pause
    await expect(quick.run('focus 1', { expectPrompt: 'Build Night', timeoutMs: 1_000 })).resolves.toBe('');
    await expect(quick.run('status')).resolves.toBe('echo: status\n');
    quick.close();
    // A wrong expectation costs the pause, never a wrong frame.
    const s = session(fake(), 1_000);
    await s.run('focus 0', { expectPrompt: 'Lobby' });
    await expect(s.run('users')).resolves.toBe('echo: users\n');
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
        self.output?.write(`${SHUTDOWN}\n`);
        self.output?.end();
      });
      return null;
    });
    const s = session(fake);
    await expect(s.run('shutdown')).resolves.toBe(`${SHUTDOWN}\n`);
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

/** A fake that answers its first non-empty line `Unknown command`, as a headless may right after start-up. */
function startingUp(tty: boolean, answer: (line: string, self: ScriptedConsole) => string | null) {
  let first = true;
  return new ScriptedConsole(tty, (line, self) => {
    if (line === '' || !first) return answer(line, self);
    first = false;
    return 'SIGNALR: BroadcastStatus\nUnknown command\n';
  });
}

describe.each([{ tty: false }, { tty: true }])('ConsoleSession after start-up (tty: $tty)', ({ tty }) => {
  it('sends a known command again when it was answered only "Unknown command", and returns the second reply', async () => {
    const fake = startingUp(tty, (line) => (line === 'worlds' ? '[0] Lobby World   Users: 1\n' : ''));
    await expect(session(fake).run('worlds')).resolves.toBe('[0] Lobby World   Users: 1\n');
    expect(fake.received).toEqual(['', 'worlds', 'worlds']);
  });

  it('sends a kick again and returns its long reply', async () => {
    const fake = startingUp(tty, (line) => (line === 'kick alice' ? `${KICK_REPLY}\n` : ''));
    await expect(session(fake).run('kick alice')).resolves.toBe(`${KICK_REPLY}\n`);
    expect(fake.received.filter((l) => l === 'kick alice')).toHaveLength(2);
  });

  it('sends a focus again and learns the new prompt from the second answer', async () => {
    const fake = startingUp(tty, (line, self) => {
      if (line === 'focus 1') self.prompt = 'Build Night';
      return line === 'focus 1' ? '' : `ok ${line}\n`;
    });
    const s = session(fake);
    await expect(s.run('focus 1')).resolves.toBe('');
    await expect(s.run('status')).resolves.toBe('ok status\n');
  });

  it('returns a second "Unknown command" as it is', async () => {
    const fake = new ScriptedConsole(tty, (line) => (line === '' ? '' : 'Unknown command\n'));
    await expect(session(fake).run('banbyname griefer')).resolves.toBe('Unknown command\n');
    expect(fake.received).toEqual(['', 'banbyname griefer', 'banbyname griefer']);
  });

  it('does not send a command the bot does not know twice', async () => {
    const fake = startingUp(tty, () => '');
    await expect(session(fake).run('frobnicate')).resolves.toContain('Unknown command');
    expect(fake.received).toEqual(['', 'frobnicate']);
  });
});

describe('ConsoleSession and the world going away', () => {
  it('fails a command the headless says ran on a destroyed world, in clear words', async () => {
    const fake = new ScriptedConsole(false, (line) => (line === 'users' ? `${WORLD_DESTROYED}\n` : ''));
    await expect(session(fake).run('users')).rejects.toBeInstanceOf(WorldDestroyedError);
  });

  it('frames a reply ended by NO WORLD> when the world vanished under the command', async () => {
    const fake = new ScriptedConsole(false, (line, self) => {
      if (line === 'save') self.prompt = 'NO WORLD';
      return '';
    });
    const s = session(fake);
    await expect(s.run('save')).resolves.toBe('');
    await expect(s.run('worlds')).resolves.toBe('');
  });

  it('says there is no world for a world command at the NO WORLD prompt, but lists worlds', async () => {
    const fake = new ScriptedConsole(false, (line, self) => {
      if (line === 'close') self.prompt = 'NO WORLD';
      return line === 'status' ? 'No world is currently focused\n' : '';
    });
    const s = session(fake);
    await expect(s.run('close')).resolves.toBe('');
    await expect(s.run('status')).rejects.toThrow(NoWorldRunningError);
    await expect(s.run('status')).rejects.toThrow('Server "lobby" has no world running.');
    await expect(s.run('worlds')).resolves.toBe('');
  });
});

describe('ConsoleSession learning a prompt', () => {
  it.each([{ tty: false }, { tty: true }])(
    'learns a rich-text prompt that arrives in pieces split after its inner ">" (tty: $tty)',
    async ({ tty }) => {
      const fake = new ScriptedConsole(tty, (line, self) => {
        if (line !== 'focus 1') return `ok ${line}\n`;
        self.prompt = '<b>Lobby</b>';
        const pieces = ['<b>', 'Lobby</b', '>', '>'];
        const writeNext = () => {
          self.output?.write(pieces.shift() ?? '');
          if (pieces.length > 0) setImmediate(writeNext);
        };
        setImmediate(writeNext);
        return null;
      });
      const s = session(fake);
      await expect(s.run('focus 1')).resolves.toBe('');
      await expect(s.run('status')).resolves.toBe('ok status\n');
    },
  );

  it('learns a prompt that a status dump landed behind', async () => {
    const fake = new ScriptedConsole(false, (line, self) => {
      if (line !== 'focus 1') return `ok ${line}\n`;
      self.prompt = MOUSEPAD_SHOP;
      setImmediate(() => self.output?.write(`${MOUSEPAD_SHOP}>${STATUS_DUMP}\n`));
      return null;
    });
    const s = session(fake);
    await expect(s.run('focus 1')).resolves.toBe('');
    await expect(s.run('status')).resolves.toBe('ok status\n');
  });

  it.each([{ tty: false }, { tty: true }])(
    'keeps a non-ASCII reply byte-exact when every byte arrives in its own chunk (tty: $tty)',
    async ({ tty }) => {
      const reply = `Name: ${MOUSEPAD_SHOP}\nUsers: ゆき 🐱, ünï\n`;
      const fake = new ScriptedConsole(tty, (line, self) => {
        if (line !== 'status') return '';
        const bytes = Buffer.from(`${reply}${self.prompt}>`.replace(/\n/g, tty ? '\r\n' : '\n'));
        for (let i = 0; i < bytes.length; i++) self.output?.write(bytes.subarray(i, i + 1));
        return null;
      });
      fake.prompt = MOUSEPAD_SHOP;
      await expect(session(fake).run('status')).resolves.toBe(reply);
    },
  );
});

describe('ConsoleSession closing and attaching', () => {
  it('fails the running command and every queued one when closed', async () => {
    const fake = new ScriptedConsole();
    const s = session(fake, 10_000);
    await s.run('status');
    fake.hang = true;
    const pending = ['users', 'worlds', 'sessionid'].map((line) => s.run(line));
    const grouped = s.group(async (exec) => exec('focus 1'));
    s.close();
    const results = await Promise.allSettled([...pending, grouped]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(result.status === 'rejected' && result.reason).toBeInstanceOf(ConsoleClosedError);
    }
    expect(fake.received.filter((l) => l !== '')).toEqual(['status', 'users']);
  });

  it('fails a command whose attach hangs, in clear words, and attaches afresh for the next', async () => {
    const fake = new ScriptedConsole();
    const late: { resolve?: (t: ConsoleTransport) => void } = {};
    let attempts = 0;
    const connect = (): Promise<ConsoleTransport> => {
      attempts++;
      if (attempts === 1) return new Promise((resolve) => (late.resolve = resolve));
      return fake.connect();
    };
    const s = new ConsoleSession({ name: 'lobby', connect, timeoutMs: 100, settleMs: 5 });
    const hung = s.run('status');
    const queued = s.run('users');
    await expect(hung).rejects.toThrow(ConsoleAttachTimeoutError);
    await expect(hung).rejects.toThrow(ConsoleTimeoutError);
    await expect(hung).rejects.toThrow('Could not reach the console of "lobby" within 0.1 s');
    await expect(queued).resolves.toBe('echo: users\n');
    expect(attempts).toBe(2);

    // The hung attach completing after all is closed at once, not kept as a second connection.
    let lateClosed = false;
    late.resolve?.({
      output: new PassThrough(),
      tty: false,
      write: () => undefined,
      close: () => (lateClosed = true),
    });
    await expect.poll(() => lateClosed).toBe(true);
  });

  it('fails a command waiting on a hung attach at once when closed', async () => {
    const s = new ConsoleSession({
      name: 'lobby',
      connect: () => new Promise<ConsoleTransport>(() => undefined),
      timeoutMs: 60_000,
    });
    const hung = s.run('status');
    const queued = s.run('users');
    s.close();
    await expect(hung).rejects.toBeInstanceOf(ConsoleClosedError);
    await expect(queued).rejects.toBeInstanceOf(ConsoleClosedError);
  });
});
