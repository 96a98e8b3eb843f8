import { describe, expect, it } from 'vitest';
import { gradeHealth, jobLag, worst, type HealthReport, type JobRun } from './health';

const NOW = Date.parse('2026-12-03T12:00:00Z');

function job(overrides: Partial<JobRun> = {}): JobRun {
  return {
    name: 'sla_sweep',
    every_seconds: 60,
    last_started_at: '2026-12-03T11:59:30Z',
    last_finished_at: '2026-12-03T11:59:31Z',
    last_status: 'succeeded',
    last_duration_ms: 5,
    overdue: false,
    ...overrides,
  };
}

function healthy(overrides: Partial<HealthReport> = {}): HealthReport {
  return {
    status: 'ok',
    database: { ok: true, backend: 'postgresql', latency_ms: 1.2 },
    maintenance: { read_only: false },
    redis: { configured: true, ok: true, latency_ms: 0.5 },
    queues: { default: { queued: 0, started: 1, failed: 0 } },
    periodic_jobs: [job()],
    outbox: { pending: 0, failed: 0, sending: 0, dead: 0, backlog: 0, overdue_seconds: 0, oldest_age_seconds: 0 },
    sla_sweep: { due: 0, lag_seconds: 0 },
    housekeeping: { last_run_at: '2026-12-03T03:00:00Z', pruned_total: 4 },
    ...overrides,
  };
}

const grades = (report: HealthReport) => Object.fromEntries(gradeHealth(report, NOW).map((c) => [c.id, c.grade]));

describe('gradeHealth', () => {
  it('is all green when everything answers and keeps up', () => {
    const checks = gradeHealth(healthy(), NOW);
    expect(checks.map((c) => c.id)).toEqual(['database', 'redis', 'queue:default', 'job:sla_sweep', 'outbox', 'sla_sweep', 'housekeeping', 'maintenance']);
    expect(worst(checks.map((c) => c.grade))).toBe('green');
  });

  it('is red when the database or Redis is down, and says why', () => {
    const report = healthy({ status: 'unavailable', database: { ok: false, error: 'OperationalError: gone' }, outbox: null });
    const checks = gradeHealth(report, NOW);
    expect(checks.find((c) => c.id === 'database')).toMatchObject({ grade: 'red', values: { error: 'OperationalError: gone' } });
    expect(grades(report).outbox).toBe('red');
    expect(grades(healthy({ redis: { configured: true, ok: false, error: 'refused' }, queues: null })).redis).toBe('red');
  });

  it('treats Redis not configured as the inline mode, not a fault', () => {
    expect(gradeHealth(healthy({ redis: { configured: false, ok: null }, queues: {} }), NOW)[1]).toMatchObject({ id: 'redis', grade: 'green', reason: 'redisInline' });
  });

  it('grades queues, the outbox and the sweep amber when they need a look, red when over their bound', () => {
    expect(grades(healthy({ queues: { default: { queued: 0, started: 0, failed: 2 } } }))['queue:default']).toBe('amber');
    expect(grades(healthy({ queues: { default: { queued: 500, started: 0, failed: 0 } } }))['queue:default']).toBe('amber');
    expect(grades(healthy({ outbox: { dead: 1, backlog: 0 } })).outbox).toBe('amber');
    expect(grades(healthy({ outbox: { ok: false, problem: 'late', backlog: 3 } })).outbox).toBe('red');
    expect(grades(healthy({ outbox: { error: 'boom' } })).outbox).toBe('red');
    expect(grades(healthy({ sla_sweep: { due: 3, lag_seconds: 400 } })).sla_sweep).toBe('amber');
    expect(grades(healthy({ sla_sweep: { ok: false, problem: 'late', due: 3, lag_seconds: 4000 } })).sla_sweep).toBe('red');
    expect(grades(healthy({ housekeeping: null })).housekeeping).toBe('amber');
  });

  it('grades periodic jobs by their last run and lag', () => {
    expect(jobLag(job({ last_started_at: '2026-12-03T11:57:00Z' }), NOW)).toBe(120);
    expect(grades(healthy({ periodic_jobs: [job({ last_started_at: null, overdue: true })] }))['job:sla_sweep']).toBe('amber');
    expect(grades(healthy({ periodic_jobs: [job({ last_status: 'failed' })] }))['job:sla_sweep']).toBe('red');
    expect(grades(healthy({ periodic_jobs: [job({ last_started_at: '2026-12-03T11:58:00Z' })] }))['job:sla_sweep']).toBe('amber');
    const late = job({ last_started_at: '2026-12-03T11:00:00Z', overdue: true });
    expect(grades(healthy({ periodic_jobs: [late] }))['job:sla_sweep']).toBe('red');
    // Paused on purpose while read-only.
    expect(grades(healthy({ periodic_jobs: [late], maintenance: { read_only: true } }))).toMatchObject({ 'job:sla_sweep': 'amber', maintenance: 'amber' });
  });

  it('says who should have run a job that never ran: the scheduler with Redis, `gongdan run` without', () => {
    const never = job({ last_started_at: null, overdue: true });
    const reasonOf = (report: HealthReport) => gradeHealth(report, NOW).find((c) => c.id === 'job:sla_sweep')?.reason;
    expect(reasonOf(healthy({ periodic_jobs: [never] }))).toBe('jobNever');
    expect(reasonOf(healthy({ periodic_jobs: [never], redis: { configured: false, ok: null }, queues: null }))).toBe('jobNeverEmbedded');
  });
});
