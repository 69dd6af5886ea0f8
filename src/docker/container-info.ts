import type Docker from 'dockerode';

export type ContainerState =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' | 'missing';
export type Health = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface ManagedContainer {
  id: string;
  name: string;
  state: ContainerState;
  health: Health;
  startedAt: Date | null;
  finishedAt: Date | null;
  uptimeSeconds: number | null;
  restartCount: number;
  exitCode: number | null;
  oomKilled: boolean;
  tty: boolean;
  /** Created with stdin open (`stdin_open`, `docker run -i`): without it the console hears nothing. */
  openStdin?: boolean;
  image: string;
  labels: Record<string, string>;
  /** The Docker host it is on, when the bot manages several (see HostedContainers). */
  host?: string;
}

const NEVER = '0001-01-01T00:00:00Z';

export function summarize(info: Docker.ContainerInspectInfo, now = Date.now()): ManagedContainer {
  const state = info.State;
  const startedAt = parseDockerTime(state.StartedAt);
  const running = state.Running && !state.Paused;
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    state: state.Status as ContainerState,
    // Podman reports an empty status for a container without a health check; Docker leaves Health out.
    health: (state.Health?.Status as Health | undefined) || 'none',
    startedAt,
    finishedAt: parseDockerTime(state.FinishedAt),
    uptimeSeconds: running && startedAt ? Math.max(0, Math.floor((now - startedAt.getTime()) / 1000)) : null,
    restartCount: info.RestartCount,
    exitCode: state.Running ? null : state.ExitCode,
    oomKilled: state.OOMKilled,
    tty: info.Config.Tty,
    openStdin: info.Config.OpenStdin,
    image: info.Config.Image,
    labels: info.Config.Labels ?? {},
  };
}

/** A configured container that does not exist (yet): still listed, so an admin sees the typo. */
export function missingContainer(name: string): ManagedContainer {
  return {
    id: '',
    name,
    state: 'missing',
    health: 'none',
    startedAt: null,
    finishedAt: null,
    uptimeSeconds: null,
    restartCount: 0,
    exitCode: null,
    oomKilled: false,
    tty: false,
    image: '',
    labels: {},
  };
}

function parseDockerTime(value: string | undefined): Date | null {
  if (value === undefined || value === '' || value === NEVER) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
