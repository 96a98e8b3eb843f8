// The rule builder's model: which fields it offers, and JsonLogic <-> the builder's tree.
//
// The builder is @react-awesome-query-builder ("RAQB"). A rule is shown in the builder only when
// importing it and exporting it again gives the same rule (canonically: a group of one condition
// equals the condition); otherwise the rule is edited as JSON. So the builder never changes or
// drops a rule it cannot show. `true` (always) is an empty builder.
import { Utils, type Config, type Fields, type ImmutableTree, type JsonLogicTree } from '@react-awesome-query-builder/core';
import { isObject, jsonEqual, type Json } from '../model/json';

/** A field rules can test (form fields, and the ticket's attributes). */
export interface RuleField {
  key: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'datetime' | 'select' | 'multiselect' | 'boolean' | 'files';
  options?: { value: string; label: string }[];
}

/** Operators with no JsonLogic form (the builder cannot export them) or none on the server (docs/rules.md). */
const UNSUPPORTED_OPERATORS = ['starts_with', 'ends_with', 'proximity'];

/** The ticket attributes rules see (docs/definition-format.md, "Rules"); labels come from `label(key)`. */
export const TICKET_FIELDS: { key: string; type: RuleField['type']; options?: string[] }[] = [
  { key: 'status', type: 'text' },
  { key: 'status_category', type: 'select', options: ['new', 'open', 'pending', 'resolved', 'closed'] },
  { key: 'priority', type: 'text' },
  { key: 'team', type: 'text' },
  { key: 'assignee', type: 'text' },
  { key: 'requester.email', type: 'text' },
  { key: 'requester.name', type: 'text' },
  { key: 'requester.roles', type: 'text' },
  { key: 'requester.tags', type: 'text' },
  { key: 'source', type: 'select', options: ['web', 'api', 'webhook', 'email'] },
  { key: 'type', type: 'text' },
  { key: 'number', type: 'text' },
  { key: 'created_at', type: 'datetime' },
  { key: 'age_hours', type: 'number' },
  { key: 'hours_in_status', type: 'number' },
  { key: 'days_since_resolved', type: 'number' },
  { key: 'days_since_closed', type: 'number' },
  { key: 'parent', type: 'text' },
  { key: 'children.total', type: 'number' },
  { key: 'children.unfinished', type: 'number' },
];

function fieldConfig(field: RuleField): Fields[string] {
  const listValues = field.options?.map((o) => ({ value: o.value, title: o.label }));
  switch (field.type) {
    case 'select':
    case 'multiselect':
      return { label: field.label, type: field.type, valueSources: ['value'], fieldSettings: { listValues: listValues ?? [] } };
    case 'files':
      // attachments: only "is empty" / "is not empty" mean something
      return { label: field.label, type: 'text', valueSources: ['value'], operators: ['is_empty', 'is_not_empty'] };
    default:
      return { label: field.label, type: field.type, valueSources: ['value'] };
  }
}

export interface ConfigOptions {
  allowTicketContext?: boolean;
  /** Label of a ticket attribute (`requester.tags`) and of the ticket group (''). */
  ticketLabel?: (key: string) => string;
}

/** The builder's configuration over a base (CoreConfig in tests, AntdConfig in the browser). */
export function buildConfig(base: Config, fields: RuleField[], options: ConfigOptions = {}): Config {
  const label = options.ticketLabel ?? ((key: string) => key || 'Ticket');
  const out: Fields = {};
  for (const field of fields) {
    if (field.key === 'ticket' || field.key.includes('.')) continue;
    out[field.key] = fieldConfig(field);
  }
  if (options.allowTicketContext) {
    const ticket: Fields = {};
    for (const attribute of TICKET_FIELDS) {
      const [head, tail] = attribute.key.split('.') as [string, string | undefined];
      const conf = fieldConfig({ key: attribute.key, label: label(attribute.key), type: attribute.type, options: attribute.options?.map((v) => ({ value: v, label: v })) });
      if (tail) {
        const group = (ticket[head] ??= { label: label(head), type: '!struct', subfields: {} }) as { subfields: Fields };
        group.subfields[tail] = conf;
      } else ticket[head] = conf;
    }
    out.ticket = { label: label(''), type: '!struct', subfields: ticket };
  }
  const operators = { ...base.operators };
  for (const name of UNSUPPORTED_OPERATORS) delete operators[name];
  const types = Object.fromEntries(
    Object.entries(base.types).map(([name, type]) => [
      name,
      {
        ...type,
        widgets: Object.fromEntries(
          Object.entries(type.widgets ?? {}).map(([widget, conf]) => [
            widget,
            conf && Array.isArray(conf.operators) ? { ...conf, operators: conf.operators.filter((op: string) => !UNSUPPORTED_OPERATORS.includes(op)) } : conf,
          ]),
        ),
      },
    ]),
  ) as Config['types'];
  return {
    ...base,
    operators,
    types,
    fields: out,
    settings: {
      ...base.settings,
      fieldSeparator: '.',
      // `date==`: same day, not the same text (a date field holds "2025-05-16", the builder writes instants)
      fixJsonLogicDateCompareOp: true,
      removeIncompleteRulesOnLoad: false,
      removeEmptyGroupsOnLoad: false,
      removeInvalidMultiSelectValuesOnLoad: false,
    },
  };
}

/** The rule with groups of one condition unwrapped: `{"and": [x]}` means x. */
export function canonical(rule: Json | undefined): Json | undefined {
  if (Array.isArray(rule)) return rule.map((r) => canonical(r) as Json);
  if (!isObject(rule)) return rule;
  const keys = Object.keys(rule);
  if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or')) {
    const args = rule[keys[0]!];
    if (Array.isArray(args) && args.length === 1) return canonical(args[0]);
  }
  const out: Record<string, Json> = {};
  for (const key of keys) out[key] = canonical(rule[key]) as Json;
  return out;
}

/** Same meaning for the builder's purposes: equal after unwrapping single-condition groups. */
export function sameRule(a: Json | undefined, b: Json | undefined): boolean {
  return jsonEqual(canonical(a), canonical(b));
}

/** Stored JSON of what the builder exports (its dates are Date objects). */
function plain(logic: unknown): Json | undefined {
  return logic === undefined ? undefined : (JSON.parse(JSON.stringify(logic)) as Json);
}

export type FromRule = { ok: true; tree: ImmutableTree } | { ok: false; reason: string };

/** The builder's tree for a rule, or why the builder cannot show it faithfully. */
export function ruleToTree(rule: Json | undefined, config: Config): FromRule {
  if (rule === undefined || rule === true) return { ok: true, tree: Utils.loadTree({ id: Utils.uuid(), type: 'group' }) };
  let tree: ImmutableTree | undefined;
  let errors: string[] = [];
  try {
    const [loaded, importErrors] = Utils._loadFromJsonLogic(rule as JsonLogicTree, config);
    tree = loaded;
    errors = importErrors ?? [];
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (!tree || errors.length) return { ok: false, reason: errors.join('; ') || 'not a rule the builder knows' };
  const back = treeToRule(tree, config);
  if (!back.ok) return { ok: false, reason: back.errors.join('; ') };
  if (!sameRule(back.rule, rule)) return { ok: false, reason: 'the builder would write it differently' };
  return { ok: true, tree };
}

export type ToRule = { ok: true; rule: Json } | { ok: false; errors: string[] };

/** The rule a builder tree stands for (`true` when it has no conditions), or why it is incomplete. */
export function treeToRule(tree: ImmutableTree, config: Config): ToRule {
  const { logic, errors } = Utils.jsonLogicFormat(tree, config);
  const messages = (errors ?? []).map((e) => String(e));
  if (messages.length) return { ok: false, errors: messages };
  const rule = plain(logic);
  // No logic from a tree that has conditions means they are unfinished (a field chosen, no value yet): that is
  // not "always" — in routing, "always" is the default route — so nothing is emitted until they are complete.
  if (rule === undefined && hasConditions(Utils.getTree(tree))) return { ok: false, errors: [INCOMPLETE] };
  return { ok: true, rule: rule === undefined ? true : (canonical(rule) as Json) };
}

/** The error treeToRule gives for conditions that are not finished yet. */
export const INCOMPLETE = 'incomplete';

function hasConditions(node: unknown): boolean {
  if (!isObject(node as Json)) return false;
  const item = node as { type?: string; children1?: unknown };
  if (item.type === 'rule') return true;
  const children = Array.isArray(item.children1) ? item.children1 : isObject(item.children1 as Json) ? Object.values(item.children1 as object) : [];
  return children.some(hasConditions);
}

/** Names a rule reads with literal `var`s (outside scoped operators' inner rules), for warnings. */
export function readsFields(rule: Json | undefined): string[] {
  const out = new Set<string>();
  const walk = (node: Json | undefined, scoped: boolean) => {
    if (Array.isArray(node)) node.forEach((n) => walk(n, scoped));
    else if (isObject(node)) {
      for (const [op, args] of Object.entries(node)) {
        if (op === 'var') {
          const path = Array.isArray(args) ? args[0] : args;
          if (!scoped && typeof path === 'string' && path) out.add(path);
        } else if (['map', 'filter', 'all', 'some', 'none', 'reduce'].includes(op) && Array.isArray(args)) {
          walk(args[0], scoped);
          args.slice(1).forEach((a) => walk(a, true));
        } else walk(args, scoped);
      }
    }
  };
  walk(rule, false);
  return [...out];
}
