import { describe, expect, it } from 'vitest';
import { fallbackConnection } from '../../src/docker/connection.js';
import { ManagedContainers } from '../../src/docker/containers.js';
import { isConnectionError, translateDockerError } from '../../src/docker/docker-errors.js';
import {
  ContainerConflictError,
  DockerUnreachableError,
  ServerStoppedError,
  UnknownServerError,
} from '../../src/errors.js';

/** What Node's resolver and sockets throw: a code (and for lookups, the host), no statusCode. */
function systemError(code: string, hostname?: string): Error {
  return Object.assign(new Error(`${code} (system error)`), { code, ...(hostname ? { hostname } : {}) });
}

/** What dockerode throws for an answer of the engine: a statusCode, no code. */
function engineError(statusCode: number, message = `(HTTP code ${statusCode})`): Error {
  return Object.assign(new Error(message), { statusCode });
}

describe('translateDockerError', () => {
  it.each([
    ['ENOTFOUND', 'host "docker.example" not found'],
    ['EAI_AGAIN', 'looking up host "docker.example" failed (DNS not answering)'],
    ['ECONNREFUSED', 'connection refused'],
  ])('reports %s as Docker being unreachable', (code, reason) => {
    const err = translateDockerError(systemError(code, 'docker.example'), 'lobby');
    expect(err).toBeInstanceOf(DockerUnreachableError);
    expect(err.message).toBe(`Docker is unreachable (${reason}).`);
    expect(isConnectionError(systemError(code))).toBe(true);
  });

  it('reads the status code, never the message', () => {
    const lookalike = new Error('getaddrinfo ENOTFOUND docker.example; 404 no such container');
    expect(translateDockerError(lookalike, 'lobby')).toBe(lookalike);
    expect(translateDockerError(engineError(404, 'anything'), 'lobby')).toBeInstanceOf(UnknownServerError);
  });

  it('names the state a 409 conflicts with when the caller knows it, else says the server is busy or paused', () => {
    const conflict = engineError(409);
    expect(translateDockerError(conflict, 'lobby', () => new ServerStoppedError('lobby'))).toBeInstanceOf(
      ServerStoppedError,
    );
    const generic = translateDockerError(conflict, 'lobby');
    expect(generic).toBeInstanceOf(ContainerConflictError);
    expect(generic.message).toBe('Docker refused: server "lobby" is busy or paused.');
  });
});

describe('a DOCKER_HOST whose name does not resolve', () => {
  // `.invalid` never resolves (RFC 2606): the lookup fails without any packet to a Docker host.
  const host = 'tcp://no-such-host.invalid:2375';

  it('makes every later Docker call fail as unreachable, as a refused connection does', async () => {
    const { docker, address } = fallbackConnection({ host, tlsVerify: false });
    expect(address).toBe(host);
    const containers = new ManagedContainers(docker, { kind: 'names', names: ['lobby'] });
    for (const call of [() => containers.list(), () => containers.get('lobby')]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DockerUnreachableError);
      expect((err as Error).message).toMatch(/^Docker is unreachable \(.*"no-such-host\.invalid".*\)\.$/);
    }
  });
});
