import type { Logger } from 'pino';
import type { BoardSnapshot, ConsoleHealth } from './snapshot.js';

/**
 * The monitor's part of the story in the log, at info, one line per change: the events stream lost
 * and back, Docker unreachable and back, a console not answering and answering again. What does
 * not change is not repeated; the rest is debug.
 */
export class StoryLog {
  private eventsLost = false;
  private eventsEverConnected = false;
  private dockerDown = false;
  private readonly consoles = new Map<string, ConsoleHealth>();

  constructor(private readonly logger: Logger) {}

  eventsConnected(caughtUp: number): void {
    if (this.eventsLost)
      this.logger.info({ caughtUp }, `Docker events stream back, caught up ${caughtUp} events`);
    else if (!this.eventsEverConnected) this.logger.debug('following Docker events');
    this.eventsLost = false;
    this.eventsEverConnected = true;
  }

  eventsDisconnected(err: Error): void {
    if (this.eventsLost) {
      this.logger.debug({ reason: err.message }, 'Docker events stream still lost; retrying');
      return;
    }
    this.eventsLost = true;
    this.logger.info({ reason: err.message }, 'Docker events stream lost; reconnecting');
  }

  sweep(snapshot: BoardSnapshot): void {
    const down = snapshot.dockerError !== undefined;
    if (down && !this.dockerDown) this.logger.warn({ reason: snapshot.dockerError }, 'Docker is unreachable');
    if (!down && this.dockerDown) this.logger.info('Docker is reachable again');
    this.dockerDown = down;
    if (down) return;
    for (const server of snapshot.servers) {
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
