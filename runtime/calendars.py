"""Business calendars: when SLA clocks run.

A calendar is a time zone, opening intervals for each weekday in local wall-clock time,
holidays (closed all day) and make-up working days (open even on a weekend). ``Calendar``
does the arithmetic and touches no database; ``get_calendar`` compiles a stored calendar
once and reuses it while the row is unchanged; the service functions below own the unit of
work of the admin API and the ``gongdan calendars`` command. The rules are in docs/calendars.md.
"""

from __future__ import annotations

import bisect
import copy
import functools
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import String, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from platform_core import audit
from platform_core.db import Base, JSONDocument, UTCDateTime, utcnow
from platform_core.errors import Conflict, NotFound, ValidationFailed

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BUILT_IN_KEY = "24x7"
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
MAX_INTERVALS_PER_DAY = 24
MAX_HOLIDAYS = 3000
MAX_WORKDAYS = 1000
MAX_NAME = 200
# add() and next_open() give up after this many consecutive days without business time.
MAX_CLOSED_DAYS = 3 * 366

ZERO = timedelta(0)
ONE_DAY = timedelta(days=1)
ONE_SECOND = timedelta(seconds=1)
_MINUTES_PER_DAY = 24 * 60
_TIME = re.compile(r"^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DURATION = re.compile(r"^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")

T = TypeVar("T")
Interval = tuple[int, int]  # minutes after local midnight: [start, end), end up to 1440
Span = tuple[datetime, datetime]  # UTC instants: [start, end)


# --------------------------------------------------------------------------- errors


class CalendarError(ValueError):
    """The arithmetic cannot answer: no business time ahead, or a date beyond the year 9999."""


class NoBusinessTime(CalendarError):
    """The calendar has no open time within MAX_CLOSED_DAYS of the instant asked about."""


class UnknownCalendar(NotFound):
    """No calendar has this key (a 404 in the API; the SLA engine catches it by type)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"There is no business calendar with the key {key!r}.")
        self.key = key


class InvalidCalendar(ValidationFailed):
    """A calendar's definition is wrong; ``details`` has one entry per problem with its JSON pointer."""


# --------------------------------------------------------------------------- durations


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration with weeks, days, hours, minutes and seconds (``PT4H``, ``P1DT12H``).

    A day is 24 hours, also of business time; years, months and fractions are refused
    (the same grammar as the definition format's durations).
    """
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{text!r} is not a duration such as PT30M, PT4H or P3D.")
    weeks, days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    try:
        return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        raise ValueError(f"{text!r} is too long a duration.") from None


def format_duration(value: timedelta) -> str:
    """ISO 8601 in hours, minutes and seconds (``PT49H30M``): business days vary in length."""
    if value < ZERO:
        return "-" + format_duration(-value)
    micro = value // timedelta(microseconds=1)
    seconds, micro = divmod(micro, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if seconds or micro or out == "PT":
        out += f"{seconds}.{micro:06d}".rstrip("0").rstrip(".") + "S" if micro else f"{seconds}S"
    return out


# --------------------------------------------------------------------------- checking a definition


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def _pointer(*parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class _Problems:
    def __init__(self) -> None:
        self.details: list[dict[str, Any]] = []

    def add(self, path: str, message: str) -> None:
        self.details.append({"path": path, "location": "json", "message": message})


def _check_intervals(value: Any, path: str, problems: _Problems) -> list[list[str]] | None:
    """Sorted, non-overlapping [start, end] pairs of HH:MM with start < end; end may be 24:00."""
    if not isinstance(value, list):
        problems.add(path, 'Give a list of [start, end] intervals, such as [["09:00", "12:00"], ["13:00", "18:00"]].')
        return None
    if len(value) > MAX_INTERVALS_PER_DAY:
        problems.add(path, f"At most {MAX_INTERVALS_PER_DAY} intervals a day.")
        return None
    out: list[list[str]] = []
    previous: tuple[int, int] | None = None
    ok = True
    for i, pair in enumerate(value):
        here = f"{path}/{i}"
        if not (isinstance(pair, list) and len(pair) == 2):
            problems.add(here, 'An interval is a pair [start, end] such as ["09:00", "12:00"].')
            ok = False
            continue
        start, end = pair
        good = True
        if not (isinstance(start, str) and _TIME.match(start) and start != "24:00"):
            problems.add(f"{here}/0", f"{start!r} is not a start time HH:MM from 00:00 to 23:59.")
            good = False
        if not (isinstance(end, str) and _TIME.match(end)):
            problems.add(f"{here}/1", f"{end!r} is not an end time HH:MM from 00:01 to 24:00.")
            good = False
        if not good:
            ok = False
            continue
        s, e = _minutes(start), _minutes(end)
        if s >= e:
            problems.add(here, f"The interval must start before it ends ({start} is not before {end}).")
            ok = False
            continue
        if previous is not None:
            if s < previous[0]:
                problems.add(here, "List the intervals in order of their start time.")
                ok = False
            elif s < previous[1]:
                problems.add(here, f"Intervals overlap: this one starts at {start}, before the previous one "
                                   f"ends at {_hhmm(previous[1])}.")
                ok = False
        previous = (s, e)
        out.append([start, end])
    return out if ok else None


def _check_date(value: Any, path: str, problems: _Problems) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(path, f"{value!r} is not a date YYYY-MM-DD.")
    return None


def _check_name(value: Any, path: str, problems: _Problems, default: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str) or len(value.strip()) > MAX_NAME:
        problems.add(path, f"Give a name of at most {MAX_NAME} characters.")
        return default
    return value.strip() or default


def _check_entries(value: Any, field: str, problems: _Problems, allowed: set[str], limit: int) -> list[tuple[int, dict]]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(f"/{field}", "Give a list.")
        return []
    if len(value) > limit:
        problems.add(f"/{field}", f"At most {limit} entries.")
        return []
    entries = []
    for i, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            problems.add(f"/{field}/{i}", 'Give an object such as {"date": "2026-10-01", "name": "National Day"}.')
            continue
        for unknown in sorted(set(entry) - allowed):
            problems.add(_pointer(field, i, unknown), "Unknown field.")
        if "date" not in entry:
            problems.add(f"/{field}/{i}/date", "Missing data for required field.")
            continue
        entries.append((i, entry))
    return entries


def check_definition(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check a calendar's ``timezone``, ``week``, ``holidays`` and ``workdays``; return them normalised.

    Raises ``InvalidCalendar`` listing every problem with its JSON pointer (``/week/mon/1``).
    Normalised: all seven weekdays (closed days ``[]``), holidays and make-up days sorted by
    date, names stripped, a make-up day's ``intervals`` only when given.
    """
    problems = _Problems()
    zone = values.get("timezone")
    if not isinstance(zone, str) or zone not in _time_zones():
        problems.add("/timezone", f"{zone!r} is not an IANA time zone such as Asia/Shanghai or Europe/Berlin.")

    week_in = values.get("week")
    week: dict[str, list[list[str]]] = {day: [] for day in WEEKDAYS}
    if not isinstance(week_in, Mapping):
        problems.add("/week", 'Give the opening intervals of each weekday, such as {"mon": [["09:00", "18:00"]]}.')
    else:
        for day, intervals in week_in.items():
            if day not in WEEKDAYS:
                problems.add(_pointer("week", day), f"Unknown weekday; use {', '.join(WEEKDAYS)}.")
                continue
            checked = _check_intervals(intervals, f"/week/{day}", problems)
            if checked is not None:
                week[day] = checked

    holidays: dict[date, dict[str, Any]] = {}
    for i, entry in _check_entries(values.get("holidays"), "holidays", problems, {"date", "name"}, MAX_HOLIDAYS):
        day = _check_date(entry["date"], f"/holidays/{i}/date", problems)
        name = _check_name(entry.get("name"), f"/holidays/{i}/name", problems, "Holiday")
        if day is None:
            continue
        if day in holidays:
            problems.add(f"/holidays/{i}/date", f"{day} is listed twice.")
            continue
        holidays[day] = {"date": day.isoformat(), "name": name}

    workdays: dict[date, dict[str, Any]] = {}
    # A make-up day without intervals keeps Monday's hours; that needs Monday to have some.
    monday_closed = isinstance(week_in, Mapping) and week_in.get("mon") in (None, [])
    for i, entry in _check_entries(values.get("workdays"), "workdays", problems, {"date", "name", "intervals"},
                                   MAX_WORKDAYS):
        day = _check_date(entry["date"], f"/workdays/{i}/date", problems)
        name = _check_name(entry.get("name"), f"/workdays/{i}/name", problems, "Make-up working day")
        normalised: dict[str, Any] = {"date": day.isoformat() if day else None, "name": name}
        if entry.get("intervals") is not None:
            intervals = _check_intervals(entry["intervals"], f"/workdays/{i}/intervals", problems)
            if intervals is not None and not intervals:
                problems.add(f"/workdays/{i}/intervals", "A make-up working day needs at least one interval.")
            normalised["intervals"] = intervals
        elif monday_closed:
            problems.add(f"/workdays/{i}/intervals", "Monday has no business hours, so this make-up working day "
                                                     "needs its own intervals.")
        if day is None:
            continue
        if day in workdays:
            problems.add(f"/workdays/{i}/date", f"{day} is listed twice.")
            continue
        if day in holidays:
            problems.add(f"/workdays/{i}/date", f"{day} is also a holiday; a day is either closed or a make-up "
                                                "working day.")
            continue
        workdays[day] = normalised

    if not problems.details and not any(week.values()) and not workdays:
        problems.add("/week", "The calendar is never open: give at least one interval in the week or a make-up "
                              "working day.")
    if problems.details:
        count = len(problems.details)
        first = problems.details[0]
        more = f" (and {count - 1} more)" if count > 1 else ""
        raise InvalidCalendar(f"{first['path']}: {first['message']}{more}", details=problems.details)
    return {"timezone": zone, "week": week,
            "holidays": [holidays[d] for d in sorted(holidays)],
            "workdays": [workdays[d] for d in sorted(workdays)]}


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
    return tuple((_minutes(start), _minutes(end)) for start, end in pairs)


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
    def from_record(cls, record: BusinessCalendar) -> Calendar:
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


# --------------------------------------------------------------------------- the stored calendar


class BusinessCalendar(Base):
    """A calendar as admins define it; SLA policies name it by ``key``."""

    __tablename__ = "business_calendar"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    week: Mapped[dict[str, Any]] = mapped_column()  # {"mon": [["09:00", "12:00"], ...], ..., "sun": []}
    holidays: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)  # [{date, name}]
    workdays: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)  # [{date, name, intervals?}]
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow,
                                                        nullable=False)

    @property
    def built_in(self) -> bool:
        return self.key == BUILT_IN_KEY


def built_in_calendar() -> BusinessCalendar:
    """The always-open calendar, never stored: it exists in every installation and cannot change."""
    return BusinessCalendar(key=BUILT_IN_KEY, name=ALWAYS_OPEN.name, created_at=None, updated_at=None,
                            **copy.deepcopy(ALWAYS_OPEN_DEFINITION))


# --------------------------------------------------------------------------- compiled calendars, cached

_compiled: weakref.WeakKeyDictionary[Any, dict[str, tuple[tuple[int, datetime], Calendar]]] = (
    weakref.WeakKeyDictionary())
_compiled_lock = threading.Lock()


def _cache_for(session: Session) -> dict[str, tuple[tuple[int, datetime], Calendar]]:
    bind = session.get_bind()
    with _compiled_lock:
        cache = _compiled.get(bind)
        if cache is None:
            cache = _compiled[bind] = {}
        return cache


def get_calendars(session: Session, keys: Iterable[str]) -> dict[str, Calendar]:
    """The compiled calendars with these keys, in one query; keys that do not exist are left out.

    A calendar is compiled once and reused while its row's ``updated_at`` is unchanged.
    """
    wanted = set(keys)
    found: dict[str, Calendar] = {}
    if BUILT_IN_KEY in wanted:
        found[BUILT_IN_KEY] = ALWAYS_OPEN
        wanted.discard(BUILT_IN_KEY)
    if not wanted:
        return found
    cache = _cache_for(session)
    stale: dict[str, tuple[int, datetime]] = {}
    rows = session.execute(select(BusinessCalendar.key, BusinessCalendar.id, BusinessCalendar.updated_at)
                           .where(BusinessCalendar.key.in_(wanted)))
    for key, row_id, updated_at in rows:
        hit = cache.get(key)
        if hit is not None and hit[0] == (row_id, updated_at):
            found[key] = hit[1]
        else:
            stale[key] = (row_id, updated_at)
    if stale:
        for record in session.scalars(select(BusinessCalendar).where(BusinessCalendar.key.in_(stale))):
            compiled = Calendar.from_record(record)
            cache[record.key] = ((record.id, record.updated_at), compiled)  # type: ignore[assignment]
            found[record.key] = compiled
    return found


def get_calendar(session: Session, key: str) -> Calendar:
    """The compiled calendar ``key`` (``24x7`` always exists); raises UnknownCalendar."""
    found = get_calendars(session, [key])
    if key not in found:
        raise UnknownCalendar(key)
    return found[key]


# --------------------------------------------------------------------------- services


def search_calendars(q: str | None) -> Any:
    """A statement for the calendars whose key or name contains ``q`` (the built-in one is not stored)."""
    stmt = select(BusinessCalendar)
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(BusinessCalendar.name).like(pattern), BusinessCalendar.key.like(pattern)))
    return stmt


def built_in_matches(q: str | None) -> bool:
    needle = (q or "").strip().lower()
    return not needle or needle in BUILT_IN_KEY or needle in ALWAYS_OPEN.name.lower()


def get_business_calendar(session: Session, key: str) -> BusinessCalendar:
    """The stored calendar ``key`` (for ``24x7``, an unsaved stand-in); raises UnknownCalendar."""
    if key == BUILT_IN_KEY:
        return built_in_calendar()
    record = session.scalar(select(BusinessCalendar).where(BusinessCalendar.key == key))
    if record is None:
        raise UnknownCalendar(key)
    return record


def _editable(session: Session, key: str, doing: str) -> BusinessCalendar:
    if key == BUILT_IN_KEY:
        raise Conflict(f"The built-in calendar {BUILT_IN_KEY} is always open and cannot be {doing}; "
                       "create a calendar of your own for business hours.", code="built_in_calendar")
    return get_business_calendar(session, key)


def _definition(record: BusinessCalendar) -> dict[str, Any]:
    return {"timezone": record.timezone, "week": record.week, "holidays": record.holidays,
            "workdays": record.workdays}


def _check_name_or_fail(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        raise ValidationFailed.field("/name", f"Give a name of 1 to {MAX_NAME} characters.")
    return name.strip()


def create_calendar(session: Session, values: Mapping[str, Any], *, actor_id: int | None) -> BusinessCalendar:
    """Create a calendar from ``key``, ``name``, ``timezone``, ``week``, ``holidays``, ``workdays``."""
    key = values["key"]
    if not isinstance(key, str) or not re.match(KEY_PATTERN, key):
        raise ValidationFailed.field("/key", "Use 1-64 lower-case letters, digits, '-' or '_'.")
    if key == BUILT_IN_KEY:
        raise Conflict(f"{BUILT_IN_KEY} is the built-in always-open calendar; choose another key.",
                       details=[{"path": "/key", "location": "json", "message": "Reserved."}])
    name = _check_name_or_fail(values.get("name", key))
    checked = check_definition(values)
    if session.scalar(select(BusinessCalendar.id).where(BusinessCalendar.key == key)) is not None:
        raise _key_taken(key)
    record = BusinessCalendar(key=key, name=name, **checked)
    session.add(record)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise _key_taken(key) from None
    audit.record(session, "calendar.created", "calendar", record.id, actor_id=actor_id,
                 details={"key": key, "timezone": record.timezone})
    session.commit()
    return record


def _key_taken(key: str) -> Conflict:
    return Conflict(f"A calendar with the key {key!r} already exists.",
                    details=[{"path": "/key", "location": "json", "message": "Already in use."}])


def update_calendar(session: Session, key: str, values: Mapping[str, Any], *, actor_id: int | None) -> BusinessCalendar:
    """Change some of ``name``, ``timezone``, ``week``, ``holidays``, ``workdays`` (PATCH; PUT gives all)."""
    record = _editable(session, key, "changed")
    definition = _definition(record)
    changed = [field for field in ("name", "timezone", "week", "holidays", "workdays") if field in values]
    if not changed:
        return record
    name = _check_name_or_fail(values["name"]) if "name" in values else record.name
    checked = check_definition({**definition, **{k: values[k] for k in changed if k != "name"}})
    record.name = name
    record.timezone, record.week = checked["timezone"], checked["week"]
    record.holidays, record.workdays = checked["holidays"], checked["workdays"]
    record.updated_at = utcnow()
    audit.record(session, "calendar.updated", "calendar", record.id, actor_id=actor_id,
                 details={"key": key, "changed": changed})
    session.commit()
    return record


def calendar_users(session: Session, key: str) -> list[str]:
    """Published ticket-type versions still in use whose SLA policies name the calendar ``key``:
    the newest version of every type that is not archived, and every version with tickets not closed."""
    from runtime.models import Ticket, TicketType, TicketTypeVersion

    live_versions = select(Ticket.type_version_id).where(Ticket.status_category != "closed").distinct()
    rows = session.execute(
        select(TicketType.key, TicketTypeVersion.number, TicketTypeVersion.definition)
        .join(TicketTypeVersion, TicketTypeVersion.ticket_type_id == TicketType.id)
        .where(or_((TicketType.latest_version == TicketTypeVersion.number) & TicketType.archived_at.is_(None),
                   TicketTypeVersion.id.in_(live_versions)))
        .order_by(TicketType.key, TicketTypeVersion.number))
    users = []
    for type_key, number, definition in rows:
        policies = definition.get("sla") if isinstance(definition, dict) else None
        if isinstance(policies, list) and any(isinstance(p, dict) and p.get("calendar", BUILT_IN_KEY) == key
                                              for p in policies):
            users.append(f"{type_key} v{number}")
    return users


def delete_calendar(session: Session, key: str, *, actor_id: int | None) -> None:
    """Delete a calendar that no SLA policy in use names (409 otherwise, and for 24x7)."""
    record = _editable(session, key, "deleted")
    users = calendar_users(session, key)
    if users:
        shown = ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
        raise Conflict(f"The calendar {key!r} is used by the SLA policies of {shown}; change those first.",
                       code="calendar_in_use")
    audit.record(session, "calendar.deleted", "calendar", record.id, actor_id=actor_id, details={"key": key})
    session.delete(record)
    session.commit()


# --------------------------------------------------------------------------- holidays from the `holidays` package

MAKE_UP_DAY_NAMES = {"zh": "调休上班日"}
MAKE_UP_DAY_NAME = "Make-up working day"


def public_holidays(country: str, years: Sequence[int], *, subdiv: str | None = None,
                    language: str | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Public holidays and make-up working days of a country (and subdivision) for ``years``,
    from the ``holidays`` package: ``([{date, name}], [{date, name}])``.

    Make-up days are the weekend days the package reports as working days (China's 调休,
    for instance). Names are in ``language`` (default: English where the package has it).
    Raises ``ValidationFailed`` naming ``/country``, ``/subdiv`` or ``/language``.
    """
    import holidays as holiday_data

    supported = holiday_data.list_supported_countries()
    code = country.strip().upper()
    if code not in supported:
        raise ValidationFailed.field("/country", f"The holidays package knows no country {country!r}; use an "
                                                 "ISO 3166-1 alpha-2 code such as CN, US or DE.")
    try:
        probe = holiday_data.country_holidays(code, years=[])
    except (NotImplementedError, KeyError):
        raise ValidationFailed.field("/country", f"The holidays package knows no country {country!r}.") from None
    languages = tuple(getattr(probe, "supported_languages", ()) or ())
    if language is not None and language not in languages:
        raise ValidationFailed.field("/language", f"Holiday names for {code} come in: "
                                                  f"{', '.join(languages) or 'one language only'}.")
    if language is None and "en_US" in languages:
        language = "en_US"
    try:
        found = holiday_data.country_holidays(code, subdiv=subdiv, years=list(years), language=language)
    except NotImplementedError:
        known = list(supported[code])
        listed = ", ".join(known[:40]) + (" …" if len(known) > 40 else "")
        raise ValidationFailed.field("/subdiv", f"{code} has no subdivision {subdiv!r}"
                                                + (f"; use one of {listed}." if known else "; leave it out.")) from None
    wanted = set(years)
    holiday_list = [{"date": day.isoformat(), "name": name} for day, name in sorted(found.items())
                    if day.year in wanted]
    make_up_name = MAKE_UP_DAY_NAMES.get((language or getattr(probe, "default_language", "") or "")[:2],
                                         MAKE_UP_DAY_NAME)
    workday_list = [{"date": day.isoformat(), "name": make_up_name}
                    for day in sorted(getattr(found, "weekend_workdays", ()) or ()) if day.year in wanted]
    return holiday_list, workday_list


def seed_holidays(session: Session, key: str, *, country: str, years: Sequence[int], subdiv: str | None = None,
                  language: str | None = None, actor_id: int | None) -> dict[str, Any]:
    """Merge a country's public holidays (and make-up working days) for ``years`` into the calendar.

    Dates already listed keep their entry; a date that is already a holiday is not made a
    make-up day, nor the other way round (both are reported as skipped).
    """
    record = _editable(session, key, "changed")
    subdiv = (subdiv or "").strip() or None
    holiday_list, workday_list = public_holidays(country, years, subdiv=subdiv, language=language)
    holiday_dates = {h["date"] for h in record.holidays}
    workday_dates = {w["date"] for w in record.workdays}
    added_holidays, added_workdays, skipped = [], [], []
    for entry in holiday_list:
        if entry["date"] in holiday_dates:
            continue
        if entry["date"] in workday_dates:
            skipped.append({**entry, "reason": "The calendar lists this date as a make-up working day."})
            continue
        holiday_dates.add(entry["date"])
        added_holidays.append(entry)
    for entry in workday_list:
        if entry["date"] in workday_dates:
            continue
        if entry["date"] in holiday_dates:
            skipped.append({**entry, "reason": "The calendar lists this date as a holiday."})
            continue
        workday_dates.add(entry["date"])
        added_workdays.append(entry)
    if added_holidays or added_workdays:
        checked = check_definition({**_definition(record), "holidays": [*record.holidays, *added_holidays],
                                    "workdays": [*record.workdays, *added_workdays]})
        record.holidays, record.workdays = checked["holidays"], checked["workdays"]
        record.updated_at = utcnow()
    audit.record(session, "calendar.holidays_seeded", "calendar", record.id, actor_id=actor_id,
                 details={"key": key, "country": country.strip().upper(), "years": sorted(set(years)),
                          "subdiv": subdiv, "holidays_added": len(added_holidays),
                          "workdays_added": len(added_workdays)})
    session.commit()
    return {"calendar": record, "holidays_added": added_holidays, "workdays_added": added_workdays,
            "skipped": skipped}


# --------------------------------------------------------------------------- what-if arithmetic


def compute(session: Session, key: str, *, start: datetime, add: timedelta | None = None,
            end: datetime | None = None) -> dict[str, Any]:
    """``start + add`` in business time (the due instant), or the business time from start to end."""
    calendar = get_calendar(session, key)
    try:
        next_open: datetime | None = calendar.next_open(start)
    except CalendarError:
        next_open = None
    try:
        result: dict[str, Any] = {"calendar": key, "start": start.astimezone(UTC),
                                  "open_at_start": calendar.is_open(start), "next_open": next_open}
        if add is not None:
            due = calendar.add(start, add)
            result.update(add=format_duration(add), due=due, elapsed=format_duration(add),
                          elapsed_seconds=add.total_seconds())
        if end is not None:
            elapsed = calendar.elapsed(start, end)
            result.update(end=end.astimezone(UTC), elapsed=format_duration(elapsed),
                          elapsed_seconds=elapsed.total_seconds())
    except CalendarError as error:
        raise ValidationFailed(str(error), details=[{"path": "/add" if add is not None else "/start",
                                                     "location": "query", "message": str(error)}]) from None
    return result
