import { describe, expect, it } from 'vitest';
import { humanizeWait } from './duration';

describe('humanizeWait', () => {
  it('says the login throttle wait as people do, in English and Chinese', () => {
    expect(humanizeWait(895, 'en')).toBe('15 minutes');
    expect(humanizeWait(895, 'zh-CN')).toBe('15分钟');
    expect(humanizeWait(60, 'en')).toBe('1 minute');
    expect(humanizeWait(61, 'en')).toBe('2 minutes');
    expect(humanizeWait(1, 'en')).toBe('1 second');
    expect(humanizeWait(45, 'zh-CN')).toBe('45秒钟');
  });

  it('never says less than the real wait, and joins larger units', () => {
    expect(humanizeWait(3600, 'en')).toBe('1 hour');
    expect(humanizeWait(5400, 'en')).toBe('1 hour, 30 minutes');
    expect(humanizeWait(3601, 'en')).toBe('1 hour, 1 minute');
    expect(humanizeWait(90000, 'en')).toBe('1 day, 1 hour');
    expect(humanizeWait(5400, 'zh-CN')).toBe('1小时30分钟');
  });
});
