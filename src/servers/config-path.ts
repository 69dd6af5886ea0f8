import { InvalidInputError } from '../errors.js';
import { fieldNamed, formatPath, HEADLESS_CONFIG, schemaOf, type FieldShape } from './headless-config.js';

export type PathPart = string | number;

const PART = /^(?:\.?([A-Za-z_$][\w$]*)|\[(\d{1,6})\])/;

/** `startWorlds[0].maxUsers` as its parts; anything else is refused, saying where it stopped. */
export function parseConfigPath(text: string): PathPart[] {
  const parts: PathPart[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    const match = PART.exec(rest);
    const key = match?.[1];
    if (!match || (key !== undefined && parts.length === 0 && rest.startsWith('.'))) {
      throw new InvalidInputError(
        `\`${text}\` is not a path like \`startWorlds[0].maxUsers\` (stopped at \`${rest.slice(0, 20)}\`).`,
      );
    }
    parts.push(key ?? Number(match[2]));
    rest = rest.slice(match[0].length);
  }
  if (parts.length === 0 || typeof parts[0] !== 'string') {
    throw new InvalidInputError(
      'A path starts with a field name, like `tickRate` or `startWorlds[0].maxUsers`.',
    );
  }
  return parts;
}

/** Where a path leads in one file: the parts as the file spells them, and what the field holds. */
export interface ResolvedPath {
  /** The parts in the file's own casing (a field not there yet in the casing of its neighbours). */
  parts: PathPart[];
  shape: FieldShape;
  /** Undefined when the field is not in the file yet. */
  current: unknown;
}

/** Follows a path through a parsed Config.json; an unknown field or a missing entry is a clear error. */
export function resolveConfigPath(json: unknown, parts: readonly PathPart[]): ResolvedPath {
  let shape: FieldShape = HEADLESS_CONFIG;
  let node: unknown = json;
  const spelled: PathPart[] = [];
  for (const part of parts) {
    const here = formatPath(spelled);
    if (typeof part === 'number') {
      if (shape.kind !== 'list')
        throw new InvalidInputError(`${here} is not a list: \`[${part}]\` cannot follow it.`);
      if (!Array.isArray(node))
        throw new InvalidInputError(`${here} is not set in the file, so it has no [${part}].`);
      if (part >= node.length) {
        const range = node.length === 0 ? 'none' : `[0] to [${node.length - 1}]`;
        throw new InvalidInputError(`${here} has ${node.length} entries (${range}): there is no [${part}].`);
      }
      shape = shape.of;
      node = node[part];
      spelled.push(part);
      continue;
    }
    let key = part;
    if (shape.kind === 'map') {
      shape = shape.of;
    } else if (shape.kind === 'object') {
      const field = fieldNamed(shape.fields, part);
      if (!field) {
        const where = spelled.length === 0 ? 'at the top of Config.json' : `in ${here}`;
        throw new InvalidInputError(`There is no field \`${part}\` ${where}.`);
      }
      shape = field.shape;
      key = findKey(node, field.name) ?? spellLike(node, field.name);
    } else {
      throw new InvalidInputError(`${here} is ${describeShape(shape)}: it has no field \`${part}\`.`);
    }
    if (!isObject(node))
      throw new InvalidInputError(`${here} is not set in the file, so it has no \`${part}\`.`);
    spelled.push(key);
    node = node[key];
  }
  return { parts: spelled, shape, current: node };
}

/** A value typed in Discord as the field's type: number, integer, boolean, enum, text, null, or JSON for lists and maps. */
export function parseConfigValue(text: string, shape: FieldShape, where: string): unknown {
  const typed = text.trim();
  if (typed === 'null') {
    if (shape.nullable) return null;
    throw new InvalidInputError(`${where} cannot be null: it must be ${describeShape(shape)}.`);
  }
  const wrong = () =>
    new InvalidInputError(`${where} must be ${describeShape(shape)}, not \`${typed.slice(0, 100)}\`.`);
  switch (shape.kind) {
    case 'string':
      return /^".*"$/s.test(typed) ? jsonOr(typed, typed) : text;
    case 'number': {
      if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(typed)) throw wrong();
      const value = Number(typed);
      if (!Number.isFinite(value)) throw wrong();
      return value;
    }
    case 'integer': {
      const value = Number(typed);
      if (!/^-?\d+$/.test(typed) || !Number.isSafeInteger(value)) throw wrong();
      return value;
    }
    case 'boolean':
      if (/^(true|false)$/i.test(typed)) return typed.toLowerCase() === 'true';
      throw wrong();
    case 'enum': {
      const value = shape.values.find((v) => v.toLowerCase() === typed.toLowerCase());
      if (value === undefined) throw wrong();
      return value;
    }
    default: {
      const value = jsonOr(typed, undefined);
      const parsed = schemaOf(shape).safeParse(value);
      if (value === undefined || !parsed.success) throw wrong();
      return value;
    }
  }
}

/** The type a field takes, in words for an error message. */
export function describeShape(shape: FieldShape): string {
  const base = {
    string: () => 'text',
    number: () => 'a number (e.g. 60 or 0.5)',
    integer: () => 'a whole number',
    boolean: () => 'true or false',
    enum: () => `one of ${(shape as { values: readonly string[] }).values.join(', ')}`,
    list: () => 'a JSON list, e.g. ["a", "b"]',
    map: () => 'a JSON object, e.g. {"name": "value"}',
    object: () => 'a JSON object',
  }[shape.kind]();
  return shape.nullable ? `${base} or null` : base;
}

/** The parsed file with one value set (a copy: the original stays as it was read). */
export function withValue(json: unknown, parts: readonly PathPart[], value: unknown): unknown {
  const copy = structuredClone(json);
  let node = copy as Record<PathPart, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<PathPart, unknown>;
  node[parts[parts.length - 1] as PathPart] = value;
  return copy;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findKey(node: unknown, key: string): string | undefined {
  if (!isObject(node)) return undefined;
  if (Object.hasOwn(node, key)) return key;
  return Object.keys(node).find((k) => k.toLowerCase() === key.toLowerCase());
}

/** A new field in the casing its object's fields use (most real files camelCase, the schema PascalCase). */
function spellLike(node: unknown, canonical: string): string {
  if (!isObject(node)) return canonical;
  const first = Object.keys(node).find((k) => /^[A-Za-z]/.test(k));
  if (first === undefined) return canonical;
  const lower = first[0] === first[0]?.toLowerCase();
  return (lower ? canonical[0]?.toLowerCase() : canonical[0]?.toUpperCase()) + canonical.slice(1);
}

function jsonOr<T>(text: string, fallback: T): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fallback;
  }
}
