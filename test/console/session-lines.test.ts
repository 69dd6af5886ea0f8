import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { ConsoleSession } from '../../src/console/session.js';

/** A console that answers each line with `ok` and its prompt, and lets the test print unprompted. */
function fakeConsole(tty: boolean) {
  const output = new PassThrough();
  return {
    output,
    connect: async () => ({
      output,
      tty,
      close: () => output.destroy(),
      write: (text: string) =>
        setImmediate(() => output.write(`${text === '\n' ? '' : tty ? 'ok\r\n' : 'ok\n'}Lobby>`)),
    }),
  };
}

describe('console lines', () => {
  it.each([false, true])(
    'tells every complete line, also those printed between commands (tty %s)',
    async (tty) => {
      const fake = fakeConsole(tty);
      const lines: string[] = [];
      const session = new ConsoleSession({
        name: 'lobby',
        connect: fake.connect,
        timeoutMs: 500,
        settleMs: 5,
        onLine: (line) => lines.push(line),
      });
      await session.run('status');
      const eol = tty ? '\r\n' : '\n';
      // Unprompted, after the prompt, split across chunks and with a colour code.
      fake.output.write(`User Joined Lobby. Username: al`);
      fake.output.write(
        `ice, UserID: U-alice, AllocID: 1, MachineID: m${eol}\x1b[32mSIGNALR: x\x1b[0m${eol}`,
      );
      await vi.waitFor(() => expect(lines).toContain('SIGNALR: x'));
      expect(lines).toContain(
        'Lobby>User Joined Lobby. Username: alice, UserID: U-alice, AllocID: 1, MachineID: m',
      );
      await expect(session.run('users')).resolves.toBe('ok\n');
      expect(lines.filter((line) => line.endsWith('ok'))).toHaveLength(2);
      session.close();
    },
  );
});
