// Automatic layout of the status graph by ELK's layered algorithm. The ELK engine is passed in:
// in the browser a real web worker (elkWorker.ts, loaded on demand, nothing evaluated at run time),
// in unit tests and the bench ELK's bundled build.
import type { ELK, ElkNode } from 'elkjs/lib/elk-api';
import type { Graph, Point } from './graph';

export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 60;

/** Above this many nodes, the faster layout options. */
const LARGE = 24;

export type Direction = 'RIGHT' | 'DOWN';

/**
 * The nodes in the order tickets meet them: breadth-first from the initial state (the "any open
 * state" node first, unreachable states last). ELK breaks cycles against this order, so the edges it
 * draws backwards are the reopen-like ones, whatever order the states were added in.
 */
export function flowOrder(graph: Graph): string[] {
  const initial = graph.nodes.find((n) => n.state?.initial)?.id;
  const next = new Map<string, string[]>();
  for (const e of graph.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const order: string[] = graph.nodes.filter((n) => !n.state).map((n) => n.id);
  const seen = new Set(order);
  const queue = initial ? [initial] : [];
  if (initial) seen.add(initial);
  while (queue.length) {
    const id = queue.shift() as string;
    order.push(id);
    for (const target of next.get(id) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  for (const n of graph.nodes) if (!seen.has(n.id)) order.push(n.id);
  return order;
}

/** Top-left positions of every node, by node id. */
export async function layoutGraph(elk: ELK, graph: Graph, direction: Direction = 'RIGHT'): Promise<Record<string, Point>> {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      // room between layers for the transitions' labels
      'elk.layered.spacing.nodeNodeBetweenLayers': '150',
      'elk.spacing.nodeNode': '50',
      'elk.spacing.edgeNode': '24',
      'elk.edgeRouting': 'POLYLINE',
      // Edges against the order the states are listed in are the ones reversed to break cycles:
      // states are written in the order tickets go through them, so reopen edges point back.
      'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
      // Large graphs trade some polish for speed: measured on 50 states and 120 transitions, ELK's
      // defaults take about a second, thoroughness 1 with simple placement about 0.3 s.
      ...(graph.nodes.length > LARGE
        ? { 'elk.layered.thoroughness': '1', 'elk.layered.nodePlacement.strategy': 'SIMPLE' }
        : { 'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF' }),
    },
    // The initial state (and the "any open state" node) in the first layer: the graph reads from where tickets start.
    children: flowOrder(graph).map((id) => graph.nodes.find((n) => n.id === id)!).map((n) => ({
      id: n.id,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      ...(n.state?.initial || !n.state ? { layoutOptions: { 'elk.layered.layering.layerConstraint': 'FIRST' } } : {}),
    })),
    // ELK wants unique edge ids and known ends; self-loops and unknown states are left out of the layout.
    edges: graph.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: `e${e.id}`, sources: [e.source], targets: [e.target] })),
  };
  const result = await elk.layout(root);
  const positions: Record<string, Point> = {};
  for (const child of result.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return positions;
}

/** Whether every node has a saved position (else the graph is laid out automatically on opening). */
export function hasAllPositions(graph: Graph): boolean {
  return graph.nodes.every((n) => n.position !== null);
}
