import type { Duplex, Readable } from 'node:stream';
import type Docker from 'dockerode';
import { ConsoleClosedError, ServerPausedError, ServerStoppedError } from '../errors.js';
import { summarize, type ManagedContainer } from './container-info.js';
import { DemuxStream } from './demux.js';
import { statusOf, translateDockerError } from './docker-errors.js';

/** A hijacked attach to a container's stdin and output: the transport a console session runs on. */
export interface AttachedStream {
  /** The container's output as bytes, demultiplexed when the container has no TTY. */
  output: Readable;
  write(text: string): void;
  /** Drops the connection only: the container's stdin stays open (StdinOnce is false), the headless keeps running. */
  close(): void;
  tty: boolean;
}

/** Docker's 409 and Podman's 500: the state read back says whether the container is not running. */
const REFUSED_FOR_STATE = new Set<number | undefined>([409, 500]);

/**
 * Attaches to a running container. One that stopped or was paused since its state was last read
 * fails with ServerStoppedError or ServerPausedError: Docker refuses a paused container (409), but
 * to a stopped one it opens a stream that never carries anything, so the state is read back.
 * Podman refuses both with a 500 ("container state improper"), and at times opens that empty
 * stream to a stopped one too.
 */
export async function attachStream(container: Docker.Container, tty: boolean): Promise<AttachedStream> {
  let socket: Duplex;
  try {
    socket = await hijackedAttach(container);
  } catch (err) {
    if (!REFUSED_FOR_STATE.has(statusOf(err))) throw translateDockerError(err, container.id);
    const state = await inspect(container);
    throw notRunning(state) ?? translateDockerError(err, state.name);
  }
  // Nothing reads the stream while the state is read: an error meanwhile must not crash the process,
  // and a stream that closed meanwhile would leave its session waiting on nothing.
  const ignore = () => undefined;
  socket.on('error', ignore);
  let refusal: Error | undefined;
  try {
    const state = await inspect(container);
    refusal = notRunning(state) ?? (socket.destroyed ? new ConsoleClosedError(state.name) : undefined);
  } catch (err) {
    refusal = err as Error;
  } finally {
    socket.off('error', ignore);
  }
  if (refusal) {
    socket.destroy();
    throw refusal;
  }
  return wrap(socket, tty);
}

/**
 * Docker's attach, hijacked (101, then raw bytes both ways), sent with an empty body. dockerode's
 * own attach sends its options as a JSON body as well, and HAProxy, the engine of the common
 * socket proxies, drops the Upgrade of a request that carries a body: the engine then answers 200
 * and nothing typed reaches the console. A zero-length `file` is how docker-modem sends
 * Content-Length: 0.
 */
function hijackedAttach(container: Docker.Container): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    container.modem.dial(
      {
        path: `/containers/${container.id}/attach?`,
        method: 'POST',
        options: { stream: true, stdin: true, stdout: true, stderr: true },
        file: Buffer.alloc(0),
        isStream: true,
        hijack: true,
        openStdin: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
      },
      (err: Error | null, stream: unknown) => (err ? reject(err) : resolve(stream as Duplex)),
    );
  });
}

async function inspect(container: Docker.Container): Promise<ManagedContainer> {
  try {
    return summarize(await container.inspect());
  } catch (err) {
    throw translateDockerError(err, container.id);
  }
}

function notRunning(state: ManagedContainer): Error | undefined {
  if (state.state === 'paused') return new ServerPausedError(state.name);
  if (state.state !== 'running') return new ServerStoppedError(state.name);
  return undefined;
}

function wrap(socket: Duplex, tty: boolean): AttachedStream {
  let output: Readable = socket;
  if (!tty) {
    const demux = new DemuxStream();
    socket.pipe(demux);
    output = demux;
    socket.on('end', () => demux.end());
    socket.on('close', () => demux.destroy());
    socket.on('error', (err: Error) => demux.destroy(err));
  }
  return {
    output,
    tty,
    write: (text) => {
      socket.write(text);
    },
    // destroy, not end: a half-closed stdin would reach the headless as end of input.
    close: () => socket.destroy(),
  };
}
