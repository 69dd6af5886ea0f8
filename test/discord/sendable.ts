/**
 * Checks a message body with the Discord emulator's own validation and mention parsing: what the
 * emulator accepts here, it accepts over REST, because it is the same code.
 */
import type { APIEmbed, EmbedBuilder } from 'discord.js';
import { expect } from 'vitest';
import { computeMentions } from '../discord-emulator/mentions.js';
import { isEmptyMessage, validateMessageBody } from '../discord-emulator/message-validation.js';
import { ALL_PERMISSIONS } from '../discord-emulator/permissions.js';
import type { GuildStore } from '../discord-emulator/store.js';

type Json = Record<string, unknown>;

// Every id is a member and a role, and the author may mention everyone: whatever could ping, would.
const ANYONE: Pick<GuildStore, 'members' | 'roles' | 'permissionsOf' | 'apiMember'> = {
  members: {
    get: (id: string) => ({ user: { id, username: `user${id}` } }),
  } as unknown as GuildStore['members'],
  roles: { has: () => true } as unknown as GuildStore['roles'],
  permissionsOf: () => ALL_PERMISSIONS,
  apiMember: () => ({}) as ReturnType<GuildStore['apiMember']>,
};
const AUTHOR = '999999999999999999';

export interface Pings {
  users: string[];
  roles: string[];
  everyone: boolean;
}

/** Who `content` pings under `allowed` (absent: Discord's default, everything parsed pings). */
export function pings(content: string, allowed?: unknown): Pings {
  const found = computeMentions(content, allowed, ANYONE as GuildStore, AUTHOR);
  return {
    users: found.mentions.map((user) => user.id),
    roles: found.mention_roles,
    everyone: found.mention_everyone,
  };
}

export const NOBODY: Pings = { users: [], roles: [], everyone: false };

/** discord.js sends JSON: builders are serialised, and lone surrogates travel as escapes. */
export function wire(body: object): Json {
  return JSON.parse(JSON.stringify(body)) as Json;
}

export function embedJson(embeds: readonly (EmbedBuilder | APIEmbed)[]): APIEmbed[] {
  return embeds.map((embed) => ('toJSON' in embed ? embed.toJSON() : embed));
}

function embedTexts(embed: APIEmbed): string[] {
  return [
    embed.title ?? '',
    embed.description ?? '',
    embed.footer?.text ?? '',
    embed.author?.name ?? '',
    ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
  ];
}

export interface Expected {
  files?: number;
  /** Who the content pings under its own allowed_mentions; nobody unless said. */
  pinged?: Pings;
  /** Members embeds may name on purpose (the audit names who acted). */
  namedInEmbeds?: (id: string) => boolean;
}

/**
 * The body passes every check the emulator makes of a new message (limits, custom ids, not empty),
 * its content pings no more than `pinged` under its own allowed_mentions, and no embed text could
 * ping even as content without allowed_mentions: embeds never ping, but must not show a live
 * mention of what a user wrote either.
 */
export function expectSendable(body: object, expected: Expected = {}): Json {
  const sent = wire(body);
  const files = expected.files ?? 0;
  expect(validateMessageBody(sent, [], files)).toEqual([]);
  expect(isEmptyMessage(sent, files)).toBe(false);
  if (typeof sent.content === 'string') {
    expect(pings(sent.content, sent.allowed_mentions)).toEqual(expected.pinged ?? NOBODY);
  }
  const named = expected.namedInEmbeds ?? (() => false);
  // One expectation for all texts: hundreds of them per message would dominate the run time.
  const live = ((sent.embeds ?? []) as APIEmbed[]).flatMap(embedTexts).filter((text) => {
    const found = pings(text);
    return found.everyone || found.roles.length > 0 || found.users.some((id) => !named(id));
  });
  expect(live).toEqual([]);
  return sent;
}
