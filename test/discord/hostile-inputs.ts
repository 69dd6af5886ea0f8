/**
 * fast-check generators for what the bot shows in Discord: names, descriptions and console output
 * from anywhere in Unicode, Discord's own syntax (mentions, markdown, links, emoji), and sizes well
 * past every limit.
 */
import fc from 'fast-check';
import type { AuditOutcome, AuditRow } from '../../src/audit/audit-log.js';
import type { Ban, WorldSummary, WorldUser } from '../../src/console/parsers.js';
import type { ContainerState, Health, ManagedContainer } from '../../src/docker/container-info.js';
import type { ContainerStats } from '../../src/docker/stats.js';
import type { ConsoleHealth, ServerSnapshot, WorldSnapshot } from '../../src/monitor/snapshot.js';
import type { WorldStatusWithUrl, WorldUsers } from '../../src/servers/headless-server.js';
import { AWKWARD_CHARACTERS } from '../console/arbitraries.js';

export const SNOWFLAKE = '123456789012345678';

/** What Discord reads as more than text: mentions, every kind of markdown, links, emoji, timestamps. */
export const DISCORD_SYNTAX: readonly string[] = [
  '@everyone',
  '@here',
  '@@everyone',
  `<@${SNOWFLAKE}>`,
  `<@!${SNOWFLAKE}>`,
  `<@&${SNOWFLAKE}>`,
  `<#${SNOWFLAKE}>`,
  '<@123>',
  '*',
  '**',
  '***',
  '_',
  '__',
  '~~',
  '||',
  '`',
  '``',
  '```',
  '\\',
  '> ',
  '>>> ',
  '# ',
  '### ',
  '-# ',
  '- ',
  '* ',
  '1. ',
  '[x](https://a.example)',
  'https://a.example/p_q*r~~s`t||u',
  '<https://a.example>',
  '<:e_m:123456>',
  '<a:x:1>',
  '<t:1700000000:R>',
  '\n',
  '\r\n',
  '\t',
  ' ',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

const piece: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...DISCORD_SYNTAX),
  fc.constantFrom(...AWKWARD_CHARACTERS),
  loneSurrogate,
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
);

const shortText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join('')),
);

/** A short hostile seed repeated to a length between `min` and `max` (it may cut a pair in half). */
function longText(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      shortText.filter((seed) => seed.length > 0),
      fc.integer({ min, max }),
    )
    .map(([seed, length]) => seed.repeat(Math.ceil(length / seed.length)).slice(0, length));
}

/** Text as a user, a world or the headless might write it: mostly short, one in five up to `max`. */
export function hostileText(max = 5000, longWeight = 5): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 40, arbitrary: shortText.map((text) => text.slice(0, max)) },
    { weight: longWeight, arbitrary: longText(Math.min(200, max), max) },
    {
      weight: longWeight,
      arbitrary: fc.string({ unit: piece, minLength: 1, maxLength: 1500 }).map((text) => text.slice(0, max)),
    },
  );
}

/** The same for one of many items (a user in a list of 100): long ones one in twenty. */
export function hostileItem(max = 5000): fc.Arbitrary<string> {
  return hostileText(max, 1);
}

/** Up to `max` items: usually a few, one time in four anything up to `max`. */
export function many<T>(item: fc.Arbitrary<T>, max: number): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.array(item, { maxLength: Math.min(5, max) }) },
    { weight: 1, arbitrary: fc.array(item, { maxLength: max, size: 'max' }) },
  );
}

/** Counts as the console prints them: usually small, sometimes absurd. */
const count = fc.oneof(fc.nat(200), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER));

export const worldSummary: fc.Arbitrary<WorldSummary> = fc.record({
  index: count,
  name: hostileItem(),
  users: count,
  present: count,
  accessLevel: hostileItem(300),
  maxUsers: count,
});

export const worldStatus: fc.Arbitrary<WorldStatusWithUrl> = fc.record(
  {
    name: hostileText(),
    sessionId: hostileText(300),
    currentUsers: count,
    presentUsers: count,
    maxUsers: count,
    uptime: hostileText(40),
    uptimeSeconds: count,
    accessLevel: hostileText(300),
    hiddenFromListing: fc.boolean(),
    mobileFriendly: fc.boolean(),
    description: hostileText(),
    tags: many(hostileItem(300), 30),
    users: many(hostileItem(300), 100),
    resoniteLink: hostileText(100),
    // Past the length a session URL is shown at, too, and whatever a console may print.
    sessionUrl: fc.oneof(
      hostileText(400),
      hostileText(400).map((tail) => `http://a.example/${tail}`),
    ),
  },
  {
    requiredKeys: [
      'name',
      'sessionId',
      'currentUsers',
      'presentUsers',
      'maxUsers',
      'uptime',
      'uptimeSeconds',
      'accessLevel',
      'hiddenFromListing',
      'mobileFriendly',
      'description',
      'tags',
      'users',
    ],
  },
);

export const worldUser: fc.Arbitrary<WorldUser> = fc.record({
  name: hostileItem(),
  id: fc.option(hostileItem(100)),
  role: hostileItem(300),
  present: fc.boolean(),
  ping: count,
  fps: fc.double(),
  silenced: fc.boolean(),
});

export const worldUsers: fc.Arbitrary<WorldUsers> = fc.record({
  world: worldSummary,
  users: many(worldUser, 100),
});

export const ban: fc.Arbitrary<Ban> = fc.record({
  index: count,
  username: hostileItem(),
  userId: fc.option(hostileItem(300)),
  machineIds: many(hostileItem(100), 10),
});

const STATES: ContainerState[] = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
  'missing',
];
const HEALTHS: Health[] = ['healthy', 'unhealthy', 'starting', 'none'];

export const container: fc.Arbitrary<ManagedContainer> = fc.record({
  id: fc.string({ unit: 'binary-ascii', maxLength: 64 }),
  name: hostileText(300),
  state: fc.constantFrom(...STATES),
  health: fc.constantFrom(...HEALTHS),
  startedAt: fc.constant(null),
  finishedAt: fc.constant(null),
  uptimeSeconds: fc.option(fc.oneof(count, fc.double())),
  restartCount: count,
  exitCode: fc.option(fc.integer({ min: -1, max: 255 })),
  oomKilled: fc.boolean(),
  tty: fc.boolean(),
  image: hostileText(100),
  labels: fc.constant({}),
});

export const stats: fc.Arbitrary<ContainerStats> = fc.record({
  cpuPercent: fc.option(fc.double()),
  memoryBytes: fc.oneof(count, fc.double({ min: 0 })),
  memoryLimitBytes: fc.oneof(count, fc.double({ min: 0 })),
  memoryPercent: fc.option(fc.double()),
});

const CONSOLE: ConsoleHealth[] = ['ok', 'not answering', 'not running', 'error'];

/** One server at one sweep, with up to `worlds` worlds of up to `users` users each. */
export function serverSnapshot(worlds: number, users: number): fc.Arbitrary<ServerSnapshot> {
  const world: fc.Arbitrary<WorldSnapshot> = fc.record({
    index: count,
    name: hostileItem(),
    users: count,
    maxUsers: count,
    accessLevel: hostileItem(300),
    hidden: fc.boolean(),
    present: many(hostileItem(300), users),
  });
  return fc.record(
    {
      name: hostileText(300),
      displayName: hostileText(),
      container,
      stats: fc.option(stats),
      console: fc.constantFrom(...CONSOLE),
      consoleDetail: hostileText(),
      worlds: many(world, worlds),
    },
    { requiredKeys: ['name', 'displayName', 'container', 'stats', 'console', 'worlds'] },
  );
}

const OUTCOMES: AuditOutcome[] = [
  'started',
  'ok',
  'failed',
  'refused',
  'cancelled',
  'expired',
  'error',
  'unacknowledged',
];

export const auditRow: fc.Arbitrary<AuditRow> = fc.record({
  id: fc.nat(),
  startedAt: fc.oneof(fc.nat(), fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 })),
  finishedAt: fc.option(fc.nat()),
  guildId: fc.constant(SNOWFLAKE),
  memberId: fc.oneof(fc.constant(SNOWFLAKE), fc.constant('cli'), hostileText(100)),
  memberTag: hostileText(300),
  level: fc.constantFrom('viewer', 'moderator', 'operator', 'admin', 'none'),
  command: hostileText(100),
  server: fc.option(hostileText(300)),
  world: fc.option(hostileText()),
  action: fc.option(hostileText()),
  options: fc.constant({}),
  // A row written by a newer version may hold an outcome this one does not know.
  outcome: fc.oneof(fc.constantFrom(...OUTCOMES), hostileText(100) as fc.Arbitrary<AuditOutcome>),
  detail: fc.option(hostileText()),
  durationMs: fc.option(fc.oneof(fc.nat(100_000), fc.nat(), fc.double())),
});
