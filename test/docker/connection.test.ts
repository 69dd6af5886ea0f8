import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidateEndpoints, connectDocker, endpointFor } from '../../src/docker/connection.js';
import { SshDialAgent } from '../../src/docker/ssh-transport.js';
import { DockerUnreachableError } from '../../src/errors.js';

describe('Docker endpoints', () => {
  it('tries the unix socket, then TLS on 2376, then plain 2375 when DOCKER_HOST is unset', () => {
    const endpoints = candidateEndpoints({ tlsVerify: false });
    expect(endpoints.map((e) => e.address)).toEqual([
      'unix:///var/run/docker.sock',
      'tcp://localhost:2376',
      'tcp://localhost:2375',
    ]);
    expect(endpoints[1]?.options.protocol).toBe('https');
    expect(endpoints[2]?.options.protocol).toBe('http');
  });

  it('uses DOCKER_HOST alone when it is set', () => {
    expect(
      candidateEndpoints({ host: 'tcp://docker.internal:2375', tlsVerify: false }).map((e) => e.address),
    ).toEqual(['tcp://docker.internal:2375']);
  });

  it('reads the TLS client certificates from DOCKER_CERT_PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rhb-certs-'));
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, file), file);
    const { options } = endpointFor('tcp://10.0.0.5:2376', { tlsVerify: true, certPath: dir });
    expect(options).toMatchObject({ protocol: 'https', host: '10.0.0.5', port: 2376 });
    expect(String(options.ca)).toBe('ca.pem');
    expect(String(options.key)).toBe('key.pem');
  });

  it('understands ssh:// with a user and port', () => {
    const { options } = endpointFor('ssh://deploy@host.example:2222', { tlsVerify: false });
    expect(options).toMatchObject({ protocol: 'http', host: 'host.example', port: 2222 });
    // Every connection of its HTTP agent is an ssh dial (src/docker/ssh-transport.ts).
    const agent = (options as { agent?: unknown }).agent;
    expect(agent).toBeInstanceOf(SshDialAgent);
    expect((agent as SshDialAgent).where).toBe('deploy@[host.example]:2222');
  });

  it('lists each place tried, in order, and why it failed', async () => {
    const candidates = [
      endpointFor('unix:///tmp/rhb-missing.sock', { tlsVerify: false }),
      endpointFor('tcp://127.0.0.1:1', { tlsVerify: false }),
    ];
    const err = await connectDocker({ tlsVerify: false }, candidates).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerUnreachableError);
    expect((err as Error).message.split('\n').slice(1)).toEqual([
      '  - unix:///tmp/rhb-missing.sock: no socket there',
      '  - tcp://127.0.0.1:1: connection refused',
    ]);
  });

  it('says a DOCKER_HOST whose name does not resolve was not found', async () => {
    const host = 'tcp://no-such-host.invalid:2375';
    const err = await connectDocker({ host, tlsVerify: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerUnreachableError);
    const [, tried, ...more] = (err as Error).message.split('\n');
    expect(more).toEqual([]);
    // Without a reachable resolver the lookup fails as "try again" instead: unreachable all the same.
    expect(tried).toMatch(
      /^ {2}- tcp:\/\/no-such-host\.invalid:2375: (host "no-such-host\.invalid" not found|looking up host "no-such-host\.invalid" failed \(DNS not answering\))$/,
    );
  });
});
