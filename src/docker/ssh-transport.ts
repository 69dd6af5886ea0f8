import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { ConnectConfig } from 'ssh2';
import { DockerUnreachableError } from '../errors.js';

const require = createRequire(import.meta.url);

/** Enough of what the far side printed on stderr to say why it failed. */
const KEPT_STDERR = 2000;

/** An ssh:// host refused or failed before Docker was reached, for a reason the operator can fix. */
export class SshRefusedError extends DockerUnreachableError {
  override name = 'SshRefusedError';
  constructor(readonly reason: string) {
    super(`Docker is unreachable (${reason}).`);
  }
}

/**
 * The HTTP agent of an ssh:// Docker host: each request gets an ssh connection of its own and runs
 * `docker system dial-stdio` there, as the docker CLI does. It stands in for docker-modem's own
 * ssh agent, which ends the ssh connection only on the channel's `close`; ssh2 emits that only
 * once the channel's output has been read to its end, which a response Node is done with at times
 * never is, so connections (and their sshd and dial-stdio on the host) were left open. It also
 * drops the far side's stderr, the only words on why dial-stdio failed.
 */
export class SshDialAgent extends Agent {
  constructor(
    private readonly config: ConnectConfig,
    /** How errors name the host: `user@[host]:port`. */
    readonly where: string,
  ) {
    super({ keepAlive: false });
  }

  override createConnection(
    _options: unknown,
    done: (err: Error | null, socket?: Duplex) => void,
  ): undefined {
    // ssh2 is loaded on the first ssh:// request only (see lazy-modules.ts).
    const { Client } = require('ssh2') as typeof import('ssh2');
    const conn = new Client();
    let settled = false;
    const settle = (err: Error | null, socket?: Duplex) => {
      if (settled) return;
      settled = true;
      done(err, socket);
    };
    conn.on('error', (err) => {
      conn.end();
      settle(err);
    });
    conn.once('ready', () => {
      conn.exec('docker system dial-stdio', (err, channel) => {
        if (err) {
          conn.end();
          settle(err);
          return;
        }
        let stderr = '';
        channel.stderr.on('data', (chunk: Buffer) => {
          stderr = (stderr + chunk.toString('utf8')).slice(-KEPT_STDERR);
        });
        // dial-stdio prints nothing but why it failed. Told before the HTTP client sees the end
        // (it would only say "socket hang up"), and only to whoever listens: an error event
        // nobody listens to would crash the bot. sshd sends all of stderr before the end.
        channel.once('end', () => {
          if (stderr.trim() !== '' && channel.listenerCount('error') > 0) {
            channel.emit(
              'error',
              new SshRefusedError(`docker system dial-stdio on ${this.where} failed: ${stderr.trim()}`),
            );
          }
        });
        // The command's exit is the end of the connection, whether or not anyone read it all.
        channel.once('exit', () => conn.end());
        channel.once('close', () => conn.end());
        settle(null, channel);
      });
    });
    conn.connect(this.config);
    return undefined;
  }
}
