import { ApplicationCommandOptionType } from 'discord.js';
import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { listWithMore, successEmbed } from '../src/discord/embeds.js';
import { serverOption } from '../src/discord/options.js';
import { formatDurationWords } from '../src/duration.js';
import type { RunOutcome, ScheduleView } from '../src/servers/schedule-book.js';

const idOption = (description: string) =>
  ({
    type: ApplicationCommandOptionType.Integer,
    name: 'id',
    description,
    required: true,
    min_value: 1,
  }) as const;

export const definition = {
  name: 'schedule',
  description: 'Restart servers on a schedule, with warnings in the worlds first',
  level: 'operator',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: 'Add a restart schedule',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'when',
          description: 'Cron (0 4 * * *), daily 04:00, weekly sun 04:00, every 12h, or empty after 12h',
          required: true,
          max_length: 100,
        },
        serverOption(),
        {
          type: ApplicationCommandOptionType.String,
          name: 'warn',
          description: "Warnings ahead of each restart instead of the server's, e.g. 15m,5m,1m",
          required: false,
          max_length: 100,
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'only_when_empty',
          description: 'Wait while users are on (up to 6 hours), then restart',
          required: false,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'list',
      description: 'Schedules, their next runs and how the last ones went',
      options: [{ ...serverOption(), description: 'Only this server' }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Remove a schedule',
      options: [idOption('Schedule number, from /schedule list')],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'skip',
      description: 'Skip the next run of a schedule (only that one)',
      options: [idOption('Schedule number, from /schedule list')],
    },
  ],
} as const satisfies CommandDefinition;

type Call = CommandCall<typeof definition>;

// The embed escapes the list's markdown (the * of cron) after it is cut: room for the backslashes.
const LIST_CHARS = 3_000;

export async function execute(call: Call): Promise<CommandReply> {
  const { options } = call;
  const { schedules } = call.bot;
  if (options.subcommand === 'add') {
    const server = await call.server();
    const view = schedules.add({
      server: server.name,
      when: options.when,
      warn: options.warn,
      onlyWhenEmpty: options.only_when_empty ?? false,
      actor: call.actor,
    });
    call.record({ action: `schedule add #${view.id}: ${view.when}` });
    return { embeds: [successEmbed(`Schedule #${view.id} added for ${server.displayName}`, added(view))] };
  }
  if (options.subcommand === 'remove') {
    const view = schedules.remove(options.id);
    call.record({ server: view.server, action: `schedule remove #${view.id}: ${view.when}` });
    return { embeds: [successEmbed(`Schedule #${view.id} removed`, `${view.server}: ${view.when}`)] };
  }
  if (options.subcommand === 'skip') {
    const view = schedules.skip(options.id);
    call.record({ server: view.server, action: `schedule skip #${view.id}` });
    return { embeds: [successEmbed(`Schedule #${view.id}: next run skipped`, entry(view))] };
  }
  const server = options.server === undefined ? undefined : (await call.server()).name;
  const views = schedules.list(server);
  const title = server === undefined ? 'Schedules' : `Schedules of ${server}`;
  if (views.length === 0)
    return { embeds: [successEmbed(title, 'No schedules. Add one with /schedule add.')] };
  return { embeds: [successEmbed(title, listWithMore(views.map(entry), LIST_CHARS, '\n\n'))] };
}

/** The reply to add: what it means, and the next three runs. */
function added(view: ScheduleView): string {
  const lines = [view.description];
  if (view.next.length === 0) lines.push('No fixed times: it restarts the server when the condition holds.');
  else lines.push('Next runs:', ...view.next.map((at) => `• ${time(at, 'F')} (${time(at, 'R')})`));
  lines.push(how(view));
  return lines.join('\n');
}

/** One schedule as /schedule list shows it. */
function entry(view: ScheduleView): string {
  const head = `#${view.id} ${view.server}: ${view.when} (${view.description})`;
  const lines = [head];
  const [first, second] = view.next;
  if (view.planned !== undefined) lines.push(`Counting down: restart ${time(view.planned, 'R')}`);
  if (view.waiting) lines.push(waiting(view, view.waiting));
  if (first !== undefined) {
    lines.push(
      view.skipNext
        ? `Next run ${time(first, 'F')} skipped${second === undefined ? '' : `; then ${time(second, 'F')}`}`
        : `Next run ${time(first, 'F')} (${time(first, 'R')})`,
    );
  } else if (view.skipNext) {
    lines.push('Its next restart will be skipped.');
  }
  lines.push(how(view));
  if (view.last)
    lines.push(
      `Last: ${OUTCOME[view.last.outcome]} ${time(view.last.dueAt, 'F')}${view.last.detail ? ` (${view.last.detail})` : ''}`,
    );
  return lines.join('\n');
}

function waiting(view: ScheduleView, state: NonNullable<ScheduleView['waiting']>): string {
  const present =
    state.present === undefined ? '' : ` (${state.present} ${state.present === 1 ? 'user' : 'users'} on)`;
  const until = state.until === undefined ? '' : `; restarts anyway ${time(state.until, 'R')}`;
  return `Waiting for ${view.server} to empty since ${time(state.since, 'R')}${present}${until}`;
}

/** Warnings and the only_when_empty rule, in words. */
function how(view: ScheduleView): string {
  const warnings = view.warnings.map(formatDurationWords);
  const warned = warnings.length === 0 ? 'no warnings' : `warnings ${warnings.join(', ')} ahead`;
  const own = view.warnOverride ? " (this schedule's own)" : '';
  if (view.onlyWhenEmpty)
    return `Only when empty: waits while users are on, then restarts; after the wait, with ${warned}${own}.`;
  return view.next.length === 0 ? 'Nobody is on then, so no warnings.' : `Restarts with ${warned}${own}.`;
}

const OUTCOME: Record<RunOutcome, string> = {
  planned: 'planned for',
  merged: 'merged, due',
  skipped: 'skipped, due',
  missed: 'missed, due',
  failed: 'failed, due',
  done: 'restarted, due',
  aborted: 'aborted, due',
  'taken over': 'taken over, due',
};

function time(ms: number, style: 'F' | 'R'): string {
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}
