"""Dates in rules: ISO 8601 text parsed to aware UTC instants, written back as JavaScript's Date.toJSON does,
and moment's calendar arithmetic (add, startOf), so the browser and the server agree to the millisecond."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from runtime.rules.errors import RuleError


def looks_like_date(text: str) -> bool:
    return len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isascii() and text[:4].isdigit()


@lru_cache(maxsize=4096)
def parse_instant(text: str) -> datetime | None:
    """An ISO 8601 date or date-time (extended format) as an aware UTC datetime; naive values are UTC. None for
    text that is not a date; RuleError for a date with no UTC equivalent."""
    if not looks_like_date(text):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-23:59 is after the year 9999 in UTC
        raise RuleError(f"The date {text[:40]!r} is outside the years 1 to 9999 once converted to UTC.") from None



def format_instant(instant: datetime) -> str:
    """Canonical text of an instant, as JavaScript's Date.toJSON writes it: 2024-05-01T09:30:00.000Z."""
    i = instant.astimezone(UTC)
    return (f"{i.year:04d}-{i.month:02d}-{i.day:02d}T{i.hour:02d}:{i.minute:02d}:{i.second:02d}."
            f"{i.microsecond // 1000:03d}Z")


DATE_UNITS = {"year": "year", "years": "year", "month": "month", "months": "month", "week": "week", "weeks": "week",
              "day": "day", "days": "day", "hour": "hour", "hours": "hour", "minute": "minute", "minutes": "minute",
              "second": "second", "seconds": "second"}


def _round_half_away(value: float) -> int:
    return math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1)


def add_to_instant(instant: datetime, amount: float, unit: str) -> datetime | None:
    """moment's add(): calendar units round the amount and clamp the day of month; clock units are exact."""
    try:
        if unit in ("year", "month"):
            months = _round_half_away(amount) * (12 if unit == "year" else 1)
            month_index = instant.year * 12 + instant.month - 1 + months
            year, month = divmod(month_index, 12)
            month += 1
            first_of_next = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
            last_day = (first_of_next - timedelta(days=1)).day
            return instant.replace(year=year, month=month, day=min(instant.day, last_day))
        if unit in ("week", "day"):
            return instant + timedelta(days=_round_half_away(amount) * (7 if unit == "week" else 1))
        seconds = {"hour": 3600, "minute": 60, "second": 1}[unit] * amount
        return instant + timedelta(milliseconds=round(seconds * 1000))
    except (OverflowError, ValueError):
        return None


def truncate_instant(instant: datetime, unit: str) -> datetime:
    """moment's startOf(): the start of the year, month, week (Sunday, moment's default locale), day, hour,
    minute or second that contains the instant."""
    i = instant.replace(microsecond=0)
    if unit == "second":
        return i
    i = i.replace(second=0)
    if unit == "minute":
        return i
    i = i.replace(minute=0)
    if unit == "hour":
        return i
    i = i.replace(hour=0)
    if unit == "day":
        return i
    if unit == "week":
        return i - timedelta(days=(i.weekday() + 1) % 7)
    i = i.replace(day=1)
    return i if unit == "month" else i.replace(month=1)
