/**
 * A container killed (docker kill) while a command waits on its console: the invoker is told what
 * happened, not given the generic apology, and the audit row is finished with what happened.
 */
import { expect, it, vi } from 'vitest';
import { buttonId, hasButtons, result, settle, type CommandResult } from '../support/bot.js';
import { describeDocker, docker, readReceived, setHang, type StartedContainer } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { finishedAudit } from './audit-support.js';
import { expectAcknowledgedOnce, expectAnsweredOnce } from './faults-helpers.js';

const APOLOGY = /something went wrong on our side/;

describeDocker('a container killed in the middle of a command', () => {
  const { h, server } = useBotSuite({
    servers: { kickMe: { tty: false }, saveMe: { tty: true }, stopMe: { tty: false } },
  });
  const { kickMe, saveMe, stopMe } = server;

  /**
   * Holds the console (it stops answering), runs `start`, waits until the console has received a
   * line of the command, then kills the container while the bot waits for the answer.
   */
  async function killWhileWaiting<T>(c: StartedContainer, start: () => T): Promise<T> {
    await setHang(c.id, true);
    const before = (await readReceived(c.id)).length;
    const started = start();
    await vi.waitFor(async () => expect((await readReceived(c.id)).length).toBeGreaterThan(before), {
      timeout: 5_000,
      interval: 25,
    });
    await docker.getContainer(c.id).kill();
    return started;
  }

  function expectClearFailure(r: CommandResult, server: string): void {
    expect(r.text).not.toMatch(APOLOGY);
    expect(r.text).toContain(`The console of "${server}" closed before it answered`);
    expectAnsweredOnce(h, r.handle);
  }

  it('a kick says the console closed, and its audit row says so too', async () => {
    const handle = await killWhileWaiting(kickMe, () =>
      h.send('kick', { user: 'alice', server: kickMe.name }, h.member.moderator),
    );
    const r = await settle(h.emulator, handle);
    expectClearFailure(r, kickMe.name);
    const row = await finishedAudit(h, 'kick', kickMe.name);
    // The console hung before the kick line went out: the audit names only lines really sent.
    expect(row).toMatchObject({ outcome: 'failed', memberId: h.member.moderator, action: null });
    expect(row.options).toEqual({ user: 'alice', server: kickMe.name });
    expect(row.finishedAt).not.toBeNull();
    expect(row.detail).toContain('closed before it answered');
  });

  it('a save says the console closed, and its audit row says so too', async () => {
    const handle = await killWhileWaiting(saveMe, () =>
      h.send('save', { server: saveMe.name }, h.member.moderator),
    );
    const r = await settle(h.emulator, handle);
    expectClearFailure(r, saveMe.name);
    const row = await finishedAudit(h, 'save', saveMe.name);
    expect(row).toMatchObject({ outcome: 'failed', action: null });
    expect(row.detail).toContain('closed before it answered');
  });

  it('a stop says the worlds were not saved because the console closed, and audits the stop', async () => {
    const asked = h.send('stop', { server: stopMe.name }, h.member.operator);
    const question = await asked.waitForReply(hasButtons, 10_000);
    const yes = buttonId(question, 'yes');
    const press = await killWhileWaiting(stopMe, () =>
      h.emulator.pressButton({ customId: yes, messageId: question.id, member: h.member.operator }),
    );
    const final = await asked.waitForReply(
      (m) => !hasButtons(m) && m.embeds?.[0]?.title !== 'Working…',
      15_000,
    );
    const r = result(asked, final);
    expect(r.text).not.toMatch(APOLOGY);
    expect(r.text).toContain(`${stopMe.name} went down on its own during the stop`);
    expect(r.text).toContain(
      `Not saved: worlds were not saved: The console of "${stopMe.name}" closed before it answered`,
    );
    expect((await docker.getContainer(stopMe.id).inspect()).State.Running).toBe(false);
    expectAcknowledgedOnce(h, asked);
    expectAcknowledgedOnce(h, press);
    const row = await finishedAudit(h, 'stop', stopMe.name);
    // The server is stopped, as asked: the stop succeeded even though the save could not happen.
    expect(row).toMatchObject({ outcome: 'ok', memberId: h.member.operator });
    expect(row.action).toBe('stop: went down meanwhile');
  });
});
