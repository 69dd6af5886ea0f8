import type { APIApplicationCommand } from 'discord.js';
import type { SnowflakeGenerator } from './snowflake.js';

type Json = Record<string, unknown>;

/** `scope` is a guild id for guild commands, or GLOBAL. */
export const GLOBAL = 'global';

/** Registered application commands per scope, kept like Discord: same name and type keep their id. */
export class CommandStore {
  private readonly scopes = new Map<string, APIApplicationCommand[]>();

  constructor(
    private readonly applicationId: string,
    private readonly nextId: SnowflakeGenerator,
  ) {}

  list(scope: string): APIApplicationCommand[] {
    return this.scopes.get(scope) ?? [];
  }

  get(scope: string, id: string): APIApplicationCommand | undefined {
    return this.list(scope).find((c) => c.id === id);
  }

  find(scope: string, name: string, type = 1): APIApplicationCommand | undefined {
    return this.list(scope).find((c) => c.name === name && c.type === type);
  }

  /** Bulk overwrite; the body was validated by the route. */
  overwrite(scope: string, body: Json[]): APIApplicationCommand[] {
    const next = body.map((definition) => {
      const existing = this.find(scope, String(definition.name), Number(definition.type ?? 1));
      return this.build(scope, definition, existing?.id ?? this.nextId());
    });
    this.scopes.set(scope, next);
    return next;
  }

  /** POST semantics: a command with the same name and type is replaced, keeping its id. */
  upsert(scope: string, definition: Json): { command: APIApplicationCommand; created: boolean } {
    const existing = this.find(scope, String(definition.name), Number(definition.type ?? 1));
    const command = this.build(scope, definition, existing?.id ?? this.nextId());
    const rest = this.list(scope).filter((c) => c.id !== command.id);
    this.scopes.set(scope, [...rest, command]);
    return { command, created: !existing };
  }

  edit(scope: string, id: string, patch: Json): APIApplicationCommand | undefined {
    const existing = this.get(scope, id);
    if (!existing) return undefined;
    const command = this.build(scope, { ...existing, ...patch }, id);
    this.scopes.set(
      scope,
      this.list(scope).map((c) => (c.id === id ? command : c)),
    );
    return command;
  }

  remove(scope: string, id: string): boolean {
    const before = this.list(scope);
    this.scopes.set(
      scope,
      before.filter((c) => c.id !== id),
    );
    return before.length !== this.list(scope).length;
  }

  private build(scope: string, definition: Json, id: string): APIApplicationCommand {
    const command = {
      id,
      application_id: this.applicationId,
      version: this.nextId(),
      type: Number(definition.type ?? 1),
      name: String(definition.name),
      name_localizations: definition.name_localizations ?? null,
      description: typeof definition.description === 'string' ? definition.description : '',
      description_localizations: definition.description_localizations ?? null,
      default_member_permissions:
        (definition.default_member_permissions as string | null | undefined) ?? null,
      dm_permission: scope === GLOBAL ? (definition.dm_permission ?? true) : undefined,
      nsfw: definition.nsfw ?? false,
      contexts: definition.contexts ?? null,
      integration_types: definition.integration_types ?? [0],
      ...(Array.isArray(definition.options) ? { options: structuredClone(definition.options) } : {}),
      ...(scope === GLOBAL ? {} : { guild_id: scope }),
    };
    return JSON.parse(JSON.stringify(command)) as APIApplicationCommand;
  }
}
