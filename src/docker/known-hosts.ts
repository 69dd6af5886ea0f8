import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Host key verification for `ssh://` Docker hosts against an OpenSSH known_hosts file, as ssh does
 * with StrictHostKeyChecking=yes: a key that is not there, or differs from the one there, refuses
 * the connection. Whoever answers on a Docker host's address gets the bot's commands, which are
 * root on that machine, so nothing is trusted on first use.
 */

/** One key line of a known_hosts file (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"). */
export interface KnownHostLine {
  /** `@revoked`: this key is refused for the hosts it names, whatever other lines say. */
  revoked: boolean;
  /** The comma-separated host patterns, or one `|1|salt|hash` entry. */
  hosts: string;
  /** ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, ... */
  type: string;
  /** The public key blob, as ssh2 hands it to `hostVerifier`. */
  key: Buffer;
}

export type HostKeyVerdict =
  | { verdict: 'known' }
  | { verdict: 'unknown' }
  | { verdict: 'changed' }
  | { verdict: 'revoked' }
  /** The host is listed, with keys of other types only. */
  | { verdict: 'other types'; types: string[] };

/**
 * The key lines of a known_hosts file. Comments, blank and malformed lines are left out, and so are
 * `@cert-authority` lines: ssh2 does not take host certificates, so they could never match.
 */
export function parseKnownHosts(text: string): KnownHostLine[] {
  const lines: KnownHostLine[] = [];
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) continue;
    const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
    if (marker !== undefined && marker !== '@revoked') continue;
    const [hosts, type, base64] = fields;
    if (hosts === undefined || type === undefined || base64 === undefined) continue;
    const key = Buffer.from(base64, 'base64');
    // A line whose blob is not of its stated type is damaged: ssh skips it too.
    if (keyType(key) !== type) continue;
    lines.push({ revoked: marker === '@revoked', hosts, type, key });
  }
  return lines;
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` on any other. */
export function hostKeyName(host: string, port: number): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return port === 22 ? bare : `[${bare}]:${port}`;
}

/** What the known_hosts lines say of `key` presented by the host known as `name` (see hostKeyName). */
export function checkHostKey(lines: readonly KnownHostLine[], name: string, key: Buffer): HostKeyVerdict {
  const forHost = lines.filter((line) => namesHost(line.hosts, name));
  if (forHost.some((line) => line.revoked && line.key.equals(key))) return { verdict: 'revoked' };
  const listed = forHost.filter((line) => !line.revoked);
  if (listed.some((line) => line.key.equals(key))) return { verdict: 'known' };
  const type = keyType(key);
  if (listed.some((line) => line.type === type)) return { verdict: 'changed' };
  if (listed.length > 0) return { verdict: 'other types', types: [...new Set(listed.map((l) => l.type))] };
  return { verdict: 'unknown' };
}

/**
 * Why the key `host:port` presented is refused, in words for the operator that name the file and
 * the host, or undefined when the file lists it. The file is read on every connection, so a key
 * added or removed takes effect without a restart.
 */
export function hostKeyRefusal(file: string, host: string, port: number, key: Buffer): string | undefined {
  const name = hostKeyName(host, port);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(err)})`;
    return `the ssh host key of ${name} cannot be checked: the known_hosts file ${file} ${why}; ${addIt(host, port, file)}`;
  }
  const type = keyType(key) ?? 'unreadable';
  const result = checkHostKey(parseKnownHosts(text), name, key);
  switch (result.verdict) {
    case 'known':
      return undefined;
    case 'unknown':
      return `the ssh host key of ${name} (${type}) is not in ${file}; ${addIt(host, port, file)}`;
    case 'other types':
      return `the ssh host key of ${name} is a ${type} key, and ${file} has only ${result.types.join(', ')} keys for it; ${addIt(host, port, file, type)}`;
    case 'changed':
      return `the ssh host key of ${name} (${type}) does not match the one in ${file}: someone may be impersonating the host, or its key was replaced; only if you know it was, remove the old one (ssh-keygen -R '${name}' -f ${file}) and ${addIt(host, port, file, type)}`;
    case 'revoked':
      return `the ssh host key of ${name} (${type}) is marked @revoked in ${file}`;
  }
}

function addIt(host: string, port: number, file: string, type?: string): string {
  const options = [...(port === 22 ? [] : [`-p ${port}`]), ...(type === undefined ? [] : [`-t ${type}`])];
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return `add it with \`ssh-keyscan ${[...options, bare].join(' ')} >> ${file}\` after checking its fingerprint (ssh-keygen -lf on the host's key)`;
}

/** The type named at the start of a key blob (an SSH string: length, then the name). */
function keyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || 4 + length > blob.length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** Whether a line's host field names `name`: a hashed entry, or patterns with `*`, `?` and `!`. */
function namesHost(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (salt === undefined || hash === undefined) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    return mac.equals(Buffer.from(hash, 'base64'));
  }
  let matched = false;
  for (const pattern of hosts.toLowerCase().split(',')) {
    const negated = pattern.startsWith('!');
    if (!globMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    // A negated pattern that matches excludes the host from this line, whatever else matches.
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name);
}
