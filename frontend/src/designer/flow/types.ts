// The parts of a ticket-type definition the flow editors work on (docs/definition-format.md).
// Only what these editors read and write is typed; everything else of the document is kept as it is.
import type { Json } from '../../rules/logic';

export type Rule = Json;
export type StatusCategory = 'new' | 'open' | 'pending' | 'resolved' | 'closed';
export const STATUS_CATEGORIES: StatusCategory[] = ['new', 'open', 'pending', 'resolved', 'closed'];

export type I18nTexts = Partial<Record<'en' | 'zh-CN', Record<string, string | string[]>>>;

export interface State {
  key: string;
  name: string;
  category: StatusCategory;
  initial?: boolean;
  final?: boolean;
  description?: string;
  i18n?: I18nTexts;
}

export type ActionKind = 'assign' | 'set' | 'notify' | 'comment' | 'create_child' | 'webhook' | 'survey' | 'create_article_draft';
export type Strategy = 'none' | 'fixed' | 'round_robin' | 'least_loaded' | 'on_duty';
export const STRATEGIES: Strategy[] = ['none', 'fixed', 'round_robin', 'least_loaded', 'on_duty'];
export const CHANNELS = ['in_app', 'email', 'webhook', 'wecom', 'dingtalk', 'slack'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Assignment {
  team?: string;
  user?: string;
  strategy?: Strategy;
}

export interface Action {
  do: ActionKind;
  // assign
  team?: string;
  user?: string;
  strategy?: Strategy;
  // set
  fields?: Record<string, Rule>;
  // notify
  to?: string[];
  channels?: Channel[];
  template?: string;
  status_link?: boolean;
  // comment
  text?: string;
  internal?: boolean;
  // create_child
  type?: string;
  map?: Record<string, Rule>;
  // webhook
  url?: string;
  secret?: string;
  // survey
  kind?: 'csat' | 'nps';
  after?: string;
  expires?: string;
  bad_at_most?: number;
  follow_up?: 'supervisor' | 'none';
  // create_article_draft
  tags?: string[];
  category?: string;
  visibility?: 'everyone' | 'staff';
}

export interface Transition {
  key: string;
  name?: string;
  description?: string;
  from: string[] | '*';
  to: string;
  roles?: string[];
  guard?: Rule;
  fields?: Record<string, Record<string, Json>>;
  require?: string[];
  checklist?: string[];
  /** Taken by itself, by nobody: 'assigned' when the ticket gets an assignee. */
  on?: 'assigned';
  actions?: Action[];
  i18n?: I18nTexts;
}

export interface Workflow {
  states: State[];
  transitions: Transition[];
}

export interface PriorityOverride {
  when: Rule;
  set?: string;
  raise_by?: number;
  lower_by?: number;
}

export interface Priority {
  levels?: string[];
  default?: string;
  matrix?: { by: string[]; cells: Record<string, string> };
  overrides?: PriorityOverride[];
}

export interface Notification {
  to: string[];
  channels?: Channel[];
  template?: string;
}

export interface RoutingRule {
  name: string;
  when: Rule;
  assign?: Assignment;
  set_priority?: string;
  notify?: Notification[];
  i18n?: I18nTexts;
}

export type Metric = 'response' | 'resolution' | 'next_update';
export const METRICS: Metric[] = ['response', 'resolution', 'next_update'];

export interface Escalation {
  after_breach: string;
  metric?: Metric | 'any';
  notify?: string[];
  channels?: Channel[];
  reassign?: Assignment;
  raise_priority?: boolean;
}

export interface SlaPolicy {
  name: string;
  when?: Rule;
  calendar?: string;
  targets: Record<string, Partial<Record<Metric, string>>>;
  pause_in?: string[];
  warn_before?: string[];
  warn_at?: number[];
  escalate?: Escalation[];
  i18n?: I18nTexts;
}

export type Trigger = 'created' | 'updated' | 'field_changed' | 'transitioned' | 'comment_added' | 'elapsed' | 'survey_answered' | 'child_closed';
export const TRIGGERS: Trigger[] = ['created', 'updated', 'field_changed', 'transitioned', 'comment_added', 'elapsed', 'survey_answered', 'child_closed'];

export interface Automation {
  name: string;
  on: Trigger;
  when?: Rule;
  field?: string;
  transition?: string;
  state?: string;
  after?: string;
  do: Action[];
  i18n?: I18nTexts;
}

/** Positions of the status graph's nodes: UI only, ignored by the runtime (docs/definition-format.md). */
export interface Layout {
  workflow?: Record<string, { x: number; y: number }>;
}

export interface JsonSchemaObject {
  type?: string | string[];
  title?: string;
  enum?: Json[];
  oneOf?: Json[];
  properties?: Record<string, JsonSchemaObject>;
  required?: string[];
  items?: JsonSchemaObject;
  format?: string;
  [key: string]: unknown;
}

export interface Definition {
  format: number;
  key: string;
  name: string;
  locale?: 'en' | 'zh-CN';
  number_prefix: string;
  form: { schema: JsonSchemaObject; ui?: Record<string, unknown>; field_rules?: unknown[] };
  priority?: Priority;
  workflow: Workflow;
  routing?: RoutingRule[];
  sla?: SlaPolicy[];
  automations?: Automation[];
  layout?: Layout;
  [key: string]: unknown;
}

/** A problem the server reports for a draft (GET/PUT draft, 422 of publish). */
export interface Problem {
  path: string;
  message: string;
  code: string;
}

export interface DraftResponse {
  definition: Definition;
  revision: number;
  updated_at: string;
  updated_by: { id: number; email: string; name: string } | null;
  errors: Problem[];
  warnings: Problem[];
}
