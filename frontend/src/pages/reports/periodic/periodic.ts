// Pure helpers of the periodic reports page (unit-tested in periodic.test.ts).

export interface Column {
  key: string;
  title: string;
  unit: 'text' | 'count' | 'share' | 'seconds' | 'link' | 'key' | string;
}

export interface ReportTable {
  key: string;
  title: string;
  columns: Column[];
  rows: Record<string, unknown>[];
}

export interface ReportResult {
  report: string;
  title: string;
  period_kind: 'month' | 'week';
  period: string;
  tz: string;
  from: string;
  to: string;
  tables: ReportTable[];
}

export interface ReportInfo {
  key: string;
  title: string;
  period_kind: 'month' | 'week';
  default_period: string;
}

export interface Subscription {
  id: number;
  report: string;
  recipients: number[];
  tz: string;
  locale: string | null;
  active: boolean;
}

/** A cell as the page shows it: shares as percentages, seconds as hours and minutes, empty as a dash. */
export function formatCell(value: unknown, unit: string): string {
  if (value === null || value === undefined || value === '') return '–';
  if (unit === 'share' && typeof value === 'number') {
    return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
  }
  if (unit === 'seconds' && typeof value === 'number') {
    const minutes = Math.round(value / 60);
    const hours = Math.floor(minutes / 60);
    return hours > 0 ? `${hours}h ${String(minutes % 60).padStart(2, '0')}m` : `${minutes}m`;
  }
  return String(value);
}

/** Whether a period is written the way the report's kind expects (the server has the last word). */
export function periodProblem(kind: 'month' | 'week', period: string): 'month' | 'week' | null {
  const text = period.trim();
  if (kind === 'month') return /^\d{4}-(0[1-9]|1[0-2])$/.test(text) ? null : 'month';
  return /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/.test(text) || /^\d{4}-\d{2}-\d{2}$/.test(text) ? null : 'week';
}

/** The query of a run (and of its CSV, and of the page's address). */
export function runQuery(report: string, period: string, tz: string): Record<string, string> {
  const query: Record<string, string> = { report };
  if (period.trim()) query.period = period.trim();
  if (tz.trim()) query.tz = tz.trim();
  return query;
}

/** The last day of a period from its exclusive end (an ISO date-time at a local midnight): `2026-12-01T00:00:00+08:00`
 * gives `2026-11-30`. */
export function lastDay(end: string): string {
  const [year, month, day] = end.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day - 1));
  return date.toISOString().slice(0, 10);
}
