/**
 * Every message the bot sends fits Discord whatever the names, descriptions and console output:
 * generated inputs through every builder, each body checked by the Discord emulator's own
 * validation (limits, custom ids, not empty) and mention parsing (nobody pinged).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEmbedJson, auditLine } from '../../src/audit/audit-format.js';
import {
  bansEmbed,
  blockText,
  confirmEmbed,
  errorEmbed,
  serversEmbed,
  statusEmbeds,
  successEmbed,
  usersEmbed,
  worldsEmbed,
  type ServerEntry,
} from '../../src/discord/embeds.js';
import { stepText } from '../../src/discord/lifecycle-command.js';
import { textReply } from '../../src/discord/text-reply.js';
import { DOCKER_KEY, alertBody, type Incident, type IncidentKind } from '../../src/monitor/alerts.js';
import { renderBoard } from '../../src/monitor/board-render.js';
import type { LifecycleStep } from '../../src/servers/lifecycle.js';
import { LifecycleBusyError, type LifecycleAction } from '../../src/servers/lifecycle-lock.js';
import {
  SNOWFLAKE,
  auditRow,
  ban,
  container,
  hostileText,
  many,
  serverSnapshot,
  stats,
  worldStatus,
  worldSummary,
  worldUsers,
} from './hostile-inputs.js';
import { NOBODY, embedJson, expectSendable, pings } from './sendable.js';

const NO_PINGS = { parse: [] };

/** A command's reply as the pipeline edits it in: embeds, no components, nobody pinged. */
function reply(embeds: Parameters<typeof embedJson>[0]) {
  return { embeds: embedJson(embeds), components: [], allowed_mentions: NO_PINGS };
}

const runs = (numRuns: number) => ({ numRuns });

describe('read views fit one message whatever the console printed', () => {
  it('/status: up to 20 worlds with long descriptions and 100 users each', () => {
    fc.assert(
      fc.property(hostileText(), many(worldStatus, 20), (server, worlds) => {
        expectSendable(reply(statusEmbeds(server, worlds)));
      }),
      runs(1000),
    );
  });

  it('/users: up to 20 worlds of up to 100 users', () => {
    fc.assert(
      fc.property(hostileText(), many(worldUsers, 20), (server, groups) => {
        expectSendable(reply([usersEmbed(server, groups)]));
      }),
      runs(1000),
    );
  });

  it('/worlds: up to 50 worlds', () => {
    fc.assert(
      fc.property(hostileText(), many(worldSummary, 50), (server, worlds) => {
        expectSendable(reply([worldsEmbed(server, worlds)]));
      }),
      runs(1500),
    );
  });

  it('/bans: up to 100 bans', () => {
    fc.assert(
      fc.property(hostileText(), many(ban, 100), (server, bans) => {
        expectSendable(reply([bansEmbed(server, bans)]));
      }),
      runs(1500),
    );
  });

  it('/servers: up to 50 servers with their worlds, errors and stats', () => {
    const entry: fc.Arbitrary<ServerEntry> = fc.record(
      {
        container,
        displayName: hostileText(),
        worlds: fc.option(many(worldSummary, 20)),
        consoleError: hostileText(),
        stats: fc.option(stats),
      },
      { requiredKeys: ['container', 'displayName'] },
    );
    fc.assert(
      fc.property(many(entry, 50), fc.option(fc.date({ noInvalidDate: true })), (entries, checkedAt) => {
        expectSendable(reply(serversEmbed(entries, checkedAt === null ? {} : { checkedAt })));
      }),
      runs(1000),
    );
  });
});

describe('messages quoting what users and the headless wrote fit too', () => {
  it('success: any title and description', () => {
    fc.assert(
      fc.property(hostileText(), fc.option(hostileText(), { nil: undefined }), (title, description) => {
        expectSendable(reply([successEmbed(title, description)]));
      }),
      runs(2000),
    );
  });

  it('error: any message', () => {
    fc.assert(
      fc.property(hostileText(), (message) => {
        expectSendable(reply([errorEmbed(message)]));
      }),
      runs(2000),
    );
  });

  it('confirmation: any question and detail', () => {
    fc.assert(
      fc.property(hostileText(), fc.option(hostileText(), { nil: undefined }), (question, detail) => {
        expectSendable(reply([confirmEmbed(question, detail)]));
      }),
      runs(2000),
    );
  });

  it('console and log output: inline when it fits, otherwise whole in a file', () => {
    const output = fc.oneof(
      hostileText(),
      hostileText(5000).map((text) => text.repeat(4)),
    );
    fc.assert(
      fc.property(hostileText(), output, (title, text) => {
        const { content, files = [] } = textReply(title, text, 'out.txt');
        const sent = expectSendable({ content, allowed_mentions: NO_PINGS }, { files: files.length });
        const heading = String(sent.content).split('\n')[0] ?? '';
        expect(pings(heading)).toEqual(NOBODY);
        const body = text.trimEnd() || '(nothing)';
        if (files.length === 0) expect(sent.content).toContain(`\n\`\`\`\n${body}\n\`\`\``);
        else expect(files).toHaveLength(1);
      }),
      runs(2000),
    );
  });
});

describe('the lifecycle replies fit whatever the worlds are called', () => {
  const worlds = many(hostileText(), 20);
  const step: fc.Arbitrary<LifecycleStep> = fc.oneof(
    worlds.map((names) => ({ step: 'saving' as const, worlds: names })),
    worlds.map((names) => ({ step: 'running' as const, worlds: names })),
    hostileText().map((reason) => ({ step: 'save-skipped' as const, reason })),
    fc.constantFrom<LifecycleStep>(
      { step: 'stopping' },
      { step: 'stopped' },
      { step: 'starting' },
      { step: 'started' },
      { step: 'not-answering', seconds: 180 },
    ),
  );

  it('/restart progress shows every step whole, however many and long the world names', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const progress = steps.map(stepText).join('\n');
        const sent = expectSendable(reply([successEmbed('Working…', progress)]));
        const [embed] = sent.embeds as { description?: string }[];
        expect(embed?.description).toBe(blockText(progress, Infinity));
      }),
      runs(1000),
    );
  });

  it('a second start, stop or restart while one runs is refused in words that fit', () => {
    const action = fc.constantFrom<LifecycleAction>('starting', 'stopping', 'restarting', 'shutting down');
    fc.assert(
      fc.property(hostileText(), action, hostileText(), fc.nat(), (server, busyWith, name, since) => {
        const error = new LifecycleBusyError(server, { action: busyWith, actor: `@${name}`, since });
        expectSendable(reply([errorEmbed(error.message)]));
      }),
      runs(2000),
    );
  });
});

describe('the status board, alerts and audit posts fit whatever the servers report', () => {
  it('the status board: 1 to 50 servers with generated names, worlds and users', () => {
    const servers = fc.oneof(
      fc.array(serverSnapshot(20, 100), { minLength: 1, maxLength: 3 }),
      fc.array(serverSnapshot(3, 10), { minLength: 1, maxLength: 50, size: 'max' }),
    );
    fc.assert(
      fc.property(
        servers,
        fc.option(hostileText(), { nil: undefined }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (list, dockerError, at) => {
          const board = renderBoard({
            servers: list,
            at,
            ...(dockerError === undefined ? {} : { dockerError }),
          });
          expectSendable({ content: '', embeds: board.embeds, allowed_mentions: NO_PINGS });
        },
      ),
      runs(1000),
    );
  });

  it('an alert pings the on-call role and nobody else, with buttons Discord accepts', () => {
    const KINDS: IncidentKind[] = ['died', 'oom', 'unhealthy', 'restarting', 'stopped', 'console', 'docker'];
    const incident = (server: string): fc.Arbitrary<Incident> =>
      fc.record({
        server: fc.constant(server),
        kind: fc.constantFrom(...KINDS),
        detail: hostileText(),
        at: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      });
    const view = fc.oneof(hostileText(300), fc.constant(DOCKER_KEY)).chain((server) =>
      fc.record({
        server: fc.constant(server),
        incidents: fc.array(incident(server), { minLength: 1, maxLength: 15 }),
        recoveredAt: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: undefined }),
        superseded: fc.boolean(),
        oncallRoleId: fc.option(fc.constant(SNOWFLAKE), { nil: undefined }),
        ping: fc.boolean(),
        busy: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(view, (alert) => {
        const pinged = alert.ping && alert.oncallRoleId !== undefined;
        expectSendable(alertBody(alert), { pinged: { ...NOBODY, roles: pinged ? [SNOWFLAKE] : [] } });
      }),
      runs(2000),
    );
  });

  it('an audit channel post names its member at most, and pings nobody', () => {
    fc.assert(
      fc.property(auditRow, (row) => {
        const sent = expectSendable({ content: auditLine(row), allowed_mentions: NO_PINGS });
        const own = /^\d{1,20}$/.test(row.memberId) ? [row.memberId] : [];
        const unguarded = pings(String(sent.content));
        expect(unguarded.roles).toEqual([]);
        expect(unguarded.everyone).toBe(false);
        expect(unguarded.users.filter((id) => !own.includes(id))).toEqual([]);
      }),
      runs(3000),
    );
  });

  it('/audit: up to 40 entries under any title, naming only the members who acted', () => {
    fc.assert(
      fc.property(many(auditRow, 40), hostileText(), (rows, title) => {
        const members = new Set(rows.map((row) => row.memberId));
        expectSendable(reply([auditEmbedJson(rows, title)]), { namedInEmbeds: (id) => members.has(id) });
      }),
      runs(1000),
    );
  });
});
