import { describe, expect, it } from 'vitest';
import { dayBlock, intervalsToText, parseIntervals, weeklyHours } from './calendar';

describe('opening hours', () => {
  it('reads what people type, lunch breaks and a night to midnight included', () => {
    expect(parseIntervals('09:00-12:00, 13:00-18:00')).toEqual({ intervals: [['09:00', '12:00'], ['13:00', '18:00']] });
    expect(parseIntervals('9:00 - 12:00，13:00–18:00')).toEqual({ intervals: [['09:00', '12:00'], ['13:00', '18:00']] });
    expect(parseIntervals('22:00-24:00')).toEqual({ intervals: [['22:00', '24:00']] });
    expect(parseIntervals('')).toEqual({ intervals: [] });
    expect(intervalsToText([['09:00', '12:00'], ['13:00', '18:00']])).toBe('09:00-12:00, 13:00-18:00');
  });

  it('says what is wrong', () => {
    expect(parseIntervals('9-12')).toEqual({ error: 'format', part: '9-12' });
    expect(parseIntervals('12:00-09:00')).toEqual({ error: 'order', part: '12:00-09:00' });
    expect(parseIntervals('09:00-12:00, 11:00-13:00')).toEqual({ error: 'overlap', part: '11:00-13:00' });
    expect(parseIntervals('25:00-26:00')).toMatchObject({ error: 'format' });
  });

  it('places intervals on a day and counts a week', () => {
    expect(dayBlock(['06:00', '18:00'])).toEqual({ top: 0.25, height: 0.5 });
    expect(weeklyHours({ mon: [['09:00', '12:00'], ['13:00', '18:00']], tue: [['09:00', '17:00']], sat: [] })).toBe(16);
  });
});
