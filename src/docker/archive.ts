import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type tarStream from 'tar-stream';
import { UserError } from '../errors.js';
import type { ContainerGate } from './containers.js';
import { statusOf, translateDockerError } from './docker-errors.js';

// Loaded on first use: only /config reads or writes a container's files.
const tar = () => createRequire(import.meta.url)('tar-stream') as typeof tarStream;

/** A regular file of a container as its archive carries it; ownership kept so a rewrite keeps it too. */
export interface ContainerFile {
  name: string;
  content: Buffer;
  mode: number;
  uid: number;
  gid: number;
}

/** What one archive put into a folder holds: files, and folders (a folder entry replaces a file there). */
export type ArchiveEntry =
  | ({ type: 'file' } & Pick<ContainerFile, 'name' | 'content'> & Partial<ContainerFile>)
  | { type: 'directory'; name: string };

/** Nothing at that path in the container (Docker's archive API says 404 once the container is known). */
export class ContainerFileMissingError extends UserError {
  override name = 'ContainerFileMissingError';
  constructor(
    readonly server: string,
    readonly path: string,
  ) {
    super(`There is no file ${path} in the container of "${server}".`);
  }
}

const FILE_MODE = 0o644;

/**
 * Files of managed containers read and written through Docker's archive API (a tar each way),
 * never by exec: it works on stopped containers too, and needs no shell in the image.
 */
export class ContainerFiles {
  constructor(private readonly containers: ContainerGate) {}

  /** One regular file's bytes and ownership. */
  async read(server: string, path: string): Promise<ContainerFile> {
    const files = await this.archive(server, path);
    const file = files.find((f) => f.name === posix.basename(path));
    if (!file) throw new UserError(`${path} in the container of "${server}" is not a regular file.`);
    return file;
  }

  /** The regular files right inside a folder, by name; none when the folder does not exist. */
  async list(server: string, dir: string): Promise<ContainerFile[]> {
    try {
      const prefix = `${posix.basename(dir)}/`;
      return (await this.archive(server, dir))
        .filter((f) => f.name.startsWith(prefix) && !f.name.slice(prefix.length).includes('/'))
        .map((f) => ({ ...f, name: f.name.slice(prefix.length) }));
    } catch (err) {
      if (err instanceof ContainerFileMissingError) return [];
      throw err;
    }
  }

  /** Unpacks the entries, in order, into a folder of the container (which must exist). */
  async put(server: string, dir: string, entries: readonly ArchiveEntry[]): Promise<void> {
    const container = await this.containers.get(server);
    const pack = tar().pack();
    const mtime = new Date();
    for (const entry of entries) {
      if (entry.type === 'directory') {
        pack.entry({ name: `${entry.name}/`, type: 'directory', mode: 0o755, mtime });
      } else {
        pack.entry(
          {
            name: entry.name,
            type: 'file',
            mode: entry.mode ?? FILE_MODE,
            uid: entry.uid ?? 0,
            gid: entry.gid ?? 0,
            mtime,
          },
          entry.content,
        );
      }
    }
    pack.finalize();
    try {
      await this.containers.handle(container).putArchive(await collect(pack), { path: dir });
    } catch (err) {
      throw translateArchiveError(err, container.name, dir);
    }
  }

  private async archive(server: string, path: string): Promise<ContainerFile[]> {
    const container = await this.containers.get(server);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.containers.handle(container).getArchive({ path });
    } catch (err) {
      throw translateArchiveError(err, container.name, path);
    }
    return untar(stream);
  }
}

function translateArchiveError(err: unknown, server: string, path: string): Error {
  switch (statusOf(err)) {
    // The container was just found, so a 404 is about the path.
    case 404:
      return new ContainerFileMissingError(server, path);
    case 403:
      return new UserError(`Docker refused to write ${path}: the container of "${server}" is read-only.`);
    case 400:
      return new UserError(
        `Docker refused ${path} in the container of "${server}": not a folder it can write in.`,
      );
    default:
      return translateDockerError(err, server);
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function untar(stream: NodeJS.ReadableStream): Promise<ContainerFile[]> {
  return new Promise((resolve, reject) => {
    const files: ContainerFile[] = [];
    const extract = tar().extract();
    extract.on('entry', (header, body, next) => {
      const keep = header.type === 'file';
      const chunks: Buffer[] = [];
      body.on('data', (chunk: Buffer) => {
        if (keep) chunks.push(chunk);
      });
      body.on('end', () => {
        if (keep) {
          files.push({
            name: header.name.replace(/\/$/, ''),
            content: Buffer.concat(chunks),
            mode: header.mode ?? FILE_MODE,
            uid: header.uid ?? 0,
            gid: header.gid ?? 0,
          });
        }
        next();
      });
    });
    extract.on('finish', () => resolve(files));
    extract.on('error', reject);
    stream.on('error', reject);
    stream.pipe(extract);
  });
}
