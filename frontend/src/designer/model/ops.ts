// Edits of the form model. Each returns a new model and leaves the old one untouched (undo keeps it).
import { displayOrder, type ColumnsNode, type FieldModel, type FormModel, type SectionNode } from './form';
import { isObject, jsonEqual, type Json, type JsonObject } from './json';
import { keyFromLabel } from './keys';
import { detectKind, newField, type PaletteKind } from './kinds';
import { insertNode, locate, moveNode, removeNode, renameInLayout, unwrapNode, type Place } from './layout';

export function allIds(model: FormModel): string[] {
  const ids: string[] = Object.keys(model.fields);
  for (const node of model.layout) {
    if (typeof node === 'string') continue;
    ids.push(node.id);
    if (node.type === 'section') for (const item of node.items) if (typeof item !== 'string') ids.push(item.id);
  }
  return ids;
}

/** Add a field of a kind, labelled `label`, at a place; returns the model and the new key. */
export function addField(model: FormModel, kind: PaletteKind, label: string, place: Place): { model: FormModel; key: string } {
  const key = keyFromLabel(label, allIds(model));
  const { schema, ui } = newField(kind, label);
  const field: FieldModel = { key, kind, schema, ui, required: false };
  if (kind === 'table') field.columns = [];
  return { model: { ...model, fields: { ...model.fields, [key]: field }, layout: insertNode(model.layout, place, key) }, key };
}

export function updateField(model: FormModel, key: string, change: (field: FieldModel) => FieldModel): FormModel {
  const field = model.fields[key];
  if (!field) return model;
  const next = change(field);
  if (next === field) return model;
  return { ...model, fields: { ...model.fields, [key]: { ...next, kind: next.kind === 'table' || next.kind === 'advanced' ? next.kind : detectKind(next.schema, next.ui) } } };
}

/** A field with one JSON Schema keyword set (undefined removes it). */
export function setSchemaKeyword(field: FieldModel, keyword: string, value: Json | undefined): FieldModel {
  const schema = { ...field.schema };
  if (value === undefined) delete schema[keyword];
  else schema[keyword] = value;
  return { ...field, schema };
}

/** A field with one UI option set: `ui:placeholder`, or `ui:options.currency` (undefined removes it). */
export function setUiOption(field: FieldModel, option: string, value: Json | undefined): FieldModel {
  const ui = { ...field.ui };
  if (option.startsWith('ui:options.')) {
    const name = option.slice('ui:options.'.length);
    const options: JsonObject = isObject(ui['ui:options']) ? { ...ui['ui:options'] } : {};
    if (value === undefined) delete options[name];
    else options[name] = value;
    if (Object.keys(options).length) ui['ui:options'] = options;
    else delete ui['ui:options'];
  } else if (value === undefined) delete ui[option];
  else ui[option] = value;
  return { ...field, ui };
}

/** The lists of field names a field rule acts on. */
const RULE_LISTS = ['show', 'hide', 'require', 'readonly'];

/** Remove a field: from the layout, the required list and every field rule's lists; rules with nothing left to do go too. */
export function removeField(model: FormModel, key: string): FormModel {
  if (!model.fields[key]) return model;
  const { [key]: _removed, ...fields } = model.fields;
  void _removed;
  const rules: JsonObject[] = [];
  for (const rule of model.rules) {
    const next: JsonObject = { ...rule };
    for (const list of RULE_LISTS) {
      if (Array.isArray(rule[list])) {
        const kept = (rule[list] as Json[]).filter((k) => k !== key);
        if (kept.length) next[list] = kept;
        else delete next[list];
      }
    }
    if (RULE_LISTS.some((list) => list in next) || !RULE_LISTS.some((list) => list in rule)) rules.push(next);
  }
  return { ...model, fields, layout: removeNode(model.layout, key), rules };
}

function renameVars(rule: Json, from: string, to: string): Json {
  if (Array.isArray(rule)) return rule.map((item) => renameVars(item, from, to));
  if (!isObject(rule)) return rule;
  const out: JsonObject = {};
  for (const [op, args] of Object.entries(rule)) {
    if (op === 'var') {
      const rename = (path: Json) => (typeof path === 'string' && (path === from || path.startsWith(`${from}.`)) ? to + path.slice(from.length) : path);
      out[op] = Array.isArray(args) ? args.map((a, i) => (i === 0 ? rename(a) : a)) : rename(args);
    } else out[op] = renameVars(args, from, to);
  }
  return out;
}

/** Rename a field key in the form: the field, the layout and the field rules (their lists and their conditions). */
export function renameField(model: FormModel, from: string, to: string): FormModel {
  if (from === to || !model.fields[from] || model.fields[to]) return model;
  const fields: Record<string, FieldModel> = {};
  for (const [key, field] of Object.entries(model.fields)) fields[key === from ? to : key] = key === from ? { ...field, key: to } : field;
  const renamed = model.rules.map((rule) => {
    const next: JsonObject = {};
    for (const [k, v] of Object.entries(rule)) {
      if (RULE_LISTS.includes(k) && Array.isArray(v)) next[k] = v.map((x) => (x === from ? to : x));
      else if (k === 'when') next[k] = renameVars(v, from, to);
      else next[k] = v;
    }
    // a rule that does not name the field stays the same object (what shows the rules need not re-render)
    return jsonEqual(next, rule) ? rule : next;
  });
  const rules = renamed.every((rule, i) => rule === model.rules[i]) ? model.rules : renamed;
  return { ...model, fields, layout: renameInLayout(model.layout, from, to), rules };
}

/** Rename a field key in the rest of a definition: conditions everywhere, transitions' `require`, the priority matrix, charts. */
export function renameInDefinition(doc: JsonObject, from: string, to: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'form') out[key] = value;
    else if (key === 'workflow' && isObject(value)) {
      const transitions = Array.isArray(value.transitions)
        ? value.transitions.map((t) => {
            if (!isObject(t)) return t;
            const next = renameVars(t, from, to) as JsonObject;
            if (Array.isArray(t.require)) next.require = t.require.map((x) => (x === from ? to : x));
            if (isObject(t.fields)) next.fields = t.fields;
            return next;
          })
        : value.transitions;
      out[key] = { ...value, ...(transitions !== undefined ? { transitions } : {}) };
    } else if (key === 'priority' && isObject(value)) {
      const next = renameVars(value, from, to) as JsonObject;
      if (isObject(value.matrix) && Array.isArray(value.matrix.by)) next.matrix = { ...(next.matrix as JsonObject), by: value.matrix.by.map((x) => (x === from ? to : x)) };
      out[key] = next;
    } else if (key === 'charts' && Array.isArray(value)) {
      out[key] = value.map((chart) => {
        if (!isObject(chart)) return chart;
        const next = renameVars(chart, from, to) as JsonObject;
        if (Array.isArray(chart.dimensions)) next.dimensions = chart.dimensions.map((x) => (x === from ? to : x));
        if (Array.isArray(chart.measures)) next.measures = chart.measures.map((m) => (isObject(m) && m.field === from ? { ...m, field: to } : m));
        return next;
      });
    } else if (key === 'routing' || key === 'sla' || key === 'automations') out[key] = renameVars(value, from, to);
    else out[key] = value;
  }
  return out;
}

/** Add a section (with a title) at a top-level index. */
export function addSection(model: FormModel, title: string, index: number): { model: FormModel; id: string } {
  const id = keyFromLabel(title, allIds(model), 'section');
  const section: SectionNode = { type: 'section', id, title, description: '', items: [], extra: {} };
  return { model: { ...model, layout: insertNode(model.layout, { container: { kind: 'root' }, index }, section) }, id };
}

/** Add an empty two-column row at a place (top level or inside a section). */
export function addColumns(model: FormModel, place: Place): { model: FormModel; id: string } {
  const taken = new Set(allIds(model));
  let n = 1;
  while (taken.has(`columns-${n}`)) n++;
  const id = `columns-${n}`;
  const node: ColumnsNode = { type: 'columns', id, columns: [[], []], extra: {} };
  return { model: { ...model, layout: insertNode(model.layout, place, node) }, id };
}

export function updateSection(model: FormModel, id: string, change: Partial<Pick<SectionNode, 'title' | 'description' | 'extra'>>): FormModel {
  return {
    ...model,
    layout: model.layout.map((node) => (typeof node !== 'string' && node.type === 'section' && node.id === id ? { ...node, ...change } : node)),
  };
}

/** Remove a section or a columns row; its fields stay where it was. */
export function dissolve(model: FormModel, id: string): FormModel {
  return { ...model, layout: unwrapNode(model.layout, id) };
}

export function move(model: FormModel, id: string, place: Place): FormModel {
  const layout = moveNode(model.layout, id, place);
  return layout === model.layout ? model : { ...model, layout };
}

/** A copy of a field under a new key, just after it. */
export function duplicateField(model: FormModel, key: string): { model: FormModel; key: string } {
  const field = model.fields[key];
  const place = locate(model.layout, key);
  if (!field || !place) return { model, key };
  const copyKey = keyFromLabel(key, allIds(model));
  const fields: Record<string, FieldModel> = {};
  for (const [k, f] of Object.entries(model.fields)) {
    fields[k] = f;
    if (k === key) fields[copyKey] = { ...field, key: copyKey };
  }
  return { model: { ...model, fields, layout: insertNode(model.layout, { ...place, index: place.index + 1 }, copyKey) }, key: copyKey };
}

export function fieldsInOrder(model: FormModel): FieldModel[] {
  return displayOrder(model.layout)
    .map((key) => model.fields[key])
    .filter((f): f is FieldModel => !!f);
}
