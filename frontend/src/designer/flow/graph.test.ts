import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { afterSalesWorkflow, largeWorkflow } from './fixtures';
import {
  ANY_STATE,
  addState,
  checkWorkflow,
  connect,
  definitionToGraph,
  keyFromName,
  locateProblem,
  removeEdge,
  removeState,
  renameStateKey,
  setInitial,
  stateDeletionImpact,
  withPositions,
} from './graph';
import { flowOrder, layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './layout';
import type { Workflow } from './types';

const doc = (workflow: Workflow, layout?: Record<string, { x: number; y: number }>) => ({
  workflow,
  ...(layout ? { layout: { workflow: layout } } : {}),
});

describe('definitionToGraph', () => {
  it('makes a node per state and an edge per source of each transition', () => {
    const graph = definitionToGraph(doc(afterSalesWorkflow()));
    expect(graph.nodes.map((n) => n.id)).toEqual(['new', 'diagnosing', 'waiting_for_parts', 'repairing', 'resolved', 'closed']);
    const reopen = graph.edges.filter((e) => e.transition === 'reopen');
    expect(reopen.map((e) => [e.source, e.target])).toEqual([['resolved', 'diagnosing'], ['closed', 'diagnosing']]);
    expect(reopen[0].id).not.toEqual(reopen[1].id);
    expect(graph.edges).toHaveLength(8);
  });

  it('draws "from": "*" from one "any open state" node', () => {
    const wf = afterSalesWorkflow();
    wf.transitions.push({ key: 'cancel', name: 'Cancel', from: '*', to: 'closed' });
    const graph = definitionToGraph(doc(wf));
    expect(graph.nodes.at(-1)).toEqual({ id: ANY_STATE, state: null, position: null });
    expect(graph.edges.at(-1)).toMatchObject({ source: ANY_STATE, target: 'closed', transition: 'cancel' });
  });

  it('reads saved positions and writes them back rounded', () => {
    const graph = definitionToGraph(doc(afterSalesWorkflow(), { new: { x: 10, y: 20 } }));
    expect(graph.nodes[0].position).toEqual({ x: 10, y: 20 });
    expect(graph.nodes[1].position).toBeNull();
    const saved = withPositions({ layout: {} as { workflow?: Record<string, { x: number; y: number }> } }, { new: { x: 10.4, y: 19.6 } });
    expect(saved.layout.workflow).toEqual({ new: { x: 10, y: 20 } });
  });
});

describe('editing', () => {
  it('adds a state with a key made from its name; the first state is initial', () => {
    const { workflow, key } = addState({ states: [], transitions: [] }, 'Waiting for parts', 'pending');
    expect(key).toBe('waiting_for_parts');
    expect(workflow.states[0]).toEqual({ key, name: 'Waiting for parts', category: 'pending', initial: true });
    expect(keyFromName('Waiting for parts', ['waiting_for_parts'])).toBe('waiting_for_parts_2');
    expect(keyFromName('等待备件', [])).toBe('state');
  });

  it('connects two states once; a second drag selects the existing transition', () => {
    const wf = afterSalesWorkflow();
    const first = connect(wf, 'repairing', 'waiting_for_parts');
    expect(first.created).toBe(true);
    expect(first.workflow.transitions[first.index]).toEqual({
      key: 'repairing_to_waiting_for_parts', name: 'Waiting for parts', from: ['repairing'], to: 'waiting_for_parts' });
    const again = connect(first.workflow, 'repairing', 'waiting_for_parts');
    expect(again).toEqual({ workflow: first.workflow, index: first.index, created: false });
    // reopen already leaves from closed to diagnosing
    expect(connect(wf, 'closed', 'diagnosing').created).toBe(false);
    const any = connect(wf, ANY_STATE, 'closed');
    expect(any.workflow.transitions[any.index].from).toBe('*');
  });

  it('removes one source of a transition with several, else the transition', () => {
    const wf = afterSalesWorkflow();
    const reopen = wf.transitions.findIndex((t) => t.key === 'reopen');
    const narrowed = removeEdge(wf, reopen, 'closed');
    expect(narrowed.transitions[reopen].from).toEqual(['resolved']);
    const gone = removeEdge(narrowed, reopen, 'resolved');
    expect(gone.transitions.map((t) => t.key)).not.toContain('reopen');
  });

  it('deleting a state removes the transitions into it and narrows those that leave from it', () => {
    const wf = afterSalesWorkflow();
    expect(stateDeletionImpact(wf, 'closed')).toEqual({ removed: ['Close'], narrowed: ['Reopen'] });
    const next = removeState(wf, 'closed');
    expect(next.states.map((s) => s.key)).not.toContain('closed');
    expect(next.transitions.find((t) => t.key === 'reopen')?.from).toEqual(['resolved']);
    expect(next.transitions.find((t) => t.key === 'close')).toBeUndefined();
  });

  it('renames a key everywhere and moves the initial mark', () => {
    const wf = renameStateKey(afterSalesWorkflow(), 'diagnosing', 'triage');
    expect(wf.transitions.find((t) => t.key === 'reopen')?.to).toBe('triage');
    expect(wf.transitions.find((t) => t.key === 'order_parts')?.from).toEqual(['triage']);
    const moved = setInitial(wf, 'triage');
    expect(moved.states.filter((s) => s.initial).map((s) => s.key)).toEqual(['triage']);
  });
});

describe('checkWorkflow (the server workflow checks)', () => {
  it('finds nothing wrong with the after-sales flow', () => {
    expect(checkWorkflow(afterSalesWorkflow())).toEqual([]);
  });

  it('marks unreachable states, dead ends, a missing final state', () => {
    const wf = afterSalesWorkflow();
    wf.states.push({ key: 'limbo', name: 'Limbo', category: 'open' });
    wf.states = wf.states.map((s) => ({ ...s, final: undefined }));
    const issues = checkWorkflow(wf);
    expect(issues.map((i) => [i.code, i.state ?? null, i.path])).toEqual([
      ['workflow.no_final_state', null, '/workflow/states'],
      ['workflow.unreachable_state', 'limbo', '/workflow/states/6'],
      ['workflow.dead_end', 'limbo', '/workflow/states/6'],
    ]);
    expect(issues[1].params).toEqual({ key: 'limbo', initial: 'new' });
    expect(issues[2].severity).toBe('warning');
  });

  it('counts "*" as leaving every non-final state', () => {
    const wf: Workflow = {
      states: [
        { key: 'a', name: 'A', category: 'new', initial: true },
        { key: 'b', name: 'B', category: 'open' },
        { key: 'z', name: 'Z', category: 'closed', final: true },
      ],
      transitions: [{ key: 'to_b', from: ['a'], to: 'b' }, { key: 'cancel', from: '*', to: 'z' }],
    };
    expect(checkWorkflow(wf)).toEqual([]);
  });

  it('reports several initial states, none, and unknown states', () => {
    const wf = afterSalesWorkflow();
    wf.states[1] = { ...wf.states[1], initial: true };
    wf.transitions.push({ key: 'bad', from: ['nowhere'], to: 'gone' });
    const codes = checkWorkflow(wf).map((i) => [i.code, i.path]);
    expect(codes).toContainEqual(['workflow.several_initial_states', '/workflow/states/1/initial']);
    expect(codes).toContainEqual(['workflow.unknown_state', '/workflow/transitions/7/to']);
    expect(codes).toContainEqual(['workflow.unknown_state', '/workflow/transitions/7/from/0']);
    expect(codes.find((c) => c[0] === 'workflow.unreachable_state')).toBeUndefined(); // not with two initials
    const none = checkWorkflow({ ...wf, states: wf.states.map((s) => ({ ...s, initial: undefined })) });
    expect(none[0].code).toBe('workflow.no_initial_state');
  });

  it('reports duplicate keys at the second one', () => {
    const wf = afterSalesWorkflow();
    wf.states.push({ key: 'new', name: 'Again', category: 'new' });
    const dup = checkWorkflow(wf).find((i) => i.code === 'workflow.duplicate_state');
    expect(dup).toMatchObject({ path: '/workflow/states/6/key', params: { key: 'new', first: 1, second: 7 } });
  });

  it('places server problems on states and transitions', () => {
    expect(locateProblem('/workflow/transitions/3/require/0')).toEqual({ transition: 3 });
    expect(locateProblem('/workflow/states/2')).toEqual({ state: 2 });
    expect(locateProblem('/routing/0/when')).toEqual({});
  });
});

describe('layout', () => {
  // Its speed is measured in Chromium by bench/bench_designer_flow.py (timings in a shared test run would be noise).
  it('lays out a 50-state, 120-transition graph without overlapping nodes', async () => {
    const graph = definitionToGraph(doc(largeWorkflow(50, 120)));
    expect(graph.edges).toHaveLength(120);
    const positions = await layoutGraph(new ELK(), graph);
    const boxes = Object.values(positions);
    expect(boxes).toHaveLength(50);
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const apart = Math.abs(boxes[i].x - boxes[j].x) >= NODE_WIDTH || Math.abs(boxes[i].y - boxes[j].y) >= NODE_HEIGHT;
        expect(apart).toBe(true);
      }
    }
  }, 20000);

  it('orders the states as tickets meet them, whatever order they were added in', async () => {
    const wf = afterSalesWorkflow();
    wf.states = [wf.states[0], wf.states[5], ...wf.states.slice(1, 5)]; // closed added second
    const graph = definitionToGraph(doc(wf));
    expect(flowOrder(graph)).toEqual(['new', 'diagnosing', 'waiting_for_parts', 'repairing', 'resolved', 'closed']);
    const positions = await layoutGraph(new ELK(), graph);
    expect(positions.resolved.x).toBeLessThan(positions.closed.x);
  });

  it('puts the initial state first, left to right', async () => {
    const positions = await layoutGraph(new ELK(), definitionToGraph(doc(afterSalesWorkflow())));
    expect(positions.new.x).toBeLessThan(positions.diagnosing.x);
    expect(positions.diagnosing.x).toBeLessThan(positions.resolved.x);
  });
});
