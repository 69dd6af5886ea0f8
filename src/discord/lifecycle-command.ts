import { ApplicationCommandOptionType } from 'discord.js';
import type { HeadlessServer } from '../servers/headless-server.js';
import type { LifecycleStep, RestartResult, StopResult } from '../servers/lifecycle.js';
import { formatDurationWords, parseDuration } from '../duration.js';
import { InvalidInputError } from '../errors.js';
import { AlreadyPlannedError, MAX_PLAN_AHEAD_MS } from '../servers/restart-plan.js';
import type { ActionCall, CommandCall, CommandDefinition, CommandModule, CommandReply } from './command.js';
import type { OptionDefinition } from './option-values.js';
import { truncate } from '../text.js';
import { listWithMore, successEmbed } from './embeds.js';
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

// World names are the headless's: unbounded, they would push the later steps out of the embed.
const WORLD_NAME_MAX = 64;
const WORLD_LIST_MAX = 600;

/** How long a restart follows the start-up before reporting (real worlds take tens of seconds). */
export const STARTUP_WAIT_MS = 180_000;

const FORCE_OPTION = {
  type: ApplicationCommandOptionType.Boolean,
  name: 'force',
  description: 'Skip saving the worlds (when the console does not answer)',
  required: false,
} as const satisfies OptionDefinition;

const IN_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'in',
  description: 'Plan it this far ahead instead, warning the worlds first (30s, 10m, 2h, 1h30m; at most 24h)',
  required: false,
  max_length: 20,
} as const satisfies OptionDefinition;

/** /stop and /restart: confirmation, worlds saved first (unless forced), progress shown as it goes. */
export function lifecycleCommand(action: 'stop' | 'restart') {
  const definition = {
    name: action,
    description: `${action === 'stop' ? 'Stop' : 'Restart'} a server's container, saving its worlds first (asks for confirmation)`,
    level: 'operator',
    options: [serverOption(), FORCE_OPTION],
  } as const satisfies CommandDefinition;
  return {
    definition,
    execute: (call) => runNow(call, action),
  } satisfies CommandModule<typeof definition>;
}

type NowCall = ActionCall &
  Pick<CommandCall, 'server'> & { options: { readonly force: boolean | undefined } };

async function runNow(call: NowCall, action: 'stop' | 'restart'): Promise<CommandReply> {
  const force = call.options.force ?? false;
  const server = await call.server();
  // Refused before the question, so nobody confirms something that cannot happen: a busy server,
  // or one on a Docker host that does not answer (the question asks nothing of Docker otherwise).
  server.container.checkIdle();
  await server.container.inspect();
  await call.confirm(
    `${action === 'stop' ? 'Stop' : 'Restart'} ${server.displayName}?`,
    force ? 'Worlds will NOT be saved (force).' : 'Every world is saved first.',
  );
  call.record({ action: `${action}${force ? ' --force' : ''}` });
  return action === 'stop' ? stopServer(call, server, force) : restartServer(call, server, force);
}

/** /restart: at once as /stop does, or with `in` planned ahead, with warnings and a countdown. */
export function restartCommand() {
  const now = lifecycleCommand('restart');
  const definition = {
    ...now.definition,
    options: [...now.definition.options, IN_OPTION],
  } as const satisfies CommandDefinition;
  return {
    definition,
    async execute(call) {
      // Blank text reads as not given; for `in` that would restart at once instead of later.
      const typed = call.options.in ?? call.interaction.options.getString('in') ?? undefined;
      if (typed === undefined) return runNow(call, 'restart');
      const ahead = plannedDelay(typed);
      if (call.options.force) {
        throw new InvalidInputError(
          'A planned restart always saves the worlds first: leave out force, or in.',
        );
      }
      const server = await call.server();
      server.container.checkIdle();
      const planned = call.bot.planner.next(server.name);
      if (planned) throw new AlreadyPlannedError(server.displayName, planned);
      await call.confirm(
        `Restart ${server.displayName} in ${formatDurationWords(ahead)}?`,
        'The worlds are warned first, and every world is saved before the stop. The countdown can abort it.',
      );
      call.record({ action: `restart in ${typed}` });
      const plan = await call.bot.planner.plan({
        server: server.name,
        at: Date.now() + ahead,
        actor: call.actor,
        memberId: call.interaction.user.id,
        reason: `asked by ${call.actor}`,
        source: 'manual',
      });
      const at = Math.floor(plan.at / 1000);
      const channel = call.bot.config.alerts.channelId;
      const lines = [
        `Restarts <t:${at}:R> (<t:${at}:f>), planned by ${call.actor}.`,
        channel ? `The countdown in <#${channel}> shows each warning and can abort it.` : '',
      ];
      return {
        embeds: [successEmbed(`Restart of ${server.displayName} planned`, lines.filter(Boolean).join('\n'))],
      };
    },
  } satisfies CommandModule<typeof definition>;
}

/** The `in` of /restart: a duration more than zero and at most a day; refused before anything happens. */
function plannedDelay(text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (err) {
    throw new InvalidInputError(`in: ${(err as Error).message}`);
  }
  if (ms > MAX_PLAN_AHEAD_MS) throw new InvalidInputError(`in: \`${text}\` is too far ahead; at most 24h.`);
  return ms;
}

/** A graceful restart as /restart and the alert's Restart button run it, step by step in the reply. */
export async function restartServer(
  call: ActionCall,
  server: HeadlessServer,
  force: boolean,
): Promise<CommandReply> {
  const steps = progressSteps(call);
  const result = await server.container.restart({
    actor: call.actor,
    force,
    onStep: steps.add,
    waitForWorldsMs: STARTUP_WAIT_MS,
  });
  call.record({ action: describe('restart', force, result) });
  const lines = [details(result), steps.last(), `Restarted by ${call.actor}`];
  return { embeds: [successEmbed(`${server.displayName} restarted`, lines.filter(Boolean).join('\n'))] };
}

async function stopServer(call: ActionCall, server: HeadlessServer, force: boolean): Promise<CommandReply> {
  const steps = progressSteps(call);
  const result = await server.container.stop({ actor: call.actor, force, onStep: steps.add });
  call.record({ action: describe('stop', force, result) });
  const title = {
    stopped: `${server.displayName} stopped`,
    'already stopped': `${server.displayName} was already stopped`,
    'went down meanwhile': `${server.displayName} went down on its own during the stop`,
  }[result.outcome];
  return { embeds: [successEmbed(title, details(result))] };
}

/** A restart or stop step as the on-call person reads it. */
export function stepText(step: LifecycleStep): string {
  if (step.step === 'saving') return `Saving ${worldList(step.worlds) || 'no worlds'}…`;
  if (step.step === 'running') return `Running: ${worldList(step.worlds)}`;
  return STEP_TEXT[step.step];
}

function worldList(worlds: readonly string[]): string {
  return listWithMore(
    worlds.map((world) => truncate(world, WORLD_NAME_MAX)),
    WORLD_LIST_MAX,
  );
}

function progressSteps(call: ActionCall) {
  const done: string[] = [];
  return {
    add: (step: LifecycleStep) => {
      done.push(stepText(step));
      void call.progress(done.join('\n')).catch(() => undefined);
    },
    /** The last step of a restart says how the start-up ended (worlds running, or not yet). */
    last: () => done.at(-1) ?? '',
  };
}

function describe(action: string, force: boolean, result: StopResult | RestartResult): string {
  const saved = result.saved.length > 0 ? ` (saved ${result.saved.join(', ')})` : '';
  return `${action}${force ? ' --force' : ''}: ${result.outcome}${saved}`;
}

function details(result: StopResult): string {
  const lines = [];
  if (result.saved.length > 0) lines.push(`Saved: ${worldList(result.saved)}`);
  if (result.saveSkipped) lines.push(`Not saved: ${result.saveSkipped}`);
  return lines.join('\n');
}
