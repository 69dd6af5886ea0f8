import { posix } from 'node:path';
import type { ArchiveEntry, ContainerFile, ContainerFiles } from '../docker/archive.js';
import { MASK } from '../console/secrets.js';
import { InvalidInputError, UserError } from '../errors.js';
import { formatPath, configProblems } from './headless-config.js';
import { parseConfigPath, parseConfigValue, resolveConfigPath, withValue } from './config-path.js';
import { formatLike, isSecretKey, lineDiff, maskConfigSecrets } from './config-text.js';
import { compareText } from '../text.js';

/** Where the common headless images keep it (`-HeadlessConfig /Config/Config.json`). */
export const DEFAULT_HEADLESS_CONFIG_PATH = '/Config/Config.json';
export const BACKUPS_KEPT = 10;

export type FileStore = Pick<ContainerFiles, 'read' | 'list' | 'put'>;

/** The file as read: its bytes (compared before writing), its text and its parsed JSON. */
export interface LoadedConfig {
  file: ContainerFile;
  text: string;
  json: unknown;
}

/** A change ready to write: the new text, and the diff the member confirms (secrets masked). */
export interface ConfigChange {
  text: string;
  diff: string;
}

/**
 * One server's Config.json in its container, with its backups in a folder next to it
 * (`Config.json.backups/<time>.json`, the last 10 kept). The archive API cannot delete a file, so
 * each backup rewrites the folder whole in one archive: a file entry of its name, then the folder.
 */
export class HeadlessConfigFile {
  readonly backupDir: string;

  constructor(
    private readonly files: FileStore,
    readonly server: string,
    readonly path: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.backupDir = `${path}.backups`;
  }

  async load(): Promise<LoadedConfig> {
    const file = await this.files.read(this.server, this.path);
    const text = file.content.toString('utf8');
    return { file, text, json: parseJson(text, `${this.path} of "${this.server}"`) };
  }

  /** Backup names, newest first. */
  async backups(): Promise<string[]> {
    return (await this.backupFiles()).map((f) => f.name.replace(/\.json$/, ''));
  }

  async readBackup(name: string): Promise<string> {
    const wanted = name.trim().replace(/\.json$/, '');
    const found = (await this.backupFiles()).find((f) => f.name === `${wanted}.json`);
    if (!found) {
      throw new InvalidInputError(
        `There is no backup \`${wanted.slice(0, 60)}\` of ${this.path}: /config show lists them.`,
      );
    }
    return found.content.toString('utf8');
  }

  /**
   * Writes `text` over the file the member saw, after keeping what it held as a backup. Refused
   * when the file changed since it was read: the member confirmed a diff against that content.
   */
  async replace(seen: LoadedConfig, text: string): Promise<string> {
    const current = await this.files.read(this.server, this.path);
    if (!current.content.equals(seen.file.content)) {
      throw new UserError(
        `${this.path} changed since it was read; nothing was written. Run the command again.`,
      );
    }
    const name = this.now().toISOString().replace(/:/g, '-');
    const kept = (await this.backupFiles()).slice(0, BACKUPS_KEPT - 1);
    const folder = posix.basename(this.backupDir);
    const backup = (file: Pick<ContainerFile, 'name' | 'content'>): ArchiveEntry => ({
      ...current,
      type: 'file',
      name: `${folder}/${file.name}`,
      content: file.content,
    });
    await this.files.put(this.server, posix.dirname(this.path), [
      { type: 'file', name: folder, content: Buffer.alloc(0) },
      { type: 'directory', name: folder },
      backup({ name: `${name}.json`, content: current.content }),
      ...kept.map(backup),
    ]);
    await this.files.put(this.server, posix.dirname(this.path), [
      { ...current, type: 'file', name: posix.basename(this.path), content: Buffer.from(text, 'utf8') },
    ]);
    return name;
  }

  private async backupFiles(): Promise<ContainerFile[]> {
    const files = await this.files.list(this.server, this.backupDir);
    return files.filter((f) => /^[\w.-]+\.json$/.test(f.name)).sort((a, b) => compareText(b.name, a.name));
  }
}

/** The file (or the part a path names) as a member may see it: the password masked. */
export function showConfig(loaded: LoadedConfig, pathText?: string): { path: string; text: string } {
  if (pathText === undefined)
    return { path: '', text: formatLike(loaded.text, maskConfigSecrets(loaded.json)) };
  const resolved = resolveConfigPath(loaded.json, parseConfigPath(pathText));
  const path = formatPath(resolved.parts);
  if (resolved.current === undefined) return { path, text: '(not set in the file)' };
  const secret = isSecretKey(resolved.parts.at(-1)) && resolved.current !== null;
  return { path, text: formatLike(loaded.text, secret ? MASK : maskConfigSecrets(resolved.current)) };
}

/** `/config set`'s change: the path resolved, the value typed as its field's type, the whole file still valid. */
export function planSet(
  loaded: LoadedConfig,
  pathText: string,
  valueText: string,
): ConfigChange & { path: string; secret: boolean } {
  const resolved = resolveConfigPath(loaded.json, parseConfigPath(pathText));
  const path = formatPath(resolved.parts);
  const secret = isSecretKey(resolved.parts.at(-1));
  const value = parseConfigValue(valueText, resolved.shape, path);
  if (JSON.stringify(value) === JSON.stringify(resolved.current)) {
    throw new InvalidInputError(
      `${path} is already ${secret ? 'that' : `\`${JSON.stringify(value)}\``}: nothing to change.`,
    );
  }
  const json = withValue(loaded.json, resolved.parts, value);
  refuseNewProblems(loaded.json, json);
  return { ...change(loaded, json), path, secret };
}

/** `/config restore`'s change: the backup's content back, once it reads as JSON. */
export function planRestore(loaded: LoadedConfig, backupText: string, name: string): ConfigChange {
  const json = parseJson(backupText, `backup ${name}`);
  const diff = lineDiff(
    formatLike(loaded.text, maskConfigSecrets(loaded.json)),
    formatLike(loaded.text, maskConfigSecrets(json)),
  );
  return { text: backupText, diff: diff || sameOrSecret(backupText, loaded.text) };
}

function change(loaded: LoadedConfig, json: unknown): ConfigChange {
  const diff = lineDiff(
    formatLike(loaded.text, maskConfigSecrets(loaded.json)),
    formatLike(loaded.text, maskConfigSecrets(json)),
  );
  // The file is written from its parsed JSON: a hand-made layout (lists on one line) does not survive.
  const relaid = formatLike(loaded.text, loaded.json) !== loaded.text;
  const note = relaid
    ? '\n(The rest of the file is rewritten in the standard layout, its content unchanged.)'
    : '';
  return {
    text: formatLike(loaded.text, json),
    diff: (diff || '(only the password changes; it is never shown)') + note,
  };
}

function sameOrSecret(next: string, current: string): string {
  return next === current ? '(the same content as now)' : '(only the password or the layout changes)';
}

/** Problems the change brings (a file already wrong elsewhere can still be fixed field by field). */
function refuseNewProblems(before: unknown, after: unknown): void {
  const old = new Set(configProblems(before));
  const added = configProblems(after).filter((p) => !old.has(p));
  if (added.length > 0)
    throw new InvalidInputError(`That would make Config.json invalid:\n${added.join('\n')}`);
}

/** JSON.parse's own message quotes the text around the fault, which may hold the password: only the place is told. */
function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    let where = '';
    if (at) {
      const before = text.slice(0, Number(at[1])).split('\n');
      where = ` (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
    }
    throw new UserError(`${what} is not valid JSON${where}: fix it by hand; the bot changes nothing in it.`);
  }
}
