import { describe, expect, it } from 'vitest';
import { explainTransitions, take, type WalkTicket } from './explain';
import { afterSalesDefinition } from './fixtures';

describe('explainTransitions', () => {
  const def = afterSalesDefinition();
  def.workflow.transitions.find((t) => t.key === 'order_parts')!.roles = ['agent'];
  def.workflow.transitions.find((t) => t.key === 'repair')!.guard = { '==': [{ var: 'product_line' }, 'appliance'] };
  def.workflow.transitions.push({ key: 'cancel', name: 'Cancel', from: '*', to: 'closed', guard: { in: ['vip', { var: 'ticket.requester.tags' }] } });

  const start: WalkTicket = { status: 'diagnosing', data: { title: 'Broken', product_line: 'phone' }, ticket: {} };

  it('lists the transitions leaving the state, with reasons for the blocked ones', () => {
    const options = explainTransitions(def, start, ['requester']);
    expect(options.map((o) => [o.transition.key, o.allowed, o.reasons.map((r) => r.code)])).toEqual([
      ['order_parts', false, ['role_missing']],
      ['repair', false, ['guard_false']],
      ['cancel', false, ['guard_false']],
    ]);
    expect(options[0].requires).toEqual(['part_number', 'photo']);
  });

  it('lets an agent take what the rules allow; ticket.* is seen by guards', () => {
    const vip: WalkTicket = { ...start, ticket: { requester: { tags: ['vip'], roles: ['requester'] } } };
    const options = explainTransitions(def, vip, ['agent']);
    expect(options.filter((o) => o.allowed).map((o) => o.transition.key)).toEqual(['order_parts', 'cancel']);
  });

  it('stores the answers and moves to the target state; "*" does not leave a final state', () => {
    const next = take(start, def.workflow.transitions.find((t) => t.key === 'order_parts')!, { part_number: 'X-1', comment: 'c' });
    expect(next.status).toBe('waiting_for_parts');
    expect(next.data).toEqual({ title: 'Broken', product_line: 'phone', part_number: 'X-1' });
    const closed = explainTransitions(def, { ...start, status: 'closed' }, ['agent']);
    expect(closed.map((o) => o.transition.key)).toEqual(['reopen']);
  });
});
