import type { ButtonModule } from '../discord/command.js';
import { successEmbed } from '../discord/embeds.js';
import type { PlannedRestarts } from './planned-restarts.js';

export const PLAN_BUTTON_PREFIX = 'plan';

/** A countdown's Abort or Restart now button: short, whatever the server's name. */
export function planButtonId(action: 'abort' | 'now', planId: string): string {
  return `${PLAN_BUTTON_PREFIX}:${action}:${planId}`;
}

/**
 * Abort and Restart now on a planned restart's countdown: operator level (as /restart), checked on
 * every press and audited, through the same pipeline as the commands. The replies are for the
 * presser only: the countdown itself shows everyone what happened.
 */
export function planButtons(planner: Pick<PlannedRestarts, 'find' | 'abort' | 'restartNow'>): ButtonModule {
  return {
    prefix: PLAN_BUTTON_PREFIX,
    action(interaction) {
      const [, action, id] = interaction.customId.split(':');
      if ((action !== 'abort' && action !== 'now') || id === undefined || id === '') {
        return Promise.resolve(undefined);
      }
      const server = planner.find(id)?.server;
      return Promise.resolve({
        levelOf: 'restart',
        level: 'operator',
        command: action === 'abort' ? 'planned restart abort' : 'planned restart now',
        server,
        ephemeral: true,
        async execute(call) {
          if (action === 'abort') {
            call.record({ action: `abort planned restart ${id}` });
            const plan = planner.abort(id, call.actor);
            return { embeds: [successEmbed(`Planned restart of ${plan.server} aborted`)] };
          }
          call.record({ action: `restart now (planned restart ${id})` });
          await call.progress('Restarting now; the countdown shows each step.');
          const { plan, result } = await planner.restartNow(id, call.actor);
          const saved = result.saved.length > 0 ? `Saved: ${result.saved.join(', ')}` : 'No world was saved.';
          return { embeds: [successEmbed(`${plan.server} restarted`, saved)] };
        },
      });
    },
  };
}
