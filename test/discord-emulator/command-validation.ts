import type { FieldIssue } from './errors.js';

// Discord's rule for chat-input command and option names (lowercase where a letter has a case).
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;
const CHOICE_TYPES = new Set([3, 4, 10]); // string, integer, number
const MAX_COMMAND_SIZE = 4000;

type Json = Record<string, unknown>;
type Path = (string | number)[];

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lengthBetween(issues: FieldIssue[], path: Path, value: unknown, min: number, max: number): void {
  const len = typeof value === 'string' ? [...value].length : -1;
  if (len < min || len > max) {
    issues.push({
      path,
      code: 'BASE_TYPE_BAD_LENGTH',
      message: `Must be between ${min} and ${max} in length.`,
    });
  }
}

function checkChatInputName(issues: FieldIssue[], path: Path, name: unknown, what: string): void {
  if (typeof name !== 'string' || !CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
    issues.push({
      path,
      code: 'APPLICATION_COMMAND_INVALID_NAME',
      message: `${what} name is invalid (lowercase, 1-32 characters, no spaces): ${JSON.stringify(name)}`,
    });
  }
}

/** Validates a list of command options at one nesting level (depth 0 = the command's own options). */
function checkOptions(issues: FieldIssue[], path: Path, options: unknown, depth: number): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    issues.push({ path, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return;
  }
  if (options.length > 25) {
    issues.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 0 and 25 in length.' });
  }
  const names = new Set<string>();
  let sawOptional = false;
  const nested = options.filter((o) => isObject(o) && (o.type === SUBCOMMAND || o.type === SUBCOMMAND_GROUP));
  if (nested.length > 0 && nested.length !== options.length) {
    issues.push({
      path,
      code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      message: 'Subcommands and subcommand groups cannot be mixed with other option types',
    });
  }
  options.forEach((option: unknown, i) => {
    const at = [...path, i];
    if (!isObject(option)) {
      issues.push({
        path: at,
        code: 'MODEL_TYPE_CONVERT',
        message: 'Only dictionaries may be used in a DictType',
      });
      return;
    }
    const type = option.type;
    checkChatInputName(issues, [...at, 'name'], option.name, 'Option');
    lengthBetween(issues, [...at, 'description'], option.description, 1, 100);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) {
        issues.push({
          path: [...at, 'name'],
          code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
          message: `Option name ${option.name} is already used in these options`,
        });
      }
      names.add(option.name);
    }
    if (typeof type !== 'number' || type < 1 || type > 11) {
      issues.push({
        path: [...at, 'type'],
        code: 'BASE_TYPE_CHOICES',
        message: `Value must be one of 1..11.`,
      });
      return;
    }
    if (type === SUBCOMMAND_GROUP && depth > 0) {
      issues.push({
        path: [...at, 'type'],
        code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
        message: 'Subcommand groups can only be top-level',
      });
    }
    if (type === SUBCOMMAND && depth > 1) {
      issues.push({
        path: [...at, 'type'],
        code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
        message: 'Subcommands cannot be nested this deep',
      });
    }
    if (type === SUBCOMMAND_GROUP) {
      const inner = Array.isArray(option.options) ? option.options : [];
      if (inner.some((o: unknown) => !isObject(o) || o.type !== SUBCOMMAND)) {
        issues.push({
          path: [...at, 'options'],
          code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
          message: 'Subcommand groups may only contain subcommands',
        });
      }
    }
    if (type === SUBCOMMAND || type === SUBCOMMAND_GROUP) {
      checkOptions(issues, [...at, 'options'], option.options, depth + 1);
      return;
    }
    if (option.required === true) {
      if (sawOptional) {
        issues.push({
          path: [...at, 'required'],
          code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          message: 'Required options must be placed before non-required options',
        });
      }
    } else {
      sawOptional = true;
    }
    checkChoices(issues, at, option, type);
  });
}

function checkChoices(issues: FieldIssue[], at: Path, option: Json, type: number): void {
  const choices = option.choices;
  if (option.autocomplete === true) {
    if (!CHOICE_TYPES.has(type)) {
      issues.push({
        path: [...at, 'autocomplete'],
        code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID',
        message: 'Autocomplete is only allowed on string, integer and number options',
      });
    }
    if (Array.isArray(choices) && choices.length > 0) {
      issues.push({
        path: [...at, 'autocomplete'],
        code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES',
        message: 'Autocomplete cannot be set with choices',
      });
    }
  }
  if (!Array.isArray(choices)) return;
  if (!CHOICE_TYPES.has(type) && choices.length > 0) {
    issues.push({
      path: [...at, 'choices'],
      code: 'APPLICATION_COMMAND_OPTIONS_CHOICES_INVALID',
      message: 'Choices are only allowed on string, integer and number options',
    });
  }
  if (choices.length > 25) {
    issues.push({
      path: [...at, 'choices'],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be between 0 and 25 in length.',
    });
  }
  choices.forEach((choice: unknown, j) => {
    if (!isObject(choice)) return;
    lengthBetween(issues, [...at, 'choices', j, 'name'], choice.name, 1, 100);
    if (typeof choice.value === 'string')
      lengthBetween(issues, [...at, 'choices', j, 'value'], choice.value, 1, 100);
  });
}

/** Discord counts name, description, option names/descriptions and choice names/values. */
function commandSize(command: Json): number {
  let size = 0;
  const walk = (node: Json): void => {
    for (const key of ['name', 'description'])
      if (typeof node[key] === 'string') size += (node[key] as string).length;
    if (Array.isArray(node.choices)) {
      for (const c of node.choices)
        if (isObject(c)) size += String(c.name ?? '').length + String(c.value ?? '').length;
    }
    if (Array.isArray(node.options)) for (const o of node.options) if (isObject(o)) walk(o);
  };
  walk(command);
  return size;
}

/** Issues Discord would report for one command; `path` is its position in a bulk body. */
export function validateCommand(command: unknown, path: Path): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isObject(command)) {
    return [{ path, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' }];
  }
  const type = command.type ?? 1;
  if (type === 1) {
    checkChatInputName(issues, [...path, 'name'], command.name, 'Command');
    lengthBetween(issues, [...path, 'description'], command.description, 1, 100);
    checkOptions(issues, [...path, 'options'], command.options, 0);
    if (commandSize(command) > MAX_COMMAND_SIZE) {
      issues.push({
        path,
        code: 'APPLICATION_COMMAND_TOO_LARGE',
        message: `Command exceeds maximum size (${MAX_COMMAND_SIZE})`,
      });
    }
  } else if (type === 2 || type === 3) {
    lengthBetween(issues, [...path, 'name'], command.name, 1, 32);
  } else {
    issues.push({
      path: [...path, 'type'],
      code: 'BASE_TYPE_CHOICES',
      message: 'Value must be one of (1, 2, 3).',
    });
  }
  return issues;
}

/** A bulk overwrite body: each command valid, names unique per type, at most 100 chat-input commands. */
export function validateCommandList(body: unknown): FieldIssue[] {
  if (!Array.isArray(body)) return [{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  const issues: FieldIssue[] = body.flatMap((command, i) => validateCommand(command, [i]));
  const seen = new Set<string>();
  body.forEach((command: unknown, i) => {
    if (!isObject(command)) return;
    const key = `${String(command.type ?? 1)}:${String(command.name)}`;
    if (seen.has(key)) {
      issues.push({
        path: [i, 'name'],
        code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
        message: `Application command names must be unique: ${String(command.name)}`,
      });
    }
    seen.add(key);
  });
  if (body.filter((c: unknown) => isObject(c) && (c.type ?? 1) === 1).length > 100) {
    issues.push({
      path: [],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be 100 or fewer chat input commands.',
    });
  }
  return issues;
}
