import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { Logger } from 'pino';
import type { AuditEntry, AuditRecord, FinishOutcome } from '../audit/audit-log.js';
import type { Level } from '../config.js';
import { InvalidInputError, UserError } from '../errors.js';
import type { ActionCall, AuditDetail, BotContext, CommandReply } from './command.js';
import { NotConfirmedError } from './confirmations.js';
import { errorEmbed, successEmbed } from './embeds.js';
import { memberLevel, requiredLevel } from './member-level.js';
import { observeSentLines } from '../servers/sent-lines.js';
import { atLeast, deniedMessage } from './permissions.js';

export type PipelineInteraction = ChatInputCommandInteraction | ButtonInteraction;

/** One thing a member asked for, by slash command or by button, described for the pipeline. */
export interface ActionSpec {
  interaction: PipelineInteraction;
  /** The command whose level it needs (CONFIG_FILE may override it) and the level it defines. */
  levelOf: string;
  level: Level;
  /** The audit's name for it: "kick", "world name", "alert restart". */
  command: string;
  server?: string | undefined;
  world?: string | undefined;
  options?: Record<string, unknown>;
  ephemeral: boolean;
  execute(call: ActionCall): Promise<CommandReply>;
}

const APOLOGY = 'Sorry, something went wrong on our side. It has been logged; please try again.';
const AUDIT_DOWN =
  'The audit log cannot be written right now, so actions that change something are refused until it works again. Read-only commands still work.';
const NO_PINGS = { parse: [] };

/**
 * The one way an action runs: level check, audit begun, deferral, the action, audit finished,
 * reply, and the error boundary. Slash commands and buttons (the alerts' included) all come here.
 */
export async function runAction(bot: BotContext, spec: ActionSpec): Promise<void> {
  const { interaction } = spec;
  const need = requiredLevel(spec.levelOf, spec.level, bot.config);
  const level = memberLevel(interaction, bot.config);
  const entry: AuditEntry = {
    guildId: interaction.guildId ?? '',
    memberId: interaction.user.id,
    memberTag: interaction.user.tag,
    level,
    command: spec.command,
    server: spec.server,
    world: spec.world,
    options: spec.options,
  };
  if (!atLeast(level, need)) {
    if (need !== 'viewer')
      tryAudit(bot.logger, () => bot.audit.refused({ ...entry, reason: `needs ${need}` }));
    await interaction.reply({ embeds: [errorEmbed(deniedMessage(need))], flags: MessageFlags.Ephemeral });
    return;
  }
  let audit: SafeAudit | undefined;
  if (need !== 'viewer') {
    try {
      audit = new SafeAudit(bot.audit.begin(entry), bot.logger);
    } catch (err) {
      // Fail closed: an action nobody could later account for is not taken.
      bot.logger.error(
        { err, command: spec.command },
        'audit log cannot be written; privileged action refused',
      );
      await interaction.reply({ embeds: [errorEmbed(AUDIT_DOWN)], flags: MessageFlags.Ephemeral });
      return;
    }
  }
  const deferral = interaction.deferReply(spec.ephemeral ? { flags: MessageFlags.Ephemeral } : {}).then(
    () => true,
    (err: unknown) => {
      bot.logger.warn(
        { err, command: spec.command, interaction: interaction.id },
        'Discord did not accept the deferral',
      );
      audit?.finish('unacknowledged', 'Discord did not accept the interaction; nothing was done.');
      return false;
    },
  );
  // A read may start while the deferral is on its way; anything that changes something waits until
  // Discord has accepted the interaction, so no action is taken that its invoker never hears of.
  if (need !== 'viewer' && !(await deferral)) return;
  const call = makeCall(bot, spec, audit, deferral);
  let payload: Reply;
  const sent: string[] = [];
  const recordLine = (line: string) => {
    if (!sent.includes(line)) sent.push(line);
    audit?.detail({ action: sent.join('; ') });
  };
  try {
    // Recorded as each is sent, so a failed or timed-out action still shows what was attempted.
    const run = () => spec.execute(call);
    const reply = await (audit ? observeSentLines(recordLine, run) : run());
    // The action is done whether or not the reply edit goes through.
    audit?.finish('ok', summary(reply));
    payload = {
      kind: 'ok',
      body: { ...reply, components: reply.components ?? [], allowedMentions: NO_PINGS },
    };
  } catch (err) {
    payload = failure(bot, spec, err, audit);
  }
  if (!(await deferral)) return;
  await deliver(interaction, payload, spec.ephemeral).catch((err: unknown) =>
    bot.logger.error(
      { err, command: spec.command, interaction: interaction.id },
      'could not deliver the reply',
    ),
  );
}

type ReplyBody = CommandReply & { allowedMentions: typeof NO_PINGS };
type Reply = { kind: 'ok' | 'error'; body: ReplyBody };

function makeCall(
  bot: BotContext,
  spec: ActionSpec,
  audit: SafeAudit | undefined,
  deferral: Promise<boolean>,
): ActionCall {
  const { interaction } = spec;
  return {
    bot,
    actor: `@${interaction.user.username}`,
    record: (detail) => audit?.detail(detail),
    confirm: async (question, detail) => {
      await deferral;
      await bot.confirmations.ask(
        interaction,
        { levelOf: spec.levelOf, level: spec.level },
        question,
        detail,
      );
    },
    progress: async (text) => {
      if (!(await deferral)) return;
      await interaction.editReply({
        embeds: [successEmbed('Working…', text)],
        components: [],
        allowedMentions: NO_PINGS,
      });
    },
  };
}

function failure(bot: BotContext, spec: ActionSpec, err: unknown, audit: SafeAudit | undefined): Reply {
  if (err instanceof NotConfirmedError) {
    audit?.finish(err.outcome, err.message);
    // A declined confirmation stays where the question was.
    return {
      kind: 'ok',
      body: { embeds: [errorEmbed(err.message)], components: [], allowedMentions: NO_PINGS },
    };
  }
  let message = APOLOGY;
  if (err instanceof UserError) {
    message = err.message;
    audit?.finish(err instanceof InvalidInputError ? 'refused' : 'failed', err.message);
  } else {
    audit?.finish('error', err instanceof Error ? err.message : String(err));
    bot.logger.error(
      { err, command: spec.command, options: spec.options, member: spec.interaction.user.id },
      'command failed',
    );
  }
  return {
    kind: 'error',
    body: { embeds: [errorEmbed(message)], components: [], allowedMentions: NO_PINGS },
  };
}

async function deliver(interaction: PipelineInteraction, reply: Reply, ephemeral: boolean): Promise<void> {
  if (reply.kind === 'ok' || ephemeral) {
    await interaction.editReply(reply.body);
    return;
  }
  // The deferral was public; errors are for the invoker's eyes only.
  await interaction.deleteReply().catch(() => undefined);
  await interaction.followUp({
    embeds: reply.body.embeds ?? [],
    allowedMentions: NO_PINGS,
    flags: MessageFlags.Ephemeral,
  });
}

function summary(reply: CommandReply): string {
  const embed = reply.embeds?.[0];
  const json = embed && 'toJSON' in embed ? embed.toJSON() : (embed as { title?: string } | undefined);
  return json?.title ?? (typeof reply.content === 'string' ? reply.content : 'done');
}

function tryAudit(logger: Logger, write: () => unknown): void {
  try {
    write();
  } catch (err) {
    logger.error({ err }, 'audit log cannot be written');
  }
}

/** An audit record whose later writes cannot turn a finished action into an apology: failures are logged. */
class SafeAudit {
  constructor(
    private readonly record: AuditRecord,
    private readonly logger: Logger,
  ) {}

  detail(detail: AuditDetail): void {
    tryAudit(this.logger, () => this.record.detail(detail));
  }

  finish(outcome: FinishOutcome, detail: string): void {
    tryAudit(this.logger, () => this.record.finish(outcome, detail));
  }
}
