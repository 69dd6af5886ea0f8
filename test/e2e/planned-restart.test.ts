/**
 * Planned restarts end to end: `/restart in`, the in-world warnings the fake headless records, the
 * countdown in #alerts with its Abort and Restart now buttons (operator level, audited), the
 * restart at its time saving first, and a manual /restart taking over, counted by Docker's events.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { planButtonId } from '../../src/automation/plan-buttons.js';
import type { MessageState } from '../discord-emulator/types.js';
import { visible } from '../support/bot.js';
import {
  countStartEvents,
  describeDocker,
  docker,
  readReceived,
  readSaves,
  removeContainers,
} from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { answer, ask, buttonsOf, press } from './admin-support.js';
import { receivedCount, receivedSince } from './console-support.js';

const configFile = join(mkdtempSync(join(tmpdir(), 'rhb-planned-')), 'config.json');

const startedAt = async (id: string) => (await docker.getContainer(id).inspect()).State.StartedAt;
const textOf = (m: MessageState | undefined) =>
  visible((m?.embeds ?? []).map((e) => `${e.title ?? ''}\n${e.description ?? ''}`).join('\n'));

describeDocker('planned restarts', () => {
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: false }, doomed: { tty: false } },
    harness: { monitor: true, env: { CONFIG_FILE: configFile } },
    beforeBot: async ({ lobby }) => {
      const settings = { restartWarnings: ['2s', '1s'], messageUsersBeforeRestart: true };
      writeFileSync(configFile, JSON.stringify({ servers: { [lobby.name]: settings } }));
    },
  });

  /** Plans through /restart in, confirmed by the operator; returns the plan's id. */
  async function planIn(
    ahead: string,
    member = h.member.operator,
    name = server.lobby.name,
  ): Promise<string> {
    const q = await ask(h, 'restart', { server: name, in: ahead }, member);
    expect(visible(JSON.stringify(q.message.embeds))).toContain(`Restart ${name} in`);
    press(h, q, 'yes', member);
    const reply = await answer(h, q.handle);
    expect(visible(reply.text)).toContain(`Restart of ${name} planned`);
    expect(visible(reply.text)).toContain('planned by @operator');
    const plan = h.bot.context.planner.next(name);
    expect(plan).toBeDefined();
    return plan!.id;
  }

  /** The countdown message of a plan, as #alerts shows it now. */
  function countdown(id: string): MessageState | undefined {
    return h.emulator
      .channelMessages(h.channel.alerts)
      .find((m) => buttonsOf(m).some((b) => b.custom_id === planButtonId('abort', id)));
  }

  async function countdownSays(id: string, text: string): Promise<MessageState> {
    await expect.poll(() => textOf(countdown(id)), { timeout: 30_000 }).toContain(text);
    return countdown(id)!;
  }

  const pressPlan = (id: string, action: 'abort' | 'now', member: string) =>
    h.emulator.pressButton({ customId: planButtonId(action, id), messageId: countdown(id)!.id, member });

  it('warns in the worlds at once, posts the countdown; a moderator cannot abort it, an operator can', async () => {
    const before = await receivedCount(server.lobby.id);
    const started = await startedAt(server.lobby.id);
    const id = await planIn('10m');

    const warning = 'Server restart in 10 minutes: your world is saved first.';
    await expect
      .poll(() => receivedSince(server.lobby.id, before), { timeout: 10_000 })
      .toEqual(
        expect.arrayContaining([
          `dynamicimpulsestring HeadlessRestart "${warning}"`,
          `message alice "${warning}"`,
          `message "bob smith" "${warning}"`,
          `message carol "${warning}"`,
        ]),
      );
    const sent = await receivedSince(server.lobby.id, before);
    expect(sent.filter((line) => line.startsWith('dynamicimpulsestring'))).toHaveLength(2);
    // The headless's own users (listed first in each world) are never messaged.
    expect(sent.some((line) => /^message "(Lobby|Build) Bot"/.test(line))).toBe(false);

    const posted = await countdownSays(id, 'Announced: 2 worlds reached, 3 users messaged');
    expect(textOf(posted)).toMatch(/Restarts <t:\d+:R>/);
    expect(buttonsOf(posted).map((b) => [b.label, b.disabled ?? false])).toEqual([
      ['Abort', false],
      ['Restart now', false],
    ]);

    const refused = pressPlan(id, 'abort', h.member.moderator);
    const callback = await refused.waitForCallback(5_000);
    expect(JSON.stringify(callback.body)).toContain('operator');
    expect(h.bot.context.planner.next(server.lobby.name)?.id).toBe(id);

    const abort = pressPlan(id, 'abort', h.member.operator);
    const reply = await abort.waitForReply((m) => (m.embeds ?? []).length > 0, 10_000);
    expect(visible(JSON.stringify(reply.embeds))).toContain('aborted');
    const ended = await countdownSays(id, 'Aborted by @operator');
    expect(ended.embeds?.[0]?.title).toBe(`Planned restart aborted: ${server.lobby.name}`);
    expect(buttonsOf(ended).every((b) => b.disabled === true)).toBe(true);
    expect(h.bot.context.planner.next(server.lobby.name)).toBeUndefined();
    expect(await startedAt(server.lobby.id)).toBe(started);
    await expect
      .poll(() => receivedSince(server.lobby.id, before), { timeout: 10_000 })
      .toContain('dynamicimpulsestring HeadlessRestart "The planned server restart is cancelled."');

    const rows = h.bot.context.audit.latest({ limit: 3 }).map((r) => [r.command, r.memberTag, r.outcome]);
    expect(rows).toEqual([
      ['planned restart abort', 'operator', 'ok'],
      ['planned restart abort', 'moderator', 'refused'],
      ['restart', 'operator', 'ok'],
    ]);
    expect(h.bot.context.audit.latest({ limit: 3 })[2]?.action).toBe('restart in 10m');
  });

  it('refuses a second plan for the server, saying when the first one is', async () => {
    const id = await planIn('10m');
    const r = await h.command('restart', { server: server.lobby.name, in: '5m' }, h.member.operator);
    expect(visible(r.text)).toMatch(
      /already has a restart planned <t:\d+:R> \(asked by @operator\): abort it first/,
    );
    expect(buttonsOf(r.reply)).toEqual([]);
    pressPlan(id, 'abort', h.member.operator);
    await countdownSays(id, 'Aborted by @operator');
  });

  it('Restart now restarts at once, saving every world first; the countdown ends with its buttons disabled', async () => {
    const id = await planIn('10m');
    await countdownSays(id, 'Announced:');
    const savesBefore = (await readSaves(server.lobby.id)).length;
    const since = Date.now();
    const started = await startedAt(server.lobby.id);

    const now = pressPlan(id, 'now', h.member.operator);
    const reply = await now.waitForReply((m) => textOf(m).includes('restarted'), 60_000);
    expect(textOf(reply)).toContain('Saved: Lobby World, Build Night');

    const ended = await countdownSays(id, 'Done: the server is back up');
    expect(ended.embeds?.[0]?.title).toBe(`Restarted: ${server.lobby.name}`);
    expect(textOf(ended)).toContain('Restart now, asked by @operator');
    expect(textOf(ended)).toContain('Running: Lobby World, Build Night');
    expect(buttonsOf(ended).every((b) => b.disabled === true)).toBe(true);
    expect((await readSaves(server.lobby.id)).slice(savesBefore)).toEqual([
      'saved Lobby World',
      'saved Build Night',
      'stopped by signal',
    ]);
    expect(await startedAt(server.lobby.id)).not.toBe(started);
    expect(await countStartEvents(server.lobby.id, since)).toBe(1);
  });

  it('a restart planned seconds ahead warns at each offset, then restarts by itself, audited as the planner', async () => {
    const before = await receivedCount(server.lobby.id);
    const since = Date.now();
    const id = await planIn('4s');
    const ended = await countdownSays(id, 'Done: the server is back up');
    expect(textOf(ended)).toContain('Warned 2 seconds ahead: 2 worlds reached');
    expect(textOf(ended)).toContain('Warned 1 second ahead: 2 worlds reached');
    expect(textOf(ended)).toContain('Saving Lobby World, Build Night…');
    expect(buttonsOf(ended).every((b) => b.disabled === true)).toBe(true);

    const impulses = (await readReceived(server.lobby.id))
      .slice(before)
      .filter((line) => line.startsWith('dynamicimpulsestring'));
    expect(impulses).toEqual(
      ['4 seconds', '4 seconds', '2 seconds', '2 seconds', '1 second', '1 second'].map(
        (when) =>
          `dynamicimpulsestring HeadlessRestart "Server restart in ${when}: your world is saved first."`,
      ),
    );
    expect(await countStartEvents(server.lobby.id, since)).toBe(1);
    const [row] = h.bot.context.audit.latest({ server: server.lobby.name, limit: 1 });
    expect(row).toMatchObject({ command: 'planned restart', memberTag: 'operator', outcome: 'ok' });
    expect(row?.memberId).toBe(h.member.operator);
  });

  it('a manual /restart during the countdown takes over; the server restarts once', async () => {
    const id = await planIn('10m');
    await countdownSays(id, 'Announced:');
    const since = Date.now();
    const q = await ask(h, 'restart', { server: server.lobby.name }, h.member.admin);
    press(h, q, 'yes', h.member.admin);
    const ended = await countdownSays(id, 'Taken over by a restart by @admin');
    expect(ended.embeds?.[0]?.title).toBe(`Planned restart taken over: ${server.lobby.name}`);
    expect(buttonsOf(ended).every((b) => b.disabled === true)).toBe(true);
    await q.handle.waitForReply((m) => textOf(m).includes('Restarted by'), 60_000);
    expect(h.bot.context.planner.next(server.lobby.name)).toBeUndefined();
    expect(await countStartEvents(server.lobby.id, since)).toBe(1);
  });

  it('a planned restart that fails says why on its countdown and pings on-call once, by a reply', async () => {
    const { doomed } = server;
    const id = await planIn('3s', h.member.operator, doomed.name);
    const message = countdown(id)!;
    // Removed behind the bot's back before its time: the restart cannot happen.
    await removeContainers([doomed.id]);
    const failed = await countdownSays(id, 'Failed: ');
    expect(textOf(failed)).toContain(`There is no managed server called "${doomed.name}"`);
    expect(buttonsOf(failed).every((b) => b.disabled === true)).toBe(true);
    const replies = () =>
      h.emulator
        .channelMessages(h.channel.alerts)
        .filter((m) => m.message_reference?.message_id === message.id);
    await expect.poll(() => replies().length, { timeout: 15_000 }).toBe(1);
    const [ping] = replies();
    expect(ping?.content).toBe(
      `<@&${h.role.oncall}> The planned restart of ${doomed.name} failed: There is no managed server called "${doomed.name}".`,
    );
    const [row] = h.bot.context.audit.latest({ server: doomed.name, limit: 1 });
    expect(row).toMatchObject({ command: 'planned restart', outcome: 'failed' });
  });
});

// Without the monitor nothing else talks to the console: a refusal sends nothing at all.
describeDocker('/restart in with a bad duration', () => {
  const { h, server } = useBotSuite({ servers: { lobby: { tty: false } } });

  it.each([
    ['10x', 'in: `10x`: unknown unit x; use s, m or h.'],
    ['0s', 'in: `0s`: a duration must be longer than zero.'],
    ['25h', 'in: `25h` is too far ahead; at most 24h.'],
    ['   ', 'in: Give a duration such as 30s, 10m, 2h or 1h30m.'],
  ])('refuses in:%j before asking or sending anything', async (ahead, message) => {
    const before = await receivedCount(server.lobby.id);
    const r = await h.command('restart', { server: server.lobby.name, in: ahead }, h.member.operator);
    expect(r.ephemeral).toBe(true);
    expect(visible(r.text).replaceAll('\\', '')).toContain(message);
    expect(buttonsOf(r.reply)).toEqual([]);
    expect(h.bot.context.planner.next(server.lobby.name)).toBeUndefined();
    expect(await receivedSince(server.lobby.id, before)).toEqual([]);
  });
});
