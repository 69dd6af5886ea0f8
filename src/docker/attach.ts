import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { DemuxStream } from './demux.js';

/** A hijacked attach to a container's stdin and output: the transport a console session runs on. */
export interface AttachedStream {
  /** The container's output as bytes, demultiplexed when the container has no TTY. */
  output: Readable;
  write(text: string): void;
  /** Drops the connection only: the container's stdin stays open (StdinOnce is false), the headless keeps running. */
  close(): void;
  tty: boolean;
}

export async function attachStream(container: Docker.Container, tty: boolean): Promise<AttachedStream> {
  const socket = (await container.attach({
    stream: true,
    stdin: true,
    stdout: true,
    stderr: true,
    hijack: true,
  })) as NodeJS.ReadWriteStream & { destroy(): void };
  let output = socket as unknown as Readable;
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
