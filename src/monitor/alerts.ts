import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  DiscordAPIError,
  RESTJSONErrorCodes,
  Routes,
  type APIEmbed,
  type REST,
} from 'discord.js';
import type { Logger } from 'pino';
import { DEFAULT_HOST } from '../config.js';
import { COLOURS, inlineText } from '../discord/embeds.js';
import { postOnce } from '../discord/post-once.js';
import { serverKey } from '../servers/server-key.js';
import { alertButtonId } from '../discord/alert-button-id.js';

export type IncidentKind =
  | 'died'
  | 'oom'
  | 'external-stop'
  | 'external-kill'
  | 'unhealthy'
  | 'restarting'
  | 'stopped'
  | 'console'
  | 'docker';

export interface Incident {
  /** The server's container name, or DOCKER_KEY for the daemon itself. */
  server: string;
  kind: IncidentKind;
  detail: string;
  at: number;
  /** A Docker incident only: the servers the daemon took down with it. */
  takenDown?: string[];
  /** A Docker incident only: servers running when Docker was last seen, whose fate is not known yet. */
  lastSeenRunning?: string[];
}

/** A server the daemon took down, once the daemon is back: running again, or what it is instead. */
export interface ServerReturn {
  name: string;
  back: boolean;
  /** When not back: e.g. "Exited (0)". */
  state?: string;
  /** It kept running through the outage (Docker was out of reach, not down). */
  kept?: boolean;
}

/** How a server of the Docker incident stands, as its line says it. */
const UNKNOWN = 'was running; not known until Docker answers';
const DOWN = 'down';
const KEPT = 'kept running';
const GONE = 'no longer managed';

/** The Docker incident of a host has this key where a server's alert has the server's name. */
export function dockerKey(host: string): string {
  return host === DEFAULT_HOST ? '(docker)' : `(docker:${host})`;
}

export const DOCKER_KEY = dockerKey(DEFAULT_HOST);

function isDockerKey(key: string): boolean {
  return key === DOCKER_KEY || key.startsWith('(docker:');
}

function hostOfKey(key: string): string {
  return key === DOCKER_KEY ? DEFAULT_HOST : key.slice('(docker:'.length, -1);
}

const TITLES: Record<IncidentKind, string> = {
  died: 'died',
  oom: 'was killed: out of memory',
  'external-stop': 'was stopped from outside the bot',
  'external-kill': 'died: killed from outside the bot',
  unhealthy: 'is unhealthy',
  restarting: 'keeps restarting',
  stopped: 'is not running',
  console: 'console stopped answering',
  docker: 'Docker is unreachable',
};

export interface AlertsOptions {
  rest: REST;
  channelId: string;
  oncallRoleId?: string | undefined;
  /** After an alert, further incidents of the same server within this window edit it instead of alerting again. */
  debounceMs: number;
  logger: Logger;
  now?: () => number;
  /** Where each host's Docker is (its DOCKER_HOST or socket path), by host name: its Docker incident names it. */
  dockerHosts?: ReadonlyMap<string, string> | undefined;
}

interface OpenAlert {
  messageId: string;
  openedAt: number;
  incidents: Incident[];
  /** When it recovered before failing again (its timeline shows them). */
  recoveries: number[];
  recoveredAt?: number;
  /** Replaced by a newer alert while still open. */
  superseded?: boolean;
  /** On-call was pinged about its restart loop: the loop's later deaths do not ping again. */
  loopPinged?: boolean;
  /** The Docker incident: each server the daemon took down, and how it stands ("down", "back", ...). */
  takenDown?: Map<string, string>;
  /** What was done about it, in the timeline: "started by the watchdog". */
  notes: TimelineNote[];
}

/** One line of an alert's timeline that is not an incident: what the bot or a person did about it. */
export interface TimelineNote {
  at: number;
  text: string;
}

export type RaiseOutcome = 'posted' | 'updated' | 'pinged' | 'failed';

/**
 * One alert per incident, pinging the on-call role (and only it), with Restart and Logs buttons.
 * Flaps inside the debounce window edit the same alert without pinging again; recovery edits it
 * to say so and disables its buttons. A new failure after a recovery, and a restart loop (once),
 * ping again inside the window: Discord notifies nobody of a mention added by an edit, so that ping
 * is a new message replying to the alert. Work on one server's alert never overlaps.
 */
export class Alerts {
  private readonly alerts = new Map<string, OpenAlert>();
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Servers whose start, stop or restart is running: their alert's buttons are disabled meanwhile. */
  private readonly busy = new Set<string>();

  constructor(private readonly options: AlertsOptions) {}

  /** Whether the server has an alert that has not recovered yet. */
  isOpen(server: string): boolean {
    const alert = this.alerts.get(server);
    return alert !== undefined && alert.recoveredAt === undefined;
  }

  raise(incident: Incident): Promise<RaiseOutcome> {
    return this.serial(incident.server, async () => {
      const now = this.now();
      const current = this.alerts.get(incident.server);
      try {
        if (current && now - current.openedAt < this.options.debounceMs)
          return await this.reopen(current, incident);
        if (current && current.recoveredAt === undefined) {
          // A new alert replaces one still open: the old one's buttons go, so only one is live.
          current.recoveredAt = now;
          current.superseded = true;
          await this.edit(incident.server, current).catch(() => undefined);
        }
        const alert: OpenAlert = {
          messageId: '',
          openedAt: now,
          incidents: [incident],
          recoveries: [],
          notes: [],
          loopPinged: incident.kind === 'restarting',
          ...(incident.takenDown?.length || incident.lastSeenRunning?.length
            ? {
                takenDown: new Map([
                  ...(incident.lastSeenRunning ?? []).map((name) => [name, UNKNOWN] as const),
                  ...(incident.takenDown ?? []).map((name) => [name, DOWN] as const),
                ]),
              }
            : {}),
        };
        const message = await postOnce(
          this.options.rest,
          this.options.channelId,
          this.body(incident.server, alert, true),
        );
        alert.messageId = message.id;
        this.alerts.set(incident.server, alert);
        this.options.logger.info(logged(incident), 'alert raised');
        return 'posted';
      } catch (err) {
        this.options.logger.error({ err, incident }, 'could not post the alert');
        return 'failed';
      }
    });
  }

  /** The server is healthy again: its open alert says so and its buttons are disabled. */
  recover(server: string): Promise<void> {
    // Checked inside the queue too: an alert whose post is still in flight is not open yet here.
    if (!this.isOpen(server) && !this.chains.has(server)) return Promise.resolve();
    return this.serial(server, async () => {
      const current = this.alerts.get(server);
      if (!current || current.recoveredAt !== undefined) return;
      current.recoveredAt = this.now();
      this.options.logger.info({ server }, 'alert resolved: healthy again');
      await this.edit(server, current).catch((err: unknown) =>
        this.options.logger.warn({ err, server }, 'could not mark the alert recovered'),
      );
    });
  }

  /** Adds a line to the timeline of the server's latest alert (open or recovered); false when it has none. */
  note(server: string, text: string, at = this.now()): Promise<boolean> {
    return this.serial(server, async () => {
      const current = this.alerts.get(server);
      if (!current || current.superseded) return false;
      current.notes.push({ at, text });
      this.options.logger.info({ server, note: text }, `alert note: ${server} ${text}`);
      await this.edit(server, current).catch((err: unknown) =>
        this.options.logger.warn({ err, server }, 'could not add to the alert timeline'),
      );
      return true;
    });
  }

  /**
   * Something on-call must now do themselves (automation gave up): noted on the alert and pinged
   * by a reply to it. Returns false when the server has no alert to reply to.
   */
  escalate(server: string, text: string, at = this.now()): Promise<boolean> {
    return this.serial(server, async () => {
      const current = this.alerts.get(server);
      if (!current || current.superseded) return false;
      current.notes.push({ at, text });
      await this.edit(server, current).catch((err: unknown) =>
        this.options.logger.warn({ err, server }, 'could not add to the alert timeline'),
      );
      const role = this.options.oncallRoleId;
      try {
        await postOnce(this.options.rest, this.options.channelId, {
          content: `${role ? `<@&${role}> ` : ''}${inlineText(server, 100)}: ${inlineText(text, 300)}`,
          message_reference: {
            message_id: current.messageId,
            channel_id: this.options.channelId,
            fail_if_not_exists: false,
          },
          allowed_mentions: role ? { parse: [], roles: [role] } : { parse: [] },
        });
        this.options.logger.info({ server, why: text }, 'alert re-pinged');
      } catch (err) {
        this.options.logger.error({ err, server }, 'could not ping about the alert');
      }
      return true;
    });
  }

  /** More servers went down with the host's daemon: its open Docker incident lists them. */
  dockerTookDown(servers: readonly string[], host = DEFAULT_HOST): Promise<void> {
    const key = dockerKey(host);
    return this.serial(key, async () => {
      const current = this.alerts.get(key);
      if (!current || current.recoveredAt !== undefined) return;
      current.takenDown ??= new Map();
      const fresh = servers.filter((name) => current.takenDown!.get(name) !== DOWN);
      if (fresh.length === 0) return;
      for (const name of fresh) current.takenDown.set(name, DOWN);
      this.options.logger.info(
        { servers: fresh, host },
        'Docker incident: servers taken down with the daemon',
      );
      await this.edit(key, current).catch((err: unknown) =>
        this.options.logger.warn({ err }, 'could not update the Docker alert'),
      );
    });
  }

  /**
   * The daemon is back: the Docker incident resolves, saying which servers came back with it; those
   * that did not are pinged once, by a reply (a mention added by an edit notifies nobody).
   */
  dockerBack(returns: readonly ServerReturn[], host = DEFAULT_HOST): Promise<void> {
    const key = dockerKey(host);
    return this.serial(key, async () => {
      const current = this.alerts.get(key);
      if (!current || current.recoveredAt !== undefined) return;
      current.takenDown ??= new Map();
      for (const r of returns)
        current.takenDown.set(
          r.name,
          r.kept ? KEPT : r.back ? 'back' : `did not come back: ${r.state ?? 'not running'}`,
        );
      // Named before, not seen since: gone from the managed set while Docker was away.
      for (const [name, state] of current.takenDown) if (state === UNKNOWN) current.takenDown.set(name, GONE);
      current.recoveredAt = this.now();
      const missing = returns.filter((r) => !r.back);
      this.options.logger.info(
        {
          back: returns.filter((r) => r.back && !r.kept).map((r) => r.name),
          kept: returns.filter((r) => r.kept).map((r) => r.name),
          missing: missing.map((r) => r.name),
          host,
        },
        'alert resolved: Docker is back',
      );
      await this.edit(key, current).catch((err: unknown) =>
        this.options.logger.warn({ err }, 'could not mark the Docker alert recovered'),
      );
      if (missing.length === 0) return;
      const role = this.options.oncallRoleId;
      const words = missing
        .map(
          (r) => `${inlineText(r.name, 100)} did not come back: ${inlineText(r.state ?? 'not running', 100)}`,
        )
        .join('; ');
      try {
        await postOnce(this.options.rest, this.options.channelId, {
          content: `${role ? `<@&${role}> ` : ''}${words}`,
          message_reference: {
            message_id: current.messageId,
            channel_id: this.options.channelId,
            fail_if_not_exists: false,
          },
          allowed_mentions: role ? { parse: [], roles: [role] } : { parse: [] },
        });
        this.options.logger.info(
          { missing: missing.map((r) => r.name) },
          'alert re-pinged: servers did not come back with Docker',
        );
      } catch (err) {
        this.options.logger.error({ err }, 'could not ping about the servers that did not come back');
      }
    });
  }

  /** A server the Docker incident named as not back runs again: its line there says since when. */
  dockerServerBack(server: string, at = this.now(), host = DEFAULT_HOST): Promise<void> {
    const key = dockerKey(host);
    return this.serial(key, async () => {
      const current = this.alerts.get(key);
      const state = current?.takenDown?.get(server);
      if (!current || current.superseded || !state?.startsWith('did not come back')) return;
      current.takenDown!.set(server, `running again <t:${Math.floor(at / 1000)}:T> (${state} with Docker)`);
      this.options.logger.info({ server, host }, `Docker incident: ${server} runs again`);
      await this.edit(key, current).catch((err: unknown) =>
        this.options.logger.warn({ err }, 'could not update the Docker alert'),
      );
    });
  }

  /** A lifecycle action began or ended on the server: its open alert's buttons follow. */
  setBusy(server: string, busy: boolean): Promise<void> {
    if (busy === this.busy.has(server)) return Promise.resolve();
    if (busy) this.busy.add(server);
    else this.busy.delete(server);
    if (!this.isOpen(server)) return Promise.resolve();
    return this.serial(server, async () => {
      const current = this.alerts.get(server);
      if (!current || current.recoveredAt !== undefined) return;
      await this.edit(server, current).catch((err: unknown) =>
        this.options.logger.warn({ err, server }, 'could not update the alert buttons'),
      );
    });
  }

  /** An incident inside the window: the alert is edited, and pinged again when this is news. */
  private async reopen(alert: OpenAlert, incident: Incident): Promise<RaiseOutcome> {
    const { server } = incident;
    const again = alert.recoveredAt !== undefined;
    if (alert.recoveredAt !== undefined) alert.recoveries.push(alert.recoveredAt);
    delete alert.recoveredAt;
    alert.incidents.push(incident);
    const loop = incident.kind === 'restarting';
    const news = !alert.loopPinged && (loop || again);
    try {
      await this.edit(server, alert);
    } catch (err) {
      if (!(err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMessage)) throw err;
      // Someone deleted the alert: post it again (the ping, if any, is the reply below).
      const message = await postOnce(
        this.options.rest,
        this.options.channelId,
        this.body(server, alert, false),
      );
      alert.messageId = message.id;
    }
    if (!news) {
      this.options.logger.debug(logged(incident), 'alert updated (flap inside the debounce window)');
      return 'updated';
    }
    try {
      await postOnce(
        this.options.rest,
        this.options.channelId,
        pingBody(server, alert.messageId, this.options.channelId, incident, this.options.oncallRoleId, {
          ...(isDockerKey(server) ? this.hostLabel(hostOfKey(server)) : {}),
        }),
      );
    } catch (err) {
      this.options.logger.error({ err, incident }, 'could not ping again about the alert');
      return 'updated';
    }
    if (loop) alert.loopPinged = true;
    this.options.logger.info(
      { ...logged(incident), why: loop ? 'restart loop' : 'failed again after recovering' },
      'alert re-pinged',
    );
    return 'pinged';
  }

  private async edit(server: string, alert: OpenAlert): Promise<void> {
    await this.options.rest.patch(Routes.channelMessage(this.options.channelId, alert.messageId), {
      body: this.body(server, alert, false),
    });
  }

  private body(server: string, alert: OpenAlert, ping: boolean) {
    return alertBody({
      server,
      incidents: alert.incidents,
      recoveries: alert.recoveries,
      notes: alert.notes,
      recoveredAt: alert.recoveredAt,
      superseded: alert.superseded,
      oncallRoleId: this.options.oncallRoleId,
      ping,
      busy: this.busy.has(server),
      takenDown: alert.takenDown,
      ...(isDockerKey(server) ? this.hostLabel(hostOfKey(server)) : {}),
    });
  }

  /** With one host, its address; with several, its name too, always said (which host is down is the news). */
  private hostLabel(host: string): Pick<AlertView, 'dockerHost' | 'severalHosts'> {
    const hosts = this.options.dockerHosts;
    const address = hosts?.get(host);
    if (!hosts || hosts.size <= 1) return { dockerHost: address || undefined };
    return { dockerHost: address ? `${host} (${address})` : host, severalHosts: true };
  }

  private serial<T>(server: string, work: () => Promise<T>): Promise<T> {
    const next = (this.chains.get(server) ?? Promise.resolve()).then(work, work);
    this.chains.set(
      server,
      next.catch(() => undefined),
    );
    return next;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

function logged(incident: Incident) {
  return { server: incident.server, kind: incident.kind, detail: incident.detail };
}

/** The new message that pings on-call about an alert again: a reply to it, saying what is new. */
export function pingBody(
  server: string,
  messageId: string,
  channelId: string,
  incident: Incident,
  role: string | undefined,
  host: Pick<AlertView, 'dockerHost' | 'severalHosts'> = {},
) {
  const docker = isDockerKey(server);
  const who = docker
    ? host.severalHosts
      ? `Docker on ${inlineText(host.dockerHost ?? '', 100)}`
      : 'Docker'
    : inlineText(server, 100);
  const what = incident.kind === 'restarting' ? `${who} keeps restarting` : `${who} failed again`;
  return {
    content: `${role ? `<@&${role}> ` : ''}${what}: ${inlineText(incident.detail, 200)}`,
    message_reference: { message_id: messageId, channel_id: channelId, fail_if_not_exists: false },
    allowed_mentions: role ? { parse: [], roles: [role] } : { parse: [] },
  };
}

/** One alert as it stands, with what the message around it needs to know. */
export interface AlertView {
  server: string;
  incidents: readonly Incident[];
  /** When it recovered before failing again. */
  recoveries?: readonly number[] | undefined;
  /** What was done about it (timeline lines that are not incidents). */
  notes?: readonly TimelineNote[] | undefined;
  recoveredAt?: number | undefined;
  superseded?: boolean | undefined;
  oncallRoleId?: string | undefined;
  /** Whether this body pings the on-call role: only when the alert is first posted. */
  ping: boolean;
  /** A start, stop or restart of the server is running. */
  busy: boolean;
  /** The Docker incident: the servers the daemon took down and how each stands. */
  takenDown?: ReadonlyMap<string, string> | undefined;
  /** Which Docker the incident is about, as its title names it. */
  dockerHost?: string | undefined;
  /** The bot manages several hosts: a Docker incident always names its host. */
  severalHosts?: boolean | undefined;
}

/** The alert message's body, as posted and as edited. */
export function alertBody(view: AlertView) {
  const { server, incidents, recoveredAt, superseded } = view;
  const recovered = recoveredAt !== undefined;
  const role = view.oncallRoleId;
  const latest = incidents.at(-1);
  // Servers went down with it: the daemon restarting or stopping, not merely out of reach.
  const docker = isDockerKey(server);
  const outage = docker && [...(view.takenDown?.values() ?? [])].some(tookDown);
  const listed = docker && (view.takenDown?.size ?? 0) > 0;
  const host = inlineText(view.dockerHost ?? 'this host', 100);
  const who = docker
    ? listed || view.severalHosts
      ? `Docker on ${host}`
      : 'Docker'
    : inlineText(server, 100);
  const embed: APIEmbed = {
    title: superseded
      ? `Superseded by a newer alert: ${who}`
      : recovered
        ? `Recovered: ${who}`
        : outage
          ? `${who} is restarting or down`
          : listed
            ? `${who} is unreachable`
            : view.severalHosts && docker
              ? `${who} is unreachable`
              : `${docker ? '' : `${who} `}${TITLES[latest?.kind ?? 'died']}`,
    color: superseded ? COLOURS.unknown : recovered ? COLOURS.ok : COLOURS.error,
    description: [...timeline(view), ...takenDownLines(view.takenDown)].join('\n').slice(0, 4000),
  };
  return {
    // Only the on-call role is ever pinged, and only when the alert is first posted.
    content: role ? `<@&${role}>` : '',
    embeds: [embed],
    components: docker ? [] : [buttons(serverKey(server), recovered || view.busy).toJSON()],
    allowed_mentions: view.ping && role ? { parse: [], roles: [role] } : { parse: [] },
  };
}

const TAKEN_DOWN_LINES = 25;

/** Whether the server's line says the daemon took it down (not merely unknown, or untouched). */
function tookDown(state: string): boolean {
  return state !== UNKNOWN && state !== KEPT && state !== GONE;
}

function takenDownLines(takenDown: ReadonlyMap<string, string> | undefined): string[] {
  if (!takenDown || takenDown.size === 0) return [];
  const lines = [...takenDown].map(([name, state]) =>
    state.startsWith('did not')
      ? `- ${inlineText(name, 100)} ${state}`
      : `- ${inlineText(name, 100)}: ${state}`,
  );
  const more = lines.length - TAKEN_DOWN_LINES;
  return ['', 'Servers:', ...lines.slice(0, TAKEN_DOWN_LINES), ...(more > 0 ? [`and ${more} more`] : [])];
}

function buttons(key: string, disabled: boolean): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(alertButtonId('restart', key))
      .setLabel('Restart')
      .setStyle(ButtonStyle.Danger)
      .setDisabled(disabled),
    new ButtonBuilder()
      .setCustomId(alertButtonId('logs', key))
      .setLabel('Logs')
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(disabled),
  );
}

const TIMELINE_LINES = 10;

/** Timeline words: the detail says how a server died, so every death is "died". */
const EVENT_WORDS: Record<IncidentKind, string> = {
  died: 'died',
  oom: 'died',
  'external-stop': 'died',
  'external-kill': 'died',
  unhealthy: 'turned unhealthy',
  restarting: 'died (restart loop)',
  stopped: 'found not running',
  console: 'console stopped answering',
  docker: 'Docker unreachable',
};

/** Its incidents and recoveries in order, the last few: "<t:…:T> died: crashed: exit code 1". */
function timeline(view: AlertView): string[] {
  const { incidents, recoveredAt, superseded } = view;
  const recoveries = [...(view.recoveries ?? [])];
  if (recoveredAt !== undefined && !superseded) recoveries.push(recoveredAt);
  const events = [
    ...incidents.map((incident) => ({ at: incident.at, incident, note: undefined })),
    ...recoveries.map((at) => ({ at, incident: undefined, note: undefined })),
    ...(view.notes ?? []).map((note) => ({ at: note.at, incident: undefined, note: note.text })),
  ].sort((a, b) => a.at - b.at);
  let recoveredBefore = false;
  const lines = events.map(({ at, incident, note }) => {
    const time = `<t:${Math.floor(at / 1000)}:T>`;
    if (note !== undefined) return `${time} ${inlineText(note, 200)}`;
    if (!incident) {
      recoveredBefore = true;
      return `${time} healthy again`;
    }
    const words = EVENT_WORDS[incident.kind];
    const label = recoveredBefore ? words.replace(/^(died|turned|found|console stopped)/, '$1 again') : words;
    recoveredBefore = false;
    return `${time} ${label}: ${inlineText(incident.detail, 200)}`;
  });
  return lines.slice(-TIMELINE_LINES);
}
