// Opening hours as people type them ("09:00-12:00, 13:00-18:00") and as the calendar API stores them
// ([["09:00","12:00"],["13:00","18:00"]]), and their place on a day (for the week grid).

export type Interval = [string, string];

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

export function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

export function intervalsToText(intervals: Interval[] | undefined | null): string {
  return (intervals ?? []).map(([a, b]) => `${a}-${b}`).join(', ');
}

/** Intervals from text, or the problem with it (the server checks again, with its own messages). */
export function parseIntervals(text: string): { intervals: Interval[] } | { error: 'format' | 'order' | 'overlap'; part: string } {
  const intervals: Interval[] = [];
  for (const raw of text.split(/[,，;]/).map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})$/.exec(raw);
    if (!m) return { error: 'format', part: raw };
    const [a, b] = [m[1].padStart(5, '0'), m[2].padStart(5, '0')];
    if (!TIME.test(a) || !TIME.test(b) || a === '24:00') return { error: 'format', part: raw };
    if (minutes(a) >= minutes(b)) return { error: 'order', part: raw };
    const previous = intervals[intervals.length - 1];
    if (previous && minutes(a) < minutes(previous[1])) return { error: 'overlap', part: raw };
    intervals.push([a, b]);
  }
  return { intervals };
}

/** An interval's top and height as shares of the day (0 … 1). */
export function dayBlock([a, b]: Interval): { top: number; height: number } {
  return { top: minutes(a) / 1440, height: (minutes(b) - minutes(a)) / 1440 };
}

/** Open hours per week, for a summary ("45 h a week"). */
export function weeklyHours(week: Partial<Record<string, Interval[]>>): number {
  let total = 0;
  for (const intervals of Object.values(week)) for (const [a, b] of intervals ?? []) total += minutes(b) - minutes(a);
  return total / 60;
}
