/**
 * Small tmpfs mounts for tests of a full or read-only DATA_DIR: a real ENOSPC or EROFS from the
 * kernel, not a mock. Needs root, as the Docker-backed suites do.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  path: string;
  /** Writes a filler file until the filesystem says it is full. */
  fill(): void;
  /** Removes the filler again. */
  free(): void;
  unmount(): void;
}

export function mountTmpfs(options: { sizeKb: number; readOnly?: boolean }): Tmpfs {
  const path = mkdtempSync(join(tmpdir(), 'rhb-tmpfs-'));
  const flags = [`size=${options.sizeKb}k`, ...(options.readOnly ? ['ro'] : [])].join(',');
  execFileSync('mount', ['-t', 'tmpfs', '-o', flags, 'tmpfs', path]);
  const filler = join(path, 'filler');
  return {
    path,
    fill() {
      const fd = openSync(filler, 'a');
      const block = Buffer.alloc(4096, 0x55);
      try {
        for (;;) writeSync(fd, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', ['-l', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
