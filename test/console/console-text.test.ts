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
