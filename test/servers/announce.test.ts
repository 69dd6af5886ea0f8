import { describe, expect, it } from 'vitest';
import type { ConsoleExec } from '../../src/console/session.js';
import { ConsoleTimeoutError } from '../../src/errors.js';
import { announceInWorlds } from '../../src/servers/announce.js';

const WORLDS = [
  '[0] Lobby World                     Users: 3\tPresent: 2\tAccessLevel: Anyone\tMaxUsers: 16',
  '[1] Build Night                     Users: 2\tPresent: 1\tAccessLevel: Contacts\tMaxUsers: 8',
].join('\n');

const user = (name: string, present: boolean) =>
  `${name}\tID: U-${name.replace(' ', '-')}\tRole: Builder\tPresent: ${present ? 'True' : 'False'}\tPing: 40 ms\tFPS: 60\tSilenced: False`;

const USERS: Record<string, string> = {
  '0': [user('Lobby Bot', true), user('alice', true), user('bob smith', true), user('idle', false)].join(
    '\n',
  ),
  '1': [user('Build Bot', false), user('carol', true), user('alice', true)].join('\n'),
};

/** A console that answers like the headless and records what it was sent. */
function fakeConsole(answer: (line: string) => string | Error = () => '') {
  const sent: string[] = [];
  let focused = '0';
  const exec: ConsoleExec = (line) => {
    sent.push(line);
    const custom = answer(line);
    if (custom instanceof Error) return Promise.reject(custom);
    if (custom !== '') return Promise.resolve(custom);
    if (line === 'worlds') return Promise.resolve(WORLDS);
    if (line.startsWith('focus ')) focused = line.slice(6);
    if (line === 'users') return Promise.resolve(USERS[focused] ?? '');
    if (line.startsWith('message ')) return Promise.resolve('Message sent!');
    return Promise.resolve('');
  };
  return { exec, sent };
}

const TEXT = 'Server restart in 5 minutes: your world is saved first.';

describe('announceInWorlds', () => {
  it('sends the impulse to every running world, and no message unless asked', async () => {
    const { exec, sent } = fakeConsole();
    const result = await announceInWorlds(exec, TEXT, { tag: 'HeadlessRestart', messageUsers: false });
    expect(sent).toEqual([
      'worlds',
      'focus 0',
      `dynamicimpulsestring HeadlessRestart "${TEXT}"`,
      'focus 1',
      `dynamicimpulsestring HeadlessRestart "${TEXT}"`,
    ]);
    expect(result).toEqual({ worlds: 2, worldFailures: 0, usersMessaged: 0, messageFailures: 0 });
  });

  it('messages each present user once, never the headless’s own user listed first', async () => {
    const { exec, sent } = fakeConsole();
    const result = await announceInWorlds(exec, TEXT, { tag: 'Tag', messageUsers: true });
    expect(sent.filter((line) => line.startsWith('message '))).toEqual([
      `message alice "${TEXT}"`,
      `message "bob smith" "${TEXT}"`,
      `message carol "${TEXT}"`,
    ]);
    expect(result.usersMessaged).toBe(3);
  });

  it('counts a refused impulse and a message that did not reach a user, and goes on', async () => {
    let impulses = 0;
    const { exec } = fakeConsole((line) => {
      if (line.startsWith('dynamicimpulsestring') && ++impulses === 1) return 'Unknown command';
      if (line.startsWith('message alice')) return 'User not found';
      return '';
    });
    const result = await announceInWorlds(exec, TEXT, { tag: 'Tag', messageUsers: true });
    expect(result).toEqual({ worlds: 2, worldFailures: 1, usersMessaged: 2, messageFailures: 1 });
  });

  it('stops messaging once the console stops answering, counting everyone left', async () => {
    const { exec, sent } = fakeConsole((line) =>
      line.startsWith('message ') ? new ConsoleTimeoutError('lobby', line, 3) : '',
    );
    const result = await announceInWorlds(exec, TEXT, { tag: 'Tag', messageUsers: true });
    expect(sent.filter((line) => line.startsWith('message '))).toHaveLength(1);
    expect(result).toMatchObject({ usersMessaged: 0, messageFailures: 3 });
  });
});
