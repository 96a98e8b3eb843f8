// Shapes of the back end's JSON (see the API contract under /api/v1).
import type { Json } from './rules/logic';

export type Locale = 'en' | 'zh-CN';

export interface User {
  id: number;
  email: string;
  name: string;
  active: boolean;
  locale: Locale;
  time_zone: string;
  roles: string[];
  created_at: string;
  last_login_at: string | null;
  /** Whom the user reports to: approvals by "the requester's manager" ask them. */
  manager_id?: number | null;
}

export interface UserRef {
  id: number;
  name: string;
  email: string;
}

/** The read-only maintenance mode (GET /me): writes answer 503 while it lasts. */
export interface Maintenance {
  read_only: boolean;
  since: string | null;
  reason: string | null;
}

export interface SessionResponse {
  user: User;
  csrf_token: string;
  maintenance?: Maintenance;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ItemList<T> {
  items: T[];
}

export interface Role {
  name: string;
  built_in: boolean;
  description: string;
}

export interface Team {
  id: number;
  key: string;
  name: string;
  description: string;
  supervisor: UserRef | null;
  manager: UserRef | null;
  members: UserRef[];
  created_at: string;
}

export interface RosterEntry {
  id: number;
  user: UserRef;
  starts_at: string;
  ends_at: string;
}

export interface OnDuty {
  at: string;
  users: UserRef[];
}

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface NewApiToken {
  token: ApiToken;
  secret: string;
}

// ------------------------------------------------------------------ tickets (runtime API)

export type StatusCategory = 'new' | 'open' | 'pending' | 'resolved' | 'closed';

export interface TeamRef {
  id: number;
  key: string;
  name: string;
}

export interface SlaClock {
  metric: 'response' | 'resolution' | 'next_update' | string;
  due_at: string | null;
  state: 'running' | 'paused' | 'met' | 'warning' | 'breached' | string;
  elapsed_seconds: number;
  paused_seconds: number;
  target_seconds: number;
}

export interface Ticket {
  id: number;
  number: string;
  type: string;
  version: number;
  title: string;
  data: Record<string, unknown>;
  status: string;
  status_category: StatusCategory;
  priority: string;
  team: TeamRef | null;
  assignee: UserRef | null;
  requester: UserRef;
  source: string;
  parent_id: number | null;
  created_at: string;
  updated_at: string;
  first_response_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  row_version: number;
  /** Added by the SLA issue; absent or empty when no policy applies. */
  sla?: SlaClock[];
  /** GET /tickets/{id} only: whether you work this ticket as staff (internal comments, agent actions). */
  staff?: boolean;
  /** GET /tickets/{id} only: the state's name and the data as labels, in the reader's language. */
  display?: TicketDisplay;
  /** GET /tickets/{id} only: who set the priority by hand, when and why; null while the definition decides it. */
  priority_set?: { by: UserRef | null; at: string; reason: string | null } | null;
}

export interface CategoryOption {
  key: string;
  label: string;
}

export interface PortalType {
  key: string;
  name: string;
  description: string;
  version: number;
  categories: CategoryOption[];
}

export interface FieldRuleSpec {
  when: Json;
  show?: string[];
  hide?: string[];
  require?: string[];
}

export interface WorkflowState {
  key: string;
  name: string;
  category: StatusCategory;
  initial: boolean;
  final: boolean;
}

export interface PortalForm extends PortalType {
  form: { schema: Record<string, unknown>; ui: Record<string, unknown>; field_rules: FieldRuleSpec[] };
  states: WorkflowState[];
  priority_levels: string[];
  transition_fields: Record<string, { title?: string; type?: string; enum?: unknown[]; options?: ValueOption[] }>;
  context: Record<string, unknown>;
}

export interface TransitionReason {
  code: string;
  message: string;
  [key: string]: unknown;
}

export interface TransitionOption {
  key: string;
  name: string;
  to: string;
  to_name: string;
  allowed: boolean;
  reasons: TransitionReason[];
  requires: { field: string; title: string; schema: Record<string, unknown> | null; options?: ValueOption[] }[];
  /** The items to tick, in the reader's language. */
  checklist: string[];
  /** The same items as authored (what is sent back and stored). */
  checklist_keys?: string[];
}

/** A fixed value of a field and its label in the reader's language. */
export interface ValueOption {
  value: unknown;
  label: string;
}

/** A file a field refers to (GET /tickets/:id display). */
export interface FileRef {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  download_url: string;
}

/** A filled field as the reader reads it: its label and its value's text (labels, names, file names). */
export interface FieldDisplay {
  field: string;
  title: string;
  text: string;
  files?: FileRef[];
}

/** What GET /tickets/:id adds for the page: the state's name and the data as labels, in the reader's language. */
export interface TicketDisplay {
  status: string;
  fields: FieldDisplay[];
}

export interface Comment {
  id: number;
  body: string;
  internal: boolean;
  author: UserRef | null;
  created_at: string;
}

export interface TicketEvent {
  id: number;
  at: string;
  kind: string;
  internal: boolean;
  actor: UserRef | null;
  details: Record<string, unknown>;
  /** The details as the reader reads them: names of states, transitions, fields, teams and people, value labels. */
  display?: Record<string, unknown>;
}

export interface Attachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  internal: boolean;
  created_at: string;
  download_url: string;
}

export interface TicketRef {
  id: number;
  number: string;
  title: string;
  status: string;
}

export interface LinkList {
  items: { kind: string; direction: string; ticket: TicketRef }[];
  parent: TicketRef | null;
  children: TicketRef[];
}

export interface Notification {
  id: number;
  kind: string;
  message: string;
  ticket_id: number | null;
  /** where a notification not about a ticket leads: a same-site path such as /knowledge/12 */
  link?: string | null;
  created_at: string;
  read_at: string | null;
}

export interface SavedFilter {
  id: number;
  name: string;
  query: Record<string, string>;
  created_at: string;
  updated_at: string;
}

/** One person asked to approve, and their decision (runtime/approvals). */
export interface Approver {
  user: UserRef;
  source: 'user' | 'role' | 'team' | 'requester_manager' | 'escalation';
  decision: 'approve' | 'reject' | null;
  comment: string | null;
  decided_at: string | null;
  decided_by: UserRef | null;
  via: 'app' | 'link' | null;
}

export interface Approval {
  id: number;
  ticket: { id: number; number: string; title: string; status: string; priority: string };
  state: string;
  state_name: string;
  mode: 'any' | 'all';
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  outcome: string | null;
  opened_at: string;
  due_at: string | null;
  decided_at: string | null;
  approvers: Approver[];
  can_decide: boolean;
  on_behalf_of: UserRef[];
}

/** What a signed one-click link is for (GET /approval-links). */
export interface ApprovalLinkInfo {
  decision: 'approve' | 'reject' | null;
  expires_at: string;
  needs_sign_in: boolean;
  approver: UserRef | null;
  approval: Approval;
}

export interface Survey {
  id: number;
  ticket_id: number;
  kind: 'csat' | 'nps';
  low: number;
  high: number;
  requested_at: string;
  expires_at: string | null;
  expired: boolean;
  score: number | null;
  comment: string | null;
  answered_at: string | null;
  answered_via: 'link' | 'portal' | null;
  bad: boolean | null;
  can_answer: boolean;
  ticket: { id: number; number: string; title: string };
}

export interface SurveyLinkInfo {
  survey: Survey;
  locale: string;
  needs_sign_in: boolean;
}

export interface SurveyFollowUp {
  id: number;
  status: 'open' | 'done';
  created_at: string;
  done_at: string | null;
  note: string | null;
  assignee: { id: number; name: string; email: string } | null;
  team: string | null;
  survey: Survey;
}

/** The public status page of a ticket (GET /status-links): only what the requester may see, no sign-in. */
export interface StatusLinkView {
  number: string;
  title: string;
  type: string;
  status: string;
  status_name: string;
  status_category: 'new' | 'open' | 'pending' | 'resolved' | 'closed';
  created_at: string;
  updated_at: string;
  fields: { name: string; title: string; value: string }[];
  timeline: { kind: 'created' | 'status' | 'reply'; at: string; state: string | null; text: string | null; by: 'you' | 'staff' | null }[];
  locale: string;
  expires_in_days: number;
}
