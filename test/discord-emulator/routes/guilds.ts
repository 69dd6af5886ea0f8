import { unknownGuild, unknownMember } from '../errors.js';
import { channel } from './channels.js';
import { ok, type Route, type RouteContext } from './route.js';

function guild(ctx: RouteContext): void {
  if (ctx.params.guild !== ctx.core.store.guildId) throw unknownGuild();
}

/** Read-only guild routes discord.js uses to fill caches it lacks (members, roles, channels). */
export function guildRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/guilds/:guild',
      auth: true,
      handle: (ctx) => {
        guild(ctx);
        return ok(ctx.core.store.apiGuild());
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/roles',
      auth: true,
      handle: (ctx) => {
        guild(ctx);
        return ok([...ctx.core.store.roles.values()].map((r) => ctx.core.store.apiRole(r)));
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/channels',
      auth: true,
      handle: (ctx) => {
        guild(ctx);
        return ok([...ctx.core.store.channels.values()].map((c) => ctx.core.store.apiChannel(c)));
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/members/:user',
      auth: true,
      handle: (ctx) => {
        guild(ctx);
        const member = ctx.core.store.members.get(ctx.params.user!);
        if (!member) throw unknownMember();
        return ok(ctx.core.store.apiMember(member));
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/members',
      auth: true,
      handle: (ctx) => {
        guild(ctx);
        // Listing members needs the privileged GuildMembers intent enabled for the app; assumed on.
        const limit = Math.min(Number(ctx.query.get('limit') ?? 1), 1000);
        const after = ctx.query.get('after') ?? '0';
        const members = [...ctx.core.store.members.values()]
          .filter((m) => BigInt(m.user.id) > BigInt(after))
          .sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1))
          .slice(0, limit);
        return ok(members.map((m) => ctx.core.store.apiMember(m)));
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channel',
      auth: true,
      // Discord answers Missing Access for a channel the bot cannot see.
      handle: (ctx) => ok(ctx.core.store.apiChannel(channel(ctx))),
    },
  ];
}
