"""Checking a calendar definition (time zone, intervals, holidays, make-up days) before it is stored."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from platform_core.errors import ValidationFailed

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BUILT_IN_KEY = "24x7"
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
MAX_INTERVALS_PER_DAY = 24
MAX_HOLIDAYS = 3000
MAX_WORKDAYS = 1000
MAX_NAME = 200
_TIME = re.compile(r"^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidCalendar(ValidationFailed):
    """A calendar's definition is wrong; ``details`` has one entry per problem with its JSON pointer."""


# --------------------------------------------------------------------------- checking a definition


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def _pointer(*parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def minutes_of(text: str) -> int:
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
        s, e = minutes_of(start), minutes_of(end)
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
