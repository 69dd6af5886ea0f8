import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { serversEmbed } from '../src/discord/embeds.js';

export const definition: CommandDefinition = {
  name: 'servers',
  description: 'Every managed server: state, health, uptime, worlds and users',
  level: 'viewer',
};

/** Worlds come from each running console, all at once; a console that does not answer is shown as such. */
export async function execute(call: CommandCall): Promise<CommandReply> {
  const { servers } = call.bot;
  const containers = await servers.list();
  const entries = await Promise.all(
    containers.map(async (container) => {
      const server = container.state === 'missing' ? undefined : await servers.get(container.name);
      const displayName = server?.displayName ?? container.name;
      if (!server || container.state !== 'running') return { container, displayName, worlds: null };
      try {
        return { container, displayName, worlds: await server.worlds() };
      } catch (err) {
        return { container, displayName, worlds: null, consoleError: (err as Error).message };
      }
    }),
  );
  return { embeds: serversEmbed(entries) };
}
