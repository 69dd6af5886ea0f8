import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostKey, hostKeyName, hostKeyRefusal, parseKnownHosts } from '../../src/docker/known-hosts.js';

const sshString = (data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
};
/** A key blob as ssh sends it: the type, then the key bytes. Only its bytes are compared. */
const blob = (type: string, bytes: Buffer) => Buffer.concat([sshString(Buffer.from(type)), sshString(bytes)]);
const typeOf = (key: Buffer) => key.subarray(4, 4 + key.readUInt32BE(0)).toString();

// The key of the hashed lines below: the 32 bytes 0x00 to 0x1f.
const HOST_KEY = blob('ssh-ed25519', Buffer.from(Array.from({ length: 32 }, (_, i) => i)));
const OTHER_KEY = blob('ssh-ed25519', Buffer.alloc(32, 7));
const RSA_KEY = blob('ssh-rsa', Buffer.alloc(64, 1));
const line = (hosts: string, key = HOST_KEY, marker?: string) =>
  [...(marker ? [marker] : []), hosts, typeOf(key), key.toString('base64')].join(' ');

/** What `ssh-keygen -H` made of "[docker.example]:2222" and "docker.example" with HOST_KEY. */
const HASHED = [
  '|1|m54FwKD8pL/HUQ8YoSkP2Ed6wYQ=|09Lqkk312xaKRXxB6KnVqcWL8QY= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f',
  '|1|a4Dx9F1Mm4A9qBmQ1vHlm2/gyts=|sO8VmHiVb5p4S0+5VikrqbfOQds= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f',
].join('\n');

const verdict = (text: string, host: string, port: number, key: Buffer = HOST_KEY) =>
  checkHostKey(parseKnownHosts(text), hostKeyName(host, port), key).verdict;

describe('known_hosts host names', () => {
  it('names a host plainly on port 22 and as [host]:port on any other, lower case, IPv6 unbracketed', () => {
    expect(hostKeyName('Docker.Example', 22)).toBe('docker.example');
    expect(hostKeyName('docker.example', 2222)).toBe('[docker.example]:2222');
    expect(hostKeyName('[::1]', 22)).toBe('::1');
    expect(hostKeyName('[::1]', 2222)).toBe('[::1]:2222');
  });
});

describe('checking a host key against known_hosts', () => {
  it('knows a key listed under the plain name on port 22, but not on another port', () => {
    expect(verdict(line('docker.example'), 'docker.example', 22)).toBe('known');
    expect(verdict(line('docker.example') + ' deploy@laptop', 'docker.example', 22)).toBe('known');
    expect(verdict(line('docker.example'), 'docker.example', 2222)).toBe('unknown');
  });

  it('knows a key listed under [host]:port on that port only', () => {
    expect(verdict(line('[docker.example]:2222'), 'docker.example', 2222)).toBe('known');
    expect(verdict(line('[docker.example]:2222'), 'docker.example', 2200)).toBe('unknown');
    expect(verdict(line('[docker.example]:2222'), 'docker.example', 22)).toBe('unknown');
  });

  it('knows hashed entries as ssh-keygen -H writes them', () => {
    expect(verdict(HASHED, 'docker.example', 2222)).toBe('known');
    expect(verdict(HASHED, 'docker.example', 22)).toBe('known');
    expect(verdict(HASHED, 'docker.example', 2200)).toBe('unknown');
    expect(verdict(HASHED, 'other.example', 22)).toBe('unknown');
    expect(verdict(HASHED, 'docker.example', 2222, OTHER_KEY)).toBe('changed');
  });

  it('reads comma-separated names, wildcards and negated patterns', () => {
    const text = line('old-name,*.example,!bad.example');
    expect(verdict(text, 'old-name', 22)).toBe('known');
    expect(verdict(text, 'docker.example', 22)).toBe('known');
    expect(verdict(text, 'bad.example', 22)).toBe('unknown');
    expect(verdict(line('docker?.example'), 'docker1.example', 22)).toBe('known');
    expect(verdict(line('docker?.example'), 'docker10.example', 22)).toBe('unknown');
    // A dot in a pattern is a dot, not any character.
    expect(verdict(line('docker.example'), 'dockerxexample', 22)).toBe('unknown');
  });

  it('says a different key of the same type is a changed key', () => {
    expect(verdict(line('docker.example', OTHER_KEY), 'docker.example', 22)).toBe('changed');
  });

  it('says a host listed with keys of other types only has those types', () => {
    const result = checkHostKey(parseKnownHosts(line('docker.example', RSA_KEY)), 'docker.example', HOST_KEY);
    expect(result).toEqual({ verdict: 'other types', types: ['ssh-rsa'] });
  });

  it('knows the matching key among several lines for a host', () => {
    const text = [
      line('docker.example', RSA_KEY),
      line('docker.example', OTHER_KEY),
      line('docker.example'),
    ].join('\n');
    expect(verdict(text, 'docker.example', 22)).toBe('known');
  });

  it('refuses a key marked @revoked, even when another line lists it', () => {
    const text = [line('docker.example'), line('*', HOST_KEY, '@revoked')].join('\n');
    expect(verdict(text, 'docker.example', 22)).toBe('revoked');
    expect(
      verdict(line('*', OTHER_KEY, '@revoked') + '\n' + line('docker.example'), 'docker.example', 22),
    ).toBe('known');
  });

  it('does not take an @cert-authority line as the host key (ssh2 takes no host certificates)', () => {
    expect(verdict(line('docker.example', HOST_KEY, '@cert-authority'), 'docker.example', 22)).toBe(
      'unknown',
    );
  });

  it('skips comments, blank lines and damaged lines', () => {
    const damaged = `docker.example ssh-rsa ${HOST_KEY.toString('base64')}`;
    const text = [
      '# docker.example',
      '',
      '   ',
      damaged,
      'docker.example ssh-ed25519',
      `  ${line('docker.example')}  `,
    ].join('\n');
    expect(parseKnownHosts(text)).toHaveLength(1);
    expect(verdict(text, 'docker.example', 22)).toBe('known');
    expect(verdict([damaged, '# ' + line('docker.example')].join('\n'), 'docker.example', 22)).toBe(
      'unknown',
    );
  });
});

describe('refusing a host key, in words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rhb-known-hosts-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('accepts a listed key', () => {
    expect(
      hostKeyRefusal(file('listed', line('[docker.example]:2222')), 'docker.example', 2222, HOST_KEY),
    ).toBe(undefined);
  });

  it('names the file and the host of an unknown key, and how to add it', () => {
    const path = file('empty', '');
    expect(hostKeyRefusal(path, 'docker.example', 2222, HOST_KEY)).toBe(
      `the ssh host key of [docker.example]:2222 (ssh-ed25519) is not in ${path}; add it with \`ssh-keyscan -p 2222 docker.example >> ${path}\` after checking its fingerprint (ssh-keygen -lf on the host's key)`,
    );
    expect(hostKeyRefusal(path, 'docker.example', 22, HOST_KEY)).toContain(
      `add it with \`ssh-keyscan docker.example >> ${path}\``,
    );
  });

  it('warns of a changed key and says how to replace it only if it was replaced', () => {
    const path = file('changed', line('docker.example', OTHER_KEY));
    expect(hostKeyRefusal(path, 'docker.example', 22, HOST_KEY)).toBe(
      `the ssh host key of docker.example (ssh-ed25519) does not match the one in ${path}: someone may be impersonating the host, or its key was replaced; only if you know it was, remove the old one (ssh-keygen -R 'docker.example' -f ${path}) and add it with \`ssh-keyscan -t ssh-ed25519 docker.example >> ${path}\` after checking its fingerprint (ssh-keygen -lf on the host's key)`,
    );
  });

  it('names the key types the file has for the host', () => {
    const path = file('rsa-only', line('docker.example', RSA_KEY));
    expect(hostKeyRefusal(path, 'docker.example', 22, HOST_KEY)).toContain(
      `the ssh host key of docker.example is a ssh-ed25519 key, and ${path} has only ssh-rsa keys for it; add it with \`ssh-keyscan -t ssh-ed25519 docker.example >> ${path}\``,
    );
  });

  it('says a revoked key is revoked', () => {
    const path = file('revoked', line('docker.example', HOST_KEY, '@revoked'));
    expect(hostKeyRefusal(path, 'docker.example', 22, HOST_KEY)).toBe(
      `the ssh host key of docker.example (ssh-ed25519) is marked @revoked in ${path}`,
    );
  });

  it('says the known_hosts file is missing', () => {
    const path = join(dir, 'missing');
    expect(hostKeyRefusal(path, 'docker.example', 22, HOST_KEY)).toMatch(
      new RegExp(
        `^the ssh host key of docker\\.example cannot be checked: the known_hosts file ${path} does not exist; add it with`,
      ),
    );
  });
});
