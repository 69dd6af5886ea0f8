/**
 * The project's real Dockerfile, built as CI builds it. No registry is reachable here, so the
 * Dockerfile's base comes from BOT_BASE_IMAGE, else the official image when it is already present,
 * else a stand-in assembled from Debian's packages and this machine's Node (.ci/node-base-standin.sh,
 * which needs root and apt). `--network host`: the engine runs without a bridge, and `npm ci` in the
 * build stage needs the npm registry.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './build.js';

const exec = promisify(execFile);

export const BOT_IMAGE = 'resonite-headless-bot:test';
const OFFICIAL_BASE = 'node:20-bookworm-slim';
const BUILD_MS = 15 * 60_000;

let built: Promise<string> | undefined;

/** Builds the image once per test run (Docker's layer cache makes a rebuild with unchanged sources quick). */
export function buildBotImage(): Promise<string> {
  built ??= (async () => {
    const base = await baseImage();
    await exec(
      'docker',
      ['build', '--network', 'host', '--build-arg', `BASE_IMAGE=${base}`, '-t', BOT_IMAGE, PROJECT_ROOT],
      { timeout: BUILD_MS, maxBuffer: 64 * 1024 * 1024 },
    );
    return BOT_IMAGE;
  })();
  return built;
}

async function baseImage(): Promise<string> {
  const given = process.env.BOT_BASE_IMAGE;
  if (given) return given;
  if (await imageExists(OFFICIAL_BASE)) return OFFICIAL_BASE;
  const { stdout } = await exec(join(PROJECT_ROOT, '.ci', 'node-base-standin.sh'), [], {
    timeout: BUILD_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim().split('\n').at(-1)!;
}

async function imageExists(ref: string): Promise<boolean> {
  return exec('docker', ['image', 'inspect', ref]).then(
    () => true,
    () => false,
  );
}
