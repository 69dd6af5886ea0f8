/** /console and /audit end to end: raw lines and their output, refused lines, long output as a file, audit filters. */
import { expect, it } from 'vitest';
import { describeDocker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';
import { THIRTY_WORLDS } from './admin-support.js';
import { lastAudit } from './audit-support.js';
import { commandOn } from './console-support.js';

describeDocker('/console and /audit end to end', () => {
  const { h, server } = useBotSuite({ servers: { ctr: { tty: true, env: THIRTY_WORLDS } } });
  const { ctr } = server;

  const run = (name: string, options: Record<string, unknown>, as = h.member.admin) =>
    commandOn(h, ctr.id, name, options, as);

  it('/console sends the raw line and shows its output inline, privately', async () => {
    const r = await run('console', { command: 'version' });
    expect(r.ephemeral).toBe(true);
    expect(r.sent.filter((l) => l !== '')).toEqual(['version']);
    expect(r.reply.content).toBe(`**${ctr.name}> version**\n\`\`\`\n2026.6.4.1252\n\`\`\``);
    expect(r.reply.attachments ?? []).toEqual([]);
    expect(lastAudit(h)).toMatchObject({
      command: 'console',
      server: ctr.name,
      action: 'version',
      outcome: 'ok',
    });
  });

  it('/console output that prints nothing, and a raw focus the next line depends on', async () => {
    const focus = await run('console', { command: 'focus 1' });
    expect(focus.sent).toEqual(['focus 1']);
    expect(focus.reply.content).toContain('(nothing)');

    const users = await run('console', { command: 'users' });
    expect(users.sent).toEqual(['users']);
    expect(users.reply.content).toContain('Build Bot\tID: U-b0b0b0b0\tRole: Admin');
    expect(users.reply.content).toContain('carol\tID: U-carol');
    expect(users.reply.content).not.toContain('Build Night>');
    // The log line the headless printed in the middle of the output is shown too: the output is raw.
    expect(users.reply.content).toContain('Running refresh on');
  });

  it('/console keeps quoted arguments as typed, and shows an unknown command’s answer', async () => {
    const quoted = await run('console', { command: 'role "bob smith" Guest' });
    expect(quoted.sent).toEqual(['role "bob smith" Guest']);
    // Focus is on Build Night after the raw focus: the headless says so in its own words.
    expect(quoted.reply.content).toContain('User not found');

    const unknown = await run('console', { command: 'frobnicate' });
    expect(unknown.sent).toEqual(['frobnicate']);
    expect(unknown.ephemeral).toBe(true);
    expect(unknown.reply.content).toContain('Unknown command');
  });

  it('/console sends long output as a text file', async () => {
    const r = await run('console', { command: 'worlds' });
    expect(r.sent).toEqual(['worlds']);
    expect(r.ephemeral).toBe(true);
    expect(r.reply.content).toBe(`**${ctr.name}> worlds** (attached)`);
    expect(r.reply.attachments?.map((a) => a.filename)).toEqual([`${ctr.name}-console.txt`]);
    const file = r.reply.files[0]!.data.toString('utf8');
    expect(file.length).toBeGreaterThan(1800);
    expect(file).toMatch(/^\[0\] Lobby World\s+Users: 3/);
    expect(file).toContain('[29] Extra World 29');
    expect(file.trim().split('\n')).toHaveLength(30);
    expect(file).not.toContain('Build Night>');
  });

  it.each(['crash', 'CRASH now', '  log', 'Log'])('/console refuses %j and sends nothing', async (line) => {
    const r = await run('console', { command: line });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toMatch(/bot never sends it/);
    expect(r.sent).toEqual([]);
    expect(lastAudit(h)).toMatchObject({ command: 'console', outcome: 'refused' });
  });

  it('/console refuses an unmatched quote and sends nothing', async () => {
    const r = await run('console', { command: 'kick "bob smith' });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('unmatched double quote');
    expect(r.sent).toEqual([]);
  });

  it('/audit shows the latest entries, newest first, privately', async () => {
    const r = await run('audit', {});
    expect(r.ephemeral).toBe(true);
    expect(r.sent).toEqual([]);
    const embed = r.reply.embeds?.[0];
    expect(embed?.title).toBe('Audit');
    const lines = (embed?.description ?? '').split('\n');
    // This /audit itself is the newest entry, still running; the refused quote comes next.
    expect(lines[0]).toContain('· audit ·');
    expect(lines[0]).toContain('**running**');
    // Refused before a server was picked: no server, no line; the reason says why.
    expect(lines[1]).toContain(`<@${h.member.admin}> · console · **refused**`);
    expect(lines[1]).toContain('unmatched double quote');
    expect(embed?.description).toContain('`version` · **ok**');
    expect(embed?.description).toContain('`focus 1` · **ok**');
  });

  it('/audit filters by server and by member', async () => {
    // A moderator's refused attempts on another server name make entries to filter on.
    const denied = await run('bans', { server: 'elsewhere' }, h.member.moderator);
    expect(denied.ephemeral).toBe(true);
    await run('world', { sub: 'hidden', value: true, world: '0', server: 'elsewhere' }, h.member.moderator);

    const byServer = await run('audit', { server: 'elsewhere' });
    const serverEmbed = byServer.reply.embeds?.[0];
    expect(serverEmbed?.title).toBe('Audit (server elsewhere)');
    const serverLines = (serverEmbed?.description ?? '').split('\n');
    // This query names the server too, so it is the newest entry; then the two refusals.
    expect(serverLines).toHaveLength(3);
    expect(serverLines[0]).toContain(`<@${h.member.admin}> · audit · elsewhere · **running**`);
    expect(serverLines[1]).toContain(`<@${h.member.moderator}> · world hidden · elsewhere / 0`);
    expect(serverLines[2]).toContain(`<@${h.member.moderator}> · bans · elsewhere`);
    expect(serverEmbed?.description).toContain('**refused** in 0s: needs admin');

    const ours = await run('audit', { server: ctr.name });
    expect(ours.reply.embeds?.[0]?.description).toContain('`worlds`');
    expect(ours.reply.embeds?.[0]?.description).not.toContain('elsewhere');

    const byMember = await run('audit', { user: h.member.moderator });
    const memberEmbed = byMember.reply.embeds?.[0];
    expect(memberEmbed?.title).toBe('Audit (member moderator)');
    const memberLines = (memberEmbed?.description ?? '').split('\n');
    expect(memberLines).toHaveLength(2);
    expect(memberLines.every((l) => l.includes(`<@${h.member.moderator}>`))).toBe(true);

    const both = await run('audit', { server: ctr.name, user: h.member.moderator });
    expect(both.reply.embeds?.[0]?.title).toBe('Audit (server ' + ctr.name + ', member moderator)');
    expect(both.reply.embeds?.[0]?.description).toBe('No audit entries.');
    // The audit reply mentions members but pings nobody.
    const edit = h.emulator.findRequests({ method: 'PATCH', path: /@original$/ }).at(-1);
    expect((edit?.body as { allowed_mentions?: { parse: unknown[] } }).allowed_mentions).toEqual({
      parse: [],
    });
  });
});
