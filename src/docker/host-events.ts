import { EventEmitter } from 'node:events';
import { DockerEventsWatcher, type ContainerEvent, type EventsWatcherOptions } from './events.js';
import type { HostedContainers } from './hosts.js';

/**
 * Every host's events stream as one: each event says its host, and a stream lost or back says
 * which host's it was. Emits 'event' (ContainerEvent with `host`), 'connected' ({ caughtUp, host })
 * and 'disconnected' (Error, host), as DockerEventsWatcher does for one host.
 */
export class HostEvents extends EventEmitter {
  private readonly watchers: DockerEventsWatcher[];

  constructor(containers: HostedContainers, options: Omit<EventsWatcherOptions, 'isManaged'> = {}) {
    super();
    this.watchers = containers.hosts.map((host) => {
      const watcher = new DockerEventsWatcher(host.docker, {
        ...options,
        isManaged: (event) => host.containers.isManaged(event),
      });
      watcher.on('event', (event: ContainerEvent) => this.emit('event', { ...event, host: host.name }));
      watcher.on('connected', (info: { caughtUp: number }) =>
        this.emit('connected', { ...info, host: host.name }),
      );
      watcher.on('disconnected', (err: Error) => this.emit('disconnected', err, host.name));
      return watcher;
    });
  }

  start(): void {
    for (const watcher of this.watchers) watcher.start();
  }

  stop(): void {
    for (const watcher of this.watchers) watcher.stop();
  }
}
