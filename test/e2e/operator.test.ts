/** Operator commands end to end: container lifecycle (/start, /stop, /restart) and /logs, on real containers. */
import { expect, it } from 'vitest';
import type { InteractionHandle, MessageState, RequestRecord } from '../discord-emulator/types.js';
import { buttonId, hasButtons, result, settle } from '../support/bot.js';
import {
  describeDocker,
  docker,
  execIn,
  readReceived,
  readSaves,
  setHang,
  type StartedContainer,
} from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { finishedAudit } from './audit-support.js';

/** Slow steps (a Docker stop waits for the fake's SIGINT handler; a restart waits for the worlds). */
const LIFECYCLE_MS = 60_000;

describeDocker('operator commands end to end', () => {
  const { h, server } = useBotSuite({
    servers: {
      /** Stopped before the bot starts: for /start, then /stop force:true. */
      cold: { tty: true },
      /** For /stop with confirmation. */
      stopMe: { tty: true },
      /** For /restart. */
      restartMe: { tty: false }, // the restart also covers a non-TTY console
      /** For /logs, and the refused or cancelled commands (it must stay as it is). */
      logs: { tty: true }, // a TTY prints one coloured line: /logs strips the ANSI codes
      /** Its console stops answering: /stop goes ahead without saving. */
      hung: { tty: false },
    },
    beforeBot: (started) => docker.getContainer(started.cold.id).stop({ t: 5 }),
    harness: { confirmTimeoutMs: 20_000 },
  });
  const { cold, stopMe, restartMe, logs, hung } = server;

  const state = async (c: StartedContainer) => (await docker.getContainer(c.id).inspect()).State;

  /** Sends a command that asks for confirmation; resolves with the question once it is shown. */
  async function ask(name: string, options: Record<string, unknown>, member: string) {
    const handle = h.send(name, options, member);
    const question = await handle.waitForReply((m) => hasButtons(m), 10_000);
    return { handle, question };
  }

  /** Sends a command that asks for confirmation, presses Confirm as the invoker, waits for the final answer. */
  async function confirmed(name: string, options: Record<string, unknown>, member: string) {
    const { handle, question } = await ask(name, options, member);
    h.emulator.pressButton({ customId: buttonId(question, 'yes'), messageId: question.id, member });
    // After the press the question stays with disabled buttons, then "Working…" progress edits come:
    // the final answer is the first state that is neither.
    const final = await handle.waitForReply(
      (m) => !isQuestion(m) && m.embeds?.[0]?.title !== 'Working…',
      LIFECYCLE_MS,
    );
    return result(handle, final);
  }

  it('/start starts a stopped container', async () => {
    expect((await state(cold)).Running).toBe(false);
    const r = await h.command('start', { server: cold.name }, h.member.operator);
    expect(r.ephemeral).toBe(false);
    expect(r.text).toContain(`${cold.name} started`);
    expect((await state(cold)).Running).toBe(true);
    const row = await finishedAudit(h, 'start', cold.name);
    expect(row).toMatchObject({ command: 'start', outcome: 'ok', action: 'docker start' });
    expect(row.memberId).toBe(h.member.operator);

    const again = await h.command('start', { server: cold.name }, h.member.operator);
    expect(again.text).toContain(`${cold.name} was already running`);
  });

  it('/stop asks for confirmation, saves every world, then stops the container cleanly', async () => {
    // The fake's console answers: /worlds works before the stop.
    expect((await h.command('worlds', { server: stopMe.name }, h.member.viewer)).text).toContain(
      'Build Night',
    );
    expect(await readSaves(stopMe.id)).toEqual([]);

    const r = await confirmed('stop', { server: stopMe.name }, h.member.operator);
    expect(r.ephemeral).toBe(false);
    expect(r.reply.components ?? []).toEqual([]);
    expect(r.text).toContain(`${stopMe.name} stopped`);
    expect(r.text).toContain('Saved: Lobby World, Build Night');

    expect(await readSaves(stopMe.id)).toEqual([
      'saved Lobby World',
      'saved Build Night',
      'stopped by signal',
    ]);
    const after = await state(stopMe);
    expect(after.Running).toBe(false);
    expect(after.ExitCode).toBe(0);

    const row = await finishedAudit(h, 'stop', stopMe.name);
    expect(row).toMatchObject({
      command: 'stop',
      outcome: 'ok',
      memberId: h.member.operator,
      action: 'stop: stopped (saved Lobby World, Build Night)',
    });
  });

  it('/stop force:true stops without saving', async () => {
    expect((await state(cold)).Running).toBe(true); // started by the /start test
    const savesBefore = await readSaves(cold.id);
    const r = await confirmed('stop', { server: cold.name, force: true }, h.member.operator);
    expect(r.text).toContain(`${cold.name} stopped`);
    expect(r.text).not.toContain('Saved:');
    expect(r.text).toContain('Not saved');
    const added = (await readSaves(cold.id)).slice(savesBefore.length);
    expect(added).toEqual(['stopped by signal']);
    expect((await state(cold)).Running).toBe(false);
    expect((await readReceived(cold.id)).filter((l) => l.startsWith('save'))).toEqual([]);
    const row = await finishedAudit(h, 'stop', cold.name);
    expect(row).toMatchObject({ command: 'stop', outcome: 'ok', action: 'stop --force: stopped' });
  });

  it('/stop when the console does not answer: stops anyway and says the worlds were not saved', async () => {
    await setHang(hung.id, true);
    const r = await confirmed('stop', { server: hung.name }, h.member.operator);
    expect(r.text).toContain(`${hung.name} stopped`);
    expect(r.text).toMatch(/Not saved: worlds were not saved/);
    expect(await readSaves(hung.id)).toEqual(['stopped by signal']);
    const after = await state(hung);
    expect(after.Running).toBe(false);
    expect(after.ExitCode).toBe(0);
    const row = await finishedAudit(h, 'stop', hung.name);
    expect(row).toMatchObject({ outcome: 'ok', action: 'stop: stopped' });
  });

  it('/stop: only the invoker can confirm, and Cancel does nothing', async () => {
    const before = await state(logs);
    const { handle, question } = await ask('stop', { server: logs.name }, h.member.operator);
    // Another operator (here an admin) presses Confirm: told privately it is not theirs.
    const intruder = h.emulator.pressButton({
      customId: buttonId(question, 'yes'),
      messageId: question.id,
      member: h.member.admin,
    });
    const refused = await settle(h.emulator, intruder);
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toContain('Only the member who asked can confirm');
    expect(hasButtons(handle.original()!)).toBe(true);

    h.emulator.pressButton({
      customId: buttonId(question, 'no'),
      messageId: question.id,
      member: h.member.operator,
    });
    const final = await handle.waitForReply((m) => !isQuestion(m), 10_000);
    expect(result(handle, final).text).toContain('Cancelled: nothing was done.');
    const row = await finishedAudit(h, 'stop', logs.name);
    expect(row).toMatchObject({ outcome: 'cancelled', memberId: h.member.operator });
    const after = await state(logs);
    expect(after.Running).toBe(true);
    expect(after.StartedAt).toBe(before.StartedAt);
    expect(await readSaves(logs.id)).toEqual([]);
  });

  it(
    '/restart shows its progress in the reply and ends with the worlds running',
    async () => {
      const startedBefore = (await state(restartMe)).StartedAt;
      const r = await confirmed('restart', { server: restartMe.name }, h.member.operator);
      expect(r.text).toContain(`${restartMe.name} restarted`);
      expect(r.text).toContain('Saved: Lobby World, Build Night');
      expect(r.text).toContain('Running: Lobby World, Build Night');

      // Every edit of @original, in order: the question, (the press disables the buttons through the
      // component callback, not here), the progress steps, the final answer.
      // The emulator records a request once it has answered it: wait for the final edit's record.
      await h.emulator.waitForRequest(
        () =>
          originalEdits(h.emulator.requests, r.handle).some((e) =>
            describeEdit(e).title.endsWith(' restarted'),
          ),
        5_000,
      );
      const edits = originalEdits(h.emulator.requests, r.handle).map(describeEdit);
      const steps = [
        'Saving Lobby World, Build Night',
        'Stopping the container',
        'Starting the container',
        'Running: Lobby World, Build Night',
      ];
      const progress = edits.filter((e) => e.title === 'Working…');
      // Each progress edit shows the steps so far; the last one shows them all, in order.
      const last = progress.at(-1)?.description ?? '';
      let at = -1;
      for (const step of steps) {
        const next = last.indexOf(step);
        expect(next, `"${step}" in ${JSON.stringify(last)}`).toBeGreaterThan(at);
        at = next;
      }
      // The steps arrive one edit at a time, before the final answer.
      const firstSeen = steps.map((step) =>
        edits.findIndex((e) => e.title === 'Working…' && e.description.includes(step)),
      );
      expect(firstSeen.every((i) => i >= 0)).toBe(true);
      expect([...firstSeen].sort((a, b) => a - b)).toEqual(firstSeen);
      expect(new Set(firstSeen).size).toBe(steps.length);
      const finalIndex = edits.findIndex((e) => e.title === `${restartMe.name} restarted`);
      expect(finalIndex).toBe(edits.length - 1);
      expect(Math.max(...firstSeen)).toBeLessThan(finalIndex);

      expect(await readSaves(restartMe.id)).toEqual([
        'saved Lobby World',
        'saved Build Night',
        'stopped by signal',
      ]);
      const after = await state(restartMe);
      expect(after.Running).toBe(true);
      expect(after.StartedAt).not.toBe(startedBefore);
      // The console session follows the new process.
      const worlds = await h.command('worlds', { server: restartMe.name }, h.member.viewer);
      expect(worlds.text).toContain('Lobby World');
      expect(worlds.text).toContain('Build Night');
      const row = await finishedAudit(h, 'restart', restartMe.name);
      expect(row).toMatchObject({
        outcome: 'ok',
        action: 'restart: stopped (saved Lobby World, Build Night)',
      });
    },
    LIFECYCLE_MS + 30_000,
  );

  it('/logs shows short output inline, ANSI stripped', async () => {
    const r = await h.command('logs', { server: logs.name }, h.member.operator);
    expect(r.ephemeral).toBe(true);
    expect(r.reply.attachments ?? []).toEqual([]);
    expect(r.reply.content).toMatch(/^\*\*Last 50 lines of [^\n]+\*\*\n```\n[\s\S]*\n```$/);
    expect(r.reply.content).toContain('Engine Ready!');
    expect(r.reply.content).toContain('FrooxEngine Initialized (coloured log line)');
    expect(r.reply.content).not.toContain('\u001b');
    expect(r.reply.content).not.toContain('\r');
  });

  it('/logs also reads a stopped container', async () => {
    expect((await state(stopMe)).Running).toBe(false);
    const r = await h.command('logs', { server: stopMe.name, lines: 5 }, h.member.operator);
    expect(r.reply.content).toContain('Last 5 lines of');
    expect(r.reply.content).toContain('Received SIGINT, shutting down');
  });

  it('/logs lines:500 sends long output as a file', async () => {
    // 600 lines of ~60 characters straight to the container's output (the tty of PID 1).
    const write = await execIn(logs.id, [
      '/bin/sh',
      '-c',
      'i=1; while [ $i -le 600 ]; do printf "log line %04d \\033[33mpadding padding padding padding\\033[0m\\n" $i; i=$((i+1)); done > /proc/1/fd/1',
    ]);
    expect(write.exitCode).toBe(0);
    const r = await h.command('logs', { server: logs.name, lines: 500 }, h.member.operator);
    expect(r.ephemeral).toBe(true);
    expect(r.reply.content).toContain('(attached)');
    expect(r.reply.content).not.toContain('```');
    expect(r.reply.attachments).toHaveLength(1);
    expect(r.reply.attachments?.[0]?.filename).toBe(`${logs.name}.log`);
    expect(r.reply.files).toHaveLength(1);
    const text = r.reply.files[0]!.data.toString('utf8');
    const lines = text.split('\n');
    expect(lines).toHaveLength(500);
    expect(lines.at(-1)).toBe('log line 0600 padding padding padding padding');
    expect(lines[0]).toBe('log line 0101 padding padding padding padding');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\r');
    const row = await finishedAudit(h, 'logs', logs.name);
    expect(row).toMatchObject({ command: 'logs', outcome: 'ok', action: 'docker logs --tail 500' });
  });

  it('refuses every operator command to a moderator, privately, and changes nothing', async () => {
    const running = await state(logs);
    const savesBefore = await readSaves(logs.id);
    for (const [name, options] of [
      ['start', { server: cold.name }],
      ['stop', { server: logs.name }],
      ['restart', { server: logs.name }],
      ['logs', { server: logs.name }],
    ] as const) {
      const r = await h.command(name, options, h.member.moderator);
      expect(r.ephemeral, name).toBe(true);
      expect(r.text, name).toContain('You need the operator level');
      expect(r.handle.callbacks[0]?.body, name).toMatchObject({ type: 4, data: { flags: 64 } });
      const [row] = h.bot.context.audit.latest({ limit: 1 });
      expect(row, name).toMatchObject({
        command: name,
        outcome: 'refused',
        memberId: h.member.moderator,
        detail: 'needs operator',
      });
    }
    expect((await state(cold)).Running).toBe(false);
    const after = await state(logs);
    expect(after.Running).toBe(true);
    expect(after.StartedAt).toBe(running.StartedAt);
    expect(await readSaves(logs.id)).toEqual(savesBefore);
  });
});

function isQuestion(message: MessageState): boolean {
  return (message.components ?? []).some((row) => 'components' in row && row.components.length > 0);
}

/** PATCH requests to the interaction's @original, in the order the emulator received them. */
function originalEdits(requests: readonly RequestRecord[], handle: InteractionHandle): RequestRecord[] {
  const path = new RegExp(`^/webhooks/\\d+/${escapeRegExp(handle.token)}/messages/@original$`);
  return requests.filter((r) => r.method === 'PATCH' && path.test(r.path) && r.status < 300);
}

function describeEdit(record: RequestRecord): { title: string; description: string } {
  const body = record.body as { payload?: unknown } | null;
  const payload = (body && 'payload' in body ? body.payload : body) as {
    embeds?: Array<{ title?: string; description?: string }>;
  } | null;
  const embed = payload?.embeds?.[0];
  return { title: embed?.title ?? '', description: embed?.description ?? '' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
