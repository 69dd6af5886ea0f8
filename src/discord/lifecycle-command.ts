import { ApplicationCommandOptionType } from 'discord.js';
import type { LifecycleStep, StopResult } from '../servers/lifecycle.js';
import type { CommandDefinition, CommandModule } from './command.js';
import { successEmbed } from './embeds.js';
import { serverOption } from './options.js';

const STEP_TEXT: Record<LifecycleStep['step'], string> = {
  saving: 'Saving worlds…',
  'save-skipped': 'Worlds not saved; stopping anyway…',
  stopping: 'Stopping the container…',
  stopped: 'Stopped.',
  starting: 'Starting the container…',
  started: 'Started; waiting for the worlds…',
  running: 'Worlds running.',
  'not-answering': 'The console has not answered yet.',
};

/** How long /restart follows the start-up before reporting (real worlds take tens of seconds). */
export const STARTUP_WAIT_MS = 180_000;

/** /stop and /restart: confirmation, worlds saved first (unless forced), progress shown as it goes. */
export function lifecycleCommand(action: 'stop' | 'restart'): CommandModule {
  const definition: CommandDefinition = {
    name: action,
    description: `${action === 'stop' ? 'Stop' : 'Restart'} a server's container, saving its worlds first (asks for confirmation)`,
    level: 'operator',
    options: [
      serverOption(),
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'force',
        description: 'Skip saving the worlds (when the console does not answer)',
        required: false,
      },
    ],
  };
  return {
    definition,
    async execute(call) {
      const force = call.interaction.options.getBoolean('force') ?? false;
      const server = await call.server();
      await call.confirm(
        `${action === 'stop' ? 'Stop' : 'Restart'} ${server.displayName}?`,
        force ? 'Worlds will NOT be saved (force).' : 'Every world is saved first.',
      );
      call.record({ action: `${action}${force ? ' --force' : ''}` });
      const done: string[] = [];
      const onStep = (step: LifecycleStep) => {
        done.push(stepText(step));
        void call.progress(done.join('\n')).catch(() => undefined);
      };
      const result =
        action === 'stop' ? await server.stop({ force, onStep }) : await server.restart({ force, onStep });
      call.record({ action: describe(action, force, result) });
      const lines = [details(result)];
      if (action === 'restart') {
        const worlds = await server.waitUntilRunning(STARTUP_WAIT_MS);
        const step: LifecycleStep =
          worlds.length > 0
            ? { step: 'running', worlds }
            : { step: 'not-answering', seconds: STARTUP_WAIT_MS / 1000 };
        onStep(step);
        lines.push(stepText(step));
      }
      return {
        embeds: [successEmbed(title(action, server.displayName, result), lines.filter(Boolean).join('\n'))],
      };
    },
  };
}

/** A restart or stop step as the on-call person reads it (also on the alert's Restart button). */
export function stepText(step: LifecycleStep): string {
  if (step.step === 'saving') return `Saving ${step.worlds.join(', ') || 'no worlds'}…`;
  if (step.step === 'running') return `Running: ${step.worlds.join(', ')}`;
  return STEP_TEXT[step.step];
}

function describe(action: string, force: boolean, result: StopResult): string {
  const saved = result.saved.length > 0 ? ` (saved ${result.saved.join(', ')})` : '';
  return `${action}${force ? ' --force' : ''}: ${result.outcome}${saved}`;
}

function title(action: 'stop' | 'restart', name: string, result: StopResult): string {
  if (action === 'restart') return `${name} restarted`;
  return result.outcome === 'already stopped' ? `${name} was already stopped` : `${name} stopped`;
}

function details(result: StopResult): string {
  const lines = [];
  if (result.saved.length > 0) lines.push(`Saved: ${result.saved.join(', ')}`);
  if (result.saveSkipped) lines.push(`Not saved: ${result.saveSkipped}`);
  return lines.join('\n');
}
