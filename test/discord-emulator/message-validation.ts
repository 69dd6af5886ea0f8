import type { FieldIssue } from './errors.js';

type Json = Record<string, unknown>;
type Path = (string | number)[];

const IS_COMPONENTS_V2 = 1 << 15;
const ACTION_ROW = 1;
const BUTTON = 2;
const LINK_STYLE = 5;
const PREMIUM_STYLE = 6;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const chars = (v: unknown): number => (typeof v === 'string' ? [...v].length : 0);

function maxLength(issues: FieldIssue[], path: Path, value: unknown, max: number): void {
  if (chars(value) > max) {
    issues.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

function required(issues: FieldIssue[], path: Path, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.length === 0) {
    issues.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  } else {
    maxLength(issues, path, value, max);
  }
}

function checkEmbeds(issues: FieldIssue[], path: Path, embeds: unknown): void {
  if (!Array.isArray(embeds)) return;
  if (embeds.length > 10) {
    issues.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
  }
  let total = 0;
  embeds.forEach((embed: unknown, i) => {
    if (!isObject(embed)) return;
    const at = [...path, i];
    maxLength(issues, [...at, 'title'], embed.title, 256);
    maxLength(issues, [...at, 'description'], embed.description, 4096);
    total += chars(embed.title) + chars(embed.description);
    if (isObject(embed.footer)) {
      maxLength(issues, [...at, 'footer', 'text'], embed.footer.text, 2048);
      total += chars(embed.footer.text);
    }
    if (isObject(embed.author)) {
      maxLength(issues, [...at, 'author', 'name'], embed.author.name, 256);
      total += chars(embed.author.name);
    }
    if (embed.color !== undefined && embed.color !== null) {
      const c = embed.color;
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 0xffffff) {
        issues.push({
          path: [...at, 'color'],
          code: 'NUMBER_TYPE_MAX',
          message: 'int value should be <= 16777215 and >= 0.',
        });
      }
    }
    if (Array.isArray(embed.fields)) {
      if (embed.fields.length > 25) {
        issues.push({
          path: [...at, 'fields'],
          code: 'BASE_TYPE_MAX_LENGTH',
          message: 'Must be 25 or fewer in length.',
        });
      }
      embed.fields.forEach((field: unknown, j) => {
        if (!isObject(field)) return;
        required(issues, [...at, 'fields', j, 'name'], field.name, 256);
        required(issues, [...at, 'fields', j, 'value'], field.value, 1024);
        total += chars(field.name) + chars(field.value);
      });
    }
  });
  if (total > 6000) {
    issues.push({
      path,
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: `Embed size exceeds maximum size of 6000 (was ${total})`,
    });
  }
}

function checkInteractive(issues: FieldIssue[], path: Path, component: Json, customIds: Set<string>): void {
  const type = component.type;
  if (type === BUTTON) {
    maxLength(issues, [...path, 'label'], component.label, 80);
    const style = component.style;
    if (style === LINK_STYLE) {
      if (typeof component.url !== 'string') {
        issues.push({
          path: [...path, 'url'],
          code: 'BASE_TYPE_REQUIRED',
          message: 'This field is required',
        });
      }
      if (component.custom_id !== undefined) {
        issues.push({
          path: [...path, 'custom_id'],
          code: 'COMPONENT_LINK_BUTTON_CUSTOM_ID',
          message: 'Link buttons cannot have a custom_id',
        });
      }
      return;
    }
    if (style === PREMIUM_STYLE) return;
  }
  if (type === BUTTON || SELECT_TYPES.has(Number(type))) {
    const id = component.custom_id;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) {
      issues.push({
        path: [...path, 'custom_id'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 100 in length.',
      });
    } else if (customIds.has(id)) {
      issues.push({
        path: [...path, 'custom_id'],
        code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
        message: `Component custom id cannot be duplicated: ${id}`,
      });
    } else {
      customIds.add(id);
    }
  }
  if (
    type === 3 &&
    Array.isArray(component.options) &&
    (component.options.length < 1 || component.options.length > 25)
  ) {
    issues.push({
      path: [...path, 'options'],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be between 1 and 25 in length.',
    });
  }
}

function checkComponents(issues: FieldIssue[], path: Path, components: unknown, flags: number): void {
  if (!Array.isArray(components)) return;
  const customIds = new Set<string>();
  if ((flags & IS_COMPONENTS_V2) !== 0) {
    // Components V2: nested layouts; only the ids and interactive parts are checked here.
    const walk = (list: unknown[], at: Path): void =>
      list.forEach((c: unknown, i) => {
        if (!isObject(c)) return;
        checkInteractive(issues, [...at, i], c, customIds);
        if (Array.isArray(c.components)) walk(c.components, [...at, i, 'components']);
        if (isObject(c.accessory)) checkInteractive(issues, [...at, i, 'accessory'], c.accessory, customIds);
      });
    walk(components, path);
    return;
  }
  if (components.length > 5) {
    issues.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  }
  components.forEach((row: unknown, i) => {
    if (!isObject(row) || row.type !== ACTION_ROW) {
      issues.push({
        path: [...path, i, 'type'],
        code: 'UNION_TYPE_CHOICES',
        message: 'Top-level components must be action rows',
      });
      return;
    }
    const children = Array.isArray(row.components) ? row.components : [];
    const selects = children.filter((c: unknown) => isObject(c) && SELECT_TYPES.has(Number(c.type))).length;
    if (children.length < 1 || children.length > 5 || (selects > 0 && children.length > 1)) {
      issues.push({
        path: [...path, i, 'components'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'An action row holds 1-5 buttons or a single select menu',
      });
    }
    children.forEach((c: unknown, j) => {
      if (isObject(c)) checkInteractive(issues, [...path, i, 'components', j], c, customIds);
    });
  });
}

/**
 * What Discord would refuse in a message body (create or edit). `prefix` is ['data'] for
 * interaction callbacks, [] for channel and webhook bodies.
 */
export function validateMessageBody(body: Json, prefix: Path, fileCount: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (body.content !== undefined && body.content !== null) {
    maxLength(issues, [...prefix, 'content'], body.content, 2000);
  }
  checkEmbeds(issues, [...prefix, 'embeds'], body.embeds);
  checkComponents(issues, [...prefix, 'components'], body.components, Number(body.flags ?? 0));
  const attachments = Array.isArray(body.attachments) ? body.attachments.length : 0;
  if (Math.max(attachments, fileCount) > 10) {
    issues.push({
      path: [...prefix, 'attachments'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 10 or fewer in length.',
    });
  }
  return issues;
}

/** Discord refuses (50006) a new message with nothing to show. */
export function isEmptyMessage(body: Json, fileCount: number): boolean {
  const has = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (
    (typeof body.content !== 'string' || body.content.length === 0) &&
    !has(body.embeds) &&
    !has(body.components) &&
    !has(body.sticker_ids) &&
    body.poll === undefined &&
    fileCount === 0
  );
}
