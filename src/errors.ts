/**
 * Two kinds of error cross the layers: a UserError, whose message is written for a moderator and
 * shown as is, and everything else, which is logged with context and shown as a short apology.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** Input that would break or abuse the console line; refused before anything is sent. */
export class InvalidInputError extends UserError {
  override name = 'InvalidInputError';
}

export class UnknownServerError extends UserError {
  override name = 'UnknownServerError';
  constructor(readonly server: string) {
    super(`There is no managed server called "${server}".`);
  }
}

export class ServerStoppedError extends UserError {
  override name = 'ServerStoppedError';
  constructor(readonly server: string) {
    super(`Server "${server}" is stopped.`);
  }
}

export class DockerUnreachableError extends UserError {
  override name = 'DockerUnreachableError';
}

export class ConsoleTimeoutError extends UserError {
  override name = 'ConsoleTimeoutError';
  constructor(
    readonly server: string,
    readonly line: string,
    readonly seconds: number,
  ) {
    super(`The console of "${server}" did not answer within ${seconds} s.`);
  }
}

/** The console stream closed (container stopped or crashed) while a command was waiting. */
export class ConsoleClosedError extends UserError {
  override name = 'ConsoleClosedError';
  constructor(readonly server: string) {
    super(`The console of "${server}" closed before it answered (the server stopped or crashed).`);
  }
}

/** A container created without stdin open: whatever is typed into its console goes nowhere. */
export class StdinClosedError extends UserError {
  override name = 'StdinClosedError';
  constructor(readonly server: string) {
    super(
      `The container of "${server}" does not keep stdin open, so the bot cannot type into its console: recreate it with \`stdin_open: true\` (compose) or \`docker run -i\`.`,
    );
  }
}

/** The headless answered, but not with the success line: carries its own words. */
export class HeadlessFailureError extends UserError {
  override name = 'HeadlessFailureError';
  constructor(readonly reply: string) {
    super(reply.length > 0 ? `The server answered: ${reply}` : 'The server did not confirm the action.');
  }
}

/** A Docker call the container's state forbids (409), e.g. attaching to a paused container. */
export class ContainerConflictError extends UserError {
  override name = 'ContainerConflictError';
}

/** A paused container's processes are frozen: its console cannot answer until it is unpaused. */
export class ServerPausedError extends ContainerConflictError {
  override name = 'ServerPausedError';
  constructor(readonly server: string) {
    super(`Server "${server}" is paused: unpause it first.`);
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
