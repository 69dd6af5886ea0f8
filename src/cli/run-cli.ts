import { parseArgs } from 'node:util';
import { loadCoreConfig } from '../config.js';
import { maskConsoleSecretsInText } from '../console/secrets.js';
import { connectHosts, HostedContainers } from '../docker/hosts.js';
import { DockerUnreachableError, UserError } from '../errors.js';
import type { HeadlessServer } from '../servers/headless-server.js';
import { USER_ACTIONS } from '../servers/headless-server.js';
import { ServerSet } from '../servers/server-set.js';
import {
  formatBans,
  formatContainers,
  formatStats,
  formatStatus,
  formatUsers,
  formatWorlds,
} from './format.js';

/** How a lifecycle action started from the terminal is named to anyone who asks meanwhile. */
const CLI_ACTOR = 'the CLI';

export const USAGE = `Usage: headless-cli <command> [arguments] [--server NAME] [--world W] [--json]

  list                         managed servers: state, health, uptime, restarts
  status [--world W]           the world's status (every world when omitted)
  worlds                       the worlds table
  users [--world W]            users with role, presence, ping, silenced
  kick|silence|unsilence|respawn USER [--world W]
  save [--world W]             save one world, or every world
  bans | ban USER | unban USER
  console LINE                 a raw console line (single line; crash and log refused)
  start | stop [--force] | restart [--force]
  logs [--lines N]             recent container output, ANSI stripped
  stats                        CPU and memory (one-shot)

--server may be omitted when only one server is managed.`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs one CLI invocation; resolves to the process exit code. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  terminal: CliIo,
): Promise<number> {
  // A login's password, typed with `console` or echoed in `logs`, stays out of terminals,
  // scrollback and whatever --json is piped into.
  const io: CliIo = {
    out: (text) => terminal.out(maskConsoleSecretsInText(text)),
    err: (text) => terminal.err(maskConsoleSecretsInText(text)),
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        server: { type: 'string', short: 's' },
        world: { type: 'string', short: 'w' },
        lines: { type: 'string', short: 'n' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || command === undefined) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  const servers = await openServers(env);
  try {
    const result = await dispatch(servers, command, args, values);
    if (result === undefined) {
      io.err(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
    }
    io.out(values.json ? JSON.stringify(result.data, maskStrings, 2) : result.text);
    return 0;
  } catch (err) {
    if (err instanceof UserError) {
      io.err(err.message);
      return 1;
    }
    throw err;
  } finally {
    servers.close();
  }
}

async function openServers(env: Record<string, string | undefined>): Promise<ServerSet> {
  const config = loadCoreConfig(env);
  const { hosts, unreachable } = await connectHosts(config.hosts);
  // With one host there is nothing else to do; with several, the others still answer.
  const [down] = unreachable;
  if (down && hosts.length === 1) throw new DockerUnreachableError(down.reason);
  return new ServerSet(new HostedContainers(hosts), config);
}

interface Options {
  server?: string | undefined;
  world?: string | undefined;
  lines?: string | undefined;
  force?: boolean | undefined;
}

type Output = { text: string; data: unknown };

async function dispatch(servers: ServerSet, command: string, args: string[], options: Options) {
  const server = () => servers.get(options.server);
  const needArg = (what: string): string => {
    const value = args.join(' ').trim();
    if (value === '') throw new UserError(`"${command}" needs ${what}.`);
    return value;
  };
  const done = (data: { line: string; reply: string; world?: string }): Output => ({
    text: `${data.reply}${data.world ? ` (in ${data.world})` : ''}`,
    data,
  });
  const handlers: Record<string, () => Promise<Output>> = {
    list: async () => {
      if (!servers.containers.several) {
        const list = await servers.list();
        return { text: formatContainers(list), data: list };
      }
      const { containers: list, down } = await servers.containers.survey();
      const unreachable = down.map(({ host, error }) => ({ name: host.name, error: error.message }));
      return { text: formatContainers(list, { unreachable }), data: { servers: list, unreachable } };
    },
    status: async () => {
      const worlds = await (await server()).status(options.world);
      return { text: formatStatus(worlds), data: worlds };
    },
    worlds: async () => {
      const worlds = await (await server()).worlds();
      return { text: formatWorlds(worlds), data: worlds };
    },
    users: async () => {
      const users = await (await server()).users(options.world);
      return { text: formatUsers(users), data: users };
    },
    save: async () => {
      const saved = await (await server()).save(options.world);
      return { text: `Saved: ${saved.join(', ')}`, data: saved };
    },
    bans: async () => {
      const bans = await (await server()).bans();
      return { text: formatBans(bans), data: bans };
    },
    ban: async () => done(await (await server()).ban(needArg('a user name'))),
    unban: async () => done(await (await server()).unban(needArg('a user name'))),
    console: async () => {
      const result = await (await server()).raw(needArg('a console line'), CLI_ACTOR);
      return { text: result.reply.trimEnd(), data: result };
    },
    start: async () => {
      const outcome = await (await server()).container.start(CLI_ACTOR);
      return { text: outcome, data: { outcome } };
    },
    stop: async () => lifecycle(await server(), 'stop', options.force === true),
    restart: async () => lifecycle(await server(), 'restart', options.force === true),
    logs: async () => {
      const lines = options.lines === undefined ? 100 : Number(options.lines);
      if (!Number.isInteger(lines) || lines < 1)
        throw new UserError('--lines must be a positive whole number.');
      const text = await (await server()).container.logs(lines);
      return { text: text.trimEnd(), data: { logs: text } };
    },
    stats: async () => {
      const stats = await (await server()).container.stats();
      return { text: formatStats(stats), data: stats };
    },
  };
  for (const action of USER_ACTIONS) {
    handlers[action] = async () =>
      done(await (await server()).userAction(action, needArg('a user name'), options.world));
  }
  return handlers[command]?.();
}

async function lifecycle(
  server: HeadlessServer,
  action: 'stop' | 'restart',
  force: boolean,
): Promise<Output> {
  const options = { actor: CLI_ACTOR, force };
  const result =
    action === 'stop' ? await server.container.stop(options) : await server.container.restart(options);
  const saved = result.saved.length > 0 ? `saved ${result.saved.join(', ')}; ` : '';
  const skipped = result.saveSkipped ? `${result.saveSkipped}; ` : '';
  const text = `${saved}${skipped}${action === 'stop' ? result.outcome : 'restarted'}`;
  return { text, data: result };
}

/** JSON puts a reply's lines on one line, out of reach of the masking of the printed text. */
function maskStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? maskConsoleSecretsInText(value) : value;
}
