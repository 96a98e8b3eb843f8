// The status graph <-> the definition's workflow, and the structural checks the server makes
// (designer/validation.py, workflow_checks), computed live on the graph. Pure: no React, no DOM.
import type { Definition, State, StatusCategory, Transition, Workflow } from './types';

/** The node that stands for `"from": "*"` (every non-final state). */
export const ANY_STATE = '*';

export interface Point {
  x: number;
  y: number;
}

export interface GraphNode {
  id: string;
  /** null for the "any open state" node. */
  state: State | null;
  position: Point | null;
}

export interface GraphEdge {
  /** `${transition index}:${from}`: one edge per source of a transition. */
  id: string;
  transition: string;
  index: number;
  source: string;
  target: string;
  label: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function edgeId(index: number, source: string): string {
  return `${index}:${source}`;
}

export function parseEdgeId(id: string): { index: number; source: string } {
  const at = id.indexOf(':');
  return { index: Number(id.slice(0, at)), source: id.slice(at + 1) };
}

/** Nodes for the states (plus the "any open state" node when a transition uses "*"), edges per source. */
export function definitionToGraph(definition: Pick<Definition, 'workflow' | 'layout'>): Graph {
  const workflow = definition.workflow ?? { states: [], transitions: [] };
  const positions = definition.layout?.workflow ?? {};
  const nodes: GraphNode[] = (workflow.states ?? []).map((state) => ({
    id: state.key,
    state,
    position: positions[state.key] ?? null,
  }));
  const edges: GraphEdge[] = [];
  let usesAny = false;
  (workflow.transitions ?? []).forEach((transition, index) => {
    const sources = transition.from === ANY_STATE ? [ANY_STATE] : Array.isArray(transition.from) ? transition.from : [];
    if (transition.from === ANY_STATE) usesAny = true;
    for (const source of sources) {
      edges.push({
        id: edgeId(index, source),
        transition: transition.key,
        index,
        source,
        target: transition.to,
        label: transition.name || transition.key,
      });
    }
  });
  if (usesAny) nodes.push({ id: ANY_STATE, state: null, position: positions[ANY_STATE] ?? null });
  return { nodes, edges };
}

/** The definition with the nodes' positions saved under layout.workflow (UI only). */
export function withPositions<D extends Pick<Definition, 'layout'>>(definition: D, positions: Record<string, Point>): D {
  const rounded: Record<string, Point> = {};
  for (const [key, p] of Object.entries(positions)) rounded[key] = { x: Math.round(p.x), y: Math.round(p.y) };
  return { ...definition, layout: { ...(definition.layout ?? {}), workflow: rounded } };
}

// ------------------------------------------------------------------------------------- editing

const KEY_RE = /^[a-z][a-z0-9_-]{0,63}$/;

export function isKey(value: string): boolean {
  return KEY_RE.test(value);
}

/** A key made from a display name: "Waiting for parts" -> "waiting_for_parts", unique among `taken`. */
export function keyFromName(name: string, taken: Iterable<string>, fallback = 'state'): string {
  let base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 56);
  if (!base) base = fallback;
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}

export function addState(workflow: Workflow, name: string, category: StatusCategory): { workflow: Workflow; key: string } {
  const key = keyFromName(name, workflow.states.map((s) => s.key));
  const state: State = { key, name: name.trim() || key, category };
  if (!workflow.states.length) state.initial = true;
  return { workflow: { ...workflow, states: [...workflow.states, state] }, key };
}

/**
 * Dragging from one state to another: a new transition from `source` to `target`, unless one
 * already goes there from `source`. Dropping from the "any open state" node makes a `"*"` transition.
 */
export function connect(
  workflow: Workflow,
  source: string,
  target: string,
): { workflow: Workflow; index: number; created: boolean } {
  const existing = workflow.transitions.findIndex(
    (t) => t.to === target && (source === ANY_STATE ? t.from === ANY_STATE : Array.isArray(t.from) && t.from.includes(source)),
  );
  if (existing >= 0) return { workflow, index: existing, created: false };
  const targetState = workflow.states.find((s) => s.key === target);
  const key = keyFromName(
    source === ANY_STATE ? `any_to_${target}` : `${source}_to_${target}`,
    workflow.transitions.map((t) => t.key),
    'transition',
  );
  const transition: Transition = {
    key,
    name: targetState?.name ?? target,
    from: source === ANY_STATE ? ANY_STATE : [source],
    to: target,
  };
  return { workflow: { ...workflow, transitions: [...workflow.transitions, transition] }, index: workflow.transitions.length, created: true };
}

/** Remove one edge: one source of a transition with several, else the whole transition. */
export function removeEdge(workflow: Workflow, index: number, source: string): Workflow {
  const transition = workflow.transitions[index];
  if (!transition) return workflow;
  if (Array.isArray(transition.from) && transition.from.length > 1) {
    const next = { ...transition, from: transition.from.filter((s) => s !== source) };
    return { ...workflow, transitions: workflow.transitions.map((t, i) => (i === index ? next : t)) };
  }
  return { ...workflow, transitions: workflow.transitions.filter((_, i) => i !== index) };
}

/** What deleting a state takes with it: transitions into it, and those that leave only from it. */
export function stateDeletionImpact(workflow: Workflow, key: string): { removed: string[]; narrowed: string[] } {
  const removed: string[] = [];
  const narrowed: string[] = [];
  for (const t of workflow.transitions) {
    const label = t.name || t.key;
    if (t.to === key) removed.push(label);
    else if (Array.isArray(t.from) && t.from.includes(key)) {
      if (t.from.length === 1) removed.push(label);
      else narrowed.push(label);
    }
  }
  return { removed, narrowed };
}

export function removeState(workflow: Workflow, key: string): Workflow {
  const transitions = workflow.transitions
    .filter((t) => t.to !== key)
    .map((t) => (Array.isArray(t.from) && t.from.includes(key) ? { ...t, from: t.from.filter((s) => s !== key) } : t))
    .filter((t) => t.from === ANY_STATE || (Array.isArray(t.from) && t.from.length > 0));
  return { ...workflow, states: workflow.states.filter((s) => s.key !== key), transitions };
}

/** Rename a state's key everywhere the workflow names it. */
export function renameStateKey(workflow: Workflow, from: string, to: string): Workflow {
  if (from === to) return workflow;
  return {
    states: workflow.states.map((s) => (s.key === from ? { ...s, key: to } : s)),
    transitions: workflow.transitions.map((t) => ({
      ...t,
      to: t.to === from ? to : t.to,
      from: Array.isArray(t.from) ? t.from.map((s) => (s === from ? to : s)) : t.from,
    })),
  };
}

/** Make `key` the one initial state. */
export function setInitial(workflow: Workflow, key: string): Workflow {
  return {
    ...workflow,
    states: workflow.states.map((s) => {
      const next = { ...s };
      if (s.key === key) next.initial = true;
      else delete next.initial;
      return next;
    }),
  };
}

// ------------------------------------------------------------------------------------- checks

export type CheckCode =
  | 'workflow.no_initial_state'
  | 'workflow.several_initial_states'
  | 'workflow.no_final_state'
  | 'workflow.unreachable_state'
  | 'workflow.dead_end'
  | 'workflow.unknown_state'
  | 'workflow.duplicate_state'
  | 'workflow.duplicate_transition';

export interface GraphIssue {
  code: CheckCode;
  severity: 'error' | 'warning';
  /** The state the issue is marked on; absent for the graph as a whole. */
  state?: string;
  /** The transition (index) the issue is marked on. */
  transition?: number;
  /** The server's JSON pointer for the same problem. */
  path: string;
  /** Interpolation values for the message (catalog key `checks.<code without "workflow.">`). */
  params: Record<string, string | number>;
}

/** The codes these checks cover: the server's problems with these codes are not shown twice. */
export const LIVE_CODES: ReadonlySet<string> = new Set<CheckCode>([
  'workflow.no_initial_state',
  'workflow.several_initial_states',
  'workflow.no_final_state',
  'workflow.unreachable_state',
  'workflow.dead_end',
  'workflow.unknown_state',
  'workflow.duplicate_state',
  'workflow.duplicate_transition',
]);

/** The server's workflow checks, same codes, same pointers, same order of reporting. */
export function checkWorkflow(workflow: Workflow): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const states = workflow.states ?? [];
  const transitions = workflow.transitions ?? [];
  const index: Map<string, number> = new Map();
  states.forEach((s, i) => {
    if (index.has(s.key)) {
      issues.push({ code: 'workflow.duplicate_state', severity: 'error', state: s.key, path: `/workflow/states/${i}/key`,
        params: { key: s.key, first: (index.get(s.key) ?? 0) + 1, second: i + 1 } });
    } else index.set(s.key, i);
  });
  const seenT = new Map<string, number>();
  transitions.forEach((t, i) => {
    if (seenT.has(t.key)) {
      issues.push({ code: 'workflow.duplicate_transition', severity: 'error', transition: i,
        path: `/workflow/transitions/${i}/key`, params: { key: t.key, first: (seenT.get(t.key) ?? 0) + 1, second: i + 1 } });
    } else seenT.set(t.key, i);
  });
  if (!states.length) return issues;
  const initials = states.map((s, i) => (s.initial === true ? i : -1)).filter((i) => i >= 0);
  const finalKeys = new Set(states.filter((s) => s.final === true).map((s) => s.key));
  if (!initials.length) {
    issues.push({ code: 'workflow.no_initial_state', severity: 'error', path: '/workflow/states', params: {} });
  }
  for (const i of initials.slice(1)) {
    issues.push({ code: 'workflow.several_initial_states', severity: 'error', state: states[i].key,
      path: `/workflow/states/${i}/initial`, params: { key: states[i].key, first: states[initials[0]].key } });
  }
  if (!finalKeys.size) {
    issues.push({ code: 'workflow.no_final_state', severity: 'error', path: '/workflow/states', params: {} });
  }
  const keys = [...index.keys()];
  const nonFinal = keys.filter((k) => !finalKeys.has(k));
  const edges = new Map<string, Set<string>>(keys.map((k) => [k, new Set<string>()]));
  transitions.forEach((t, i) => {
    const name = t.key;
    if (typeof t.to === 'string' && !index.has(t.to)) {
      issues.push({ code: 'workflow.unknown_state', severity: 'error', transition: i, path: `/workflow/transitions/${i}/to`,
        params: { transition: name, state: t.to, direction: 'to' } });
    }
    let origins: string[] = [];
    if (t.from === ANY_STATE) origins = nonFinal;
    else if (Array.isArray(t.from)) {
      t.from.forEach((source, j) => {
        if (!index.has(source)) {
          issues.push({ code: 'workflow.unknown_state', severity: 'error', transition: i,
            path: `/workflow/transitions/${i}/from/${j}`, params: { transition: name, state: source, direction: 'from' } });
        } else origins.push(source);
      });
    }
    if (index.has(t.to)) for (const origin of origins) if (origin !== t.to) edges.get(origin)?.add(t.to);
  });
  if (initials.length === 1) {
    const start = states[initials[0]].key;
    const reached = new Set([start]);
    const queue = [start];
    while (queue.length) {
      for (const target of edges.get(queue.shift() as string) ?? []) {
        if (!reached.has(target)) {
          reached.add(target);
          queue.push(target);
        }
      }
    }
    for (const [key, i] of index) {
      if (!reached.has(key)) {
        issues.push({ code: 'workflow.unreachable_state', severity: 'error', state: key, path: `/workflow/states/${i}`,
          params: { key, initial: start } });
      }
    }
  }
  for (const [key, i] of index) {
    if (!finalKeys.has(key) && !(edges.get(key)?.size)) {
      issues.push({ code: 'workflow.dead_end', severity: 'warning', state: key, path: `/workflow/states/${i}`, params: { key } });
    }
  }
  return issues;
}

/** The state or transition a server problem's JSON pointer points into, so it can be marked there. */
export function locateProblem(path: string): { state?: number; transition?: number } {
  const m = /^\/workflow\/(states|transitions)\/(\d+)(?:\/|$)/.exec(path);
  if (!m) return {};
  return m[1] === 'states' ? { state: Number(m[2]) } : { transition: Number(m[2]) };
}

/** The category colours of the nodes (antd's palette), also used by the legend. */
export const CATEGORY_COLORS: Record<StatusCategory, string> = {
  new: '#1677ff',
  open: '#13c2c2',
  pending: '#fa8c16',
  resolved: '#52c41a',
  closed: '#8c8c8c',
};
