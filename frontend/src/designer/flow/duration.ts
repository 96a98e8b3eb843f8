// ISO 8601 durations as the definition format writes them (weeks, days, hours, minutes, seconds; whole numbers).

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds in a duration, or null when it is not one the format accepts ("P", "PT", "P1Y", "PT1.5H"). */
export function parseDuration(text: string | null | undefined): number | null {
  if (typeof text !== 'string') return null;
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const [w, d, h, min, s] = m.slice(1).map((v) => (v ? Number(v) : 0));
  return (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
}

/** The shortest ISO 8601 spelling of whole seconds: 28800 -> "PT8H", 0 -> "PT0M". */
export function formatDuration(seconds: number): string {
  let rest = Math.max(0, Math.round(seconds));
  if (rest === 0) return 'PT0M';
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  let out = 'P';
  if (days) out += `${days}D`;
  if (h || m || s) out += 'T' + (h ? `${h}H` : '') + (m ? `${m}M` : '') + (s ? `${s}S` : '');
  return out;
}

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
}

export function durationParts(seconds: number): DurationParts {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return { days, hours, minutes };
}
