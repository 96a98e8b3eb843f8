// The designer's model of a form and its conversion to and from the definition's `form`
// (JSON Schema 2020-12 + UI schema + field_rules).
//
// Every field keeps its JSON Schema and UI schema objects as they are; the property panel edits
// known keywords inside them and leaves the rest alone, so nothing the designer does not know is
// ever dropped. Sections and two-column rows exist only in the UI schema (`ui:layout`): the data
// stays flat, so rules, routing and reports name fields the same way whatever the layout.
//
//   "ui:layout": ["title",
//                 {"section": "device", "title": "Device", "description": "…", "i18n": {…},
//                  "items": ["product", {"columns": [["serial"], ["purchase_date"]]}]},
//                 {"columns": [["a", "b"], ["c"]]}]
//
// `ui:order` is always written too (the flattened layout), so any react-jsonschema-form shows the
// fields in the right order even without the layout.
import { detectKind, type FieldKind } from './kinds';
import { isObject, jsonEqual, type Json, type JsonObject } from './json';

export interface FieldModel {
  key: string;
  kind: FieldKind;
  /** The field's JSON Schema, verbatim (with any keywords the designer does not edit). */
  schema: JsonObject;
  /** The field's UI schema object, verbatim. */
  ui: JsonObject;
  required: boolean;
  /** A repeating table's columns (from `items.properties`); absent for other kinds. */
  columns?: FieldModel[];
}

export interface ColumnsNode {
  type: 'columns';
  id: string;
  columns: [string[], string[]];
  /** Other keys of the layout entry, kept as they are. */
  extra: JsonObject;
}

export interface SectionNode {
  type: 'section';
  id: string;
  title: string;
  description: string;
  items: (string | ColumnsNode)[];
  /** `i18n` and other keys of the layout entry, kept as they are. */
  extra: JsonObject;
}

export type LayoutNode = string | SectionNode | ColumnsNode;

export interface FormModel {
  /** Fields by key, in the order of the schema's `properties` (not the display order). */
  fields: Record<string, FieldModel>;
  /** Display order and grouping. Every field appears exactly once. */
  layout: LayoutNode[];
  /** `field_rules`, as JsonLogic objects. */
  rules: JsonObject[];
  /** The loaded form (schema, ui and the rest), for what the model does not hold itself. */
  base: { form: JsonObject; schema: JsonObject; ui: JsonObject; hadRules: boolean };
}

const RESERVED_UI = (key: string) => key.startsWith('ui:');

function asObject(value: Json | undefined): JsonObject {
  return isObject(value) ? value : {};
}

function parseField(key: string, schema: JsonObject, ui: JsonObject, required: boolean): FieldModel {
  const kind = detectKind(schema, ui);
  const field: FieldModel = { key, kind, schema, ui, required };
  if (kind === 'table') {
    const items = asObject(schema.items);
    const props = asObject(items.properties);
    const itemsUi = asObject(ui.items);
    const req = Array.isArray(items.required) ? items.required : [];
    const order = Array.isArray(itemsUi['ui:order']) ? (itemsUi['ui:order'] as Json[]).filter((k): k is string => typeof k === 'string' && k in props) : [];
    const keys = [...order, ...Object.keys(props).filter((k) => !order.includes(k))];
    field.columns = keys.map((col) => parseField(col, asObject(props[col]), asObject(itemsUi[col]), req.includes(col)));
  }
  return field;
}

/** Field keys in display order, `*` in an `ui:order` standing for the fields it does not name. */
export function expandOrder(order: Json | undefined, keys: string[]): string[] {
  if (!Array.isArray(order)) return keys.slice();
  // sets, not includes(): this runs on every keystroke, over every field of forms with hundreds
  const known = new Set(keys);
  const named = new Set<string>();
  for (const k of order) if (typeof k === 'string' && k !== '*' && known.has(k)) named.add(k);
  const unique = [...named];
  const rest = keys.filter((k) => !named.has(k));
  const star = order.indexOf('*');
  if (star < 0) return [...unique, ...rest];
  const before = order.slice(0, star).filter((k): k is string => typeof k === 'string' && named.has(k));
  const placed = new Set(before);
  return [...before, ...rest, ...unique.filter((k) => !placed.has(k))];
}

function parseLayout(raw: Json | undefined, order: string[]): LayoutNode[] {
  const placed = new Set<string>();
  const known = new Set(order);
  const take = (key: Json): key is string => {
    if (typeof key !== 'string' || !known.has(key) || placed.has(key)) return false;
    placed.add(key);
    return true;
  };
  let counter = 0;
  const columns = (entry: JsonObject): ColumnsNode => {
    const raw = Array.isArray(entry.columns) ? entry.columns : [];
    const col = (i: number) => (Array.isArray(raw[i]) ? (raw[i] as Json[]).filter(take) : []);
    const { columns: _c, ...extra } = entry;
    void _c;
    return { type: 'columns', id: `columns-${++counter}`, columns: [col(0), col(1)], extra };
  };
  const layout: LayoutNode[] = [];
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      if (typeof entry === 'string') {
        if (take(entry)) layout.push(entry);
      } else if (isObject(entry) && typeof entry.section === 'string') {
        const { section, title, description, items, ...extra } = entry;
        const children: (string | ColumnsNode)[] = [];
        for (const item of Array.isArray(items) ? items : []) {
          if (typeof item === 'string') {
            if (take(item)) children.push(item);
          } else if (isObject(item) && Array.isArray(item.columns)) children.push(columns(item));
        }
        layout.push({
          type: 'section',
          id: section as string,
          title: typeof title === 'string' ? title : '',
          description: typeof description === 'string' ? description : '',
          items: children,
          extra: { ...extra, ...(title !== undefined && typeof title !== 'string' ? { title } : {}) },
        });
      } else if (isObject(entry) && Array.isArray(entry.columns)) {
        layout.push(columns(entry));
      }
    }
  }
  for (const key of order) if (!placed.has(key)) layout.push(key);
  return layout;
}

/** The designer's model of a definition's `form`. */
export function formFromDefinition(form: Json | undefined): FormModel {
  const base = asObject(form);
  const schema = asObject(base.schema);
  const ui = asObject(base.ui);
  const properties = asObject(schema.properties);
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const fields: Record<string, FieldModel> = {};
  for (const [key, value] of Object.entries(properties)) {
    fields[key] = parseField(key, asObject(value), asObject(ui[key]), required.has(key));
  }
  const order = expandOrder(ui['ui:order'], Object.keys(fields));
  const rules = Array.isArray(base.field_rules) ? base.field_rules.filter(isObject) : [];
  return {
    fields,
    layout: parseLayout(ui['ui:layout'], order),
    rules,
    base: { form: base, schema, ui, hadRules: Array.isArray(base.field_rules) },
  };
}

/** Field keys in display order. */
export function displayOrder(layout: LayoutNode[]): string[] {
  const out: string[] = [];
  const visit = (node: LayoutNode | string) => {
    if (typeof node === 'string') out.push(node);
    else if (node.type === 'columns') out.push(...node.columns[0], ...node.columns[1]);
    else node.items.forEach(visit);
  };
  layout.forEach(visit);
  return out;
}

function hasStructure(layout: LayoutNode[]): boolean {
  return layout.some((node) => typeof node !== 'string');
}

function layoutJson(layout: LayoutNode[]): Json[] {
  const columns = (node: ColumnsNode): JsonObject => ({ columns: [node.columns[0].slice(), node.columns[1].slice()], ...node.extra });
  return layout.map((node) => {
    if (typeof node === 'string') return node;
    if (node.type === 'columns') return columns(node);
    const entry: JsonObject = { section: node.id, title: node.title };
    if (node.description) entry.description = node.description;
    entry.items = node.items.map((item) => (typeof item === 'string' ? item : columns(item)));
    return { ...entry, ...node.extra };
  });
}

/** Whether a loaded `ui:order` (perhaps with `*`) still gives exactly this order, naming only these fields. */
function stillDescribes(old: Json, order: string[]): boolean {
  if (!Array.isArray(old)) return false;
  const known = new Set(order);
  return old.every((k) => k === '*' || (typeof k === 'string' && known.has(k))) && jsonEqual(expandOrder(old, order), order);
}

/** Merge a preserved list with the current members: kept ones in their old order, new ones after. */
function keepOrder(old: Json | undefined, now: string[]): string[] {
  const before = Array.isArray(old) ? old.filter((k): k is string => typeof k === 'string') : [];
  const current = new Set(now);
  const kept = new Set(before);
  return [...before.filter((k) => current.has(k)), ...now.filter((k) => !kept.has(k))];
}

function tableSchema(field: FieldModel): { schema: JsonObject; ui: JsonObject } {
  const columns = field.columns ?? [];
  const items = asObject(field.schema.items);
  const properties: JsonObject = {};
  const itemsUi: JsonObject = {};
  for (const [key, value] of Object.entries(asObject(field.ui.items))) if (RESERVED_UI(key)) itemsUi[key] = value;
  for (const column of columns) {
    properties[column.key] = column.schema;
    if (Object.keys(column.ui).length) itemsUi[column.key] = column.ui;
  }
  const required = keepOrder(items.required, columns.filter((c) => c.required).map((c) => c.key));
  const nextItems: JsonObject = { ...items, type: items.type ?? 'object', properties };
  if (required.length || 'required' in items) nextItems.required = required;
  const order = columns.map((c) => c.key);
  const oldOrder = asObject(field.ui.items)['ui:order'];
  if (oldOrder !== undefined || !jsonEqual(order, Object.keys(properties))) {
    itemsUi['ui:order'] = oldOrder !== undefined && stillDescribes(oldOrder, order) ? oldOrder : order;
  }
  const ui: JsonObject = { ...field.ui };
  if (Object.keys(itemsUi).length || 'items' in field.ui) ui.items = itemsUi;
  return { schema: { ...field.schema, items: nextItems }, ui };
}

/** The field's JSON Schema and UI schema as they are written in the definition. */
export function fieldJson(field: FieldModel): { schema: JsonObject; ui: JsonObject } {
  return field.kind === 'table' && field.columns ? tableSchema(field) : { schema: field.schema, ui: field.ui };
}

/** The definition's `form` for this model: the loaded form with the model's changes, nothing else touched. */
export function formToDefinition(model: FormModel): JsonObject {
  const { base } = model;
  const properties: JsonObject = {};
  const fieldUi: Record<string, JsonObject> = {};
  for (const field of Object.values(model.fields)) {
    const json = fieldJson(field);
    properties[field.key] = json.schema;
    if (Object.keys(json.ui).length) fieldUi[field.key] = json.ui;
  }
  const requiredNow = Object.values(model.fields).filter((f) => f.required).map((f) => f.key);
  const schema: JsonObject = { ...base.schema, type: base.schema.type ?? 'object', properties };
  const required = keepOrder(base.schema.required, requiredNow);
  if (required.length || 'required' in base.schema) schema.required = required;
  else delete schema.required;

  const order = displayOrder(model.layout);
  const ui: JsonObject = {};
  const loadedFields = asObject(base.schema.properties);
  for (const [key, value] of Object.entries(base.ui)) {
    // the root's own options, and options for names that were not fields (kept: the server warns about them)
    if (RESERVED_UI(key) || (!(key in loadedFields) && !(key in model.fields))) ui[key] = value;
  }
  const oldOrder = base.ui['ui:order'];
  if (oldOrder !== undefined && stillDescribes(oldOrder, order)) ui['ui:order'] = oldOrder;
  else if (oldOrder !== undefined || hasStructure(model.layout) || !jsonEqual(order, Object.keys(properties))) ui['ui:order'] = order;
  if (hasStructure(model.layout)) ui['ui:layout'] = layoutJson(model.layout);
  else delete ui['ui:layout'];
  for (const key of Object.keys(model.fields)) if (fieldUi[key]) ui[key] = fieldUi[key]!;

  const form: JsonObject = { ...base.form, schema };
  if (Object.keys(ui).length || 'ui' in base.form) form.ui = ui;
  if (model.rules.length || base.hadRules) form.field_rules = model.rules;
  else delete form.field_rules;
  return form;
}
