// "Walk it": which transitions a simulated ticket could take from its state, and why not, with the
// rules of runtime/workflow.py explain() (roles, guard, required fields, checklist) and the browser's
// rule engine, which gives the server's results (tests/runtime/test_logic_js.py).
import { compileRule, RuleError, truthy, type Json } from '../../rules/logic';
import type { Definition, Transition } from './types';

export interface WalkTicket {
  status: string;
  data: Record<string, Json>;
  /** ticket.* values the rules see (requester tags, priority …). */
  ticket: Record<string, Json>;
}

export type Reason =
  | { code: 'role_missing'; roles: string[] }
  | { code: 'guard_false'; error?: string };

export interface Option {
  index: number;
  transition: Transition;
  allowed: boolean;
  reasons: Reason[];
  /** Fields it asks for, because the ticket has no value for them yet (and `comment`). */
  requires: string[];
  checklist: string[];
}

const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)
  || (typeof v === 'object' && v !== null && !Array.isArray(v) && !Object.keys(v).length);

export function leavesFrom(definition: Definition, transition: Transition, status: string): boolean {
  if (transition.from === '*') return !definition.workflow.states.find((s) => s.key === status)?.final;
  return Array.isArray(transition.from) && transition.from.includes(status);
}

/** The rule context of runtime/context.py: form data at the top level and `ticket`. */
export function ruleContext(definition: Definition, walk: WalkTicket): Json {
  const state = definition.workflow.states.find((s) => s.key === walk.status);
  return {
    ...walk.data,
    ticket: {
      type: definition.key,
      status: walk.status,
      status_category: state?.category ?? null,
      requester: { tags: [], roles: ['requester'] },
      ...walk.ticket,
      data: walk.data,
    },
  };
}

/** Every transition out of the ticket's state, as the explainer gives them, for someone acting as `roles`. */
export function explainTransitions(definition: Definition, walk: WalkTicket, roles: string[]): Option[] {
  const out: Option[] = [];
  const context = ruleContext(definition, walk);
  definition.workflow.transitions.forEach((transition, index) => {
    if (!leavesFrom(definition, transition, walk.status)) return;
    const reasons: Reason[] = [];
    const allowed = transition.roles ?? [];
    if (allowed.length && !roles.includes('admin') && !allowed.some((r) => roles.includes(r))) {
      reasons.push({ code: 'role_missing', roles: allowed });
    }
    if (transition.guard !== undefined) {
      try {
        if (!truthy(compileRule(transition.guard)(context))) reasons.push({ code: 'guard_false' });
      } catch (error) {
        reasons.push({ code: 'guard_false', error: error instanceof RuleError ? error.message : String(error) });
      }
    }
    const requires = (transition.require ?? []).filter((name) => name === 'comment' || empty(walk.data[name]));
    out.push({ index, transition, allowed: !reasons.length, reasons, requires, checklist: transition.checklist ?? [] });
  });
  return out;
}

/** Take a transition: its answers stored with the data, the ticket in its target state. */
export function take(walk: WalkTicket, transition: Transition, answers: Record<string, Json>): WalkTicket {
  const data = { ...walk.data };
  for (const [k, v] of Object.entries(answers)) if (k !== 'comment') data[k] = v;
  return { ...walk, status: transition.to, data };
}
