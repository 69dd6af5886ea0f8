import { describe, expect, it } from 'vitest';
import { NO_WORLD_PROMPT, PromptFramer } from '../../src/console/prompt-framer.js';
import { MOUSEPAD_SHOP, RUNNING_REFRESH, STATUS_DUMP, WORLD_DESTROYED } from './captures.js';

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
    expect(f.learn()).toEqual({ text: '', prompt: 'Build Night' });
    expect(f.prompt).toBe('Build Night');
  });

  it('does not learn from next(), which only frames by a known prompt', () => {
    expect(framer(null, 'Build Night>').next()).toBeNull();
  });

  it('learns one prompt from a pile of the same prompt', () => {
    const f = framer(null, 'SIGNALR: x\nLobby>Lobby>');
    expect(f.learn()).toEqual({ text: 'SIGNALR: x\n', prompt: 'Lobby' });
  });

  it('keeps a world name containing `>` whole when learning', () => {
    expect(framer(null, 'A>B>').learn()?.prompt).toBe('A>B');
  });

  it.each(['<b>Lobby</b>', '<color=#ff0000>Red</color> <b>Room</b>', MOUSEPAD_SHOP, NO_WORLD_PROMPT])(
    'learns the prompt %j, alone and piled',
    (name) => {
      expect(framer(null, `World not found\n${name}>`).learn()).toEqual({
        text: 'World not found\n',
        prompt: name,
      });
      expect(framer(null, `${name}>${name}>`).learn()?.prompt).toBe(name);
    },
  );

  it('learns a prompt that a log line landed behind on the same line', () => {
    const f = framer(null, `<b>Lobby</b>>${STATUS_DUMP}\n${RUNNING_REFRESH}\n`);
    expect(f.learn()).toEqual({ text: '', prompt: '<b>Lobby</b>' });
  });

  it('learns nothing until a line ends with `>`', () => {
    const f = framer(null, 'Engine Ready!\nWorld running...\n');
    expect(f.learn()).toBeNull();
  });

  it('learns nothing from a last line that is neither a prompt nor a prompt with a log line behind it', () => {
    expect(framer(null, 'Lobby>not a log line\n').learn()).toBeNull();
    expect(framer(null, 'Lobby>SIGNALR: still arrivi').learn()).toBeNull();
  });

  it('frames a reply ended by a known rich-text or non-ASCII prompt, in whatever chunks it arrives', () => {
    for (const name of ['<b>Lobby</b>', MOUSEPAD_SHOP, 'A>B>C']) {
      const output = `Name: ${name}\nDescription: <i>hi</i>\n${name}>`;
      for (let cut = 0; cut <= output.length; cut++) {
        const f = framer(name, output.slice(0, cut));
        const early = f.next();
        f.push(output.slice(cut));
        const frame = early ?? f.next();
        expect(frame, `${name} cut at ${cut}`).toEqual({
          text: `Name: ${name}\nDescription: <i>hi</i>\n`,
          prompt: name,
        });
      }
    }
  });

  it('ends a reply at NO WORLD> when the focused world vanished under the command', () => {
    const f = framer('Lobby World', `${WORLD_DESTROYED}\nNO WORLD>`);
    expect(f.next()).toEqual({ text: `${WORLD_DESTROYED}\n`, prompt: NO_WORLD_PROMPT });
    expect(f.prompt).toBe(NO_WORLD_PROMPT);
  });

  it('does not take NO WORLD> inside a line for the prompt', () => {
    expect(framer('Lobby', 'Description: NO WORLD>').next()).toBeNull();
  });

  it('keeps the last partial line when idle lines are dropped', () => {
    const f = framer('Lobby', 'SIGNALR: a\nSIGNALR: b\nLob');
    f.dropIdleLines();
    f.push('by>');
    expect(f.next()?.text).toBe('');
  });
});
