/** A container's files through Docker's archive API: read, list, write, and a folder replaced whole. */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerFileMissingError, ContainerFiles } from '../../src/docker/archive.js';
import { ManagedContainers } from '../../src/docker/containers.js';
import { UnknownServerError } from '../../src/errors.js';
import { describeDocker, docker, removeStartedContainers, startFakeHeadless } from '../support/docker.js';

const FIXTURE_CONFIG = new URL('../fixtures/fake-headless/Config.json', import.meta.url);

describeDocker('ContainerFiles on a real engine', () => {
  let server: { id: string; name: string };
  let stranger: { id: string; name: string };
  let files: ContainerFiles;

  beforeAll(async () => {
    [server, stranger] = await Promise.all([
      startFakeHeadless({ tty: false }),
      startFakeHeadless({ tty: false }),
    ]);
    files = new ContainerFiles(new ManagedContainers(docker, { kind: 'names', names: [server.name] }));
  });
  afterAll(() => removeStartedContainers());

  it("reads the fake's Config.json byte for byte, with its ownership", async () => {
    const file = await files.read(server.name, '/Config/Config.json');
    expect(file.content.equals(await readFile(FIXTURE_CONFIG))).toBe(true);
    expect(file).toMatchObject({ name: 'Config.json', uid: 0, gid: 0 });
  });

  it('writes a file and reads it back; a missing path is a ContainerFileMissingError', async () => {
    const content = Buffer.from('{"tickRate": 30}\n');
    await files.put(server.name, '/tmp', [{ type: 'file', name: 'written.json', content, mode: 0o600 }]);
    const back = await files.read(server.name, '/tmp/written.json');
    expect(back.content.equals(content)).toBe(true);
    expect(back.mode & 0o777).toBe(0o600);
    await expect(files.read(server.name, '/tmp/none.json')).rejects.toBeInstanceOf(ContainerFileMissingError);
    await expect(
      files.put(server.name, '/no/such/dir', [{ type: 'file', name: 'x', content }]),
    ).rejects.toThrow(/no file \/no\/such\/dir/);
  });

  describe('a folder', () => {
    it('lists its regular files; a missing one lists as empty', async () => {
      await files.put(server.name, '/tmp', [
        { type: 'directory', name: 'listed' },
        { type: 'file', name: 'listed/a.json', content: Buffer.from('a') },
        { type: 'file', name: 'listed/b.json', content: Buffer.from('b') },
        { type: 'directory', name: 'listed/inner' },
        { type: 'file', name: 'listed/inner/c.json', content: Buffer.from('c') },
      ]);
      const listed = await files.list(server.name, '/tmp/listed');
      expect(listed.map((f) => [f.name, f.content.toString()]).sort()).toEqual([
        ['a.json', 'a'],
        ['b.json', 'b'],
      ]);
      expect(await files.list(server.name, '/tmp/not-there')).toEqual([]);
    });

    it('is replaced whole by a file entry then a folder entry of its name in one archive', async () => {
      await files.put(server.name, '/tmp', [
        { type: 'directory', name: 'rotated' },
        { type: 'file', name: 'rotated/old.json', content: Buffer.from('old') },
        { type: 'file', name: 'rotated/kept.json', content: Buffer.from('kept') },
      ]);
      await files.put(server.name, '/tmp', [
        { type: 'file', name: 'rotated', content: Buffer.alloc(0) },
        { type: 'directory', name: 'rotated' },
        { type: 'file', name: 'rotated/kept.json', content: Buffer.from('kept') },
        { type: 'file', name: 'rotated/new.json', content: Buffer.from('new') },
      ]);
      const names = (await files.list(server.name, '/tmp/rotated')).map((f) => f.name).sort();
      expect(names).toEqual(['kept.json', 'new.json']);
    });
  });

  it('never touches a container it does not manage', async () => {
    await expect(files.read(stranger.name, '/Config/Config.json')).rejects.toBeInstanceOf(UnknownServerError);
    await expect(
      files.put(stranger.name, '/tmp', [{ type: 'file', name: 'x', content: Buffer.from('x') }]),
    ).rejects.toBeInstanceOf(UnknownServerError);
  });
});
