import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import './lazy-modules.js';
import Docker from 'dockerode';
import pTimeout from 'p-timeout';
import type { DockerConfig } from '../config.js';
import { DockerUnreachableError } from '../errors.js';

export interface DockerEndpoint {
  /** Where it points, as a user would write it in DOCKER_HOST. */
  address: string;
  options: Docker.DockerOptions;
}

const PING_TIMEOUT_MS = 3000;

/** The endpoints to try, in Docker's own order: DOCKER_HOST alone when set. */
export function candidateEndpoints(config: DockerConfig): DockerEndpoint[] {
  if (config.host !== undefined) return [endpointFor(config.host, config)];
  return [
    endpointFor('unix:///var/run/docker.sock', config),
    endpointFor('tcp://localhost:2376', { ...config, tlsVerify: true }),
    endpointFor('tcp://localhost:2375', { ...config, tlsVerify: false }),
  ];
}

export function endpointFor(address: string, config: DockerConfig): DockerEndpoint {
  const url = new URL(address);
  // Docker's own variables must not leak in through docker-modem's defaults: ours are explicit.
  const base = { host: undefined, socketPath: undefined } as Docker.DockerOptions;
  if (url.protocol === 'unix:' || url.protocol === 'npipe:') {
    return { address, options: { ...base, socketPath: url.pathname || '/var/run/docker.sock' } };
  }
  const port = url.port === '' ? undefined : Number(url.port);
  if (url.protocol === 'ssh:') {
    return {
      address,
      options: {
        protocol: 'ssh',
        host: url.hostname,
        port: port ?? 22,
        username: decodeURIComponent(url.username) || undefined,
        sshOptions: { agent: process.env.SSH_AUTH_SOCK },
      } as Docker.DockerOptions,
    };
  }
  const tls = config.tlsVerify || port === 2376 || url.protocol === 'https:';
  if (!tls) return { address, options: { protocol: 'http', host: url.hostname, port: port ?? 2375 } };
  const certs = config.certPath ?? join(homedir(), '.docker');
  return {
    address,
    options: { protocol: 'https', host: url.hostname, port: port ?? 2376, ...readCerts(certs) },
  };
}

function readCerts(dir: string): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file));
    } catch {
      return undefined;
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

export interface DockerConnection {
  docker: Docker;
  address: string;
}

/**
 * Finds the engine: DOCKER_HOST when set, otherwise the first default that answers a ping.
 * Fails with every place tried and why.
 */
export async function connectDocker(
  config: DockerConfig,
  candidates = candidateEndpoints(config),
): Promise<DockerConnection> {
  const tried: string[] = [];
  for (const endpoint of candidates) {
    const docker = new Docker(endpoint.options);
    try {
      await pTimeout(docker.ping(), {
        milliseconds: PING_TIMEOUT_MS,
        message: `no answer within ${PING_TIMEOUT_MS} ms`,
      });
      return { docker, address: endpoint.address };
    } catch (err) {
      tried.push(`${endpoint.address}: ${describeConnectError(err)}`);
    }
  }
  throw new DockerUnreachableError(
    `Docker is unreachable. Tried:\n${tried.map((t) => `  - ${t}`).join('\n')}`,
  );
}

/** The endpoint to keep using when none answered at start-up, so that the bot can retry later. */
export function fallbackConnection(config: DockerConfig): DockerConnection {
  const [first] = candidateEndpoints(config);
  if (first === undefined) throw new Error('no Docker endpoint candidates');
  return { docker: new Docker(first.options), address: first.address };
}

export function describeConnectError(err: unknown): string {
  const e = err as { code?: string; message?: string; hostname?: string };
  switch (e.code) {
    case 'ENOENT':
      return 'no socket there';
    case 'EACCES':
      return 'permission denied (is this user in the docker group?)';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'ENOTFOUND':
      return `host ${hostOf(e)} not found`;
    case 'EAI_AGAIN':
      return `looking up host ${hostOf(e)} failed (DNS not answering)`;
    default:
      return e.message ?? String(err);
  }
}

function hostOf(err: { hostname?: string }): string {
  return err.hostname === undefined ? 'name' : `"${err.hostname}"`;
}
