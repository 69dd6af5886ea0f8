/**
 * A unix-socket relay in front of the real Docker socket that a test can cut and restore: the bot
 * under test sees its daemon go away and come back while the engine (and every other test) runs on.
 */
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class DockerProxy {
  readonly socketPath = join(mkdtempSync(join(tmpdir(), 'rhb-proxy-')), 'docker.sock');
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target = '/var/run/docker.sock') {}

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
  }

  /** The daemon "stops": no new connections, and every open one (the events stream too) is cut. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
