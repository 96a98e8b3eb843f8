"""Business time: a calendar's time zone, opening intervals per weekday, holidays and make-up working
days, and the arithmetic SLA clocks count in (``Calendar``). Touches no database; the rules are in
docs/calendars.md."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from runtime.calendars.checks import BUILT_IN_KEY, WEEKDAYS, check_definition, minutes_of
from runtime.rules.durations import format_duration

# add() and next_open() give up after this many consecutive days without business time.
MAX_CLOSED_DAYS = 3 * 366

ZERO = timedelta(0)
ONE_DAY = timedelta(days=1)
ONE_SECOND = timedelta(seconds=1)
_MINUTES_PER_DAY = 24 * 60

T = TypeVar("T")
Interval = tuple[int, int]  # minutes after local midnight: [start, end), end up to 1440
Span = tuple[datetime, datetime]  # UTC instants: [start, end)



# --------------------------------------------------------------------------- errors


class CalendarError(ValueError):
    """The arithmetic cannot answer: no business time ahead, or a date beyond the year 9999."""


class NoBusinessTime(CalendarError):
    """The calendar has no open time within MAX_CLOSED_DAYS of the instant asked about."""


# --------------------------------------------------------------------------- arithmetic


def _as_utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not {value!r}.")
    return value.astimezone(UTC)


def _within_time(method: Callable[..., T]) -> Callable[..., T]:
    """Datetime overflows near the years 1 and 9999 become a CalendarError, never a crash."""

    @functools.wraps(method)
    def wrapper(*args: Any) -> T:
        try:
            return method(*args)
        except OverflowError:
            raise CalendarError("The calendar cannot count before the year 1 or beyond the year 9999.") from None

    return wrapper


def _intervals(pairs: Iterable[Sequence[str]]) -> tuple[Interval, ...]:
    return tuple((minutes_of(start), minutes_of(end)) for start, end in pairs)


class Calendar:
    """Business-time arithmetic over one calendar. Immutable and safe to share between threads.

    Every instant in and out is a timezone-aware datetime; results are in UTC. Opening
    intervals are half-open ``[start, end)`` in local wall-clock time: an instant is open
    when some day's interval contains it, each boundary converted to UTC with the zone's
    rules of that day (so a 01:30-03:30 interval lasts one hour on a spring-forward day and
    three on a fall-back day).
    """

    _DAY_CACHE_LIMIT = 8192

    def __init__(self, *, timezone: str, week: Mapping[str, Iterable[Sequence[str]]],
                 holidays: Iterable[Mapping[str, Any]] = (), workdays: Iterable[Mapping[str, Any]] = (),
                 key: str | None = None, name: str | None = None) -> None:
        """Build from an already checked definition; use ``from_definition`` for untrusted input."""
        self.key = key
        self.name = name or key or ""
        self.timezone = timezone
        self.zone = ZoneInfo(timezone)
        self._week: tuple[tuple[Interval, ...], ...] = tuple(_intervals(week.get(day, ())) for day in WEEKDAYS)
        self._holidays: dict[date, str] = {date.fromisoformat(h["date"]): h.get("name") or "" for h in holidays}
        self._workdays: dict[date, tuple[Interval, ...]] = {}
        for workday in workdays:
            given = workday.get("intervals")
            self._workdays[date.fromisoformat(workday["date"])] = (
                _intervals(given) if given is not None else self._week[0])
        self._exceptions = sorted(set(self._holidays) | set(self._workdays))
        self._week_total = timedelta(minutes=sum(e - s for day in self._week for s, e in day))
        full_day: tuple[Interval, ...] = ((0, _MINUTES_PER_DAY),)
        self.always_open = (all(day == full_day for day in self._week) and not self._holidays
                            and all(hours == full_day for hours in self._workdays.values()))
        self._days: dict[date, tuple[Span, ...]] = {}

    @classmethod
    def from_definition(cls, values: Mapping[str, Any], *, key: str | None = None,
                        name: str | None = None) -> Calendar:
        """Check ``{"timezone", "week", "holidays", "workdays"}`` (raises InvalidCalendar) and build."""
        checked = check_definition(values)
        return cls(key=key, name=name, **checked)

    @classmethod
    def from_record(cls, record: Any) -> Calendar:
        """From a stored calendar (a ``BusinessCalendar`` row)."""
        return cls.from_definition({"timezone": record.timezone, "week": record.week,
                                    "holidays": record.holidays, "workdays": record.workdays},
                                   key=record.key, name=record.name)

    def __repr__(self) -> str:
        return f"<Calendar {self.key or '?'} {self.timezone}>"

    # ----------------------------------------------------------------- days

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        """The opening intervals of a local date, in minutes after midnight (make-up day, holiday, weekday)."""
        hours = self._workdays.get(day)
        if hours is not None:
            return hours
        if day in self._holidays:
            return ()
        return self._week[day.weekday()]

    def holiday_on(self, day: date) -> str | None:
        return self._holidays.get(day)

    def _instant(self, day: date, minute: int, fold: int) -> datetime:
        """The UTC instant of a local wall-clock time: the earliest instant at or after it for
        a time skipped by a spring-forward (``fold`` is then ignored); for a time that occurs
        twice, the first occurrence with fold=0 and the second with fold=1."""
        naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
        instant = naive.replace(tzinfo=self.zone, fold=fold).astimezone(UTC)
        if instant.astimezone(self.zone).replace(tzinfo=None) == naive:
            return instant
        return self._first_instant_at_or_after(naive)

    def _first_instant_at_or_after(self, naive: datetime) -> datetime:
        """For a wall-clock time in a spring-forward gap: the moment of the jump (binary search
        between the readings with the offsets before and after; transitions fall on whole seconds)."""
        a = naive.replace(tzinfo=self.zone, fold=0).astimezone(UTC)
        b = naive.replace(tzinfo=self.zone, fold=1).astimezone(UTC)
        low, high = min(a, b), max(a, b)
        while high - low > ONE_SECOND:
            middle = low + ((high - low) // 2 // ONE_SECOND) * ONE_SECOND
            if middle.astimezone(self.zone).replace(tzinfo=None) >= naive:
                high = middle
            else:
                low = middle
        return high

    def _spans(self, day: date) -> tuple[Span, ...]:
        """The open spans of a local date in UTC, merged, cached."""
        spans = self._days.get(day)
        if spans is None:
            out: list[Span] = []
            for start, end in self.hours_on(day):
                a, b = self._instant(day, start, 0), self._instant(day, end, 1)
                if out and a <= out[-1][1]:
                    out[-1] = (out[-1][0], max(out[-1][1], b))
                elif a < b:
                    out.append((a, b))
            spans = tuple(out)
            if len(self._days) >= self._DAY_CACHE_LIMIT:
                self._days.clear()
            self._days[day] = spans
        return spans

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()

    def _midnight(self, day: date) -> datetime:
        return self._instant(day, 0, 0)

    def _plain_week(self, day: date) -> bool:
        """Whether the 7 days from ``day`` have no holiday or make-up day and one UTC offset, so
        that they hold exactly the weekly total of business time (whole weeks are skipped)."""
        if not self._week_total:
            return False
        index = bisect.bisect_left(self._exceptions, day)
        if index < len(self._exceptions) and self._exceptions[index] < day + timedelta(days=7):
            return False
        try:
            offsets = {datetime.combine(day + timedelta(days=i), time(), tzinfo=self.zone).utcoffset()
                       for i in range(8)}
        except OverflowError:
            return False
        return len(offsets) == 1

    @staticmethod
    def _next(day: date, days: int = 1) -> date:
        if day >= date.max - timedelta(days=days + 8):
            raise CalendarError("The calendar cannot count beyond the year 9999.")
        return day + timedelta(days=days)

    def _walk(self, start: datetime, until: datetime | None = None) -> Iterator[Span]:
        """Open spans from ``start`` on (the first one clipped to it), in order, merged across
        midnight. Without ``until`` it raises NoBusinessTime after MAX_CLOSED_DAYS closed days."""
        day = self._local_date(start) - ONE_DAY
        last_day = self._local_date(until) + ONE_DAY if until is not None else None
        previous_end = start
        closed = 0
        while last_day is None or day <= last_day:
            opened = False
            for a, b in self._spans(day):
                a = max(a, previous_end)
                if b <= a:
                    continue
                previous_end = b
                opened = True
                yield a, b
            if opened:
                closed = 0
            else:
                closed += 1
                if last_day is None and closed > MAX_CLOSED_DAYS:
                    raise NoBusinessTime(f"The calendar {self.key!r} has no business hours in the "
                                         f"{MAX_CLOSED_DAYS} days after {start.isoformat()}.")
            day = self._next(day)

    # ----------------------------------------------------------------- the public arithmetic

    @_within_time
    def is_open(self, instant: datetime) -> bool:
        """Whether ``instant`` is inside business hours (an interval's end is already closed)."""
        instant = _as_utc(instant, "instant")
        if self.always_open:
            return True
        day = self._local_date(instant)
        return any(a <= instant < b for d in (day - ONE_DAY, day, day + ONE_DAY) for a, b in self._spans(d))

    @_within_time
    def next_open(self, instant: datetime) -> datetime:
        """``instant`` if open, else the next opening. Raises NoBusinessTime if none within the bound."""
        instant = _as_utc(instant, "instant")
        if self.always_open:
            return instant
        for a, _b in self._walk(instant):
            return a
        raise NoBusinessTime(f"The calendar {self.key!r} has no business hours after {instant.isoformat()}.")

    @_within_time
    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant by which ``duration`` of business time has elapsed since ``start``.

        Counting begins at ``start`` if open, else at the next opening, so ``add(x, 0)`` is
        ``next_open(x)``. A duration that ends exactly at a closing time gives that closing
        time (Friday 17:50 + 10 minutes with a close at 18:00 is Friday 18:00, not Monday).
        ``elapsed(start, add(start, d)) == d`` always holds.
        """
        start = _as_utc(start, "start")
        if not isinstance(duration, timedelta) or duration < ZERO:
            raise ValueError(f"duration must be a timedelta of zero or more, not {duration!r}.")
        if self.always_open:
            return start + duration
        remaining = duration
        first_whole_day = self._local_date(start) + ONE_DAY
        day = self._local_date(start) - ONE_DAY
        previous_end = start
        closed = 0
        while True:
            while day > first_whole_day and remaining > self._week_total and self._plain_week(day):
                remaining -= self._week_total
                day = self._next(day, 7)
                previous_end = self._midnight(day)
            opened = False
            for a, b in self._spans(day):
                a = max(a, previous_end)
                if b <= a:
                    continue
                previous_end = b
                opened = True
                if remaining <= b - a:
                    return a + remaining
                remaining -= b - a
            if opened:
                closed = 0
            else:
                closed += 1
                if closed > MAX_CLOSED_DAYS:
                    raise NoBusinessTime(f"The calendar {self.key!r} has no business hours in the "
                                         f"{MAX_CLOSED_DAYS} days before {day.isoformat()}; "
                                         f"{format_duration(remaining)} of business time was still left to count.")
            day = self._next(day)

    @_within_time
    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time between two instants; zero if ``end`` is not after ``start``."""
        start, end = _as_utc(start, "start"), _as_utc(end, "end")
        if end <= start:
            return ZERO
        if self.always_open:
            return end - start
        total = ZERO
        first_whole_day = self._local_date(start) + ONE_DAY
        last_day = self._local_date(end) + ONE_DAY
        day = self._local_date(start) - ONE_DAY
        previous_end = start
        while day <= last_day:
            while (day > first_whole_day and self._plain_week(day)
                   and self._midnight(day + timedelta(days=7)) <= end):
                total += self._week_total
                day = self._next(day, 7)
                previous_end = self._midnight(day)
            for a, b in self._spans(day):
                a = max(a, previous_end)
                if b <= a:
                    continue
                if a >= end:
                    return total
                previous_end = b
                total += min(b, end) - a
            day = self._next(day)
        return total

    @_within_time
    def intervals(self, start: datetime, end: datetime) -> list[Span]:
        """The open spans between two instants (clipped to them), in UTC."""
        start, end = _as_utc(start, "start"), _as_utc(end, "end")
        if end <= start:
            return []
        if self.always_open:
            return [(start, end)]
        out = []
        for a, b in self._walk(start, until=end):
            if a >= end:
                break
            out.append((a, min(b, end)))
        return out


ALWAYS_OPEN_DEFINITION: dict[str, Any] = {
    "timezone": "UTC", "week": {day: [["00:00", "24:00"]] for day in WEEKDAYS}, "holidays": [], "workdays": []}
ALWAYS_OPEN = Calendar(key=BUILT_IN_KEY, name="Always open (24x7)", **ALWAYS_OPEN_DEFINITION)
