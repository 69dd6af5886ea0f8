import { z } from 'zod';

/**
 * The headless's Config.json, field by field as YDM's HeadlessConfig.schema.json lists them
 * (see shared/resonite-config.md). One description serves the zod schema that validates a file and
 * the `/config set` paths that edit one: names match case-insensitively, as the headless reads them.
 */
export type FieldShape =
  | { kind: 'string' | 'number' | 'integer' | 'boolean'; nullable: boolean }
  | { kind: 'enum'; values: readonly string[]; nullable: boolean }
  | { kind: 'list'; of: FieldShape; nullable: boolean }
  | { kind: 'map'; of: FieldShape; nullable: boolean }
  | { kind: 'object'; fields: Readonly<Record<string, FieldShape>>; nullable: boolean };

const text = { kind: 'string', nullable: true } as const;
const number = { kind: 'number', nullable: false } as const;
const integer = { kind: 'integer', nullable: false } as const;
const boolean = { kind: 'boolean', nullable: false } as const;
const textList = { kind: 'list', of: { kind: 'string', nullable: false }, nullable: true } as const;

export const ACCESS_LEVELS = [
  'Private',
  'LAN',
  'Contacts',
  'ContactsPlus',
  'RegisteredUsers',
  'Anyone',
] as const;
export const SAVE_AS_OWNERS = ['LocalMachine', 'CloudUser'] as const;

export const START_WORLD_FIELDS: Readonly<Record<string, FieldShape>> = {
  isEnabled: boolean,
  sessionName: text,
  customSessionId: text,
  description: text,
  maxUsers: integer,
  accessLevel: { kind: 'enum', values: ACCESS_LEVELS, nullable: false },
  useCustomJoinVerifier: boolean,
  hideFromPublicListing: { kind: 'boolean', nullable: true },
  tags: textList,
  mobileFriendly: boolean,
  loadWorldURL: text,
  loadWorldPresetName: text,
  // Its fields are the cloud's record id; kept as they are.
  overrideCorrespondingWorldId: { kind: 'object', fields: {}, nullable: true },
  forcePort: { kind: 'integer', nullable: true },
  keepOriginalRoles: boolean,
  defaultUserRoles: { kind: 'map', of: { kind: 'string', nullable: false }, nullable: true },
  roleCloudVariable: text,
  allowUserCloudVariable: text,
  denyUserCloudVariable: text,
  requiredUserJoinCloudVariable: text,
  requiredUserJoinCloudVariableDenyMessage: text,
  awayKickMinutes: number,
  parentSessionIds: textList,
  autoInviteUsernames: textList,
  autoInviteMessage: text,
  saveAsOwner: { kind: 'enum', values: SAVE_AS_OWNERS, nullable: false },
  autoRecover: boolean,
  idleRestartInterval: number,
  forcedRestartInterval: number,
  saveOnExit: boolean,
  autosaveInterval: number,
  autoSleep: boolean,
  waitForLogin: boolean,
};

export const TOP_LEVEL_FIELDS: Readonly<Record<string, FieldShape>> = {
  SourceFile: text,
  Schema: text,
  Comment: text,
  UniverseID: text,
  TickRate: number,
  MaxConcurrentAssetTransfers: integer,
  UsernameOverride: text,
  LoginCredential: text,
  LoginPassword: text,
  StartWorlds: {
    kind: 'list',
    of: { kind: 'object', fields: START_WORLD_FIELDS, nullable: false },
    nullable: true,
  },
  DataFolder: text,
  CacheFolder: text,
  LogsFolder: text,
  AllowedUrlHosts: textList,
  AutoSpawnItems: textList,
};

export const HEADLESS_CONFIG: FieldShape = { kind: 'object', fields: TOP_LEVEL_FIELDS, nullable: false };

/** The field of an object shape a key names, whatever its casing. */
export function fieldNamed(
  fields: Readonly<Record<string, FieldShape>>,
  key: string,
): { name: string; shape: FieldShape } | undefined {
  const wanted = key.toLowerCase();
  const name = Object.keys(fields).find((f) => f.toLowerCase() === wanted);
  return name === undefined ? undefined : { name, shape: fields[name] as FieldShape };
}

/** The zod schema of a shape: objects keep unknown fields and match known ones case-insensitively. */
export function schemaOf(shape: FieldShape): z.ZodType {
  const base = baseSchema(shape);
  return shape.nullable ? base.nullable() : base;
}

function baseSchema(shape: FieldShape): z.ZodType {
  switch (shape.kind) {
    case 'string':
      return z.string();
    case 'number':
      return z.number();
    case 'integer':
      return z.number().int();
    case 'boolean':
      return z.boolean();
    case 'enum': {
      // The headless's JSON reader takes enum names in any case.
      const lower = shape.values.map((v) => v.toLowerCase());
      return z
        .string()
        .refine((v) => lower.includes(v.toLowerCase()), `must be one of ${shape.values.join(', ')}`);
    }
    case 'list':
      return z.array(schemaOf(shape.of));
    case 'map':
      return z.record(z.string(), schemaOf(shape.of));
    case 'object':
      return z.preprocess(canonicalKeys(shape.fields), objectSchema(shape.fields));
  }
}

/** The object's zod schema on its canonical names (also what a test compares with the field list). */
export function objectSchema(fields: Readonly<Record<string, FieldShape>>) {
  return z.looseObject(
    Object.fromEntries(Object.entries(fields).map(([name, shape]) => [name, schemaOf(shape).optional()])),
  );
}

function canonicalKeys(fields: Readonly<Record<string, FieldShape>>) {
  return (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [fieldNamed(fields, key)?.name ?? key, v]),
    );
  };
}

export const headlessConfigSchema = schemaOf(HEADLESS_CONFIG);

/** What is wrong with a parsed Config.json, one line per field ("StartWorlds[0].maxUsers: ..."); none when valid. */
export function configProblems(json: unknown): string[] {
  const parsed = headlessConfigSchema.safeParse(json);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(the whole file)';
}
