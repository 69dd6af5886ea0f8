import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsoleTextDecoder } from '../../src/console/console-text.js';

describe('ConsoleTextDecoder', () => {
  it('removes ANSI colours and carriage returns', () => {
    const d = new ConsoleTextDecoder();
    expect(d.push(Buffer.from('\x1b[32mWorld running...\x1b[0m\r\nLobby>'))).toBe('World running...\nLobby>');
  });

  it('holds back an escape sequence split across chunks', () => {
    const d = new ConsoleTextDecoder();
    expect(d.push(Buffer.from('ok\x1b[3'))).toBe('ok');
    expect(d.push(Buffer.from('1mred\x1b[0m\n'))).toBe('red\n');
  });

  it('decodes a UTF-8 character split across chunks', () => {
    const d = new ConsoleTextDecoder();
    const bytes = Buffer.from('Café>');
    expect(d.push(bytes.subarray(0, 4)) + d.push(bytes.subarray(4))).toBe('Café>');
  });
});

describe('ConsoleTextDecoder on non-ASCII names', () => {
  const names = ['3Dマウスパッドショップ 3D Mousepad Shop', 'ゆき 🐱', 'Ünïcødé Wörld', '<b>Lobby</b> 🎉'];

  it.each(names)(
    'gives back %j byte-exact when the output is cut at any byte, TTY line ends and colours included',
    (name) => {
      const raw = Buffer.from(`\x1b[32mUsers: ${name}\x1b[0m\r\n${name}>`);
      for (let cut = 0; cut <= raw.length; cut++) {
        const d = new ConsoleTextDecoder();
        const text = d.push(raw.subarray(0, cut)) + d.push(raw.subarray(cut));
        expect(text, `cut at byte ${cut}`).toBe(`Users: ${name}\n${name}>`);
      }
    },
  );

  it('gives back any text byte-exact however its bytes are chunked', () => {
    const text = fc.string({ unit: 'binary', maxLength: 80 }).map((s) => s.replace(/[\r\x1b]/g, ''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 10 }), (value, cuts) => {
        const bytes = Buffer.from(value);
        const d = new ConsoleTextDecoder();
        let decoded = '';
        let at = 0;
        for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
          decoded += d.push(bytes.subarray(at, Math.max(at, cut)));
          at = Math.max(at, cut);
        }
        expect(decoded).toBe(value);
      }),
      { numRuns: 2_000 },
    );
  });
});
