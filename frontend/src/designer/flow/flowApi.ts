// The designer API calls the flow editors make (designer/views.py, runtime/calendar_views.py,
// runtime/automation_views.py), typed.
import { api } from '../../api';
import type { Page, Role, Team, UserRef } from '../../types';
import type { Definition, DraftResponse } from './types';

export interface VersionSummary {
  number: number;
  changelog: string;
  published_at: string;
  published_by: UserRef | null;
}

export interface TicketTypeInfo {
  key: string;
  name: string;
  latest_version: number | null;
  archived: boolean;
}

export interface SimulationTrace {
  index: number;
  name: string;
  matched: boolean;
  error?: string;
}

/** One thing that set a simulated priority (designer/drafts/simulate.py, `_priority_decision`). */
export type PriorityStep =
  | { by: 'default'; level: string }
  | { by: 'matrix'; cell: string; fields: string[]; values: unknown[]; level: string }
  | { by: 'override'; index: number; label: string; effect: 'set' | 'raise_by' | 'lower_by'; amount: string | number; matched: boolean; error?: string; from?: string; to?: string }
  | { by: 'routing'; index: number; name: string; from: string; to: string };

export interface PriorityDecision {
  base: Extract<PriorityStep, { by: 'default' | 'matrix' }>;
  overrides: Extract<PriorityStep, { by: 'override' }>[];
  routing: Extract<PriorityStep, { by: 'routing' }> | null;
  decided_by: PriorityStep;
}

/** A transition out of a state, as the runtime's explainer says (runtime/tickets/workflow.py, `explain_state`). */
export interface ExplainedTransition {
  key: string;
  name: string;
  to: string;
  to_name: string;
  allowed: boolean;
  reasons: { code: string; message: string; roles?: string[]; rule?: unknown }[];
  requires: { field: string; title: string; schema?: Record<string, unknown> | null; options?: { value: unknown; label: string }[] }[];
  checklist: string[];
  checklist_keys: string[];
}

export interface WalkStepView {
  transition: string | null;
  name: string | null;
  actions: string[];
  state: string;
  state_name: string;
  category: string | null;
  data: Record<string, unknown>;
  transitions: ExplainedTransition[];
}

/** A transition to take in a walk, with what it asks for. */
export interface WalkStepRequest {
  transition: string;
  fields?: Record<string, unknown>;
  comment?: string;
  checklist?: string[];
}

export interface Walk {
  acting_as: string[];
  steps: WalkStepView[];
  refused: { index: number; transition: string; name: string; reasons: { code: string; message: string }[] } | null;
}

export interface Simulation {
  source: string | number;
  valid: boolean;
  errors: { path: string; message: string }[];
  fields: { visible: string[]; hidden: string[]; required: string[]; readonly?: string[] };
  priority: { level: string; steps: string[]; decision?: PriorityDecision };
  routing: { matched: { index: number; name: string; assign?: Record<string, string> } | null; trace: SimulationTrace[] };
  sla: { policy: { index: number; name: string; calendar: string } | null; targets: Record<string, string> | null; trace: SimulationTrace[] };
  walk?: Walk;
}

export interface ReplayDifference {
  ticket: string;
  id: number;
  title: string;
  changes: Record<string, { published: unknown; draft: unknown }>;
}

export interface Replay {
  source: string | number;
  against: number;
  replayed: number;
  /** Tickets among the last N that the designer may not see, so not replayed. */
  left_out?: number;
  differences: ReplayDifference[];
}

export interface CalendarDoc {
  key: string;
  name: string;
  timezone: string;
  week: Partial<Record<Weekday, [string, string][]>>;
  holidays: { date: string; name?: string }[];
  workdays: { date: string; name?: string; intervals?: [string, string][] | null }[];
  built_in?: boolean;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface Computed {
  calendar: string;
  start: string;
  open_at_start: boolean;
  next_open: string | null;
  due?: string;
}

export interface AutomationRun {
  id: number;
  ticket_id: number;
  ticket_number: string | null;
  ticket_type: string | null;
  automation_index: number;
  automation: string;
  trigger: string;
  outcome: 'succeeded' | 'failed' | 'loop_stopped';
  error: string | null;
  depth: number;
  at: string;
}

const typePath = (key: string) => `/ticket-types/${encodeURIComponent(key)}`;

export const flowApi = {
  type: (key: string) => api.get<TicketTypeInfo>(typePath(key)),
  draft: (key: string) => api.get<DraftResponse>(`${typePath(key)}/draft`),
  saveDraft: (key: string, definition: Definition, revision: number | null) =>
    api.put<DraftResponse>(`${typePath(key)}/draft`, definition, revision === null ? {} : { headers: { 'If-Match': `"${revision}"` } }),
  versions: (key: string) => api.get<{ items: VersionSummary[] }>(`${typePath(key)}/versions`),
  version: (key: string, n: number) => api.get<VersionSummary & { definition: Definition }>(`${typePath(key)}/versions/${n}`),
  publish: (key: string, changelog: string) => api.post<VersionSummary>(`${typePath(key)}/publish`, { changelog }),
  simulate: (key: string, data: Record<string, unknown>, ticket: Record<string, unknown> = {}) =>
    api.post<Simulation>(`${typePath(key)}/simulate`, { data, ticket }),
  /** Walk a simulated ticket through the draft's graph on the server: nothing is written. */
  walk: (key: string, data: Record<string, unknown>, ticket: Record<string, unknown>, walk: WalkStepRequest[], actingAs: string[], locale?: string) =>
    api.post<Simulation>(`${typePath(key)}/simulate`, { data, ticket, walk, acting_as: actingAs, ...(locale ? { locale } : {}) }),
  replay: (key: string, count: number) => api.post<Replay>(`${typePath(key)}/simulate`, { replay: count }),
  evaluate: (rule: unknown, data: unknown) => api.post<{ result: unknown }>('/logic/evaluate', { rule, data }),
  teams: () => api.get<Page<Team>>('/teams', { limit: 200 }),
  roles: () => api.get<{ items: Role[] }>('/roles'),
  types: () => api.get<Page<TicketTypeInfo>>('/ticket-types', { limit: 200 }),
  calendars: () => api.get<Page<CalendarDoc>>('/calendars', { limit: 200 }),
  calendar: (key: string) => api.get<CalendarDoc>(`/calendars/${encodeURIComponent(key)}`),
  compute: (key: string, start: string, add: string, signal?: AbortSignal) =>
    api.get<Computed>(`/calendars/${encodeURIComponent(key)}/compute`, { start, add }, { signal }),
};
