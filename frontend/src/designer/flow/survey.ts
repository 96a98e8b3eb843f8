// The survey action's scales, as the server checks them (designer/validation/references.py check_survey):
// a "bad" score lies on the scale and below its top.
import type { Action } from './types';

export type SurveyKind = 'csat' | 'nps';

export const SURVEY_SCALES: Record<SurveyKind, { low: number; high: number; bad: number }> = {
  csat: { low: 1, high: 5, bad: 2 },
  nps: { low: 0, high: 10, bad: 6 },
};

/** The range a survey's bad_at_most may take (low .. high - 1) and its default. */
export function badScoreRange(kind: SurveyKind | undefined): { min: number; max: number; fallback: number } {
  const scale = SURVEY_SCALES[kind ?? 'csat'];
  return { min: scale.low, max: scale.high - 1, fallback: scale.bad };
}

/** The action with another scale: a bad_at_most that does not fit the new scale is dropped (its default applies). */
export function withSurveyKind(action: Action, kind: SurveyKind): Action {
  const { min, max } = badScoreRange(kind);
  const next: Action = { ...action, kind };
  if (next.bad_at_most !== undefined && (next.bad_at_most < min || next.bad_at_most > max)) delete next.bad_at_most;
  return next;
}
