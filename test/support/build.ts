/**
 * The bot compiled as `npm start` would run it, for tests that start the real process:
 *
 *   const outDir = await buildBot();
 *   spawn(process.execPath, [join(outDir, 'src/main.js')], { cwd: someTempDir });
 *
 * `tsc -p tsconfig.build.json --outDir <dir>` compiles into os.tmpdir(), in a folder keyed by a
 * hash of the sources (src/, commands/, the tsconfigs, package.json), so a run with unchanged
 * sources reuses the previous build and the repository's own dist/ is never touched. Workers that
 * need the same build wait on a lock directory instead of compiling at the same time; the build is
 * written to a private folder and renamed into place, so a stale lock or a killed worker can never
 * leave a half-written build behind. The folder gets a `node_modules` link to the project's and a
 * `package.json` saying `"type": "module"`, which is all Node needs to run it from there.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const INPUT_DIRS = ['src', 'commands'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];
const PREFIX = 'rhb-build-';
const COMPLETE = '.complete';
/** A lock older than this belongs to a killed worker (a build takes seconds). */
const STALE_LOCK_MS = 120_000;
const WAIT_MS = 240_000;
/** Builds of this checkout with other sources are removed once they are this old. */
const PRUNE_AFTER_MS = 60 * 60_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let buildPromise: Promise<string> | undefined;

/** Compiles the bot once per run (shared by workers and by later runs with the same sources); resolves to the out dir. */
export function buildBot(): Promise<string> {
  buildPromise ??= buildOnce().catch((err: unknown) => {
    buildPromise = undefined;
    throw err;
  });
  return buildPromise;
}

async function buildOnce(): Promise<string> {
  const key = await sourcesKey();
  const outDir = path.join(os.tmpdir(), `${PREFIX}${key}`);
  if (!(await isComplete(outDir))) {
    await withLock(`${outDir}.lock`, outDir, () => compileInto(outDir));
  }
  await pruneOtherBuilds(key).catch(() => undefined);
  return outDir;
}

async function isComplete(outDir: string): Promise<boolean> {
  return fs.access(path.join(outDir, COMPLETE)).then(
    () => true,
    () => false,
  );
}

/** Hash of the checkout's path and every input's relative path and content. */
async function sourcesKey(): Promise<string> {
  const hash = createHash('sha256').update(PROJECT_ROOT).update('\0');
  const files = [...INPUT_FILES];
  for (const dir of INPUT_DIRS) files.push(...(await listFiles(dir)));
  for (const file of files.sort()) {
    hash
      .update(file)
      .update('\0')
      .update(await fs.readFile(path.join(PROJECT_ROOT, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(PROJECT_ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(PROJECT_ROOT, path.join(e.parentPath, e.name)));
}

async function withLock(lockDir: string, outDir: string, build: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let owned = false;
  while (!owned) {
    try {
      await fs.mkdir(lockDir);
      owned = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await isComplete(outDir)) return; // another worker built it
      const stat = await fs.stat(lockDir).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > STALE_LOCK_MS) {
        await fs.rm(lockDir, { recursive: true, force: true });
      } else if (Date.now() > deadline) {
        break; // build anyway: the rename below keeps concurrent builds harmless
      } else {
        await delay(100);
      }
    }
  }
  try {
    if (!(await isComplete(outDir))) await build();
  } finally {
    if (owned) await fs.rm(lockDir, { recursive: true, force: true });
  }
}

async function compileInto(outDir: string): Promise<void> {
  const staging = `${outDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [tsc, '-p', 'tsconfig.build.json', '--outDir', staging],
        { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) =>
          err ? reject(new Error(`tsc failed (${err.message}):\n${stdout}${stderr}`)) : resolve(),
      );
    });
    await fs.symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
    await fs.writeFile(path.join(staging, 'package.json'), '{ "type": "module" }\n');
    await fs.writeFile(path.join(staging, '.root'), PROJECT_ROOT);
    await fs.writeFile(path.join(staging, COMPLETE), new Date().toISOString());
    try {
      await fs.rename(staging, outDir);
    } catch (err) {
      // Someone finished the same build first (only possible without the lock): theirs is as good.
      if (!(await isComplete(outDir))) throw err;
    }
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

/** Removes this checkout's builds of older sources, so edits do not pile up folders in tmp. */
async function pruneOtherBuilds(key: string): Promise<void> {
  const tmp = os.tmpdir();
  for (const name of await fs.readdir(tmp)) {
    if (!/^rhb-build-[0-9a-f]{16}$/.test(name) || name === `${PREFIX}${key}`) continue;
    const dir = path.join(tmp, name);
    const root = await fs.readFile(path.join(dir, '.root'), 'utf8').catch(() => undefined);
    const stat = await fs.stat(dir).catch(() => undefined);
    if (root === PROJECT_ROOT && stat && Date.now() - stat.mtimeMs > PRUNE_AFTER_MS) {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
}
