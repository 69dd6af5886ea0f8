import { ConsoleTimeoutError, UserError } from '../errors.js';

/**
 * Attaching to the container's console hung. A ConsoleTimeoutError, so whoever tolerates a console
 * that does not answer (a graceful stop skipping its save) tolerates this too.
 */
export class ConsoleAttachTimeoutError extends ConsoleTimeoutError {
  override name = 'ConsoleAttachTimeoutError';
  constructor(server: string, seconds: number) {
    super(server, '', seconds);
    this.message = `Could not reach the console of "${server}" within ${seconds} s: attaching to its container hung.`;
  }
}

/** The headless's prompt said `NO WORLD>`: a command that needs a world had none to act on. */
export class NoWorldRunningError extends UserError {
  override name = 'NoWorldRunningError';
  constructor(readonly server: string) {
    super(`Server "${server}" has no world running.`);
  }
}

/** The headless answered `The world has been destroyed in the meanwhile`: the command did nothing. */
export class WorldDestroyedError extends UserError {
  override name = 'WorldDestroyedError';
  constructor(readonly server: string) {
    super(`The world on server "${server}" was restarted or closed while the command ran; try again.`);
  }
}
