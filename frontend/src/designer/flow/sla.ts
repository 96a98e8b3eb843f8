// When each mark of an SLA policy fires, as business time after a ticket's clock starts: warnings
// before the breach (warn_before) and at a share of the target (warn_at), the breach, and each
// escalation level after it (after_breach, business time on the same calendar: docs/sla-and-automations.md).
import { formatDuration, parseDuration } from './duration';
import type { Metric, SlaPolicy } from './types';

export interface SlaMark {
  kind: 'warning' | 'breach' | 'escalation';
  /** Business seconds after the clock starts. */
  offset: number;
  /** The same as an ISO duration, to ask the calendar when it is (GET /calendars/<key>/compute?add=). */
  add: string;
  /** warn_before: the duration; warn_at: the share; escalation: its position in the ladder (from 1). */
  detail: string | number;
  escalation?: SlaPolicy['escalate'] extends (infer E)[] | undefined ? E : never;
}

export function slaMarks(policy: SlaPolicy, level: string, metric: Metric): SlaMark[] {
  const target = parseDuration(policy.targets?.[level]?.[metric]);
  if (!target) return [];
  const marks: SlaMark[] = [];
  for (const before of policy.warn_before ?? []) {
    const s = parseDuration(before);
    if (s !== null && s > 0 && s < target) marks.push({ kind: 'warning', offset: target - s, add: formatDuration(target - s), detail: before });
  }
  for (const share of policy.warn_at ?? []) {
    if (share > 0 && share < 1) {
      const offset = Math.round(target * share);
      marks.push({ kind: 'warning', offset, add: formatDuration(offset), detail: share });
    }
  }
  marks.push({ kind: 'breach', offset: target, add: formatDuration(target), detail: policy.targets[level][metric] as string });
  (policy.escalate ?? []).forEach((level_, i) => {
    const applies = !level_.metric || level_.metric === 'any' || level_.metric === metric;
    const after = parseDuration(level_.after_breach);
    if (applies && after !== null) {
      marks.push({ kind: 'escalation', offset: target + after, add: formatDuration(target + after), detail: i + 1, escalation: level_ });
    }
  });
  return marks.sort((a, b) => a.offset - b.offset || order(a) - order(b));
}

function order(mark: SlaMark): number {
  return mark.kind === 'warning' ? 0 : mark.kind === 'breach' ? 1 : 2;
}

/** Where on a timeline (0 … 1) each instant lies between the start and the last mark. */
export function timelinePositions(start: number, instants: number[]): number[] {
  const end = Math.max(start + 1, ...instants);
  return instants.map((at) => (at - start) / (end - start));
}

/** Lanes so that labels closer than `gap` (a share of the width) do not overlap. */
export function lanes(positions: number[], gap = 0.12, count = 3): number[] {
  const lastInLane: number[] = Array(count).fill(-Infinity);
  return positions.map((p) => {
    let lane = lastInLane.findIndex((last) => p - last >= gap);
    if (lane < 0) lane = lastInLane.indexOf(Math.min(...lastInLane));
    lastInLane[lane] = p;
    return lane;
  });
}
