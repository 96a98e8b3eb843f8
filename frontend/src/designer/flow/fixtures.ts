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

/** The after-sales ticket type: a form, the repair flow, priority, routing by product line, an SLA. */
export function afterSalesDefinition(): import('./types').Definition {
  return {
    format: 1,
    key: 'after-sales',
    name: 'After-sales repair',
    number_prefix: 'AS',
    form: {
      schema: {
        type: 'object',
        required: ['title', 'product_line'],
        properties: {
          title: { type: 'string', title: 'Title' },
          product_line: { type: 'string', title: 'Product line', enum: ['appliance', 'phone'] },
          urgency: { type: 'string', title: 'Urgency', enum: ['high', 'low'] },
          impact: { type: 'string', title: 'Impact', enum: ['many', 'one'] },
          category: { type: 'string', title: 'Category', enum: ['hardware', 'software'] },
          asset_tag: { type: 'string', title: 'Asset tag' },
          part_number: { type: 'string', title: 'Part number' },
          photo: { type: 'string', title: 'Photo', format: 'attachment' },
        },
      },
      ui: { 'ui:order': ['title', 'product_line', 'urgency', 'impact', 'category', 'asset_tag', 'part_number', 'photo'] },
      field_rules: [],
    },
    priority: {
      levels: ['P1', 'P2', 'P3', 'P4'],
      default: 'P3',
      matrix: { by: ['urgency', 'impact'], cells: { 'high|many': 'P1', 'high|one': 'P2', '*': 'P3' } },
      overrides: [],
    },
    workflow: afterSalesWorkflow(),
    routing: [
      { name: 'Phones', when: { '==': [{ var: 'product_line' }, 'phone'] }, assign: { team: 'phone-repair', strategy: 'round_robin' } },
      { name: 'Everything else', when: true, assign: { team: 'appliance-repair', strategy: 'none' } },
    ],
    sla: [
      {
        name: 'Standard',
        calendar: '24x7',
        targets: { P1: { response: 'PT1H', resolution: 'PT8H' }, P2: { resolution: 'P1D' }, P3: { resolution: 'P3D' } },
        pause_in: ['pending'],
        warn_at: [0.8],
        escalate: [{ after_breach: 'PT0M', notify: ['team.manager'] }],
      },
    ],
    automations: [],
  };
}
