import { GLOBAL } from '../commands.js';
import { ApiError, invalidFormBody, unknownCommand, unknownGuild, unknownUser } from '../errors.js';
import { validateCommand, validateCommandList } from '../command-validation.js';
import { noContent, objectBody, ok, type Route, type RouteContext } from './route.js';

function application(ctx: RouteContext): Record<string, unknown> {
  const { store } = ctx.core;
  // install_params must be an object or absent: discord.js crashes on null.
  return {
    id: store.applicationId,
    name: store.botUser.username,
    icon: null,
    description: 'Emulated application',
    summary: '',
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    owner: {
      id: store.ownerId,
      username: store.members.get(store.ownerId)?.user.username ?? 'owner',
      discriminator: '0',
      avatar: null,
      global_name: null,
      public_flags: 0,
      flags: 0,
    },
    team: null,
    bot: store.botUser,
    tags: [],
    redirect_uris: [],
    interactions_endpoint_url: null,
    approximate_guild_count: 1,
    integration_types_config: { '0': {} },
  };
}

/** The scope ('global' or the guild id) of a commands route, after checking app and guild ids. */
function scope(ctx: RouteContext): string {
  const { store } = ctx.core;
  if (ctx.params.app !== store.applicationId) throw new ApiError(403, 50001, 'Missing Access');
  if (ctx.params.guild === undefined) return GLOBAL;
  if (ctx.params.guild !== store.guildId) throw unknownGuild();
  return store.guildId;
}

function commandRoutes(prefix: string): Route[] {
  return [
    { method: 'GET', pattern: prefix, auth: true, handle: (ctx) => ok(ctx.core.commands.list(scope(ctx))) },
    {
      method: 'PUT',
      pattern: prefix,
      auth: true,
      handle: (ctx) => {
        const where = scope(ctx);
        const issues = validateCommandList(ctx.body.json);
        if (issues.length) throw invalidFormBody(issues);
        return ok(ctx.core.commands.overwrite(where, ctx.body.json as Record<string, unknown>[]));
      },
    },
    {
      method: 'POST',
      pattern: prefix,
      auth: true,
      handle: (ctx) => {
        const where = scope(ctx);
        const body = objectBody(ctx);
        const issues = validateCommand(body, []);
        if (issues.length) throw invalidFormBody(issues);
        const { command, created } = ctx.core.commands.upsert(where, body);
        return ok(command, created ? 201 : 200);
      },
    },
    {
      method: 'GET',
      pattern: `${prefix}/:command`,
      auth: true,
      handle: (ctx) =>
        ok(ctx.core.commands.get(scope(ctx), ctx.params.command!) ?? throwIt(unknownCommand())),
    },
    {
      method: 'PATCH',
      pattern: `${prefix}/:command`,
      auth: true,
      handle: (ctx) => {
        const where = scope(ctx);
        const existing = ctx.core.commands.get(where, ctx.params.command!) ?? throwIt(unknownCommand());
        const issues = validateCommand({ ...existing, ...objectBody(ctx) }, []);
        if (issues.length) throw invalidFormBody(issues);
        return ok(ctx.core.commands.edit(where, existing.id, objectBody(ctx)));
      },
    },
    {
      method: 'DELETE',
      pattern: `${prefix}/:command`,
      auth: true,
      handle: (ctx) =>
        ctx.core.commands.remove(scope(ctx), ctx.params.command!) ? noContent() : throwIt(unknownCommand()),
    },
  ];
}

function throwIt(error: Error): never {
  throw error;
}

function gatewayInfo(url: string): Record<string, unknown> {
  return {
    url,
    shards: 1,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
  };
}

/** Gateway discovery, the application, users and application commands. */
export function applicationRoutes(wsUrl: () => string): Route[] {
  return [
    { method: 'GET', pattern: '/gateway', auth: false, handle: () => ok({ url: wsUrl() }) },
    { method: 'GET', pattern: '/gateway/bot', auth: true, handle: () => ok(gatewayInfo(wsUrl())) },
    { method: 'GET', pattern: '/applications/@me', auth: true, handle: (ctx) => ok(application(ctx)) },
    { method: 'GET', pattern: '/oauth2/applications/@me', auth: true, handle: (ctx) => ok(application(ctx)) },
    { method: 'GET', pattern: '/users/@me', auth: true, handle: (ctx) => ok(ctx.core.store.botUser) },
    {
      method: 'GET',
      pattern: '/users/:user',
      auth: true,
      handle: (ctx) => {
        const member = ctx.core.store.members.get(ctx.params.user!);
        return member ? ok(member.user) : throwIt(unknownUser());
      },
    },
    ...commandRoutes('/applications/:app/guilds/:guild/commands'),
    ...commandRoutes('/applications/:app/commands'),
  ];
}
