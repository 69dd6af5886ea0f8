import pTimeout from 'p-timeout';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { serversEmbed } from '../src/discord/embeds.js';

const CONSOLE_DEADLINE_MS = 3_000;

export const definition = {
  name: 'servers',
  description: 'Every managed server: state, health, uptime, worlds and users',
  level: 'viewer',
} as const satisfies CommandDefinition;

/**
 * Worlds come from each running console, all at once; a console that does not answer is shown as
 * such. With several hosts, each server says its host, and a host that does not answer is named.
 */
export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const { servers } = call.bot;
  const { containers, down } = await servers.containers.survey();
  // No host answers: the one error there is to tell.
  if (down.length === servers.containers.hosts.length) throw down[0]!.error;
  const several = servers.containers.several;
  const unreachableHosts = down.map(({ host, error }) => ({ name: host.name, error: error.message }));
  const entries = await Promise.all(
    containers.map(async (container) => {
      const server = container.state === 'missing' ? undefined : await servers.get(container.name);
      const displayName = server?.displayName ?? container.name;
      const host = several && container.host !== undefined ? { host: container.host } : {};
      if (!server || container.state !== 'running') return { container, displayName, worlds: null, ...host };
      try {
        // One slow console must not hold up the whole list.
        const worlds = await pTimeout(server.worlds(), {
          milliseconds: CONSOLE_DEADLINE_MS,
          message: `the console did not answer within ${CONSOLE_DEADLINE_MS / 1000} s`,
        });
        return { container, displayName, worlds, ...host };
      } catch (err) {
        return { container, displayName, worlds: null, consoleError: (err as Error).message, ...host };
      }
    }),
  );
  return { embeds: serversEmbed(entries, { unreachableHosts }) };
}
