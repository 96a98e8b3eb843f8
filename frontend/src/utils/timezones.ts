import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

let cached: string[] | null | undefined;

/** IANA time zone names the browser knows, or null if it cannot list them. */
export function listTimeZones(): string[] | null {
  if (cached !== undefined) return cached;
  try {
    const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
    const zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : null;
    cached = zones && zones.length ? Array.from(new Set(['UTC', ...zones])) : null;
  } catch {
    cached = null;
  }
  return cached;
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A date-time picker gives a wall-clock time; read it as a time in `zone`
 * (the user's profile time zone) and return the UTC ISO string.
 */
export function wallTimeToIso(value: Dayjs, zone: string | undefined): string {
  const wall = value.format('YYYY-MM-DDTHH:mm:ss');
  if (zone && isValidTimeZone(zone)) return dayjs.tz(wall, zone).toISOString();
  return dayjs(wall).toISOString();
}

/** The wall-clock time in `zone` of an instant, as a Dayjs for a picker. */
export function isoToWallTime(iso: string, zone: string | undefined): Dayjs {
  if (zone && isValidTimeZone(zone)) return dayjs(dayjs(iso).tz(zone).format('YYYY-MM-DDTHH:mm:ss'));
  return dayjs(iso);
}

/** "Now" as a wall-clock time in `zone`. */
export function nowInZone(zone: string | undefined): Dayjs {
  return isoToWallTime(new Date().toISOString(), zone);
}
