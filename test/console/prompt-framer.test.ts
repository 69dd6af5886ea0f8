import { describe, expect, it } from 'vitest';
import { PromptFramer } from '../../src/console/prompt-framer.js';

function framer(prompt: string | null, ...chunks: string[]) {
  const f = new PromptFramer();
  f.prompt = prompt;
  for (const chunk of chunks) f.push(chunk);
  return f;
}

describe('PromptFramer', () => {
  it('ends a reply at the known prompt that follows its last line', () => {
    const f = framer('Lobby World', 'Name: Lobby World\nMax Users: 16\nLobby World>');
    expect(f.next()).toEqual({ text: 'Name: Lobby World\nMax Users: 16\n', prompt: 'Lobby World' });
    expect(f.next()).toBeNull();
  });

  it('waits while the prompt is only partly received', () => {
    const f = framer('Lobby World', 'Name: Lobby World\nLobby Wo');
    expect(f.next()).toBeNull();
    f.push('rld>');
    expect(f.next()?.text).toBe('Name: Lobby World\n');
  });

  it('does not end a reply at a `>` inside it', () => {
    const f = framer('Lobby', 'Description: <b>');
    expect(f.next()).toBeNull();
    f.push('Welcome</b>\nLobby>');
    expect(f.next()?.text).toBe('Description: <b>Welcome</b>\n');
  });

  it('handles a world name containing `>`', () => {
    const f = framer('A>B', 'Name: A>B\nA>B>');
    expect(f.next()).toEqual({ text: 'Name: A>B\n', prompt: 'A>B' });
  });

  it('counts prompts that pile up after silent commands', () => {
    const f = framer('My World', 'My World>My World>');
    expect(f.next()?.text).toBe('');
    expect(f.next()?.text).toBe('');
    expect(f.next()).toBeNull();
  });

  it('accepts a prompt right after output without a newline', () => {
    expect(framer('Lobby', 'Saved!Lobby>').next()?.text).toBe('Saved!');
  });

  it('learns an unknown prompt from the trailing segment', () => {
    const f = framer(null, 'Build Night>');
    expect(f.next()).toEqual({ text: '', prompt: 'Build Night' });
    expect(f.prompt).toBe('Build Night');
  });

  it('learns one prompt from a pile of the same prompt', () => {
    const f = framer(null, 'SIGNALR: x\nLobby>Lobby>');
    expect(f.next()).toEqual({ text: 'SIGNALR: x\n', prompt: 'Lobby' });
  });

  it('keeps a world name containing `>` whole when learning', () => {
    expect(framer(null, 'A>B>').next()?.prompt).toBe('A>B');
  });

  it('learns nothing until a line ends with `>`', () => {
    const f = framer(null, 'Engine Ready!\nWorld running...\n');
    expect(f.next()).toBeNull();
  });

  it('keeps the last partial line when idle lines are dropped', () => {
    const f = framer('Lobby', 'SIGNALR: a\nSIGNALR: b\nLob');
    f.dropIdleLines();
    f.push('by>');
    expect(f.next()?.text).toBe('');
  });
});
