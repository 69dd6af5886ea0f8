import { inlineText } from '../discord/embeds.js';
import { ELLIPSIS } from '../text.js';
import type { ActivityEvent } from './activity-event.js';

/** Discord's limit for a message's content. */
export const CONTENT_LIMIT = 2000;
const NAME_MAX = 64;
const WORLD_MAX = 100;
const SERVER_MAX = 80;
/** Room for the names on one line: a burst of thirty is a summary, not a wall of names. */
const NAMES_MAX = 300;
/** Named one by one up to this many; more are counted first ("30 people left ..."). */
const LISTED = 5;
/** A summary names this many at most. */
const SUMMARY_NAMES = 10;

type PeopleEvent = Extract<ActivityEvent, { kind: 'joined' | 'left' }>;

/**
 * One message for a batch of activity: the joins (and leaves) of one world in one line, in the order
 * they happened, every name escaped, and the whole within Discord's 2000 characters however many and
 * however long the names. With several servers each line says which one.
 */
export function activityMessage(events: readonly ActivityEvent[], severalServers: boolean): string {
  // Rendered at the end: a world's line takes the names that came after it too.
  const lines: (() => string)[] = [];
  const people = new Map<string, PeopleEvent[]>();
  for (const event of events) {
    const prefix =
      severalServers && event.kind !== 'server-up' && event.kind !== 'server-down'
        ? `${inlineText(event.display, SERVER_MAX)} · `
        : '';
    if (isPeople(event)) {
      const key = `${event.kind}\u0000${event.server}\u0000${event.world}`;
      const group = people.get(key);
      if (group) {
        group.push(event);
        continue;
      }
      const members = [event];
      people.set(key, members);
      lines.push(() => prefix + peopleLine(members));
    } else {
      const text = prefix + eventLine(event);
      lines.push(() => text);
    }
  }
  return fitLines(lines.map((render) => render()));
}

function isPeople(event: ActivityEvent): event is PeopleEvent {
  return event.kind === 'joined' || event.kind === 'left';
}

function eventLine(event: Exclude<ActivityEvent, PeopleEvent>): string {
  switch (event.kind) {
    case 'world-started':
      return `${inlineText(event.world, WORLD_MAX)} started`;
    case 'world-closed':
      return `${inlineText(event.world, WORLD_MAX)} closed`;
    case 'server-up':
      return `${inlineText(event.display, SERVER_MAX)} is up`;
    case 'server-down':
      return `${inlineText(event.display, SERVER_MAX)} is down`;
  }
}

/** "alice joined Lobby World (4/16)", "alice, bob smith left Build Night (1/8)", "30 people left ...: a, b … and 20 more". */
function peopleLine(events: readonly PeopleEvent[]): string {
  const first = events[0]!;
  const verb = first.kind;
  // The last count is the world as it stands after them all.
  const count = events.at(-1)?.count;
  const where = `${inlineText(first.world, WORLD_MAX)}${count ? ` (${count.users}/${count.maxUsers})` : ''}`;
  const names = [...new Set(events.map((event) => event.user))].map((user) => inlineText(user, NAME_MAX));
  const shown = namesThatFit(names);
  if (shown.length === names.length && names.length <= LISTED) return `${shown.join(', ')} ${verb} ${where}`;
  const more = names.length - shown.length;
  return `${names.length} people ${verb} ${where}: ${shown.join(', ')}${more > 0 ? ` ${ELLIPSIS} and ${more} more` : ''}`;
}

/** The first names, at most ten, that fit in the line's room for names (each is at most NAME_MAX). */
function namesThatFit(names: readonly string[]): string[] {
  const shown: string[] = [];
  let length = 0;
  for (const name of names.slice(0, SUMMARY_NAMES)) {
    length += (shown.length > 0 ? 2 : 0) + name.length;
    if (length > NAMES_MAX) break;
    shown.push(name);
  }
  return shown;
}

/** As many whole lines as fit, then how many more there were. */
function fitLines(lines: readonly string[]): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const left = lines.length - index - 1;
    const tail = left > 0 ? `\n${ELLIPSIS} and ${left} more` : '';
    const added = (kept.length > 0 ? 1 : 0) + line.length;
    if (length + added + tail.length > CONTENT_LIMIT) {
      const rest = lines.length - index;
      return [...kept, `${ELLIPSIS} and ${rest} more`].join('\n');
    }
    kept.push(line);
    length += added;
  }
  return kept.join('\n');
}
