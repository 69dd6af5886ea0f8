import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBot } from '../support/build.js';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** `npm run invite` as an operator runs it: in a folder with a half-filled `.env`. */
async function invite(env: string) {
  const dir = mkdtempSync(join(tmpdir(), 'rhb-invite-'));
  dirs.push(dir);
  writeFileSync(join(dir, '.env'), env);
  const script = join(await buildBot(), 'src/invite-link.js');
  return run(process.execPath, [script], { cwd: dir, env: { PATH: process.env.PATH } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

describe('npm run invite', () => {
  it('prints the invite link from .env before the token or anything else is filled in', async () => {
    const { code, stdout } = await invite(
      'DISCORD_CLIENT_ID=100000000000000001\nDISCORD_GUILD_ID=100000000000000002\n',
    );

    expect(code).toBe(0);
    expect(stdout).toBe(
      'https://discord.com/oauth2/authorize?client_id=100000000000000001&scope=bot+applications.commands&permissions=84992&guild_id=100000000000000002&disable_guild_select=true\n',
    );
  });

  it('says what is missing and exits 1 without an application id', async () => {
    const { code, stdout, stderr } = await invite('DISCORD_TOKEN=\n');

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('Invalid configuration:\n  - DISCORD_CLIENT_ID: is required\n');
  });
});
