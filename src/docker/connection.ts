import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import './lazy-modules.js';
import Docker from 'dockerode';
import pTimeout from 'p-timeout';
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, ConnectConfig } from 'ssh2';
import type { DockerConfig } from '../config.js';
import { DockerUnreachableError } from '../errors.js';
import { hostKeyName, hostKeyRefusal } from './known-hosts.js';
import { SshDialAgent, SshRefusedError } from './ssh-transport.js';

export interface DockerEndpoint {
  /** Where it points, as a user would write it in DOCKER_HOST. */
  address: string;
  options: Docker.DockerOptions;
}

const PING_TIMEOUT_MS = 3000;
const require = createRequire(import.meta.url);

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
  if (url.protocol === 'ssh:') return { address, options: sshOptions(url, port ?? 22, config) };
  const tls = config.tlsVerify || port === 2376 || url.protocol === 'https:';
  if (!tls) return { address, options: { protocol: 'http', host: url.hostname, port: port ?? 2375 } };
  const certs = config.certPath ?? join(homedir(), '.docker');
  return {
    address,
    options: { protocol: 'https', host: url.hostname, port: port ?? 2376, ...readCerts(certs) },
  };
}

/**
 * An ssh:// host: one ssh connection per request, running `docker system dial-stdio` there. The
 * host key must be in the known_hosts file, and the login is the key file or else the agent. Both
 * files are read on each connection: a fixed file takes effect at the next retry, and a problem
 * with one fails that connection in words that name the file.
 */
function sshOptions(url: URL, port: number, config: DockerConfig): Docker.DockerOptions {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // As ssh and the docker CLI do: without a user in the address, the local one.
  const username = decodeURIComponent(url.username) || userInfo().username;
  const knownHosts = config.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  const identityFile = config.identityFile;
  const hostVerifier = (key: Buffer): boolean => {
    const refusal = hostKeyRefusal(knownHosts, host, port, key);
    // ssh2 turns an exception thrown here into the connection's error, our words intact; a plain
    // `false` would say only "Host denied (verification failed)".
    if (refusal !== undefined) throw new SshRefusedError(refusal);
    return true;
  };
  const authHandler = (methodsLeft: AuthenticationType[] | null): AnyAuthMethod | false => {
    // ssh2 asks again only once the server has turned the first method down.
    if (methodsLeft !== null) {
      if (identityFile === undefined) return false;
      throw new SshRefusedError(
        `${username}@${hostKeyName(host, port)} did not accept the ssh key ${identityFile} (is its public key in that user's ~/.ssh/authorized_keys?)`,
      );
    }
    if (identityFile !== undefined) return { type: 'publickey', username, key: readIdentity(identityFile) };
    const agent = process.env.SSH_AUTH_SOCK;
    if (agent === undefined || agent === '')
      throw new SshRefusedError(
        `no ssh key to log in to ${hostKeyName(host, port)} with: set identityFile for this host, or run the bot with an ssh agent (SSH_AUTH_SOCK)`,
      );
    return { type: 'agent', username, agent };
  };
  const connectConfig: ConnectConfig = {
    host,
    port,
    username,
    hostVerifier,
    // @types/ssh2 leaves out the first call's null and the answer given by returning.
    authHandler: authHandler as unknown as AuthHandlerMiddleware,
    // The attach and events streams are long-lived: a silently dead link is noticed within a minute.
    keepaliveInterval: 20_000,
    keepaliveCountMax: 3,
  };
  // Plain HTTP to docker-modem, through an agent whose every connection is an ssh dial (ssh-transport.ts);
  // @types/dockerode leaves out the `agent` docker-modem takes.
  return {
    protocol: 'http',
    host,
    port,
    agent: new SshDialAgent(connectConfig, `${username}@${hostKeyName(host, port)}`),
  } as Docker.DockerOptions;
}

/** The private key, checked the way ssh2 will use it: one that cannot be used fails here, by name. */
function readIdentity(file: string): Buffer {
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(err)})`;
    throw new SshRefusedError(`the ssh key file ${file} ${why}`);
  }
  // ssh2 is loaded by now (it is what calls this); importing it at the top would load it for every bot.
  const { utils } = require('ssh2') as typeof import('ssh2');
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) {
    const why = /passphrase/i.test(parsed.message)
      ? 'is protected by a passphrase, which the bot cannot type: use a key without one, or an ssh agent'
      : `is not a private key ssh can use (${parsed.message})`;
    throw new SshRefusedError(`the ssh key file ${file} ${why}`);
  }
  return key;
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
  if (err instanceof SshRefusedError) return err.reason;
  const e = err as { code?: string; message?: string; hostname?: string };
  switch (e.code) {
    case 'ENOENT':
      return 'no socket there';
    case 'EACCES':
      return 'permission denied (is this user in the docker group?)';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'EPIPE':
    case 'ECONNRESET':
      return 'the connection was cut';
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
