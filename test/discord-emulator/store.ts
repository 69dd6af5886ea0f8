import {
  PermissionFlagsBits,
  type APIChannel,
  type APIGuildMember,
  type APIRole,
  type APIUser,
  type GuildMemberFlags,
  type RoleFlags,
  type UserFlags,
} from 'discord.js';

// discord-api-types types flags as enums without a 0 member; Discord sends 0.
const NO_USER_FLAGS = 0 as UserFlags;
import {
  ALL_PERMISSIONS,
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  toPermissionBits,
} from './permissions.js';
import type { SnowflakeGenerator } from './snowflake.js';
import type { ChannelSeed, EmulatorOptions, MemberSeed, OverwriteSeed, RoleSeed } from './types.js';
import { without } from './objects.js';

export interface StoredRole {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  color: number;
  mentionable: boolean;
  /** Set on the bot's integration role, which Discord marks `managed`. */
  botId: string | null;
}

export interface StoredChannel {
  id: string;
  name: string;
  type: number;
  parentId: string | null;
  topic: string | null;
  position: number;
  overwrites: StoredOverwrite[];
}

export interface StoredOverwrite {
  id: string;
  /** 0 role, 1 member, as Discord numbers them. */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface StoredMember {
  user: APIUser;
  nick: string | null;
  roles: string[];
  joinedAt: string;
}

/** The one guild, its application and bot user: the state GUILD_CREATE and the REST routes describe. */
export class GuildStore {
  readonly applicationId: string;
  readonly token: string;
  readonly botUser: APIUser;
  readonly guildId: string;
  readonly guildName: string;
  readonly preferredLocale: string;
  ownerId: string;
  readonly roles = new Map<string, StoredRole>();
  readonly channels = new Map<string, StoredChannel>();
  readonly members = new Map<string, StoredMember>();
  private readonly createdAt = new Date().toISOString();

  constructor(
    options: EmulatorOptions,
    private readonly nextId: SnowflakeGenerator,
  ) {
    this.applicationId = options.applicationId ?? nextId();
    // Token-shaped (id.timestamp.hmac) because discord.js censors tokens by splitting on dots.
    this.token =
      options.token ?? `${Buffer.from(this.applicationId).toString('base64url')}.emulator.${nextId()}`;
    this.botUser = {
      id: this.applicationId,
      username: options.botUsername ?? 'Emulated Bot',
      discriminator: '0001',
      global_name: null,
      avatar: null,
      bot: true,
      public_flags: NO_USER_FLAGS,
      flags: NO_USER_FLAGS,
    };
    this.guildId = options.guild?.id ?? nextId();
    this.guildName = options.guild?.name ?? 'Emulated Guild';
    this.preferredLocale = options.guild?.preferredLocale ?? 'en-US';

    // @everyone has the guild's id, as on Discord.
    this.roles.set(this.guildId, {
      id: this.guildId,
      name: '@everyone',
      permissions: options.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
      position: 0,
      color: 0,
      mentionable: false,
      botId: null,
    });
    for (const seed of options.roles ?? []) this.addRole(seed);
    const botRole = this.addRole({
      name: this.botUser.username,
      permissions: options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
    });
    botRole.botId = this.botUser.id;

    const channelSeeds = options.channels ?? [{ name: 'general' }];
    // Overwrites may name members, who come next: they are resolved once everyone is in.
    const channels = channelSeeds.map((seed) => this.addChannel({ ...seed, permissionOverwrites: [] }));

    const members = options.members?.length ? options.members : [{ username: 'owner' }];
    const added = members.map((seed) => this.addMember(seed));
    this.ownerId = options.guild?.ownerId ?? added[0]!.user.id;
    if (!this.members.has(this.ownerId))
      throw new Error(`guild.ownerId ${this.ownerId} is not one of the members`);
    this.members.set(this.botUser.id, {
      user: this.botUser,
      nick: null,
      roles: [botRole.id],
      joinedAt: this.createdAt,
    });
    channels.forEach((channel, i) => {
      channel.overwrites = this.resolveOverwrites(channelSeeds[i]!.permissionOverwrites ?? []);
    });
  }

  addRole(seed: RoleSeed): StoredRole {
    const id = seed.id ?? this.nextId();
    if (this.roles.has(id)) throw new Error(`role id ${id} already exists`);
    const role: StoredRole = {
      id,
      name: seed.name,
      permissions: toPermissionBits(seed.permissions),
      position: seed.position ?? this.roles.size,
      color: seed.color ?? 0,
      mentionable: seed.mentionable ?? false,
      botId: null,
    };
    this.roles.set(id, role);
    return role;
  }

  addChannel(seed: ChannelSeed): StoredChannel {
    const id = seed.id ?? this.nextId();
    if (this.channels.has(id)) throw new Error(`channel id ${id} already exists`);
    const channel: StoredChannel = {
      id,
      name: seed.name,
      type: seed.type ?? 0,
      parentId: seed.parentId ?? null,
      topic: seed.topic ?? null,
      position: this.channels.size,
      overwrites: [],
    };
    this.channels.set(id, channel);
    channel.overwrites = this.resolveOverwrites(seed.permissionOverwrites ?? []);
    return channel;
  }

  /** Overwrite targets by id or name to ids; an unknown one is a test bug, so it throws. */
  resolveOverwrites(seeds: OverwriteSeed[]): StoredOverwrite[] {
    return seeds.map((seed) => {
      const id =
        seed.type === 'role' ? this.resolveRoles([seed.target])[0]! : this.findMember(seed.target)?.user.id;
      if (id === undefined) throw new Error(`unknown member "${seed.target}" in a permission overwrite`);
      return { id, type: seed.type === 'role' ? 0 : 1, allow: seed.allow ?? 0n, deny: seed.deny ?? 0n };
    });
  }

  addMember(seed: MemberSeed): StoredMember {
    const id = seed.id ?? this.nextId();
    if (this.members.has(id)) throw new Error(`member ${id} already exists`);
    const member: StoredMember = {
      user: {
        id,
        username: seed.username,
        discriminator: '0',
        global_name: seed.globalName ?? null,
        avatar: null,
        bot: seed.bot ?? false,
        public_flags: NO_USER_FLAGS,
        flags: NO_USER_FLAGS,
      },
      nick: seed.nick ?? null,
      roles: this.resolveRoles(seed.roles ?? []),
      joinedAt: new Date().toISOString(),
    };
    this.members.set(id, member);
    return member;
  }

  /** Role ids or names to ids; an unknown one is a test bug, so it throws. */
  resolveRoles(refs: string[]): string[] {
    return refs.map((ref) => {
      const role = this.findRole(ref);
      if (!role)
        throw new Error(
          `unknown role "${ref}" (known: ${[...this.roles.values()].map((r) => r.name).join(', ')})`,
        );
      return role.id;
    });
  }

  findRole(idOrName: string): StoredRole | undefined {
    return this.roles.get(idOrName) ?? [...this.roles.values()].find((r) => r.name === idOrName);
  }

  findChannel(idOrName: string): StoredChannel | undefined {
    return this.channels.get(idOrName) ?? [...this.channels.values()].find((c) => c.name === idOrName);
  }

  findMember(idOrUsername: string): StoredMember | undefined {
    return (
      this.members.get(idOrUsername) ??
      [...this.members.values()].find((m) => m.user.username === idOrUsername)
    );
  }

  /**
   * Permissions in a channel, computed as Discord does: the guild's, then the channel's overwrites
   * for @everyone, for the member's roles (denies, then allows) and for the member. Owner and
   * Administrator get all, whatever the overwrites.
   */
  channelPermissionsOf(userId: string, channelId: string): bigint {
    const base = this.permissionsOf(userId);
    const channel = this.channels.get(channelId);
    const member = this.members.get(userId);
    if (base === ALL_PERMISSIONS || !channel || !member) return base;
    const apply = (bits: bigint, overwrites: StoredOverwrite[]) => {
      const deny = overwrites.reduce((all, o) => all | o.deny, 0n);
      const allow = overwrites.reduce((all, o) => all | o.allow, 0n);
      return (bits & ~deny) | allow;
    };
    const everyone = channel.overwrites.filter((o) => o.type === 0 && o.id === this.guildId);
    const roles = channel.overwrites.filter((o) => o.type === 0 && member.roles.includes(o.id));
    const own = channel.overwrites.filter((o) => o.type === 1 && o.id === userId);
    return apply(apply(apply(base, everyone), roles), own);
  }

  /** Guild-level permissions, before channel overwrites: owner and Administrator get all. */
  permissionsOf(userId: string): bigint {
    if (userId === this.ownerId) return ALL_PERMISSIONS;
    const member = this.members.get(userId);
    if (!member) return 0n;
    let bits = this.roles.get(this.guildId)!.permissions;
    for (const roleId of member.roles) bits |= this.roles.get(roleId)?.permissions ?? 0n;
    return (bits & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : bits;
  }

  apiRole(role: StoredRole): APIRole {
    return {
      id: role.id,
      name: role.name,
      color: role.color,
      colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: role.botId !== null,
      mentionable: role.mentionable,
      flags: 0 as RoleFlags,
      ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
    };
  }

  apiChannel(channel: StoredChannel): APIChannel {
    return {
      id: channel.id,
      type: channel.type,
      guild_id: this.guildId,
      name: channel.name,
      position: channel.position,
      permission_overwrites: channel.overwrites.map((o) => ({
        id: o.id,
        type: o.type,
        allow: o.allow.toString(),
        deny: o.deny.toString(),
      })),
      parent_id: channel.parentId,
      topic: channel.topic,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    } as unknown as APIChannel;
  }

  apiMember(member: StoredMember): APIGuildMember {
    return {
      user: member.user,
      nick: member.nick,
      avatar: null,
      banner: null,
      roles: [...member.roles],
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  /** The full guild as GUILD_CREATE carries it; `allMembers` only with the GuildMembers intent. */
  apiGuildCreate(allMembers: boolean): Record<string, unknown> {
    const members = [...this.members.values()].filter((m) => allMembers || m.user.id === this.botUser.id);
    return {
      ...this.apiGuild(),
      joined_at: this.createdAt,
      large: false,
      unavailable: false,
      member_count: this.members.size,
      voice_states: [],
      members: members.map((m) => this.apiMember(m)),
      // GUILD_CREATE channels carry no guild_id; discord.js fills it in.
      channels: [...this.channels.values()].map((c) =>
        without(this.apiChannel(c) as { guild_id?: string }, 'guild_id'),
      ),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  apiGuild(): Record<string, unknown> {
    return {
      id: this.guildId,
      name: this.guildName,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [...this.roles.values()].map((r) => this.apiRole(r)),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: this.preferredLocale,
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
    };
  }
}
