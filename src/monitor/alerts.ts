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
import { COLOURS, inlineText } from '../discord/embeds.js';
import { postOnce } from '../discord/post-once.js';
import { serverKey } from '../servers/server-key.js';
import { alertButtonId } from './alert-buttons.js';

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
}

export const DOCKER_KEY = '(docker)';

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
}

interface OpenAlert {
  messageId: string;
  openedAt: number;
  incidents: Incident[];
  recoveredAt?: number;
  /** Replaced by a newer alert while still open. */
  superseded?: boolean;
}

/**
 * One alert per incident, pinging the on-call role (and only it), with Restart and Logs buttons.
 * Flaps inside the debounce window edit the same alert without pinging again; recovery edits it
 * to say so and disables its buttons. Work on one server's alert never overlaps.
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

  raise(incident: Incident): Promise<'posted' | 'updated' | 'failed'> {
    return this.serial(incident.server, async () => {
      const now = this.now();
      const current = this.alerts.get(incident.server);
      try {
        if (current && now - current.openedAt < this.options.debounceMs) {
          current.incidents.push(incident);
          delete current.recoveredAt;
          try {
            await this.edit(incident.server, current);
          } catch (err) {
            if (!(err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMessage))
              throw err;
            // Someone deleted the alert: post it again (no second ping inside the window).
            const message = await postOnce(
              this.options.rest,
              this.options.channelId,
              this.body(incident.server, current, false),
            );
            current.messageId = message.id;
          }
          return 'updated';
        }
        if (current && current.recoveredAt === undefined) {
          // A new alert replaces one still open: the old one's buttons go, so only one is live.
          current.recoveredAt = now;
          current.superseded = true;
          await this.edit(incident.server, current).catch(() => undefined);
        }
        const message = await postOnce(
          this.options.rest,
          this.options.channelId,
          this.body(incident.server, { messageId: '', openedAt: now, incidents: [incident] }, true),
        );
        this.alerts.set(incident.server, { messageId: message.id, openedAt: now, incidents: [incident] });
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
      await this.edit(server, current).catch((err: unknown) =>
        this.options.logger.warn({ err, server }, 'could not mark the alert recovered'),
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

  private async edit(server: string, alert: OpenAlert): Promise<void> {
    await this.options.rest.patch(Routes.channelMessage(this.options.channelId, alert.messageId), {
      body: this.body(server, alert, false),
    });
  }

  private body(server: string, alert: OpenAlert, ping: boolean) {
    return alertBody({
      server,
      incidents: alert.incidents,
      recoveredAt: alert.recoveredAt,
      superseded: alert.superseded,
      oncallRoleId: this.options.oncallRoleId,
      ping,
      busy: this.busy.has(server),
    });
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

/** One alert as it stands, with what the message around it needs to know. */
export interface AlertView {
  server: string;
  incidents: readonly Incident[];
  recoveredAt?: number | undefined;
  superseded?: boolean | undefined;
  oncallRoleId?: string | undefined;
  /** Whether this body pings the on-call role: only when the alert is first posted. */
  ping: boolean;
  /** A start, stop or restart of the server is running. */
  busy: boolean;
}

/** The alert message's body, as posted and as edited. */
export function alertBody(view: AlertView) {
  const { server, incidents, recoveredAt, superseded } = view;
  const recovered = recoveredAt !== undefined;
  const role = view.oncallRoleId;
  const first = incidents[0];
  const who = server === DOCKER_KEY ? 'Docker' : inlineText(server, 100);
  const embed: APIEmbed = {
    title: superseded
      ? `Superseded by a newer alert: ${who}`
      : recovered
        ? `Recovered: ${who}`
        : `${server === DOCKER_KEY ? '' : `${who} `}${TITLES[first?.kind ?? 'died']}`,
    color: superseded ? COLOURS.unknown : recovered ? COLOURS.ok : COLOURS.error,
    description: [
      ...incidents
        .slice(-10)
        .map((i) => `<t:${Math.floor(i.at / 1000)}:T> ${TITLES[i.kind]}: ${inlineText(i.detail, 200)}`),
      ...(recovered && !superseded ? [`<t:${Math.floor(recoveredAt / 1000)}:T> healthy again`] : []),
    ].join('\n'),
  };
  return {
    // Only the on-call role is ever pinged, and only when the alert is first posted.
    content: role ? `<@&${role}>` : '',
    embeds: [embed],
    components: server === DOCKER_KEY ? [] : [buttons(serverKey(server), recovered || view.busy).toJSON()],
    allowed_mentions: view.ping && role ? { parse: [], roles: [role] } : { parse: [] },
  };
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
