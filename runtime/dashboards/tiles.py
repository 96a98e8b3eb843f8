"""What a tile is, checked without the database: kinds, ranges, the layout on a 12-column grid, the metric and its
measures; the time range a tile's ``range`` means now; one figure from several rows (a KPI, a gauge).

Every problem is ``(JSON pointer, message)``; the caller refuses the whole dashboard with all of them.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from runtime.reports import buckets, metrics

KINDS = ("kpi", "line", "bar", "stacked", "pie", "table", "gauge")
RANGES = ("last_7_days", "last_30_days", "this_month", "last_month", "last_90_days")
FILTERS = ("type", "team", "priority", "status", "status_category", "source", "assignee", "clock")
STATUS_CATEGORIES = ("new", "open", "pending", "resolved", "closed")
COLUMNS = 12
MAX_TILES = 24
MAX_ROW = 500
REFRESH = (60, 300)
TILE_KEYS = {"id", "title", "kind", "metric", "measure", "by", "bucket", "filters", "range", "layout"}
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Measures whose values add up across rows; the others are recombined (averages, ratios) or cannot be (percentiles).
_SUMS = {"count", "created", "resolved", "net", "clocks", "met", "breached", "running", "tickets", "reopened",
         "business_count", "answers", "satisfied", "promoters", "detractors", "first_contact"}
# Ratios between 0 and 1, drawn as percentages.
RATIOS = {"compliance", "rate", "satisfied_share", "fcr"}


def measures_of(tile: dict[str, Any]) -> list[str]:
    measure = tile.get("measure")
    return list(measure) if isinstance(measure, list) else [measure]


def check_tile(tile: Any, pointer: str) -> list[tuple[str, str]]:
    """The problems of one tile that need no database (breakdowns on form fields, teams and types are checked by
    the service)."""
    if not isinstance(tile, dict):
        return [(pointer, "A tile is an object.")]
    problems: list[tuple[str, str]] = []

    def bad(name: str, message: str) -> None:
        problems.append((f"{pointer}/{name}" if name else pointer, message))

    for name in sorted(set(tile) - TILE_KEYS):
        bad(name, f"Unknown property '{name}'; a tile has {', '.join(sorted(TILE_KEYS))}.")
    if not isinstance(tile.get("id"), str) or not _ID.match(tile["id"]):
        bad("id", "A tile's id is 1 to 64 letters, digits, '-' or '_'.")
    if tile.get("title") is not None and (not isinstance(tile["title"], str) or len(tile["title"]) > 200):
        bad("title", "The title is text of at most 200 characters.")
    kind = tile.get("kind")
    if kind not in KINDS:
        bad("kind", f"Unknown kind '{kind}'; use one of {', '.join(KINDS)}.")
    metric = metrics.METRICS.get(tile.get("metric")) if isinstance(tile.get("metric"), str) else None
    if metric is None:
        bad("metric", f"Unknown metric '{tile.get('metric')}'; use one of {', '.join(metrics.METRICS)}.")
    measure = tile.get("measure")
    names = measure if isinstance(measure, list) else [measure]
    if not names or len(names) > 4 or not all(isinstance(n, str) for n in names):
        bad("measure", "The measure is a name, or a list of one to four names.")
    elif metric is not None:
        for i, name in enumerate(names):
            if name not in metric.measures:
                where = f"measure/{i}" if isinstance(measure, list) else "measure"
                bad(where, f"The metric '{metric.key}' has no measure '{name}'; it has {', '.join(metric.measures)}.")
    by, bucket = tile.get("by"), tile.get("bucket")
    if by is not None and (not isinstance(by, str) or not 0 < len(by) <= 100):
        bad("by", "The breakdown is the name of an attribute or a form field with a list of values.")
    if bucket is not None and bucket not in buckets.UNITS:
        bad("bucket", f"Unknown bucket '{bucket}'; use one of {', '.join(buckets.UNITS)}.")
    elif bucket is not None and metric is not None and not metric.uses_range:
        bad("bucket", f"The metric '{metric.key}' counts the tickets open now; it has no time buckets.")
    if kind in ("kpi", "gauge"):
        for name, value in (("by", by), ("bucket", bucket)):
            if value is not None:
                bad(name, f"A {kind} shows one number: it has no '{name}'.")
        if isinstance(measure, list) and len(measure) > 1:
            bad("measure", f"A {kind} shows one measure.")
    if kind == "line" and bucket is None:
        bad("bucket", "A line follows time: choose a bucket (hour, day, week or month).")
    if kind == "pie" and (by is None and (metric is None or metric.default_by is None)):
        bad("by", "A pie shares a total among groups: choose a breakdown.")
    if kind == "pie" and bucket is not None:
        bad("bucket", "A pie has no time buckets.")
    if kind == "stacked" and by is None and not (isinstance(measure, list) and len(measure) > 1) \
            and (metric is None or metric.default_by is None):
        bad("by", "Stacked bars stack groups: choose a breakdown (or several measures).")
    if kind == "gauge" and isinstance(measure, str) and measure not in RATIOS and metric is not None:
        bad("measure", f"A gauge shows a ratio ({', '.join(sorted(RATIOS))}); '{measure}' is not one.")
    problems += _check_filters(tile.get("filters"), f"{pointer}/filters", metric)
    rng = tile.get("range", "last_30_days")
    if rng not in RANGES:
        bad("range", f"Unknown range '{rng}'; use one of {', '.join(RANGES)}.")
    elif bucket == "hour" and rng not in ("last_7_days",):
        bad("bucket", "Hourly buckets are for the last 7 days; choose day, week or month.")
    problems += _check_layout(tile.get("layout"), f"{pointer}/layout")
    return problems


def _check_filters(filters: Any, pointer: str, metric: metrics.Metric | None) -> list[tuple[str, str]]:
    if filters is None:
        return []
    if not isinstance(filters, dict):
        return [(pointer, "The filters are an object.")]
    problems = []
    for name, value in filters.items():
        where = f"{pointer}/{name}"
        if name not in FILTERS:
            problems.append((where, f"Unknown filter '{name}'; use {', '.join(FILTERS)}."))
        elif value is None:
            continue
        elif name == "assignee":
            if value != "me" and (not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**31):
                problems.append((where, "The assignee is a user's id, or \"me\" (whoever looks at the dashboard)."))
        elif not isinstance(value, str) or not 0 < len(value) <= 64:
            problems.append((where, "A filter's value is text of 1 to 64 characters."))
        elif name == "status_category" and value not in STATUS_CATEGORIES:
            problems.append((where, f"Unknown status category '{value}'; use {', '.join(STATUS_CATEGORIES)}."))
        elif name == "clock" and (value not in metrics.SLA_CLOCKS or (metric and metric.key != "sla_compliance")):
            problems.append((where, f"'clock' is for sla_compliance only, one of {', '.join(metrics.SLA_CLOCKS)}."))
    return problems


def _check_layout(layout: Any, pointer: str) -> list[tuple[str, str]]:
    if not isinstance(layout, dict):
        return [(pointer, "The layout is {x, y, w, h} on a 12-column grid.")]
    problems = []
    limits = {"x": (0, COLUMNS - 1), "y": (0, MAX_ROW), "w": (1, COLUMNS), "h": (1, 12)}
    for name, (low, high) in limits.items():
        value = layout.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append((f"{pointer}/{name}", f"'{name}' is a whole number from {low} to {high}."))
    for name in sorted(set(layout) - set(limits)):
        problems.append((f"{pointer}/{name}", f"Unknown property '{name}'; the layout has x, y, w and h."))
    if not problems and layout["x"] + layout["w"] > COLUMNS:
        problems.append((f"{pointer}/w", f"The tile ends beyond column {COLUMNS}: x + w must be at most {COLUMNS}."))
    return problems


def check_tiles(tiles: Any) -> list[tuple[str, str]]:
    if not isinstance(tiles, list):
        return [("/tiles", "The tiles are a list.")]
    if len(tiles) > MAX_TILES:
        return [("/tiles", f"A dashboard has at most {MAX_TILES} tiles.")]
    problems = []
    seen: set[str] = set()
    for i, tile in enumerate(tiles):
        problems += check_tile(tile, f"/tiles/{i}")
        tile_id = tile.get("id") if isinstance(tile, dict) else None
        if isinstance(tile_id, str):
            if tile_id in seen:
                problems.append((f"/tiles/{i}/id", f"Another tile already has the id '{tile_id}'."))
            seen.add(tile_id)
    return problems


def time_range(name: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a named range, in ``tz``: the last N days up to now, or calendar months."""
    local = now.astimezone(tz)
    days = {"last_7_days": 7, "last_30_days": 30, "last_90_days": 90}
    if name in days:
        return now - timedelta(days=days[name]), now
    month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if name == "this_month":
        return month, now
    previous = (month - timedelta(days=1)).replace(day=1)
    return previous, month


def combine(rows: list[dict[str, Any]], measure: str) -> Any:
    """One value of ``measure`` over several rows (per clock, per state): sums add, averages weigh by their
    counts, ratios are recomputed; a percentile of several rows is unknown (None)."""
    if not rows:
        return 0 if measure in _SUMS else None
    if len(rows) == 1:
        return rows[0].get(measure)
    if measure in _SUMS:
        return sum(r.get(measure) or 0 for r in rows)
    if measure == "max":
        values = [r["max"] for r in rows if r.get("max") is not None]
        return max(values) if values else None
    if measure in ("avg", "business_avg"):
        weight = ("count" if "count" in rows[0] else "answers") if measure == "avg" else "business_count"
        total = sum(r.get(weight) or 0 for r in rows)
        return round(sum((r.get(measure) or 0) * (r.get(weight) or 0) for r in rows) / total, 3) if total else None
    if measure == "compliance":
        met, breached = (sum(r.get(k) or 0 for r in rows) for k in ("met", "breached"))
        return round(met / (met + breached), 4) if met + breached else None
    if measure == "rate":
        tickets, reopened = (sum(r.get(k) or 0 for r in rows) for k in ("tickets", "reopened"))
        return round(reopened / tickets, 4) if tickets else None
    if measure == "fcr":
        resolved, first = (sum(r.get(k) or 0 for r in rows) for k in ("resolved", "first_contact"))
        return round(first / resolved, 4) if resolved else None
    if measure == "satisfied_share":
        answers, satisfied = (sum(r.get(k) or 0 for r in rows) for k in ("answers", "satisfied"))
        return round(satisfied / answers, 4) if answers else None
    if measure == "nps":
        answers, promoters, detractors = (sum(r.get(k) or 0 for r in rows)
                                          for k in ("answers", "promoters", "detractors"))
        return round(100 * (promoters - detractors) / answers, 1) if answers else None
    return None
