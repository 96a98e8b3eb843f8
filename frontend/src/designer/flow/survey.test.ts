import { describe, expect, it } from 'vitest';
import { badScoreRange, withSurveyKind } from './survey';

describe('survey action scales', () => {
  it('gives the range and default of a bad score per scale', () => {
    expect(badScoreRange(undefined)).toEqual({ min: 1, max: 4, fallback: 2 });
    expect(badScoreRange('nps')).toEqual({ min: 0, max: 9, fallback: 6 });
  });

  it('drops a bad score that does not fit the new scale and keeps one that does', () => {
    expect(withSurveyKind({ do: 'survey', kind: 'nps', bad_at_most: 6 }, 'csat')).toEqual({ do: 'survey', kind: 'csat' });
    expect(withSurveyKind({ do: 'survey', kind: 'nps', bad_at_most: 0 }, 'csat')).toEqual({ do: 'survey', kind: 'csat' });
    expect(withSurveyKind({ do: 'survey', kind: 'csat', bad_at_most: 3, after: 'PT1H' }, 'nps'))
      .toEqual({ do: 'survey', kind: 'nps', bad_at_most: 3, after: 'PT1H' });
  });
});
