"""Report periods: a month (``2026-11``) or an ISO week (``2026-W48``), in a time zone.

A period is ``[start, end)`` between two local midnights; the period that is *due* at an instant is the last one
that ended at least :data:`SEND_AFTER` before it (the first day of the month / the Monday, 06:00 local time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SEND_AFTER = timedelta(hours=6)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Period:
    kind: str  # month or week
    key: str  # 2026-11 or 2026-W48
    first: date  # its first local day
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.next_first(), time(), tzinfo=self.tz)

    def next_first(self) -> date:
        if self.kind == "week":
            return self.first + timedelta(days=7)
        return date(self.first.year + (self.first.month == 12), self.first.month % 12 + 1, 1)

    def previous(self) -> Period:
        if self.kind == "week":
            return of_day("week", self.first - timedelta(days=7), self.tz)
        return of_day("month", self.first - timedelta(days=1), self.tz)


def of_day(kind: str, day: date, tz: ZoneInfo) -> Period:
    """The period of ``kind`` that holds the local day ``day``."""
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        year, week, _ = monday.isocalendar()
        return Period("week", f"{year}-W{week:02d}", monday, tz)
    return Period("month", f"{day.year}-{day.month:02d}", date(day.year, day.month, 1), tz)


def parse(kind: str, text: str, tz: ZoneInfo) -> Period:
    """``2026-11`` for a month; ``2026-W48`` or any date of the week (``2026-11-23``) for a week. ValueError with
    the reason otherwise."""
    if kind == "month":
        match = _MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1970 <= int(match.group(1)) <= 9000:
            raise ValueError(f"'{text}' is not a month: write it YYYY-MM, e.g. 2026-11.")
        return of_day("month", date(int(match.group(1)), int(match.group(2)), 1), tz)
    match = _WEEK.match(text)
    try:
        day = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1) if match else date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"'{text}' is not a week: write it YYYY-Www (ISO week, e.g. 2026-W48) or a date of "
                         "the week (2026-11-23).") from error
    if not 1970 <= day.year <= 9000:
        raise ValueError(f"'{text}' is out of range (1970 to 9000).")
    return of_day("week", day, tz)


def last_ended(kind: str, now: datetime, tz: ZoneInfo) -> Period:
    """The last period that has ended before ``now`` (the report one would read on the first day after it)."""
    return of_day(kind, now.astimezone(tz).date(), tz).previous()


def due(kind: str, now: datetime, tz: ZoneInfo) -> Period:
    """The period a subscription sends at ``now``: the last ended one once 06:00 of its next day has passed,
    else the one before."""
    period = last_ended(kind, now, tz)
    if now < period.end + SEND_AFTER:
        period = period.previous()
    return period
