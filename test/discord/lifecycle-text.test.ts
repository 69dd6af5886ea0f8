import { describe, expect, it } from 'vitest';
import { stepText } from '../../src/discord/lifecycle-command.js';

describe('restart progress text', () => {
  it('names the worlds being saved and running', () => {
    expect(stepText({ step: 'saving', worlds: ['Lobby World', 'Build Night'] })).toBe(
      'Saving Lobby World, Build Night…',
    );
    expect(stepText({ step: 'saving', worlds: [] })).toBe('Saving no worlds…');
    expect(stepText({ step: 'running', worlds: ['Lobby World'] })).toBe('Running: Lobby World');
  });

  it('cuts long world names and counts the worlds that do not fit', () => {
    const worlds = Array.from({ length: 20 }, (_, i) => `${i} ${'long name '.repeat(50)}`);
    const text = stepText({ step: 'saving', worlds });
    expect(text.length).toBeLessThan(700);
    expect(text).toMatch(/… \+\d+ more…$/);
    expect(text).toContain('0 long name');
  });
});
