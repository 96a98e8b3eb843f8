import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';
import { afterSalesDefinition } from './fixtures';
import { lanes, slaMarks, timelinePositions } from './sla';

describe('durations', () => {
  it('parses and formats what the format accepts', () => {
    expect(parseDuration('PT8H')).toBe(28800);
    expect(parseDuration('P1DT12H')).toBe(129600);
    expect(parseDuration('P2W')).toBe(14 * 86400);
    expect(parseDuration('PT0M')).toBe(0);
    for (const bad of ['P', 'PT', 'P1Y', 'PT1.5H', '8h', '']) expect(parseDuration(bad)).toBeNull();
    expect(formatDuration(28800)).toBe('PT8H');
    expect(formatDuration(23040)).toBe('PT6H24M');
    expect(formatDuration(129600)).toBe('P1DT12H');
    expect(formatDuration(0)).toBe('PT0M');
  });
});

describe('slaMarks', () => {
  it('places the 80 % warning, the breach and the escalation of an 8-hour P1 resolution', () => {
    const policy = afterSalesDefinition().sla![0];
    expect(slaMarks(policy, 'P1', 'resolution').map((m) => [m.kind, m.add, m.detail])).toEqual([
      ['warning', 'PT6H24M', 0.8],
      ['breach', 'PT8H', 'PT8H'],
      ['escalation', 'PT8H', 1],
    ]);
  });

  it('adds warn_before, skips escalations for another metric and warnings beyond the target', () => {
    const policy = {
      ...afterSalesDefinition().sla![0],
      warn_before: ['PT30M', 'PT10H'],
      escalate: [{ after_breach: 'PT1H', notify: ['team.manager'], metric: 'response' as const },
        { after_breach: 'PT2H', raise_priority: true }],
    };
    expect(slaMarks(policy, 'P1', 'resolution').map((m) => [m.kind, m.add])).toEqual([
      ['warning', 'PT6H24M'], ['warning', 'PT7H30M'], ['breach', 'PT8H'], ['escalation', 'PT10H']]);
    expect(slaMarks(policy, 'P4', 'resolution')).toEqual([]);
  });

  it('lays marks on a line without overlapping labels', () => {
    const positions = timelinePositions(0, [50, 80, 100, 100]);
    expect(positions).toEqual([0.5, 0.8, 1, 1]);
    expect(lanes([0, 0.5, 0.8, 1, 1])).toEqual([0, 0, 0, 0, 1]);
    expect(lanes([0.5, 0.55, 0.6])).toEqual([0, 1, 2]);
  });
});
