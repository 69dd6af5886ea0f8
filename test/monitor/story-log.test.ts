import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { missingContainer } from '../../src/docker/container-info.js';
import type { BoardSnapshot, ConsoleHealth } from '../../src/monitor/snapshot.js';
import { StoryLog } from '../../src/monitor/story-log.js';

function story() {
  const lines: { level: number; msg: string }[] = [];
  const log = new StoryLog(
    pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
  );
  return { log, msgs: () => lines.map((l) => l.msg) };
}

function sweep(console: ConsoleHealth, consoleDetail?: string): BoardSnapshot {
  const container = { ...missingContainer('lobby'), state: 'running' as const };
  return {
    at: 0,
    servers: [
      {
        name: 'lobby',
        displayName: 'Lobby',
        container,
        stats: null,
        console,
        worlds: [],
        ...(consoleDetail ? { consoleDetail } : {}),
      },
    ],
  };
}

describe('StoryLog: consoles', () => {
  it('tells a console that has not answered since the first sweep, with why', () => {
    const { log, msgs } = story();
    log.sweep(sweep('not answering', 'timed out after 5 s'));
    log.sweep(sweep('not answering', 'timed out after 5 s'));

    expect(msgs()).toEqual(['console of lobby is slow or not answering: timed out after 5 s']);
  });

  it('says nothing of a console answering from the start, then tells each change once', () => {
    const { log, msgs } = story();
    log.sweep(sweep('ok'));
    log.sweep(sweep('ok'));
    log.sweep(sweep('error', 'console closed'));
    log.sweep(sweep('ok'));

    expect(msgs()).toEqual([
      'console of lobby is slow or not answering: console closed',
      'console of lobby answers again',
    ]);
  });

  it('says nothing of a server that is not running at the first sweep', () => {
    const { log, msgs } = story();
    log.sweep(sweep('not running'));

    expect(msgs()).toEqual([]);
  });
});
