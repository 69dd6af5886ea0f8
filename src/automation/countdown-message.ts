import { ButtonStyle, ComponentType, Routes, type APIEmbed, type APIMessage, type REST } from 'discord.js';
import { COLOURS, inlineText } from '../discord/embeds.js';
import { postOnce } from '../discord/post-once.js';
import type { PlanState, PlanView } from '../servers/restart-plan.js';
import { planButtonId } from './plan-buttons.js';

/** A line of the countdown's story: "announced", "warned", a restart step, how it ended. */
export interface CountdownEvent {
  at: number;
  text: string;
}

export interface CountdownView {
  plan: PlanView;
  displayName: string;
  events: readonly CountdownEvent[];
}

/** Where a plan's countdown is shown: one message, edited as the plan goes on. */
export interface CountdownSink {
  /** Posts the countdown; resolves to its message id. */
  post(view: CountdownView): Promise<string>;
  edit(messageId: string, view: CountdownView): Promise<void>;
  /** Pings the on-call role about the plan by a reply to its countdown (an edit notifies nobody). */
  ping(messageId: string, view: CountdownView, text: string): Promise<void>;
}

export interface CountdownMessagesOptions {
  rest: REST;
  channelId: string;
  oncallRoleId?: string | undefined;
}

/** The countdowns in the alert channel, through Discord's REST API. */
export class CountdownMessages implements CountdownSink {
  constructor(private readonly options: CountdownMessagesOptions) {}

  async post(view: CountdownView): Promise<string> {
    const message: APIMessage = await postOnce(
      this.options.rest,
      this.options.channelId,
      countdownBody(view),
    );
    return message.id;
  }

  async edit(messageId: string, view: CountdownView): Promise<void> {
    await this.options.rest.patch(Routes.channelMessage(this.options.channelId, messageId), {
      body: countdownBody(view),
    });
  }

  async ping(messageId: string, view: CountdownView, text: string): Promise<void> {
    await postOnce(
      this.options.rest,
      this.options.channelId,
      pingBody(view, text, messageId, this.options.channelId, this.options.oncallRoleId),
    );
  }
}

const TITLES: Record<PlanState, string> = {
  'counting down': 'Planned restart',
  restarting: 'Restarting',
  done: 'Restarted',
  failed: 'Planned restart failed',
  aborted: 'Planned restart aborted',
  'taken over': 'Planned restart taken over',
};

const COLOUR: Record<PlanState, number> = {
  'counting down': COLOURS.info,
  restarting: COLOURS.warning,
  done: COLOURS.ok,
  failed: COLOURS.error,
  aborted: COLOURS.unknown,
  'taken over': COLOURS.unknown,
};

// The story of a plan is short (announce, a few warnings, five steps); the cap keeps it in an embed.
const EVENT_LINES = 15;

/** The countdown as posted and as edited: its buttons live only while it counts down. */
export function countdownBody(view: CountdownView) {
  const { plan } = view;
  const when = Math.floor(plan.at / 1000);
  const head =
    plan.state === 'counting down' ? `Restarts <t:${when}:R> (<t:${when}:f>).` : `Planned for <t:${when}:f>.`;
  const lines = [
    head,
    `Planned by ${inlineText(plan.actor, 100)}: ${inlineText(plan.reason, 200)}`,
    '',
    ...view.events
      .slice(-EVENT_LINES)
      .map((e) => `<t:${Math.floor(e.at / 1000)}:T> ${inlineText(e.text, 300)}`),
  ];
  const embed: APIEmbed = {
    title: `${TITLES[plan.state]}: ${inlineText(view.displayName, 100)}`,
    color: COLOUR[plan.state],
    description: lines.join('\n').slice(0, 4000),
  };
  const disabled = plan.state !== 'counting down';
  return {
    content: '',
    embeds: [embed],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            custom_id: planButtonId('abort', plan.id),
            label: 'Abort',
            style: ButtonStyle.Danger,
            disabled,
          },
          {
            type: ComponentType.Button,
            custom_id: planButtonId('now', plan.id),
            label: 'Restart now',
            style: ButtonStyle.Primary,
            disabled,
          },
        ],
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** The new message that pings on-call about a failed planned restart: a reply to its countdown. */
export function pingBody(
  view: CountdownView,
  text: string,
  messageId: string,
  channelId: string,
  role: string | undefined,
) {
  return {
    content: `${role ? `<@&${role}> ` : ''}The planned restart of ${inlineText(view.displayName, 100)} failed: ${inlineText(text, 300)}`,
    message_reference: { message_id: messageId, channel_id: channelId, fail_if_not_exists: false },
    allowed_mentions: role ? { parse: [], roles: [role] } : { parse: [] },
  };
}
