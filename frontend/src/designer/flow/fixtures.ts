// Workflows for tests and the bench: the after-sales repair flow, and a large generated one.
import type { StatusCategory, Workflow } from './types';

export function afterSalesWorkflow(): Workflow {
  return {
    states: [
      { key: 'new', name: 'New', category: 'new', initial: true },
      { key: 'diagnosing', name: 'Diagnosing', category: 'open' },
      { key: 'waiting_for_parts', name: 'Waiting for parts', category: 'pending' },
      { key: 'repairing', name: 'Repairing', category: 'open' },
      { key: 'resolved', name: 'Resolved', category: 'resolved' },
      { key: 'closed', name: 'Closed', category: 'closed', final: true },
    ],
    transitions: [
      { key: 'diagnose', name: 'Diagnose', from: ['new'], to: 'diagnosing' },
      { key: 'order_parts', name: 'Order parts', from: ['diagnosing'], to: 'waiting_for_parts', require: ['part_number', 'photo'] },
      { key: 'parts_arrived', name: 'Parts arrived', from: ['waiting_for_parts'], to: 'repairing' },
      { key: 'repair', name: 'Repair', from: ['diagnosing'], to: 'repairing' },
      { key: 'resolve', name: 'Resolve', from: ['repairing'], to: 'resolved',
        checklist: ['Device tested', 'Customer informed', 'Parts recorded'] },
      { key: 'close', name: 'Close', from: ['resolved'], to: 'closed' },
      { key: 'reopen', name: 'Reopen', from: ['resolved', 'closed'], to: 'diagnosing' },
    ],
  };
}

/** `states` states in a chain with `transitions` transitions, every state reachable (a deterministic shuffle). */
export function largeWorkflow(states = 50, transitions = 120): Workflow {
  const categories: StatusCategory[] = ['open', 'open', 'pending', 'open', 'resolved'];
  const list = Array.from({ length: states }, (_, i) => ({
    key: `s${i}`,
    name: `State ${i}`,
    category: i === 0 ? 'new' : i === states - 1 ? 'closed' : categories[i % categories.length],
    ...(i === 0 ? { initial: true } : {}),
    ...(i === states - 1 ? { final: true } : {}),
  })) as Workflow['states'];
  const edges: Workflow['transitions'] = [];
  for (let i = 0; i + 1 < states && edges.length < transitions; i += 1) {
    edges.push({ key: `t${edges.length}`, name: `Step ${i}`, from: [`s${i}`], to: `s${i + 1}` });
  }
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  while (edges.length < transitions) {
    const a = next() % states;
    const b = next() % states;
    if (a === b) continue;
    edges.push({ key: `t${edges.length}`, name: `Jump ${a}-${b}`, from: [`s${a}`], to: `s${b}` });
  }
  return { states: list, transitions: edges };
}
