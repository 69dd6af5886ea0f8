/** The terminal front door, run as an operator would: arguments in, text and an exit code out. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  readReceived,
  removeStartedContainers,
  startFakeHeadless,
} from '../support/docker.js';

async function cli(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, env, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describeDocker('headless-cli', () => {
  let lobby: { id: string; name: string };
  let build: { id: string; name: string };
  let env: Record<string, string>;

  beforeAll(async () => {
    await buildFakeHeadlessImage();
    [lobby, build] = await Promise.all([startFakeHeadless({ tty: true }), startFakeHeadless({ tty: false })]);
    env = { HEADLESS_CONTAINERS: `${lobby.name},${build.name}` };
  });
  afterAll(async () => {
    await removeStartedContainers();
  });

  it('lists the managed servers with state and uptime', async () => {
    const { code, out } = await cli(['list'], env);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^SERVER\s+STATE\s+HEALTH\s+UPTIME\s+RESTARTS/);
    expect(out).toMatch(new RegExp(`${lobby.name}\\s+running\\s+none`));
    expect(out).toMatch(new RegExp(`${build.name}\\s+running`));
  });

  it('prints a parsed status', async () => {
    const { code, out } = await cli(['status', '--server', lobby.name, '--world', 'Lobby World'], env);
    expect(code).toBe(0);
    expect(out).toContain('Lobby World');
    expect(out).toContain('users:    3 (2 present) / 16');
    expect(out).toContain('Lobby Bot, alice, bob smith');
  });

  it('prints JSON when asked', async () => {
    const { out } = await cli(['worlds', '-s', build.name, '--json'], env);
    expect(JSON.parse(out).map((w: { name: string }) => w.name)).toEqual(['Lobby World', 'Build Night']);
  });

  it('kicks a user by name with a space', async () => {
    const { code, out } = await cli(['kick', 'bob', 'smith', '-s', build.name], env);
    expect([code, out]).toEqual([0, 'bob smith kicked! (in Lobby World)']);
  });

  it('refuses a raw console line with crash, sending nothing', async () => {
    const before = (await readReceived(lobby.id)).length;
    const { code, err } = await cli(['console', 'crash', '-s', lobby.name], env);
    expect(code).toBe(1);
    expect(err).toMatch(/crash/);
    expect((await readReceived(lobby.id)).length).toBe(before);
  });

  it('asks for a server when several are managed', async () => {
    const { code, err } = await cli(['worlds'], env);
    expect(code).toBe(1);
    expect(err).toContain('2 servers are managed');
  });

  it('names an unknown server', async () => {
    const { code, err } = await cli(['worlds', '-s', 'nope'], env);
    expect([code, err]).toEqual([1, 'There is no managed server called "nope".']);
  });

  it('rejects an unknown command with the usage', async () => {
    const { code, err } = await cli(['explode'], env);
    expect(code).toBe(2);
    expect(err).toContain('Usage: headless-cli');
  });

  it('prints the tail of the logs', async () => {
    const { code, out } = await cli(['logs', '-s', build.name, '--lines', '3'], env);
    expect(code).toBe(0);
    expect(out.split('\n').length).toBeLessThanOrEqual(3);
  });

  it('lists the servers of several hosts with their host, naming a host that does not answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rhb-cli-hosts-'));
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        hosts: {
          'eu-1': { url: 'unix:///var/run/docker.sock', containers: [lobby.name] },
          'eu-2': { url: `unix://${join(dir, 'none.sock')}`, containers: [build.name] },
        },
      }),
    );
    const hostsEnv = { CONFIG_FILE: file };
    const { code, out } = await cli(['list'], hostsEnv);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^SERVER\s+HOST\s+STATE/);
    expect(out).toMatch(new RegExp(`${lobby.name}\\s+eu-1\\s+running`));
    expect(out).toContain(
      `host eu-2 is unreachable: Docker on host eu-2 (unix://${join(dir, 'none.sock')}) is unreachable (no socket there).`,
    );
    const status = await cli(['status', '-s', build.name], hostsEnv);
    expect([status.code, status.err]).toEqual([
      1,
      `Server "${build.name}" is on host eu-2 (unix://${join(dir, 'none.sock')}), which is unreachable (no socket there).`,
    ]);
    expect((await cli(['worlds', '-s', lobby.name], hostsEnv)).code).toBe(0);
  });
});
