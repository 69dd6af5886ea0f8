import type { Logger } from 'pino';
import { DEFAULT_HOST } from '../config.js';
import { answeredServers, type BoardSnapshot, type ConsoleHealth } from './snapshot.js';

/**
 * The monitor's part of the story in the log, at info, one line per change: the events stream lost
 * and back, Docker unreachable and back, a console not answering and answering again. What does
 * not change is not repeated; the rest is debug.
 */
export class StoryLog {
  /** Hosts whose events stream is lost. */
  private readonly eventsLost = new Set<string>();
  private readonly eventsEverConnected = new Set<string>();
  /** Hosts last seen unreachable. */
  private readonly dockerDown = new Set<string>();
  private readonly consoles = new Map<string, ConsoleHealth>();

  constructor(private readonly logger: Logger) {}

  eventsConnected(caughtUp: number, host = DEFAULT_HOST): void {
    if (this.eventsLost.has(host))
      this.logger.info(
        { caughtUp, host },
        `${on(host)}Docker events stream back, caught up ${caughtUp} events`,
      );
    else if (!this.eventsEverConnected.has(host)) this.logger.debug({ host }, 'following Docker events');
    this.eventsLost.delete(host);
    this.eventsEverConnected.add(host);
  }

  eventsDisconnected(err: Error, host = DEFAULT_HOST): void {
    if (this.eventsLost.has(host)) {
      this.logger.debug({ reason: err.message, host }, 'Docker events stream still lost; retrying');
      return;
    }
    this.eventsLost.add(host);
    this.logger.info({ reason: err.message, host }, `${on(host)}Docker events stream lost; reconnecting`);
  }

  sweep(snapshot: BoardSnapshot): void {
    const hosts = snapshot.hosts ?? [{ name: DEFAULT_HOST, error: snapshot.dockerError }];
    for (const { name: host, error } of hosts) {
      const down = error !== undefined;
      if (down && !this.dockerDown.has(host))
        this.logger.warn({ reason: error, host }, `${on(host)}Docker is unreachable`);
      if (!down && this.dockerDown.has(host))
        this.logger.info({ host }, `${on(host)}Docker is reachable again`);
      if (down) this.dockerDown.add(host);
      else this.dockerDown.delete(host);
    }
    for (const server of answeredServers(snapshot)) {
      const before = this.consoles.get(server.name);
      this.consoles.set(server.name, server.console);
      // A console silent from the first sweep on is news too (a headless that never showed a prompt).
      if (before === server.console || (before === undefined && server.console === 'ok')) continue;
      if (server.console === 'not answering' || server.console === 'error') {
        this.logger.info(
          { server: server.name, detail: server.consoleDetail },
          `console of ${server.name} is slow or not answering${server.consoleDetail ? `: ${server.consoleDetail}` : ''}`,
        );
      } else if (server.console === 'ok') {
        this.logger.info({ server: server.name }, `console of ${server.name} answers again`);
      }
    }
  }
}

/** "host eu-2: " before a line about one of several hosts; nothing for the only one. */
function on(host: string): string {
  return host === DEFAULT_HOST ? '' : `host ${host}: `;
}
