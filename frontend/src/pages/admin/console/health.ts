// Grading /healthz for the admin console's system page: each check red, amber or green, with the reason as an
// i18n key and its values, so the page (and its tests) need no knowledge of the report's details.

export type Grade = 'green' | 'amber' | 'red';

export interface JobRun {
  name: string;
  every_seconds: number;
  description?: string | null;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_status: string | null;
  last_duration_ms: number | null;
  overdue: boolean;
}

interface Section {
  ok?: boolean;
  problem?: string;
  error?: string;
  [key: string]: unknown;
}

export interface HealthReport {
  status: string;
  version?: string | null;
  database?: { ok: boolean; backend?: string; latency_ms?: number; error?: string };
  maintenance?: { read_only: boolean; since?: string | null; reason?: string | null };
  redis?: { configured: boolean; ok: boolean | null; latency_ms?: number; error?: string };
  queues?: Record<string, { queued: number; started: number; failed: number }> | null;
  periodic_jobs?: JobRun[];
  outbox?: Section | null;
  sla_sweep?: Section | null;
  housekeeping?: Section | null;
  problems?: string[];
}

export interface Check {
  /** Stable id: database, redis, queue:<name>, job:<name>, outbox, sla_sweep, housekeeping, maintenance. */
  id: string;
  grade: Grade;
  /** An i18n key under console.health.reason and its values. */
  reason: string;
  values: Record<string, string | number>;
}

const ORDER: Record<Grade, number> = { green: 0, amber: 1, red: 2 };

export function worst(grades: Grade[]): Grade {
  return grades.reduce<Grade>((acc, grade) => (ORDER[grade] > ORDER[acc] ? grade : acc), 'green');
}

/** A queue this long, or a database or Redis this slow, is worth a look (amber). */
export const QUEUE_AMBER = 100;
export const LATENCY_AMBER_MS = 500;

function seconds(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : 0;
}

/** How late a periodic job is: seconds past its interval since it last started (0 when on time). */
export function jobLag(job: JobRun, now: number): number | null {
  if (!job.last_started_at) return null;
  const started = Date.parse(job.last_started_at);
  if (Number.isNaN(started)) return null;
  return Math.max(0, Math.round((now - started) / 1000 - job.every_seconds));
}

function section(id: string, value: Section | null | undefined, databaseOk: boolean): Check | null {
  if (value === undefined) return null;
  if (value === null) {
    if (!databaseOk) return { id, grade: 'red', reason: 'unknownNoDatabase', values: {} };
    return id === 'housekeeping'
      ? { id, grade: 'amber', reason: 'housekeepingNever', values: {} }
      : { id, grade: 'green', reason: 'ok', values: {} };
  }
  if (value.error) return { id, grade: 'red', reason: 'sectionError', values: { error: value.error } };
  if (value.ok === false) return { id, grade: 'red', reason: 'problem', values: { problem: value.problem ?? '' } };
  if (id === 'outbox') {
    const dead = seconds(value.dead);
    const backlog = seconds(value.backlog);
    const overdue = seconds(value.overdue_seconds);
    if (dead > 0) return { id, grade: 'amber', reason: 'outboxDead', values: { dead, backlog } };
    if (overdue > 120) return { id, grade: 'amber', reason: 'outboxLate', values: { backlog, overdue } };
    return { id, grade: 'green', reason: 'outboxOk', values: { backlog } };
  }
  if (id === 'sla_sweep') {
    const lag = seconds(value.lag_seconds);
    if (lag > 120) return { id, grade: 'amber', reason: 'sweepLate', values: { lag, due: seconds(value.due) } };
    return { id, grade: 'green', reason: 'sweepOk', values: { due: seconds(value.due) } };
  }
  if (id === 'housekeeping') {
    const last = typeof value.last_run_at === 'string' ? value.last_run_at : '';
    return { id, grade: 'green', reason: 'housekeepingOk', values: { at: last, pruned: seconds(value.pruned_total) } };
  }
  return { id, grade: 'green', reason: 'ok', values: {} };
}

/** Every check of a /healthz answer, graded; `now` in milliseconds (Date.now()). */
export function gradeHealth(report: HealthReport, now: number): Check[] {
  const checks: Check[] = [];
  const db = report.database;
  const databaseOk = !!db?.ok;
  if (!db || !db.ok) {
    checks.push({ id: 'database', grade: 'red', reason: 'databaseDown', values: { error: db?.error ?? '' } });
  } else if ((db.latency_ms ?? 0) > LATENCY_AMBER_MS) {
    checks.push({ id: 'database', grade: 'amber', reason: 'slow', values: { ms: Math.round(db.latency_ms ?? 0) } });
  } else {
    checks.push({ id: 'database', grade: 'green', reason: 'databaseOk', values: { backend: db.backend ?? '', ms: db.latency_ms ?? 0 } });
  }

  const redis = report.redis;
  if (redis) {
    if (!redis.configured) checks.push({ id: 'redis', grade: 'green', reason: 'redisInline', values: {} });
    else if (!redis.ok) checks.push({ id: 'redis', grade: 'red', reason: 'redisDown', values: { error: redis.error ?? '' } });
    else if ((redis.latency_ms ?? 0) > LATENCY_AMBER_MS)
      checks.push({ id: 'redis', grade: 'amber', reason: 'slow', values: { ms: Math.round(redis.latency_ms ?? 0) } });
    else checks.push({ id: 'redis', grade: 'green', reason: 'redisOk', values: { ms: redis.latency_ms ?? 0 } });
  }
  for (const [name, queue] of Object.entries(report.queues ?? {})) {
    const values = { queued: queue.queued, started: queue.started, failed: queue.failed };
    if (queue.failed > 0) checks.push({ id: `queue:${name}`, grade: 'amber', reason: 'queueFailed', values });
    else if (queue.queued > QUEUE_AMBER) checks.push({ id: `queue:${name}`, grade: 'amber', reason: 'queueLong', values });
    else checks.push({ id: `queue:${name}`, grade: 'green', reason: 'queueOk', values });
  }

  const readOnly = !!report.maintenance?.read_only;
  for (const job of report.periodic_jobs ?? []) {
    const id = `job:${job.name}`;
    const lag = jobLag(job, now);
    if (lag === null) {
      // Never ran: with Redis only `gongdan scheduler` runs jobs; without it the web server's own loop does,
      // within a minute of starting, so the hint names what to check for this instance.
      checks.push({ id, grade: 'amber', reason: report.redis?.configured ? 'jobNever' : 'jobNeverEmbedded', values: {} });
    } else if (job.last_status === 'failed') {
      checks.push({ id, grade: 'red', reason: 'jobFailed', values: { lag } });
    } else if (job.overdue) {
      // While read-only, jobs that write wait on purpose.
      checks.push({ id, grade: readOnly ? 'amber' : 'red', reason: readOnly ? 'jobPaused' : 'jobOverdue', values: { lag } });
    } else if (lag > 0) {
      checks.push({ id, grade: 'amber', reason: 'jobLate', values: { lag } });
    } else {
      checks.push({ id, grade: 'green', reason: 'jobOk', values: { lag } });
    }
  }

  for (const id of ['outbox', 'sla_sweep', 'housekeeping'] as const) {
    const check = section(id, report[id], databaseOk);
    if (check) checks.push(check);
  }
  if (readOnly) checks.push({ id: 'maintenance', grade: 'amber', reason: 'readOnly', values: {} });
  else checks.push({ id: 'maintenance', grade: 'green', reason: 'writable', values: {} });
  return checks;
}
