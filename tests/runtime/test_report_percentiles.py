"""The distributions of the metrics layer are exact nearest-rank, on both databases: PostgreSQL's percentile_disc
and SQLite's ranking window give, for every group size from 1 to 60 (ties and fractions included), the value
Python computes from the definition in docs/metrics.md; a percentile that is not asked for is not computed."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, literal, select

from platform_core.db import get_session

SIZES = 60


def nearest_rank(values: list[float], a: int, b: int) -> float:
    """The smallest value whose rank r among n has b*r >= a*n (docs/metrics.md)."""
    ordered = sorted(values)
    n = len(ordered)
    return next(v for r, v in enumerate(ordered, start=1) if b * r >= a * n)


def value(size: int, i: int) -> float:
    """A value with ties (13 distinct) and fractions, in no order."""
    return ((size * 31 + i * 7919) % 13) * 1.25


def test_percentiles_are_nearest_rank_for_every_group_size(app):
    from runtime.reports import metrics

    with app.app_context():
        session = get_session()
        numbers = select(literal(1, Integer).label("n")).cte("numbers", recursive=True)
        numbers = numbers.union_all(select(numbers.c.n + 1).where(numbers.c.n < SIZES))
        size, i = numbers.alias("size"), numbers.alias("i")
        # group `size` has `size` values: the pairs (size, i) with i <= size
        base = select(size.c.n.label("group"), (((size.c.n * 31 + i.c.n * 7919) % 13) * 1.25).label("v")).where(
            i.c.n <= size.c.n)
        now = datetime(2026, 12, 1, tzinfo=UTC)
        query = metrics.MetricQuery(start=now, end=now, now=now, tz=ZoneInfo("UTC"))
        ctx = metrics.Context(session, None, query, metrics.METRICS["backlog"])  # type: ignore[arg-type]
        rows = {row.group: row for row in session.execute(metrics._distribution(ctx, base, ["group"]))}
        assert sorted(rows) == list(range(1, SIZES + 1))
        for n, row in rows.items():
            values = [value(n, k) for k in range(1, n + 1)]
            assert (row.count, float(row.p50), float(row.p90), float(row.max)) == (
                n, nearest_rank(values, 1, 2), nearest_rank(values, 9, 10), max(values)), n
            assert math.isclose(float(row.avg), sum(values) / n)
        one = session.execute(metrics._distribution(ctx, base.where(size.c.n == 10), [])).one()
        assert (one.count, float(one.p50), float(one.p90)) == (10, nearest_rank([value(10, k) for k in range(1, 11)], 1, 2),
                                                              nearest_rank([value(10, k) for k in range(1, 11)], 9, 10))
        counted = metrics.MetricQuery(start=now, end=now, now=now, tz=ZoneInfo("UTC"), measures=("count", "avg"))
        ctx = metrics.Context(session, None, counted, metrics.METRICS["backlog"])  # type: ignore[arg-type]
        plain = {row.group: row._mapping for row in session.execute(metrics._distribution(ctx, base, ["group"]))}
        assert all("p50" not in row and "p90" not in row for row in plain.values())
        assert {n: (row["count"], row["max"]) for n, row in plain.items()} == {
            n: (row.count, row.max) for n, row in rows.items()}


def test_the_float_fraction_of_percentile_disc_is_the_exact_nearest_rank():
    """PostgreSQL ranks ceil(p * n) in double precision: for p = 0.9 that is ceil(9n / 10) exactly (checked here for
    the sizes a group can have in practice; docs and metrics.py say why it holds below 10^14)."""
    for n in (*range(1, 200_001), 10**6, 10**7 + 3, 123_456_789, 10**12 + 1):
        assert math.ceil(0.9 * n) == (9 * n + 9) // 10, n
        assert math.ceil(0.5 * n) == (n + 1) // 2, n
