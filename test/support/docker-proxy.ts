/**
 * A unix-socket relay in front of the real Docker socket that a test can cut and restore: the bot
 * under test sees its daemon go away and come back while the engine (and every other test) runs on.
 */
import { mkdtempSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class DockerProxy {
  readonly socketPath = join(mkdtempSync(join(tmpdir(), 'rhb-proxy-')), 'docker.sock');
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  /** `mode`: the socket file's permissions (e.g. 0o660 for a client that is only in its group). */
  constructor(
    private readonly target = '/var/run/docker.sock',
    private readonly mode?: number,
  ) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.socketPath, resolve));
    if (this.mode !== undefined) {
      // The folder too: a client outside root's user must be able to reach the socket in it.
      await chmod(dirname(this.socketPath), this.mode | 0o110);
      await chmod(this.socketPath, this.mode);
    }
  }

  /** The daemon "stops": no new connections, and every open one (the events stream too) is cut. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
