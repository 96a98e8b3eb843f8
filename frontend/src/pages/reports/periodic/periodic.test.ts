import { describe, expect, it } from 'vitest';
import { formatCell, lastDay, periodProblem, runQuery } from './periodic';

describe('formatCell', () => {
  it('shows shares as percentages and seconds as hours and minutes', () => {
    expect(formatCell(0.3, 'share')).toBe('30.0%');
    expect(formatCell(0.3333, 'share')).toBe('33.3%');
    expect(formatCell(-0.2, 'share')).toBe('-20.0%');
    expect(formatCell(1800, 'seconds')).toBe('30m');
    expect(formatCell(5400, 'seconds')).toBe('1h 30m');
    expect(formatCell(null, 'count')).toBe('–');
    expect(formatCell(3, 'count')).toBe('3');
  });
});

describe('periodProblem', () => {
  it('accepts months for monthly reports and ISO weeks or dates for weekly ones', () => {
    expect(periodProblem('month', '2026-11')).toBeNull();
    expect(periodProblem('month', '2026-13')).toBe('month');
    expect(periodProblem('month', '2026-W45')).toBe('month');
    expect(periodProblem('week', '2026-W45')).toBeNull();
    expect(periodProblem('week', '2026-11-05')).toBeNull();
    expect(periodProblem('week', 'last week')).toBe('week');
  });
});

describe('runQuery', () => {
  it('leaves out what is empty', () => {
    expect(runQuery('root_causes', ' 2026-11 ', '')).toEqual({ report: 'root_causes', period: '2026-11' });
  });
});

describe('lastDay', () => {
  it('is the day before the exclusive end, across months and years', () => {
    expect(lastDay('2026-12-01T00:00:00+08:00')).toBe('2026-11-30');
    expect(lastDay('2027-01-01T00:00:00+00:00')).toBe('2026-12-31');
    expect(lastDay('2024-03-01T00:00:00-05:00')).toBe('2024-02-29');
  });
});
