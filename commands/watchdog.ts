import { ApplicationCommandOptionType } from 'discord.js';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { inlineText, successEmbed } from '../src/discord/embeds.js';
import { serverOption } from '../src/discord/options.js';
import type { WatchdogState } from '../src/servers/watchdog-switch.js';
import { formatDuration } from '../src/text.js';

export const definition = {
  name: 'watchdog',
  description: "Show or switch a server's self-healing: start it after a crash, restart a silent console",
  level: 'operator',
  options: [
    serverOption(),
    {
      type: ApplicationCommandOptionType.Boolean,
      name: 'enabled',
      description: 'Switch it on or off (kept across bot restarts); left out, shows how it stands',
      required: false,
    },
  ],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const server = await call.server();
  const { enabled } = call.options;
  const { watchdog } = call.bot;
  const state =
    enabled === undefined
      ? watchdog.state(server.name)
      : watchdog.setEnabled(server.name, enabled, call.actor);
  if (enabled !== undefined) call.record({ action: enabled ? 'watchdog on' : 'watchdog off' });
  const name = inlineText(server.displayName, 100);
  const title = `Watchdog ${state.enabled ? 'on' : 'off'} for ${name}`;
  return { embeds: [successEmbed(title, describe(name, state))] };
}

/** What it now does for the server, in the numbers it uses, and where the setting comes from. */
function describe(name: string, state: WatchdogState): string {
  const { rules } = state;
  const lines = state.enabled
    ? [
        `If ${name}'s container dies without the bot stopping it and is not running again within ${formatDuration(rules.graceSeconds)}, the bot starts it.`,
        `If its console does not answer for ${rules.consoleMisses} sweeps in a row while it runs, the bot tries to save, then restarts it.`,
        `After ${rules.recoveries} automatic recoveries within ${rules.windowMinutes} minutes it gives up and pings on-call; it acts again once switched on here or after ${rules.healthyMinutes} minutes running healthy.`,
      ]
    : [`The bot does not start or restart ${name} by itself; alerts still go out.`];
  if (state.enabled && state.gaveUpAt !== undefined) {
    lines.push(`Gave up <t:${Math.floor(state.gaveUpAt / 1000)}:R> after a crash loop: not acting for now.`);
  } else if (state.enabled && state.recentRecoveries > 0) {
    lines.push(`Recoveries in the last ${rules.windowMinutes} minutes: ${state.recentRecoveries}.`);
  }
  lines.push(
    {
      command: 'Set with /watchdog; kept across bot restarts.',
      config: 'From autoRecover in CONFIG_FILE.',
      default: 'Off by default; /watchdog enabled:true switches it on.',
    }[state.source],
  );
  return lines.join('\n');
}
