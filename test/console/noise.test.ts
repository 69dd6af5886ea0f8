import { describe, it, expect } from 'vitest';
import { isLogNoise, withoutLogNoise } from '../../src/console/noise.js';
import {
  CONTACT_REMOVED,
  DESTROYING_USER,
  ENGINE_UNRESPONSIVE,
  KICK_REQUEST,
  RUNNING_REFRESH,
  SILENCE_FALSE,
  SILENCE_TRUE,
  STATUS_DUMP,
  UPDATING_USER,
  USER_JOINED,
  USER_SPAWN,
  WORLD_DESTROYED,
} from './captures.js';

describe('isLogNoise', () => {
  it.each([
    'SIGNALR: BroadcastStatus for S-4e1c2a9b',
    'SIGNALR: BroadcastSession S-4e1c2a9b-1f0d-4c3e-9a77-2b8d5f6e0c11',
    'Running refresh on: Lobby World',
    'User joined Lobby World: alice',
    'User left Lobby World: bob smith',
    'World running...',
    'Engine Ready!',
  ])('treats the headless log line %j as noise', (line) => {
    expect(isLogNoise(line)).toBe(true);
  });

  it.each([
    '   at FrooxEngine.Headless.HeadlessCommands.Kick(String name) in /src/Commands.cs:line 42',
    '   at System.Threading.Tasks.Task.Execute()',
    '--- End of stack trace from previous location ---',
    '   --- End of inner exception stack trace ---',
    'System.NullReferenceException: Object reference not set to an instance of an object.',
    ' ---> System.InvalidOperationException: Sequence contains no elements',
    'Exception: something broke',
    'Unhandled exception. System.Exception: boom',
  ])('treats the stack trace line %j as noise', (line) => {
    expect(isLogNoise(line)).toBe(true);
  });

  it.each([
    '15:04:05.123 ( 60 FPS)\tSaving world Lobby World',
    '9:04:05.1234567 (144 FPS)\tGC',
    '23:59:59.000 ',
  ])('treats the timestamped log line %j as noise', (line) => {
    expect(isLogNoise(line)).toBe(true);
  });

  it.each(['', '   ', '\t', ' \r'])('treats the blank line %j as noise', (line) => {
    expect(isLogNoise(line)).toBe(true);
  });

  it.each([
    'Name: Lobby World',
    'Uptime: 01:12:35.4423964',
    'Users: Lobby Bot, alice, bob smith',
    'Lobby Bot\tID: U-1a2b3c4d\tRole: Admin\tPresent: False\tPing: 0 ms\tFPS: 59.857086\tSilenced: False',
    '[0] Lobby World                     Users: 3\tPresent: 2\tAccessLevel: Anyone\tMaxUsers: 16',
    'alice kicked!',
    'Invite sent!',
    'Unknown command',
    'User not found',
    'atlas',
    'ExceptionalUser',
    'SIGNALRfan',
    'http://cloudx.azurewebsites.net/open/session/S-4e1c2a9b',
  ])('keeps the command output line %j', (line) => {
    expect(isLogNoise(line)).toBe(false);
  });

  it.each([
    KICK_REQUEST,
    SILENCE_TRUE,
    SILENCE_FALSE,
    DESTROYING_USER,
    UPDATING_USER,
    USER_JOINED,
    USER_SPAWN,
    RUNNING_REFRESH,
    ENGINE_UNRESPONSIVE,
  ])('treats the 2026 log line %j as noise', (line) => {
    expect(isLogNoise(line)).toBe(true);
  });

  it.each([CONTACT_REMOVED, WORLD_DESTROYED, 'Silence is golden', 'KickRequests are off'])(
    'keeps the 2026 answer line %j',
    (line) => {
      expect(isLogNoise(line)).toBe(false);
    },
  );
});

describe('withoutLogNoise', () => {
  it('drops a SIGNALR status dump with its TAB-indented child lines', () => {
    expect(withoutLogNoise(['erin', ...STATUS_DUMP.split('\n'), 'frank lee'])).toEqual(['erin', 'frank lee']);
  });

  it('keeps TAB-indented lines that follow no SIGNALR line', () => {
    expect(withoutLogNoise(['Description: rules', '\tbe kind', 'SIGNALR: x', 'after', '\tindented'])).toEqual(
      ['Description: rules', '\tbe kind', 'after', '\tindented'],
    );
  });
});
