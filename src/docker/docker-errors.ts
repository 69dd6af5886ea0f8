import { ContainerConflictError, DockerUnreachableError, UnknownServerError } from '../errors.js';
import { describeConnectError } from './connection.js';

const CONNECTION_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EACCES',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  // A DOCKER_HOST whose name does not resolve (or no DNS right now) is as unreachable as a refusal.
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Docker's answer as the statusCode dockerode attaches to its errors; connection failures have none. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? code : undefined;
}

export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

/**
 * Turns a dockerode error about one server into our typed errors, by statusCode
 * (never by message text). 304 is handled by callers, where "already so" means success; a 409
 * means what the caller was doing needs another state, which the caller names.
 */
export function translateDockerError(err: unknown, server: string, onConflict?: () => Error): Error {
  if (isConnectionError(err))
    return new DockerUnreachableError(`Docker is unreachable (${describeConnectError(err)}).`);
  switch (statusOf(err)) {
    case 404:
      return new UnknownServerError(server);
    case 409:
      return (
        onConflict?.() ?? new ContainerConflictError(`Docker refused: server "${server}" is busy or paused.`)
      );
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}
