import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { auditQuery } from './AuditPage';

describe('auditQuery', () => {
  it('leaves out empty filters and turns the date range into whole days', () => {
    expect(auditQuery({ action: '  ', target_type: '', actor_id: null, range: null })).toEqual({
      actor_id: undefined, action: undefined, target_type: undefined, target_id: undefined, since: undefined, until: undefined,
    });
    const query = auditQuery({ actor_id: 3, action: ' user. ', range: [dayjs('2026-12-01T15:00'), dayjs('2026-12-02T08:00')] });
    expect(query.actor_id).toBe(3);
    expect(query.action).toBe('user.');
    expect(query.since).toBe(dayjs('2026-12-01T00:00').toISOString());
    expect(query.until).toBe(dayjs('2026-12-03T00:00').toISOString());
    expect(auditQuery({ range: [null, dayjs('2026-12-02T08:00')] }).since).toBeUndefined();
    // The days are the profile time zone's: 1 December in Shanghai starts at 16:00 UTC the day before.
    const shanghai = auditQuery({ range: [dayjs('2026-12-01T15:00'), dayjs('2026-12-02T08:00')] }, 'Asia/Shanghai');
    expect(shanghai.since).toBe('2026-11-30T16:00:00.000Z');
    expect(shanghai.until).toBe('2026-12-02T16:00:00.000Z');
  });
});
