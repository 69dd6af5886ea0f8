/** /config end to end: the fake headless's own Config.json read and changed through Docker's archive API. */
import { readFileSync } from 'node:fs';
import { beforeEach, expect, it } from 'vitest';
import { MASK } from '../../src/console/secrets.js';
import { buttonsOf, answer, ask, disabledState, press, type Question } from './admin-support.js';
import { finishedAudit, lastAudit } from './audit-support.js';
import { result, settle, visible, type CommandResult } from '../support/bot.js';
import { describeDocker, docker, execIn } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

const PATH = '/Config/Config.json';
const BACKUPS = `${PATH}.backups`;
const PASSWORD = 'fake-password-do-not-show';
const FIXTURE = readFileSync(new URL('../fixtures/fake-headless/Config.json', import.meta.url), 'utf8');

/** An embed's title and description as a member reads them: Markdown escapes and mention guards gone. */
function plain(embed: { title?: string; description?: string } | undefined): string {
  return visible(`${embed?.title ?? ''}\n${embed?.description ?? ''}`).replace(/\\(.)/g, '$1');
}

describeDocker('/config end to end', () => {
  const { h, server } = useBotSuite({ servers: { lobby: { tty: false } }, harness: { auditChannel: true } });

  const cat = async (path = PATH) => {
    const result = await execIn(server.lobby.id, ['cat', path]);
    expect(result.exitCode, result.stderr).toBe(0);
    return result.stdout;
  };
  const backups = async () => {
    const result = await execIn(server.lobby.id, ['ls', BACKUPS]);
    return result.exitCode === 0 ? result.stdout.split('\n').filter(Boolean) : [];
  };
  const write = async (text: string) => {
    const printed = await execIn(server.lobby.id, ['sh', '-c', `printf '%s' "$0" > ${PATH}`, text]);
    expect(printed.exitCode, printed.stderr).toBe(0);
  };
  /** The answer after a confirmed change: it keeps one button, Restart now (admin-support's answer waits for none). */
  const written = async (q: Question): Promise<CommandResult> => {
    const done = () => {
      const original = q.handle.original();
      const labels = original ? buttonsOf(original).map((b) => b.label) : [];
      return q.handle.followUps().at(-1) ?? (labels.join() === 'Restart now' ? original : undefined);
    };
    if (!done()) await h.emulator.waitForRequest(() => done() !== undefined, 15_000);
    return result(q.handle, done()!);
  };
  const everythingSaid = () =>
    JSON.stringify([h.emulator.requests, h.bot.context.audit.latest({ limit: 100 })]);

  beforeEach(async () => {
    await write(FIXTURE);
    await execIn(server.lobby.id, ['rm', '-rf', BACKUPS]);
  });

  it('/config show gives the file with the password masked, as a file when long', async () => {
    const r = await h.command('config', { sub: 'show' });
    const shown = r.reply.files[0]?.data.toString('utf8') ?? r.reply.content ?? '';
    expect(shown).toContain(`"loginPassword": "${MASK}"`);
    expect(shown).toContain('"sessionName": "Lobby World"');
    expect(shown).not.toContain(PASSWORD);
    const part = await h.command('config', { sub: 'show', path: 'startWorlds[1].MAXUSERS' });
    expect(visible(part.text).replace(/\\(.)/g, '$1')).toContain('startWorlds[1].maxUsers');
    expect(part.text).toContain('16');
    const secret = await h.command('config', { sub: 'show', path: 'LoginPassword' });
    expect(secret.text).toContain(MASK);
    expect(everythingSaid()).not.toContain(PASSWORD);
  });

  it('/config set asks with the diff; confirmed, it writes the change and a backup, and offers a restart', async () => {
    const q = await ask(h, 'config', { sub: 'set', path: 'startWorlds[0].maxUsers', value: '16' });
    const question = plain(q.message.embeds?.[0]);
    expect(question).toContain('Set startWorlds[0].maxUsers');
    expect(question).toContain('-       "maxUsers": 32,');
    expect(question).toContain('+       "maxUsers": 16,');
    expect(await cat()).toBe(FIXTURE);

    press(h, q, 'yes');
    await disabledState(q);
    const r = await written(q);
    expect(plain(r.reply.embeds?.[0])).toContain('startWorlds[0].maxUsers set');
    expect(buttonsOf(r.reply).map((b) => [b.label, b.custom_id?.split(':').slice(0, 2).join(':')])).toEqual([
      ['Restart now', 'alert:restart'],
    ]);

    // The fixture keeps short lists on one line: the rewrite takes the standard layout, as the question said.
    expect(question).toContain('rewritten in the standard layout');
    const expected = JSON.parse(FIXTURE) as { startWorlds: { maxUsers: number }[] };
    expected.startWorlds[0]!.maxUsers = 16;
    expect(await cat()).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    const [backup, ...more] = await backups();
    expect(more).toEqual([]);
    expect(await cat(`${BACKUPS}/${backup}`)).toBe(FIXTURE);
    expect(r.text).toContain(backup!.replace(/\.json$/, ''));
    expect(await finishedAudit(h, 'config set')).toMatchObject({
      action: 'config set startWorlds[0].maxUsers 16',
      outcome: 'ok',
      server: server.lobby.name,
    });
  });

  it("the answer's Restart now button restarts the server, at operator level", async () => {
    const q = await ask(h, 'config', { sub: 'set', path: 'tickRate', value: '30' });
    press(h, q, 'yes');
    const r = await written(q);
    const before = (await docker.getContainer(server.lobby.id).inspect()).State.StartedAt;
    const restart = h.emulator.pressButton({
      customId: buttonsOf(r.reply)[0]!.custom_id!,
      messageId: r.reply.id,
      member: h.member.operator,
    });
    await settle(h.emulator, restart, 60_000);
    expect(await finishedAudit(h, 'alert restart')).toMatchObject({
      outcome: 'ok',
      memberId: h.member.operator,
    });
    expect((await docker.getContainer(server.lobby.id).inspect()).State.StartedAt).not.toBe(before);
    // The headless reads the file as written when it starts.
    expect(JSON.parse(await cat())).toMatchObject({ tickRate: 30 });
  });

  it('/config set cancelled writes nothing', async () => {
    const q = await ask(h, 'config', { sub: 'set', path: 'tickRate', value: '30' });
    press(h, q, 'no');
    expect((await answer(h, q.handle)).text).toContain('Cancelled');
    expect(await cat()).toBe(FIXTURE);
    expect(await backups()).toEqual([]);
    expect(lastAudit(h)).toMatchObject({ command: 'config set', outcome: 'cancelled' });
  });

  it.each([
    [
      'a wrong type',
      { path: 'startWorlds[0].maxUsers', value: 'many' },
      /must be a whole number, not `many`/,
    ],
    [
      'an unknown path',
      { path: 'startWorlds[0].maxUser', value: '16' },
      /no field `maxUser` in startWorlds\[0\]/,
    ],
    ['a missing entry', { path: 'startWorlds[5].maxUsers', value: '16' }, /startWorlds has 2 entries/],
    ['a bad enum', { path: 'startWorlds[0].accessLevel', value: 'Everyone' }, /one of Private, LAN/],
  ])('/config set with %s is refused, the file byte for byte unchanged', async (_, options, message) => {
    const r = await h.command('config', { sub: 'set', ...options });
    expect(r.ephemeral).toBe(true);
    expect(plain(r.reply.embeds?.[0])).toMatch(message);
    expect(await cat()).toBe(FIXTURE);
    expect(await backups()).toEqual([]);
    expect(lastAudit(h)).toMatchObject({ command: 'config set', outcome: 'refused' });
  });

  it('bad JSON in the file is a clear error for show and set, and the file stays as it is', async () => {
    const broken = FIXTURE.replace('"tickRate": 60,', '"tickRate": 60,,');
    await write(broken);
    for (const options of [{ sub: 'show' }, { sub: 'set', path: 'tickRate', value: '30' }]) {
      const r = await h.command('config', options);
      expect(r.ephemeral).toBe(true);
      expect(r.text).toMatch(/\/Config\/Config.json of ".*" is not valid JSON \(line \d+, column \d+\)/);
      expect(r.text).not.toContain(PASSWORD);
    }
    expect(await cat()).toBe(broken);
    expect(await backups()).toEqual([]);
  });

  it('a new password is masked in the question, the answer and the audit', async () => {
    const q = await ask(h, 'config', { sub: 'set', path: 'loginpassword', value: 'new-secret-pw' });
    expect(plain(q.message.embeds?.[0])).toContain('only the password changes');
    press(h, q, 'yes');
    await written(q);
    expect(await cat()).toContain('"loginPassword": "new-secret-pw"');
    const row = await finishedAudit(h, 'config set');
    expect(row.action).toBe(`config set loginPassword ${MASK}`);
    expect(row.options).toMatchObject({ value: MASK });
    expect(everythingSaid()).not.toMatch(/new-secret-pw|fake-password-do-not-show/);
  });

  it('/config restore puts a backup back, keeping the current file as a backup too', async () => {
    const q = await ask(h, 'config', { sub: 'set', path: 'tickRate', value: '30' });
    press(h, q, 'yes');
    await written(q);
    const [first] = await backups();
    const listed = await h.command('config', { sub: 'show' });
    const name = first!.replace(/\.json$/, '');
    expect(listed.text).toContain(name);

    const back = await ask(h, 'config', { sub: 'restore', backup: name });
    expect(plain(back.message.embeds?.[0])).toContain('+   "tickRate": 60,');
    press(h, back, 'yes');
    expect(plain((await written(back)).reply.embeds?.[0])).toContain(`Restored from ${name}`);
    expect(await cat()).toBe(FIXTURE);
    expect(await backups()).toHaveLength(2);
    expect(await finishedAudit(h, 'config restore')).toMatchObject({ action: `config restore ${name}` });

    const unknown = await h.command('config', { sub: 'restore', backup: '2001-01-01T00-00-00.000Z' });
    expect(unknown.text).toContain('There is no backup');
  });

  it('a moderator is refused and nothing is read or written', async () => {
    const r = await h.command('config', { sub: 'set', path: 'tickRate', value: '30' }, h.member.moderator);
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('admin');
    const show = await h.command('config', { sub: 'show' }, h.member.operator);
    expect(show.text).not.toContain('loginPassword');
    expect(await cat()).toBe(FIXTURE);
    expect(lastAudit(h)).toMatchObject({ command: 'config show', outcome: 'refused' });
  });
});
