// The field kinds of the palette: what each is in JSON Schema + UI schema, how a field's kind is
// recognised when a form is loaded or imported, and which keywords the property panel edits for it
// (everything else is "advanced": shown, kept as it is, never dropped).
import { isObject, type Json, type JsonObject } from './json';

export const FIELD_KINDS = [
  'text', 'textarea', 'number', 'money', 'date', 'datetime', 'select', 'radio', 'multiselect', 'yesno',
  'email', 'phone', 'person', 'attachments', 'signature', 'table',
] as const;
export type PaletteKind = (typeof FIELD_KINDS)[number];
/** `advanced`: a field the visual editor does not know (imported); it keeps its JSON as it is. */
export type FieldKind = PaletteKind | 'advanced';

/** Kinds a repeating table's columns may have. */
export const COLUMN_KINDS: PaletteKind[] = ['text', 'number', 'money', 'date', 'select', 'yesno', 'email', 'phone'];

/** A phone number: digits, spaces, dashes, parentheses and an optional leading +. */
export const PHONE_PATTERN = '^\\+?[0-9][0-9 ()-]{4,24}$';

export interface Choice {
  value: string;
  label: string;
}

/** The JSON Schema and UI schema of a new field of this kind. */
export function newField(kind: PaletteKind, title: string): { schema: JsonObject; ui: JsonObject } {
  switch (kind) {
    case 'text':
      return { schema: { type: 'string', title, maxLength: 200 }, ui: {} };
    case 'textarea':
      return { schema: { type: 'string', title, maxLength: 20000 }, ui: { 'ui:widget': 'textarea' } };
    case 'number':
      return { schema: { type: 'number', title }, ui: {} };
    case 'money':
      return { schema: { type: 'number', title, minimum: 0 }, ui: { 'ui:options': { currency: 'CNY', decimals: 2 } } };
    case 'date':
      return { schema: { type: 'string', title, format: 'date' }, ui: {} };
    case 'datetime':
      return { schema: { type: 'string', title, format: 'date-time' }, ui: {} };
    case 'select':
      return { schema: { type: 'string', title, oneOf: defaultChoices() }, ui: {} };
    case 'radio':
      return { schema: { type: 'string', title, oneOf: defaultChoices() }, ui: { 'ui:widget': 'radio' } };
    case 'multiselect':
      return {
        schema: { type: 'array', title, uniqueItems: true, items: { type: 'string', oneOf: defaultChoices() } },
        ui: { 'ui:widget': 'checkboxes' },
      };
    case 'yesno':
      return {
        schema: { type: 'boolean', title },
        ui: { 'ui:widget': 'radio', 'ui:enumNames': ['Yes', 'No'], i18n: { 'zh-CN': { 'ui:enumNames': ['是', '否'] } } },
      };
    case 'email':
      return { schema: { type: 'string', title, format: 'email', maxLength: 254 }, ui: { 'ui:options': { inputType: 'email' } } };
    case 'phone':
      return { schema: { type: 'string', title, pattern: PHONE_PATTERN }, ui: { 'ui:options': { inputType: 'tel' } } };
    case 'person':
      return { schema: { type: 'string', title, format: 'email' }, ui: { 'ui:widget': 'person' } };
    case 'attachments':
      return { schema: { type: 'array', title, maxItems: 10, items: { type: 'string', format: 'attachment' } }, ui: {} };
    case 'signature':
      return { schema: { type: 'string', title, format: 'attachment' }, ui: { 'ui:widget': 'signature' } };
    case 'table':
      return {
        schema: { type: 'array', title, items: { type: 'object', properties: {}, required: [] } },
        ui: { items: {} },
      };
  }
}

function defaultChoices(): Json[] {
  return [
    { const: 'option_1', title: 'Option 1' },
    { const: 'option_2', title: 'Option 2' },
  ];
}

function stringChoices(schema: JsonObject): boolean {
  if (Array.isArray(schema.enum)) return schema.enum.length > 0 && schema.enum.every((v) => typeof v === 'string');
  const alternatives = schema.oneOf ?? schema.anyOf;
  return (
    Array.isArray(alternatives) &&
    alternatives.length > 0 &&
    alternatives.every((alt) => isObject(alt) && typeof alt.const === 'string' && Object.keys(alt).every((k) => ['const', 'title', 'description', 'i18n'].includes(k)))
  );
}

function options(ui: JsonObject): JsonObject {
  return isObject(ui['ui:options']) ? ui['ui:options'] : {};
}

/** Recognise the kind of a field from its JSON Schema and UI schema. */
export function detectKind(schema: JsonObject, ui: JsonObject): FieldKind {
  const type = schema.type;
  const widget = ui['ui:widget'];
  const opts = options(ui);
  const items = isObject(schema.items) ? schema.items : null;
  if (type === 'string' && schema.format === 'attachment') return widget === 'signature' ? 'signature' : widget === undefined ? 'attachments' : 'advanced';
  if (type === 'array' && items && items.type === 'string' && items.format === 'attachment' && widget === undefined) return 'attachments';
  if (type === 'string' && widget === 'person') return 'person';
  if (widget === 'signature' || widget === 'person') return 'advanced';
  if ((type === 'string' || type === undefined) && stringChoices(schema) && !('format' in schema)) {
    if (widget === 'radio') return 'radio';
    if (widget === undefined || widget === 'select') return 'select';
    return 'advanced';
  }
  if (type === 'array' && items && (items.type === 'string' || items.type === undefined) && stringChoices(items) && schema.uniqueItems === true) {
    return widget === undefined || widget === 'checkboxes' || widget === 'select' ? 'multiselect' : 'advanced';
  }
  if (type === 'array' && items && items.type === 'object' && isObject(items.properties) && widget === undefined) return 'table';
  if (type === 'boolean' && (widget === undefined || widget === 'radio' || widget === 'checkbox' || widget === 'select')) return 'yesno';
  if ((type === 'number' || type === 'integer') && (widget === undefined || widget === 'updown')) {
    return 'currency' in opts || 'decimals' in opts ? 'money' : 'number';
  }
  if (type === 'string' && schema.format === 'email' && widget === undefined) return 'email';
  if (type === 'string' && schema.format === 'date' && widget === undefined) return 'date';
  if (type === 'string' && schema.format === 'date-time' && widget === undefined) return 'datetime';
  if (type === 'string' && !('format' in schema) && opts.inputType === 'tel' && widget === undefined) return 'phone';
  if (type === 'string' && !('format' in schema) && widget === 'textarea') return 'textarea';
  if (type === 'string' && !('format' in schema) && widget === undefined) return 'text';
  return 'advanced';
}

/** JSON Schema keywords every field kind edits. */
const COMMON_SCHEMA = ['type', 'title', 'description', 'default', 'readOnly', 'i18n'];
const KIND_SCHEMA: Record<FieldKind, string[]> = {
  text: ['minLength', 'maxLength', 'pattern'],
  textarea: ['minLength', 'maxLength'],
  number: ['minimum', 'maximum'],
  money: ['minimum', 'maximum'],
  date: ['format'],
  datetime: ['format'],
  select: ['enum', 'oneOf'],
  radio: ['enum', 'oneOf'],
  multiselect: ['items', 'uniqueItems', 'minItems', 'maxItems'],
  yesno: [],
  email: ['format', 'maxLength'],
  phone: ['pattern', 'maxLength'],
  person: ['format'],
  attachments: ['format', 'items', 'minItems', 'maxItems'],
  signature: ['format'],
  table: ['items', 'minItems', 'maxItems'],
  advanced: [],
};
const COMMON_UI = ['ui:title', 'ui:description', 'ui:help', 'ui:placeholder', 'ui:widget', 'ui:options', 'ui:enumNames', 'ui:readonly', 'i18n'];
const KNOWN_OPTIONS = ['inputType', 'currency', 'decimals', 'accept'];

/**
 * What the property panel does not edit for a field of this kind: its other JSON Schema keywords
 * and UI options, kept verbatim and shown as "advanced". For an advanced field, everything.
 */
export function advancedParts(kind: FieldKind, schema: JsonObject, ui: JsonObject): { schema: JsonObject; ui: JsonObject } {
  if (kind === 'advanced') return { schema, ui };
  const known = new Set([...COMMON_SCHEMA, ...KIND_SCHEMA[kind]]);
  const schemaRest: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) if (!known.has(key)) schemaRest[key] = value;
  if (kind === 'multiselect' || kind === 'attachments') {
    const items = isObject(schema.items) ? schema.items : {};
    for (const [key, value] of Object.entries(items)) {
      if (!['type', 'enum', 'oneOf', 'format', 'i18n'].includes(key)) schemaRest[`items.${key}`] = value;
    }
  }
  const uiRest: JsonObject = {};
  for (const [key, value] of Object.entries(ui)) {
    if (key === 'ui:options' && isObject(value)) {
      for (const [option, optionValue] of Object.entries(value)) if (!KNOWN_OPTIONS.includes(option)) uiRest[`ui:options.${option}`] = optionValue;
    } else if (!COMMON_UI.includes(key) && !(kind === 'table' && key === 'items')) {
      uiRest[key] = value;
    }
  }
  return { schema: schemaRest, ui: uiRest };
}

/** The fixed choices of a choice field (its enum or its oneOf of const/title), with labels. */
export function choicesOf(schema: JsonObject, ui: JsonObject = {}): Choice[] {
  const target = schema.type === 'array' && isObject(schema.items) ? schema.items : schema;
  if (Array.isArray(target.enum)) {
    const names = Array.isArray(ui['ui:enumNames']) ? ui['ui:enumNames'] : [];
    return target.enum.map((value, i) => ({ value: String(value), label: typeof names[i] === 'string' ? (names[i] as string) : String(value) }));
  }
  const alternatives = target.oneOf ?? target.anyOf;
  if (Array.isArray(alternatives)) {
    return alternatives.filter(isObject).map((alt) => ({ value: String(alt.const), label: typeof alt.title === 'string' ? alt.title : String(alt.const) }));
  }
  if (schema.type === 'boolean') {
    const names = Array.isArray(ui['ui:enumNames']) ? ui['ui:enumNames'] : [];
    return [
      { value: 'true', label: typeof names[0] === 'string' ? names[0] : 'Yes' },
      { value: 'false', label: typeof names[1] === 'string' ? names[1] : 'No' },
    ];
  }
  return [];
}

/**
 * The same field with new choices, written in the form the field already uses (an enum with
 * `ui:enumNames`, or a oneOf of const/title). Translations of options whose value is kept stay with
 * them; an enum's translated names are dropped when the number of options changes (they would no
 * longer line up).
 */
export function withChoices(schema: JsonObject, ui: JsonObject, choices: Choice[]): { schema: JsonObject; ui: JsonObject } {
  const isArray = schema.type === 'array' && isObject(schema.items);
  const target = (isArray ? schema.items : schema) as JsonObject;
  let nextTarget: JsonObject;
  let nextUi = ui;
  if (Array.isArray(target.enum)) {
    nextTarget = { ...target, enum: choices.map((c) => c.value) };
    const labelled = choices.some((c) => c.label !== c.value) || 'ui:enumNames' in ui;
    nextUi = { ...ui };
    if (labelled) nextUi['ui:enumNames'] = choices.map((c) => c.label);
    else delete nextUi['ui:enumNames'];
    const i18n = isObject(ui.i18n) ? ui.i18n : null;
    if (i18n) {
      const kept: JsonObject = {};
      for (const [locale, texts] of Object.entries(i18n)) {
        if (!isObject(texts)) continue;
        const names = texts['ui:enumNames'];
        const { 'ui:enumNames': _names, ...others } = texts;
        void _names;
        kept[locale] = Array.isArray(names) && names.length === choices.length ? texts : others;
      }
      nextUi.i18n = kept;
    }
  } else {
    const key = Array.isArray(target.anyOf) && !Array.isArray(target.oneOf) ? 'anyOf' : 'oneOf';
    const before = new Map<string, JsonObject>();
    for (const alt of Array.isArray(target[key]) ? (target[key] as Json[]) : []) if (isObject(alt)) before.set(String(alt.const), alt);
    nextTarget = {
      ...target,
      [key]: choices.map((c) => {
        const old = before.get(c.value);
        return old ? { ...old, const: c.value, title: c.label } : { const: c.value, title: c.label };
      }),
    };
  }
  return { schema: isArray ? { ...schema, items: nextTarget } : nextTarget, ui: nextUi };
}
