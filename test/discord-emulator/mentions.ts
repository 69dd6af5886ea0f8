import { PermissionFlagsBits, type APIUser } from 'discord.js';
import { has } from './permissions.js';
import type { GuildStore } from './store.js';
import { without } from './objects.js';

type Json = Record<string, unknown>;

export interface Mentions {
  mentions: (APIUser & { member?: unknown })[];
  mention_roles: string[];
  mention_everyone: boolean;
}

/**
 * Who a message pings, applying `allowed_mentions` the way Discord does, so a test can assert
 * that user-supplied text pinged nobody. Without `allowed_mentions` everything parsed pings.
 */
export function computeMentions(
  content: string,
  allowed: unknown,
  store: GuildStore,
  authorId: string,
): Mentions {
  const spec = typeof allowed === 'object' && allowed !== null ? (allowed as Json) : null;
  const parse = spec
    ? Array.isArray(spec.parse)
      ? (spec.parse as string[])
      : []
    : ['users', 'roles', 'everyone'];
  const explicitUsers = spec && Array.isArray(spec.users) ? (spec.users as string[]) : [];
  const explicitRoles = spec && Array.isArray(spec.roles) ? (spec.roles as string[]) : [];

  const userIds = new Set([...content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1]!));
  const roleIds = new Set([...content.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1]!));
  const mentions = [...userIds]
    .filter((id) => parse.includes('users') || explicitUsers.includes(id))
    .flatMap((id) => {
      const member = store.members.get(id);
      if (!member) return [];
      return [{ ...member.user, member: without(store.apiMember(member), 'user') }];
    });
  const mention_roles = [...roleIds].filter(
    (id) => store.roles.has(id) && (parse.includes('roles') || explicitRoles.includes(id)),
  );
  // @everyone/@here only ping when allowed and when the author may mention everyone.
  const mention_everyone =
    /@(everyone|here)/.test(content) &&
    parse.includes('everyone') &&
    has(store.permissionsOf(authorId), PermissionFlagsBits.MentionEveryone);
  return { mentions, mention_roles, mention_everyone };
}
