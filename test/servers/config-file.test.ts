/** One server's Config.json with its backups, over an in-memory container file system that unpacks as Docker does. */
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ContainerFileMissingError,
  type ArchiveEntry,
  type ContainerFile,
} from '../../src/docker/archive.js';
import { MASK } from '../../src/console/secrets.js';
import {
  BACKUPS_KEPT,
  HeadlessConfigFile,
  planRestore,
  planSet,
  showConfig,
  type FileStore,
} from '../../src/servers/config-file.js';

const PATH = '/Config/Config.json';
const ORIGINAL =
  '{\n  "tickRate": 60,\n  "loginPassword": "hunter2",\n  "startWorlds": [{ "maxUsers": 32 }]\n}\n';

/** Paths to contents; a folder is a key ending in `/`. Unpacking replaces whatever is there unless both are folders. */
class MemoryFiles implements FileStore {
  readonly entries = new Map<string, Buffer | 'dir'>([['/Config', 'dir']]);
  puts = 0;

  async read(server: string, path: string): Promise<ContainerFile> {
    const content = this.entries.get(path);
    if (content === undefined || content === 'dir') throw new ContainerFileMissingError(server, path);
    return { name: posix.basename(path), content, mode: 0o640, uid: 1000, gid: 1000 };
  }

  async list(_server: string, dir: string): Promise<ContainerFile[]> {
    if (this.entries.get(dir) !== 'dir') return [];
    return [...this.entries]
      .filter(([p, c]) => posix.dirname(p) === dir && c !== 'dir')
      .map(([p, c]) => ({ name: posix.basename(p), content: c as Buffer, mode: 0o644, uid: 0, gid: 0 }));
  }

  async put(_server: string, dir: string, entries: readonly ArchiveEntry[]): Promise<void> {
    this.puts += 1;
    for (const entry of entries) {
      const path = posix.join(dir, entry.name);
      const isDir = entry.type === 'directory';
      if (!(isDir && this.entries.get(path) === 'dir')) {
        for (const p of [...this.entries.keys()])
          if (p === path || p.startsWith(`${path}/`)) this.entries.delete(p);
      }
      this.entries.set(path, isDir ? 'dir' : entry.content);
    }
  }
}

function setUp(text = ORIGINAL) {
  const files = new MemoryFiles();
  files.entries.set(PATH, Buffer.from(text));
  let clock = Date.parse('2026-03-01T10:00:00.000Z');
  const config = new HeadlessConfigFile(files, 'lobby', PATH, () => new Date((clock += 60_000)));
  return { files, config };
}

describe('HeadlessConfigFile', () => {
  it('writes the change after keeping the old content as a timestamped backup next to the file', async () => {
    const { files, config } = setUp();
    const loaded = await config.load();
    const change = planSet(loaded, 'startWorlds[0].maxUsers', '16');
    const name = await config.replace(loaded, change.text);
    expect(name).toBe('2026-03-01T10-01-00.000Z');
    expect(files.entries.get(PATH)?.toString()).toContain('"maxUsers": 16');
    expect(files.entries.get(`${PATH}.backups/${name}.json`)?.toString()).toBe(ORIGINAL);
    expect(await config.backups()).toEqual([name]);
  });

  it(`keeps the last ${BACKUPS_KEPT} backups, newest first`, async () => {
    const { config } = setUp();
    const names: string[] = [];
    for (let users = 1; users <= 13; users += 1) {
      const loaded = await config.load();
      names.push(
        await config.replace(loaded, planSet(loaded, 'startWorlds[0].maxUsers', String(users)).text),
      );
    }
    expect(await config.backups()).toEqual(names.slice(-BACKUPS_KEPT).reverse());
    // The newest backup holds what the file held before the last change.
    expect(await config.readBackup(names.at(-1)!)).toContain('"maxUsers": 12');
  });

  it('refuses to write over a file that changed since it was shown, writing nothing', async () => {
    const { files, config } = setUp();
    const loaded = await config.load();
    files.entries.set(PATH, Buffer.from('{"tickRate": 30}'));
    const puts = files.puts;
    await expect(config.replace(loaded, planSet(loaded, 'tickRate', '20').text)).rejects.toThrow(
      /changed since it was read; nothing was written/,
    );
    expect(files.puts).toBe(puts);
  });

  it('bad JSON is a clear error that quotes nothing of the file', async () => {
    const { config } = setUp('{\n  "loginPassword": "hunter2",\n  "tickRate": 60,,\n}\n');
    const error = await config.load().catch((err: Error) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/is not valid JSON \(line 3, column 18\)/);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('an unknown backup is refused', async () => {
    const { config } = setUp();
    await expect(config.readBackup('2020-01-01T00-00-00.000Z')).rejects.toThrow(/no backup/);
  });
});

describe('planSet, planRestore and showConfig', () => {
  const loaded = { file: {} as ContainerFile, text: ORIGINAL, json: JSON.parse(ORIGINAL) as unknown };

  it('shows the change as a diff in the file’s layout', () => {
    const change = planSet(loaded, 'STARTWORLDS[0].MAXUSERS', '16');
    expect(change.path).toBe('startWorlds[0].maxUsers');
    expect(change.diff).toContain('-       "maxUsers": 32');
    expect(change.diff).toContain('+       "maxUsers": 16');
    expect(change.diff).not.toContain('hunter2');
  });

  it('a new password is never in the diff', () => {
    const change = planSet(loaded, 'loginPassword', 'new-secret');
    expect(change.secret).toBe(true);
    expect(change.diff).not.toMatch(/hunter2|new-secret/);
    expect(change.text).toContain('"loginPassword": "new-secret"');
  });

  it('refuses a value it already has, and an unknown path', () => {
    expect(() => planSet(loaded, 'tickRate', '60')).toThrow(/already `60`/);
    expect(() => planSet(loaded, 'loginPassword', 'hunter2')).toThrow(/already that/);
    expect(() => planSet(loaded, 'tickrat', '60')).toThrow(/no field `tickrat`/);
  });

  it('masks the password in what it shows, also when asked for it', () => {
    expect(showConfig(loaded).text).toContain(`"loginPassword": "${MASK}"`);
    expect(showConfig(loaded).text).not.toContain('hunter2');
    expect(showConfig(loaded, 'LOGINPASSWORD')).toEqual({ path: 'loginPassword', text: `"${MASK}"\n` });
    expect(showConfig(loaded, 'startWorlds[0]').text).toBe('{\n  "maxUsers": 32\n}\n');
  });

  it('a restore diffs against the backup, which must be JSON', () => {
    const backup = ORIGINAL.replace('60', '30');
    expect(planRestore(loaded, backup, 'b').diff).toContain('+   "tickRate": 30,');
    expect(() => planRestore(loaded, '{', 'b')).toThrow(/backup b is not valid JSON/);
  });
});
