/** Permission levels end to end: role ids -> level, checked by the bot on every command. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../discord-emulator/types.js';
import { LEVEL_NAMES } from '../support/bot.js';
import { describeDocker, readReceived, readSaves } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

type Level = (typeof LEVEL_NAMES)[number];
type Member = Level | 'nobody';

/** One command per level; each is harmless to run again. */
const COMMANDS: Array<{ name: string; level: Level; options: Record<string, unknown>; ephemeral: boolean }> =
  [
    { name: 'status', level: 'viewer', options: { world: 'Lobby World' }, ephemeral: false },
    { name: 'save', level: 'moderator', options: { world: 'Build Night' }, ephemeral: false },
    { name: 'logs', level: 'operator', options: { lines: 5 }, ephemeral: true },
    { name: 'bans', level: 'admin', options: {}, ephemeral: false },
  ];
const MEMBERS: Member[] = ['nobody', ...LEVEL_NAMES];
const DENIED = /You need the (viewer|moderator|operator|admin) level/;

const rank = (level: Member) => (level === 'nobody' ? -1 : LEVEL_NAMES.indexOf(level));

describeDocker('permission levels end to end', () => {
  const { h, server } = useBotSuite({ servers: { lobby: { tty: true } } });
  const { lobby } = server;

  /** What a command left behind: console lines received, saves, audit rows. */
  async function traces() {
    return {
      received: (await readReceived(lobby.id)).length,
      saves: (await readSaves(lobby.id)).length,
      audit: h.bot.context.audit.latest({ limit: 1000 }).length,
    };
  }

  /** Runs `command` as `member` (whose level is `effective`) and checks the outcome against `need`. */
  async function expectOutcome(
    command: (typeof COMMANDS)[number],
    member: Member,
    need: Level,
    effective: Member = member,
  ) {
    const label = `/${command.name} (${need}) as ${member}`;
    const before = await traces();
    const latestBefore = h.bot.context.audit.latest({ limit: 1 })[0]?.id ?? 0;
    const r = await h.command(command.name, command.options, h.member[member]);
    const allowed = rank(effective) >= rank(need);
    if (allowed) {
      expect(r.text, label).not.toMatch(DENIED);
      expect(r.ephemeral, label).toBe(command.ephemeral);
      expect(r.handle.callbacks[0]?.body, label).toMatchObject({ type: 5 });
      return r;
    }
    // Denied: answered at once, privately, naming the level needed; nothing else happened.
    expect(r.ephemeral, label).toBe(true);
    expect(r.text, label).toContain(`You need the ${need} level`);
    expect(r.handle.callbacks).toHaveLength(1);
    expect(r.handle.callbacks[0]?.body, label).toMatchObject({ type: 4, data: { flags: 64 } });
    const after = await traces();
    expect(after.received, `${label}: console lines`).toBe(before.received);
    expect(after.saves, `${label}: saves`).toBe(before.saves);
    if (need === 'viewer') {
      expect(after.audit, `${label}: no audit row for a viewer command`).toBe(before.audit);
    } else {
      expect(after.audit, `${label}: one audit row`).toBe(before.audit + 1);
      const [row] = h.bot.context.audit.latest({ limit: 1 });
      expect(row!.id).toBeGreaterThan(latestBefore);
      expect(row, label).toMatchObject({
        command: command.name,
        outcome: 'refused',
        memberId: h.member[member],
        level: effective === 'nobody' ? 'none' : effective,
        detail: `needs ${need}`,
      });
    }
    return r;
  }

  describe('with every level mapped to a role', () => {
    for (const command of COMMANDS) {
      it(`/${command.name} (${command.level}): ${MEMBERS.map((m) => `${m} ${rank(m) >= rank(command.level) ? 'allowed' : 'denied'}`).join(', ')}`, async () => {
        for (const member of MEMBERS) await expectOutcome(command, member, command.level);
      });
    }

    it('allowed replies carry the real answer', async () => {
      expect((await h.command('status', { world: 'Lobby World' }, h.member.viewer)).text).toContain('alice');
      expect((await h.command('save', { world: 'Build Night' }, h.member.moderator)).text).toContain(
        'Build Night',
      );
      expect((await h.command('logs', { lines: 5 }, h.member.operator)).reply.content).toContain('```');
      expect((await h.command('bans', {}, h.member.admin)).text).toContain('griefer1');
    });

    it('registers every command as guild-only', () => {
      const commands = h.emulator.commands('guild');
      expect(commands.length).toBeGreaterThan(10);
      for (const c of commands) expect(c.contexts, c.name).toEqual([0]);
      expect(h.emulator.commands('global')).toEqual([]);
    });

    it('answers a command sent from a DM with "not available here" and does nothing', async () => {
      // The emulator only dispatches guild interactions; this is a raw INTERACTION_CREATE shaped
      // like a DM one (no guild_id, no member, a user and a DM channel). The emulator does not
      // know the interaction, so it refuses the callback (10062): what counts is what the bot sent.
      const before = await traces();
      const save = h.emulator.commands('guild').find((c) => c.name === 'save')!;
      const id = '1300000000000000001';
      const token = 'aW50ZXJhY3Rpb246dm0.dm-interaction-token';
      const user = h.emulator.member(h.member.admin).user;
      h.emulator.dispatch('INTERACTION_CREATE', {
        id,
        application_id: h.emulator.applicationId,
        type: 2,
        token,
        version: 1,
        channel_id: '1300000000000000002',
        channel: { id: '1300000000000000002', type: 1, recipients: [user] },
        user,
        data: { id: save.id, name: 'save', type: 1 },
        app_permissions: '0',
        locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: { '1': user.id },
        context: 1,
        attachment_size_limit: 10 * 1024 * 1024,
      });
      const callback = await h.emulator.waitForRequest(
        (r: RequestRecord) => r.method === 'POST' && r.path === `/interactions/${id}/${token}/callback`,
        5_000,
      );
      expect(callback.body).toMatchObject({
        type: 4,
        data: { content: 'This command is not available here.', flags: 64 },
      });
      const after = await traces();
      expect(after).toEqual(before);
    });
  });

  describe('with ROLES_VIEWER empty', () => {
    beforeAll(async () => {
      await h.restartBot({ ROLES_VIEWER: '' });
    });
    afterAll(async () => {
      await h.restartBot();
    });

    it('makes a member without a mapped role a viewer, and no more', async () => {
      const status = await h.command('status', { world: 'Lobby World' }, h.member.nobody);
      expect(status.ephemeral).toBe(false);
      expect(status.text).toContain('alice');
      expect((await h.command('worlds', {}, h.member.nobody)).text).toContain('Build Night');
      for (const command of COMMANDS) await expectOutcome(command, 'nobody', command.level, 'viewer');
    });

    it('keeps the mapped levels as they were', async () => {
      for (const command of COMMANDS) {
        for (const member of LEVEL_NAMES) await expectOutcome(command, member, command.level);
      }
    });
  });

  describe('with a per-command level override in CONFIG_FILE', () => {
    beforeAll(async () => {
      const file = join(h.dataDir, 'levels.json');
      writeFileSync(file, JSON.stringify({ commands: { save: 'operator' } }));
      await h.restartBot({ CONFIG_FILE: file });
    });
    afterAll(async () => {
      await h.restartBot();
    });

    it('raises /save to operator: a moderator is denied, an operator allowed', async () => {
      const save = { ...COMMANDS[1]!, level: 'operator' as const };
      const denied = await expectOutcome(save, 'moderator', 'operator');
      expect(denied.text).toContain('You need the operator level');
      for (const member of MEMBERS) await expectOutcome(save, member, 'operator');
      // Other commands keep their own level.
      await expectOutcome(COMMANDS[0]!, 'viewer', 'viewer');
      await expectOutcome(COMMANDS[3]!, 'operator', 'admin');
    });

    it('hides autocomplete of the raised command from a moderator', async () => {
      const handle = h.emulator.sendAutocomplete({
        name: 'save',
        options: [{ name: 'world', value: '', focused: true }],
        member: h.member.moderator,
      });
      expect(await handle.waitForChoices()).toEqual([]);
      const allowed = h.emulator.sendAutocomplete({
        name: 'save',
        options: [{ name: 'world', value: '', focused: true }],
        member: h.member.operator,
      });
      expect((await allowed.waitForChoices()).map((c) => c.name).join(' ')).toContain('Lobby World');
    });
  });
});
