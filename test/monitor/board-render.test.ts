import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { COLOURS, EMBED_LIMITS, totalEmbedLength } from '../../src/discord/embeds.js';
import type { ManagedContainer } from '../../src/docker/container-info.js';
import type { ContainerStats } from '../../src/docker/stats.js';
import {
  boardFooter,
  coarseMemory,
  coarseStats,
  coarseUptime,
  renderBoard,
} from '../../src/monitor/board-render.js';
import type { BoardSnapshot, ServerSnapshot, WorldSnapshot } from '../../src/monitor/snapshot.js';

const AT = Date.UTC(2024, 4, 1, 12, 0, 0);
const HOSTILE =
  '*bold* _it_ `code` ``` @everyone @here <@123> <@&456> ||spoiler|| ~~x~~ [l](https://a.b) # h ';
const long = (length: number, seed = HOSTILE): string =>
  seed.repeat(Math.ceil(length / seed.length)).slice(0, length);

function container(overrides: Partial<ManagedContainer> = {}): ManagedContainer {
  const state = overrides.state ?? 'running';
  return {
    id: `id-${overrides.name ?? 'lobby'}`,
    name: 'lobby',
    state,
    health: 'healthy',
    startedAt: null,
    finishedAt: null,
    uptimeSeconds: state === 'running' ? 3 * 3_600 + 125 : null,
    restartCount: 2,
    exitCode: state === 'running' ? null : 137,
    oomKilled: false,
    tty: false,
    image: 'resonite-headless',
    labels: {},
    ...overrides,
  };
}

function stats(overrides: Partial<ContainerStats> = {}): ContainerStats {
  return {
    cpuPercent: 37.4,
    memoryBytes: 1.21 * 1024 ** 3,
    memoryLimitBytes: 4 * 1024 ** 3,
    memoryPercent: 30.25,
    ...overrides,
  };
}

function users(count: number, prefix = 'Visitor'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`);
}

function world(index: number, overrides: Partial<WorldSnapshot> = {}): WorldSnapshot {
  const present = overrides.present ?? users(3);
  return {
    index,
    name: `World ${index}`,
    users: present.length,
    maxUsers: 16,
    accessLevel: 'Anyone',
    hidden: false,
    present,
    ...overrides,
  };
}

function server(name: string, overrides: Partial<ServerSnapshot> = {}): ServerSnapshot {
  return {
    name,
    displayName: name,
    container: container({ name, id: `id-${name}` }),
    stats: stats(),
    console: 'ok',
    worlds: [world(0)],
    ...overrides,
  };
}

function board(servers: ServerSnapshot[], overrides: Partial<BoardSnapshot> = {}): BoardSnapshot {
  return { servers, at: AT, ...overrides };
}

/** `count` servers with long-ish names, each with `worldsEach` worlds of `usersEach` users. */
function fleet(count: number, worldsEach: number, usersEach: number): ServerSnapshot[] {
  return Array.from({ length: count }, (_, s) => {
    const id = String(s + 1).padStart(2, '0');
    return server(`resonite-community-${id}`, {
      displayName: `Community Hangout ${id}`,
      worlds: Array.from({ length: worldsEach }, (_, w) =>
        world(w, {
          name: `Midnight Lounge Session ${id}-${w}`,
          present: users(usersEach, `Guest${id}${w}x`),
        }),
      ),
    });
  });
}

/** Every Discord limit, measured on the JSON that would be sent; returns the message total. */
function expectWithinLimits(embeds: APIEmbed[]): number {
  const sent = JSON.parse(JSON.stringify(embeds)) as APIEmbed[];
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.length).toBeLessThanOrEqual(EMBED_LIMITS.embedsPerMessage);
  let total = 0;
  for (const embed of sent) {
    const title = embed.title ?? '';
    const description = embed.description ?? '';
    const footer = embed.footer?.text ?? '';
    const fields = embed.fields ?? [];
    expect(title.length).toBeLessThanOrEqual(EMBED_LIMITS.title);
    expect(description.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(footer.length).toBeLessThanOrEqual(EMBED_LIMITS.footer);
    expect(fields.length).toBeLessThanOrEqual(EMBED_LIMITS.fields);
    for (const field of fields) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldName);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    }
    total +=
      title.length +
      description.length +
      footer.length +
      fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  }
  expect(total).toBe(totalEmbedLength(sent));
  expect(total).toBeLessThanOrEqual(EMBED_LIMITS.total);
  return total;
}

const text = (embeds: APIEmbed[]): string => JSON.stringify(embeds);
const fieldsOf = (embeds: APIEmbed[]) => embeds.flatMap((embed) => embed.fields ?? []);

describe('renderBoard', () => {
  describe('layout', () => {
    it('shows state, health, uptime, restarts, stats, console and every world in full detail', () => {
      const { embeds } = renderBoard(
        board([
          server('lobby', {
            worlds: [
              world(1, { name: 'Second', hidden: true, accessLevel: 'Contacts', maxUsers: 8 }),
              world(0, { name: 'First' }),
            ],
          }),
        ]),
      );
      const [field] = fieldsOf(embeds);
      expect(field?.name).toBe('🟢 lobby');
      expect(field?.value).toBe(
        [
          '**running** · healthy · up 3h · 2 restarts',
          'CPU 37% · RAM 1.21 GiB / 4.00 GiB (30%)',
          'Console: answering',
          '• **First** · 3/16 · Anyone · listed',
          '  ↳ Visitor001, Visitor002, Visitor003',
          '• **Second** · 3/8 · Contacts · hidden',
          '  ↳ Visitor001, Visitor002, Visitor003',
        ].join('\n'),
      );
      expect(embeds[0]?.title).toBe('Resonite servers');
      expect(embeds[0]?.description).toContain('1 of 1 running · 6 users in 2 worlds');
    });

    it("shows '—' for CPU and memory when Docker gave no stats", () => {
      const { embeds } = renderBoard(
        board([server('a', { stats: null }), server('b', { stats: stats({ cpuPercent: null }) })]),
      );
      const [a, b] = fieldsOf(embeds);
      expect(a?.value).toContain('CPU — · RAM —');
      expect(b?.value).toContain('CPU — · RAM 1.21 GiB');
    });

    it('says why the console is not answering and colours the server as a warning', () => {
      const { embeds } = renderBoard(
        board([
          server('lobby', { console: 'not answering', consoleDetail: 'no reply within 5 s', worlds: [] }),
        ]),
      );
      const [field] = fieldsOf(embeds);
      expect(field?.name).toBe('🟡 lobby');
      expect(field?.value).toContain('Console: not answering — no reply within 5 s');
      expect(embeds[0]?.color).toBe(COLOURS.warning);
    });

    it('shows a stopped container with its exit code and no stats line', () => {
      const stopped = server('lobby', {
        container: container({ name: 'lobby', state: 'exited', oomKilled: true }),
        stats: null,
        console: 'not running',
        worlds: [],
      });
      const [field] = fieldsOf(renderBoard(board([stopped])).embeds);
      expect(field?.name).toBe('🔴 lobby');
      expect(field?.value).toBe('**exited** · exit code 137 · OOM-killed · 2 restarts\nConsole: not running');
    });

    it('names the container next to a different display name', () => {
      const [field] = fieldsOf(renderBoard(board([server('rs-1', { displayName: 'Main Hub' })])).embeds);
      expect(field?.name).toBe('🟢 Main Hub (rs-1)');
    });

    it('colours every embed with the worst tone across servers', () => {
      const servers = [
        ...fleet(30, 0, 0),
        server('zz-dead', { container: container({ name: 'zz-dead', state: 'dead' }) }),
      ];
      const { embeds } = renderBoard(board(servers));
      expect(embeds.length).toBe(2);
      for (const embed of embeds) expect(embed.color).toBe(COLOURS.error);
      expect(renderBoard(board(fleet(3, 1, 1))).embeds[0]?.color).toBe(COLOURS.ok);
    });

    it('truncates long user lists with "+N more"', () => {
      const crowd = users(150, 'SomeLongUserName');
      const { embeds } = renderBoard(board([server('lobby', { worlds: [world(0, { present: crowd })] })]));
      expectWithinLimits(embeds);
      const value = fieldsOf(embeds)[0]?.value ?? '';
      const match = /↳ (.*) … \+(\d+) more$/m.exec(value);
      expect(match).not.toBeNull();
      const shown = (match?.[1] ?? '').split(', ').length;
      expect(shown).toBeGreaterThan(0);
      expect(shown + Number(match?.[2])).toBe(150);
    });

    it('puts "checked <t:UNIX:R>" in the last embed\'s description, in seconds', () => {
      const one = renderBoard(board([server('lobby')]));
      expect(one.embeds[0]?.description?.split('\n').at(-1)).toBe(`checked <t:${AT / 1000}:R>`);
      const many = renderBoard(board(fleet(30, 1, 1)));
      expect(many.embeds.length).toBe(2);
      expect(many.embeds[1]?.description).toBe(boardFooter(AT));
      expect(many.embeds[0]?.description).not.toContain('checked');
      for (const embed of many.embeds) expect(embed.footer).toBeUndefined();
    });

    it('says when no servers are managed', () => {
      const { embeds } = renderBoard(board([]));
      expect(embeds).toHaveLength(1);
      expect(embeds[0]?.description).toBe(`No servers are managed.\n${boardFooter(AT)}`);
    });
  });

  describe('rounding', () => {
    it('shows uptime in whole minutes under an hour, whole hours under a day, then days and hours', () => {
      expect(coarseUptime(null)).toBe('—');
      expect(coarseUptime(59)).toBe('<1m');
      expect(coarseUptime(60)).toBe('1m');
      expect(coarseUptime(59 * 60 + 59)).toBe('59m');
      expect(coarseUptime(3_600)).toBe('1h');
      expect(coarseUptime(23 * 3_600 + 3_599)).toBe('23h');
      expect(coarseUptime(86_400)).toBe('1d');
      expect(coarseUptime(2 * 86_400 + 7 * 3_600 + 1_234)).toBe('2d 7h');
    });

    it('shows memory to the nearest 10 MiB and CPU to the whole percent', () => {
      const mib = 1024 ** 2;
      expect(coarseMemory(734 * mib)).toBe('730 MiB');
      expect(coarseMemory(736 * mib)).toBe('740 MiB');
      expect(coarseMemory(1239 * mib)).toBe('1.21 GiB');
      expect(coarseStats(stats())).toBe('CPU 37% · RAM 1.21 GiB / 4.00 GiB (30%)');
      expect(coarseStats(stats(), false)).toBe('CPU 37% · RAM 1.21 GiB');
      expect(coarseStats(null)).toBe('CPU — · RAM —');
    });
  });

  describe('sorting', () => {
    it('orders servers by name and worlds by index whatever the input order', () => {
      const worlds = [world(2, { name: 'C' }), world(0, { name: 'A' }), world(1, { name: 'B' })];
      const servers = [
        server('charlie', { worlds }),
        server('alpha', { worlds: [...worlds].reverse() }),
        server('bravo'),
      ];
      const forward = renderBoard(board(servers));
      const backward = renderBoard(
        board([...servers].reverse().map((s) => ({ ...s, worlds: [...s.worlds].reverse() }))),
      );
      expect(backward.embeds).toEqual(forward.embeds);
      expect(backward.fingerprint).toBe(forward.fingerprint);
      expect(fieldsOf(forward.embeds).map((f) => f.name)).toEqual(['🟢 alpha', '🟢 bravo', '🟢 charlie']);
      const charlie = fieldsOf(forward.embeds)[2]?.value ?? '';
      expect(charlie.indexOf('**A**')).toBeLessThan(charlie.indexOf('**B**'));
      expect(charlie.indexOf('**B**')).toBeLessThan(charlie.indexOf('**C**'));
    });

    it('gives the same board for any order of servers that share a name', () => {
      const a = server('twin', { displayName: 'Twin A' });
      const b = server('twin', { displayName: 'Twin B', console: 'error' });
      expect(renderBoard(board([a, b])).embeds).toEqual(renderBoard(board([b, a])).embeds);
    });
  });

  describe('fingerprint', () => {
    const base = (): ServerSnapshot[] => fleet(3, 2, 4);
    const fingerprint = (servers: ServerSnapshot[], at = AT): string =>
      renderBoard(board(servers, { at })).fingerprint;
    const withContainer = (s: ServerSnapshot, overrides: Partial<ManagedContainer>): ServerSnapshot => ({
      ...s,
      container: { ...s.container, ...overrides },
    });

    it('is a sha1 hex digest and is the same for the same snapshot', () => {
      expect(fingerprint(base())).toMatch(/^[0-9a-f]{40}$/);
      expect(fingerprint(base())).toBe(fingerprint(base()));
    });

    it('ignores the checked time', () => {
      const before = renderBoard(board(base(), { at: AT }));
      const after = renderBoard(board(base(), { at: AT + 9 * 60_000 }));
      expect(after.fingerprint).toBe(before.fingerprint);
      expect(after.embeds).not.toEqual(before.embeds);
    });

    it('ignores uptime seconds within the displayed minute, and minutes within the displayed hour', () => {
      const at = (servers: ServerSnapshot[], uptimeSeconds: number) =>
        servers.map((s) => withContainer(s, { uptimeSeconds }));
      expect(fingerprint(at(base(), 12 * 60 + 1))).toBe(fingerprint(at(base(), 12 * 60 + 59)));
      expect(fingerprint(at(base(), 3 * 3_600 + 5))).toBe(fingerprint(at(base(), 3 * 3_600 + 59 * 60)));
      expect(fingerprint(at(base(), 12 * 60))).not.toBe(fingerprint(at(base(), 13 * 60)));
      expect(fingerprint(at(base(), 3 * 3_600))).not.toBe(fingerprint(at(base(), 4 * 3_600)));
    });

    it('ignores CPU below a whole percent and memory below 10 MiB', () => {
      const withStats = (cpuPercent: number, memoryBytes: number) =>
        base().map((s) => ({ ...s, stats: stats({ cpuPercent, memoryBytes }) }));
      const mib = 1024 ** 2;
      expect(fingerprint(withStats(37.1, 1500 * mib))).toBe(fingerprint(withStats(37.4, 1502 * mib)));
      expect(fingerprint(withStats(37.1, 1500 * mib))).not.toBe(fingerprint(withStats(38.1, 1500 * mib)));
    });

    it('changes when a user joins', () => {
      const joined = base();
      const first = joined[0];
      const w = first?.worlds[0];
      if (!first || !w) throw new Error('fixture');
      first.worlds[0] = { ...w, users: w.users + 1, present: [...w.present, 'Newcomer'] };
      expect(fingerprint(joined)).not.toBe(fingerprint(base()));
    });

    it('changes when a server stops', () => {
      const stopped = base().map((s, i) =>
        i === 1 ? withContainer(s, { state: 'exited', uptimeSeconds: null, exitCode: 0 }) : s,
      );
      expect(fingerprint(stopped)).not.toBe(fingerprint(base()));
    });

    it('changes when a console stops answering', () => {
      const silent = base().map((s, i) => (i === 2 ? { ...s, console: 'not answering' as const } : s));
      expect(fingerprint(silent)).not.toBe(fingerprint(base()));
    });

    it('changes when health or the worlds change', () => {
      const unhealthy = base().map((s, i) => (i === 0 ? withContainer(s, { health: 'unhealthy' }) : s));
      expect(fingerprint(unhealthy)).not.toBe(fingerprint(base()));
      const fewer = base().map((s, i) => (i === 0 ? { ...s, worlds: s.worlds.slice(1) } : s));
      expect(fingerprint(fewer)).not.toBe(fingerprint(base()));
    });
  });

  describe('limits', () => {
    it.each([
      { servers: 1, worlds: 5, users: 10 },
      { servers: 5, worlds: 5, users: 10 },
      { servers: 20, worlds: 5, users: 10 },
      { servers: 50, worlds: 5, users: 10 },
    ])('keeps $servers servers of $worlds worlds with $users users each within every limit', (size) => {
      const servers = fleet(size.servers, size.worlds, size.users);
      const { embeds } = renderBoard(board(servers));
      const total = expectWithinLimits(embeds);
      console.log(
        `board with ${size.servers} servers × ${size.worlds} worlds: ${total} characters, ${embeds.length} embeds`,
      );
      const all = text(embeds);
      expect(fieldsOf(embeds)).toHaveLength(size.servers);
      for (const s of servers) expect(all).toContain(s.displayName);
    });

    it('shows every world line of 20 servers with 5 worlds each', () => {
      const servers = fleet(20, 5, 10);
      const { embeds } = renderBoard(board(servers));
      const total = expectWithinLimits(embeds);
      console.log(`20 servers × 5 worlds × 10 users: ${total} of ${EMBED_LIMITS.total} characters`);
      const all = text(embeds);
      for (const w of servers.flatMap((s) => s.worlds)) expect(all).toContain(`• ${w.name}`);
      expect(all).not.toContain('more world');
    });

    it('keeps full detail for a few servers', () => {
      const { embeds } = renderBoard(board(fleet(5, 5, 10)));
      const values = fieldsOf(embeds).map((f) => f.value);
      for (const value of values) {
        expect(value).toContain('Console: answering');
        expect(value.match(/↳/g)).toHaveLength(5);
      }
    });

    it('names every one of 50 servers', () => {
      const { embeds } = renderBoard(board(fleet(50, 5, 10)));
      const names = fieldsOf(embeds).map((f) => f.name);
      expect(names).toHaveLength(50);
      expect(new Set(names).size).toBe(50);
      expect(text(embeds)).not.toContain('not shown');
    });

    it('counts the servers it cannot show when there are hundreds', () => {
      const { embeds } = renderBoard(board(fleet(400, 3, 5)));
      expectWithinLimits(embeds);
      const shown = fieldsOf(embeds).length;
      expect(shown).toBeGreaterThan(50);
      expect(embeds[0]?.description).toContain(`+${400 - shown} more servers not shown`);
    });

    it.each([1, 5, 20, 50])(
      'keeps %i servers with hostile 300-character names within every limit',
      (count) => {
        const servers = Array.from({ length: count }, (_, s) =>
          server(`${s}${long(299)}`, {
            displayName: `${s}${long(299, '`@everyone` ')}`,
            console: s % 2 === 0 ? 'ok' : 'error',
            consoleDetail: long(300),
            worlds: Array.from({ length: 5 }, (_, w) =>
              world(w, {
                name: `${w}${long(299)}`,
                accessLevel: long(300, '<@123> '),
                present: Array.from({ length: 10 }, (_, u) => `${u}${long(299, '@here **x** ')}`),
              }),
            ),
          }),
        );
        const { embeds } = renderBoard(board(servers, { dockerError: count === 50 ? long(300) : undefined }));
        const total = expectWithinLimits(embeds);
        console.log(`${count} hostile servers: ${total} characters`);
        expect(fieldsOf(embeds)).toHaveLength(count);
        const all = embeds.map((e) =>
          [e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])].join('\n'),
        );
        for (const shown of all) {
          expect(shown).not.toMatch(/@(?!\u200b)/);
          expect(shown).not.toMatch(/(?<!\\)`/);
        }
      },
    );
  });

  describe('Docker unreachable', () => {
    it('says so when nothing is known', () => {
      const { embeds, fingerprint } = renderBoard(
        board([], { dockerError: 'connect ENOENT /var/run/docker.sock' }),
      );
      expectWithinLimits(embeds);
      expect(embeds).toHaveLength(1);
      expect(embeds[0]?.description).toContain('Docker is unreachable');
      expect(embeds[0]?.description).toContain('connect ENOENT /var/run/docker.sock');
      expect(embeds[0]?.color).toBe(COLOURS.error);
      expect(fingerprint).not.toBe(renderBoard(board([])).fingerprint);
    });

    it('still lists the last known servers, marked as stale with the time they were last seen', () => {
      const { embeds } = renderBoard(
        board(fleet(2, 1, 2), { dockerError: 'connect ECONNREFUSED', lastSeenAt: AT - 90_000 }),
      );
      expect(embeds[0]?.description).toContain('Docker is unreachable');
      expect(embeds[0]?.description).toContain(
        `Showing the last known state, last seen <t:${Math.floor((AT - 90_000) / 1000)}:R>; it may be stale.`,
      );
      const names = fieldsOf(embeds).map((f) => f.name);
      expect(names).toEqual([
        '⚪ Community Hangout 01 (resonite-community-01) · stale',
        '⚪ Community Hangout 02 (resonite-community-02) · stale',
      ]);
      expect(embeds[0]?.color).toBe(COLOURS.error);
    });
  });
});

describe('renderBoard with several hosts', () => {
  const on = (host: string, s: ServerSnapshot, stale = false): ServerSnapshot => ({
    ...s,
    container: { ...s.container, host },
    ...(stale ? { stale: true as const } : {}),
  });
  const hosts = (down?: string): BoardSnapshot['hosts'] => [
    { name: 'eu-1', address: 'unix:///var/run/docker.sock', lastSeenAt: AT },
    down
      ? { name: 'eu-2', address: 'tcp://10.0.0.2:2376', error: down, lastSeenAt: AT - 120_000 }
      : { name: 'eu-2', address: 'tcp://10.0.0.2:2376', lastSeenAt: AT },
  ];

  it('puts each host’s servers under a field saying how that host stands, in the hosts’ order', () => {
    const { embeds } = renderBoard(
      board([on('eu-2', server('alpha')), on('eu-1', server('zulu')), on('eu-1', server('lobby'))], {
        hosts: hosts(),
      }),
    );
    const fields = embeds.flatMap((e) => e.fields ?? []);
    expect(fields.map((f) => f.name)).toEqual(['🖥️ eu-1', '🟢 lobby', '🟢 zulu', '🖥️ eu-2', '🟢 alpha']);
    expect(fields[0]?.value).toBe('2 of 2 running · 6 users in 2 worlds');
    expect(embeds[0]?.description).toMatch(/^3 of 3 running · 9 users in 3 worlds · 2 hosts\n/);
    expect(embeds[0]?.color).toBe(COLOURS.ok);
  });

  it('marks the host that does not answer and its servers as stale, the others as they are', () => {
    const { embeds } = renderBoard(
      board([on('eu-1', server('lobby')), on('eu-2', server('events'), true)], {
        hosts: hosts('Docker on host eu-2 (tcp://10.0.0.2:2376) is unreachable (connection refused).'),
      }),
    );
    const fields = embeds.flatMap((e) => e.fields ?? []);
    expect(fields.map((f) => f.name)).toEqual([
      '🖥️ eu-1',
      '🟢 lobby',
      '🔴 eu-2: Docker is unreachable',
      '⚪ events · stale',
    ]);
    expect(fields[2]?.value).toBe(
      `Docker on host eu-2 (tcp://10.0.0.2:2376) is unreachable (connection refused).\nIts servers below are the last known state, last seen <t:${(AT - 120_000) / 1000}:R>.`,
    );
    expect(embeds[0]?.description).toMatch(
      /^1 of 1 running · 3 users in 1 world\n🔴 \*\*Unreachable:\*\* eu-2 \(of 2 hosts\)\n/,
    );
    expect(embeds[0]?.color).toBe(COLOURS.error);
  });

  it('looks as it always has with one host', () => {
    const servers = [on('docker', server('lobby'))];
    const one = renderBoard(
      board(servers, { hosts: [{ name: 'docker', address: 'unix:///var/run/docker.sock' }] }),
    );
    expect(one.fingerprint).toBe(renderBoard(board(servers)).fingerprint);
  });

  it('stays within every limit with 60 servers over three hosts, counting only servers as not shown', () => {
    const servers = fleet(60, 4, 12).map((s, i) => on(['eu-1', 'eu-2', 'us-1'][i % 3]!, s, i % 3 === 1));
    const { embeds } = renderBoard(
      board(servers, {
        hosts: [
          { name: 'eu-1', address: 'a' },
          { name: 'eu-2', address: 'b', error: 'connection refused' },
          { name: 'us-1', address: 'c' },
        ],
      }),
    );
    expectWithinLimits(embeds);
    const fields = embeds.flatMap((e) => e.fields ?? []);
    const shownServers = fields.filter(
      (f) => !f.name.startsWith('🖥️') && !f.name.includes('Docker is unreachable'),
    );
    const hidden = Number(/\+(\d+) more servers not shown/.exec(embeds[0]?.description ?? '')?.[1] ?? 0);
    expect(shownServers.length + hidden).toBe(60);
  });
});
