"""Time buckets (hour, day, week, month) in the viewer's time zone, computed by the database.

PostgreSQL: ``date_trunc(unit, ts AT TIME ZONE tz)`` (``timezone(tz, ts)``) on the ``timestamptz`` column.

SQLite keeps UTC text and knows no time zones. The UTC offset of a zone only changes at its transitions
(daylight saving), so Python splits the query's range into segments of constant offset (each transition found
to the second with zoneinfo) and the SQL shifts each timestamp by its segment's offset with a ``CASE`` over the
segment ends, then truncates the local time with ``strftime``. That is exact for any IANA zone: the same local
wall time PostgreSQL computes, for every instant in the range (an instant outside it is filtered out anyway).

In both databases a local time that occurs twice (the hour repeated when clocks go back) falls in one hour
bucket; weeks start on Monday.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, literal

from platform_core.db import UTCDateTime

UNITS = ("hour", "day", "week", "month")
# Longest length of one bucket, to bound how many buckets a query may ask for.
UNIT_SECONDS = {"hour": 3600, "day": 86400, "week": 7 * 86400, "month": 28 * 86400}
MAX_BUCKETS = 1000
_STEP = 6 * 3600  # zones change offset at most once in six hours


def offset_segments(tz: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime | None, int]]:
    """``[(until, offset_seconds), ...]``: instants before ``until`` (and after the previous segment's) have that
    UTC offset; the last segment has ``until`` None. Covers [start, end]."""
    def offset(epoch: int) -> int:
        moment = datetime.fromtimestamp(epoch, UTC).astimezone(tz)
        return int(moment.utcoffset().total_seconds())  # type: ignore[union-attr]

    first, last = int(start.timestamp()) - 1, int(end.timestamp()) + 1
    segments: list[tuple[datetime | None, int]] = []
    current, t = offset(first), first
    while t < last:
        nxt = min(t + _STEP, last)
        if offset(nxt) != current:
            lo, hi = t, nxt  # offset(lo) == current != offset(hi): the change is in (lo, hi]
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if offset(mid) == current:
                    lo = mid
                else:
                    hi = mid
            segments.append((datetime.fromtimestamp(hi, UTC), current))
            current = offset(hi)
        t = nxt
    segments.append((None, current))
    return segments


def bucket_expr(dialect: str, column: Any, unit: str, tz: ZoneInfo, start: datetime, end: datetime) -> Any:
    """The SQL expression of the local start of ``column``'s bucket: a timestamp without zone (PostgreSQL) or
    'YYYY-MM-DD HH:MM:SS' text (SQLite); :func:`to_local` turns either into an aware datetime."""
    if dialect == "postgresql":
        return func.date_trunc(unit, func.timezone(tz.key, column))
    segments = offset_segments(tz, start, end)
    modifiers = [f"{offset:+d} seconds" for _, offset in segments]
    if len(segments) == 1:
        shift: Any = literal(modifiers[0])
    else:
        shift = case(*[(column < literal(until, UTCDateTime()), modifier)
                       for (until, _), modifier in zip(segments[:-1], modifiers, strict=False)], else_=modifiers[-1])
    local = func.datetime(column, shift)
    if unit == "hour":
        return func.strftime("%Y-%m-%d %H:00:00", local)
    if unit == "day":
        return func.strftime("%Y-%m-%d 00:00:00", local)
    if unit == "week":  # 'weekday 0' moves to the next Sunday (or stays on one); six days back is its Monday
        return func.datetime(local, "start of day", "weekday 0", "-6 days")
    return func.strftime("%Y-%m-01 00:00:00", local)


def to_local(value: Any, tz: ZoneInfo) -> datetime:
    """A bucket value from either database as an aware datetime in ``tz``."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:  # a driver that already attached a zone
        value = value.replace(tzinfo=None)
    return value.replace(tzinfo=tz)
