// "895 seconds" as people say it: "15 minutes", "15分钟". Used for waits (login throttling's
// Retry-After) through the i18next formatter `wait`: "try again in {{count, wait}}".

type Unit = 'second' | 'minute' | 'hour' | 'day';

function amount(value: number, unit: Unit, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/**
 * A wait of `seconds`, rounded up to what a person would wait for: seconds under a minute, whole
 * minutes under an hour, hours and minutes under a day, then days and hours. Never less than asked.
 */
export function humanizeWait(seconds: number, locale: string): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return amount(s, 'second', locale);
  if (s < 3600) return amount(Math.ceil(s / 60), 'minute', locale);
  const parts: [number, Unit][] = [];
  if (s < 86400) {
    const minutes = Math.ceil(s / 60);
    parts.push([Math.floor(minutes / 60), 'hour'], [minutes % 60, 'minute']);
  } else {
    const hours = Math.ceil(s / 3600);
    parts.push([Math.floor(hours / 24), 'day'], [hours % 24, 'hour']);
  }
  const shown = parts.filter(([value]) => value > 0).map(([value, unit]) => amount(value, unit, locale));
  return new Intl.ListFormat(locale, { style: 'long', type: 'unit' }).format(shown);
}
