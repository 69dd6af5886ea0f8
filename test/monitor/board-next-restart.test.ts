import { describe, expect, it } from 'vitest';
import type { ManagedContainer } from '../../src/docker/container-info.js';
import { renderBoard } from '../../src/monitor/board-render.js';
import type { ServerSnapshot } from '../../src/monitor/snapshot.js';

const AT = Date.UTC(2026, 4, 1, 12, 0, 0);
const NEXT = Date.UTC(2026, 4, 2, 4, 0, 0);

function server(name: string, overrides: Partial<ServerSnapshot> = {}): ServerSnapshot {
  const container: ManagedContainer = {
    id: `id-${name}`,
    name,
    state: 'running',
    health: 'none',
    startedAt: null,
    finishedAt: null,
    uptimeSeconds: 3_600,
    restartCount: 0,
    exitCode: null,
    oomKilled: false,
    tty: false,
    image: 'resonite-headless',
    labels: {},
  };
  return {
    name,
    displayName: name,
    container,
    stats: null,
    console: 'ok',
    worlds: [
      {
        index: 0,
        name: 'Lobby World',
        users: 2,
        maxUsers: 16,
        accessLevel: 'Anyone',
        hidden: false,
        present: ['Bot', 'alice'],
      },
    ],
    ...overrides,
  };
}

const valueOf = (servers: ServerSnapshot[], name: string) =>
  renderBoard({ servers, at: AT })
    .embeds.flatMap((e) => e.fields ?? [])
    .find((f) => f.name.includes(name))?.value ?? '';

describe('the board shows each server its next restart', () => {
  it('as a Discord timestamp under the state line', () => {
    const value = valueOf([server('lobby', { nextRestart: NEXT })], 'lobby');
    expect(value.split('\n')[1]).toBe(`Next restart <t:${NEXT / 1000}:R>`);
  });

  it('only for the servers that have one', () => {
    const servers = [server('lobby', { nextRestart: NEXT }), server('other')];
    expect(valueOf(servers, 'other')).not.toContain('Next restart');
  });

  it('changes the fingerprint when it moves, and not otherwise', () => {
    const fingerprint = (next?: number) =>
      renderBoard({ servers: [server('lobby', next === undefined ? {} : { nextRestart: next })], at: AT })
        .fingerprint;
    expect(fingerprint(NEXT)).toBe(fingerprint(NEXT));
    expect(fingerprint(NEXT)).not.toBe(fingerprint(NEXT + 86_400_000));
    expect(fingerprint(NEXT)).not.toBe(fingerprint());
  });

  it('keeps it on the one-line form of a crowded board', () => {
    const servers = Array.from({ length: 250 }, (_, i) =>
      server(`server-${String(i).padStart(3, '0')}-${'x'.repeat(40)}`, { nextRestart: NEXT }),
    );
    const shown = renderBoard({ servers, at: AT }).embeds.flatMap((e) => e.fields ?? []);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((field) => field.value.includes(`<t:${NEXT / 1000}:R>`))).toBe(true);
  });
});
