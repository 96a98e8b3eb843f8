"""The metrics layer: each metric defined once, computed by SQL aggregation on SQLite and PostgreSQL.

A metric is a function of a :class:`MetricQuery` (range, bucket, breakdown, time zone, filters) that builds one
SELECT grouping the tickets (or their SLA clocks or events) the viewer may see; no ticket is loaded into Python,
only the aggregated rows. docs/metrics.md defines every metric exactly; the tests check them against a history
computed by hand.

Percentiles use the nearest-rank method, with the same window-function SQL on both databases: p50 is the
smallest value whose rank r among n values has 2r >= n, p90 the smallest with 10r >= 9n.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, extract, false, func, literal, or_, select, text
from sqlalchemy.orm import Session, aliased

from platform_core.auth.models import Team, User
from platform_core.db import UTCDateTime
from platform_core.errors import ApiError
from runtime.automations.models import TicketSurvey
from runtime.knowledge.models import KnowledgeDeflection
from runtime.reports import buckets, texts
from runtime.rules.cache import compiled_for, labels_for
from runtime.rules.labels import options_of
from runtime.sla.models import TicketSla
from runtime.tickets.access import visibility_filter
from runtime.tickets.models import (
    OPEN_CATEGORIES,
    Ticket,
    TicketComment,
    TicketEvent,
    TicketStateStay,
    TicketType,
    TicketTypeVersion,
)

DONE_CATEGORIES = ("resolved", "closed")
# Breakdowns on ticket attributes; any other name must be a form field with an enum.
ATTRIBUTES = ("type", "team", "assignee", "priority", "status", "status_category", "source")
SLA_CLOCKS = ("response", "resolution", "next_update")


class ReportError(ApiError):
    """A parameter names something that does not exist or cannot be used with this metric (422)."""

    status, code = 422, "validation_error"

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message, details=[{"path": parameter, "location": "query", "message": message}])


@dataclass
class MetricQuery:
    start: datetime
    end: datetime
    now: datetime
    tz: ZoneInfo
    bucket: str | None = None
    by: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    measures: tuple[str, ...] | None = None  # the measures to compute (None: all); see OPTIONAL
    locale: str = "en"  # the reader's language: the breakdown rows' ``label`` (runtime.rules.i18n.reader_locale)


@dataclass(frozen=True)
class Metric:
    key: str
    unit: str  # seconds, tickets, clocks, stays
    measures: tuple[str, ...]
    build: Callable[[Context], Any]
    uses_range: bool = True  # False: a count at the moment of the query (now)
    default_by: str | None = None
    allowed_by: tuple[str, ...] | None = None  # None: every attribute and enum field


class Context:
    """What a metric's SQL needs: the dialect, the viewer's visibility, the filters, bucket and breakdown."""

    def __init__(self, session: Session, user: User, query: MetricQuery, metric: Metric) -> None:
        self.session, self.user, self.query, self.metric = session, user, query, metric
        self.dialect = session.get_bind().dialect.name
        self.by = query.by or metric.default_by
        self.type_ids = self._type_ids()
        self.by_column = self._by_column(self.by) if self.by else None

    # ----------------------------------------------------------------- filters and breakdowns

    def _type_ids(self) -> list[int] | None:
        key = self.query.filters.get("type")
        if key is None:
            return None
        type_id = self.session.scalar(select(TicketType.id).where(TicketType.key == key))
        if type_id is None:
            raise ReportError("type", f"There is no ticket type '{key}'.")
        return [type_id]

    def latest_versions(self) -> list[TicketTypeVersion]:
        """The latest published definition of each type in scope (the ``type`` filter's, else every type's), in
        the order the types were created."""
        stmt = select(TicketTypeVersion).join(TicketType, (TicketTypeVersion.ticket_type_id == TicketType.id)
                                              & (TicketTypeVersion.number == TicketType.latest_version))
        if self.type_ids is not None:
            stmt = stmt.where(TicketType.id.in_(self.type_ids))
        return list(self.session.scalars(stmt.order_by(TicketType.id)))

    def enum_fields(self) -> dict[str, dict[str, Any]]:
        """Form fields with an enum in the latest definition of the types in scope, by name."""
        found: dict[str, dict[str, Any]] = {}
        for version in self.latest_versions():
            document = compiled_for(version).document
            properties = ((document.get("form") or {}).get("schema") or {}).get("properties") or {}
            for name, spec in properties.items():
                if isinstance(spec, dict) and isinstance(spec.get("enum"), list):
                    found.setdefault(name, spec)
        return found

    def _by_column(self, name: str) -> Any:
        allowed = self.metric.allowed_by
        if allowed is not None and name not in allowed:
            raise ReportError("by", f"The metric '{self.metric.key}' cannot be broken down by '{name}'; "
                                    f"it can be by: {', '.join(allowed)}.")
        columns = {"type": Ticket.ticket_type_id, "team": Ticket.team_id, "assignee": Ticket.assignee_id,
                   "priority": Ticket.priority, "status": Ticket.status, "status_category": Ticket.status_category,
                   "source": Ticket.source}
        if name in columns:
            return columns[name]
        if allowed is not None and name in allowed:
            return None  # the metric supplies it (a clock, a state)
        if name not in self.enum_fields():
            raise ReportError("by", f"There is no field '{name}' to break down by: use one of {', '.join(ATTRIBUTES)} "
                                    "or a form field with a list of values (enum).")
        return Ticket.data[name].as_string()

    def ticket_where(self) -> list[Any]:
        """The viewer's visibility and the query's filters, on ``Ticket``."""
        where = [visibility_filter(self.session, self.user)]
        filters = self.query.filters
        if self.type_ids is not None:
            where.append(Ticket.ticket_type_id.in_(self.type_ids))
        if filters.get("team") is not None:
            team_id = self.session.scalar(select(Team.id).where(Team.key == filters["team"]))
            if team_id is None:
                raise ReportError("team", f"There is no team '{filters['team']}'.")
            where.append(Ticket.team_id == team_id)
        for name in ("priority", "status", "status_category", "source"):
            if filters.get(name) is not None:
                where.append(getattr(Ticket, name) == filters[name])
        if filters.get("assignee") is not None:
            where.append(Ticket.assignee_id == filters["assignee"])
        return [w for w in where if w is not True]

    # ----------------------------------------------------------------- SQL helpers

    def wants(self, measure: str) -> bool:
        return self.query.measures is None or measure in self.query.measures

    def seconds(self, later: Any, earlier: Any) -> Any:
        """``later - earlier`` in seconds, as a number."""
        if self.dialect == "postgresql":
            return extract("epoch", later - earlier)
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0

    def instant(self, value: datetime) -> Any:
        return literal(value, UTCDateTime())

    def in_range(self, column: Any) -> Any:
        return and_(column >= self.instant(self.query.start), column < self.instant(self.query.end))

    def keys(self, time_column: Any | None, extra: list[tuple[str, Any]] = (),  # type: ignore[assignment]
             by: dict[str, Any] | None = None) -> list[Any]:
        """The grouping columns: the bucket of ``time_column`` (when asked), the metric's own keys, the breakdown
        (``by`` names a metric's own column for a breakdown, e.g. the team a survey was asked of)."""
        out = []
        if self.query.bucket and time_column is not None:
            out.append(buckets.bucket_expr(self.dialect, time_column, self.query.bucket, self.query.tz,
                                           self.query.start, self.query.end).label("bucket"))
        out += [column.label(name) for name, column in extra]
        column = (by or {}).get(self.by, self.by_column) if self.by else None
        if column is not None:
            out.append(column.label("group"))
        return out


PERCENTILES = {"p50": (1, 2), "p90": (9, 10)}  # p = a / b: the smallest value whose rank r among n has b*r >= a*n
# Measures computed only when asked for (MetricQuery.measures): percentiles rank every value, business times join
# the SLA clocks.
OPTIONAL = {*PERCENTILES, "business_count", "business_avg"}


@dataclass(frozen=True)
class Since:
    """The values of a distribution are the seconds from a column ``o`` of the base to one instant (a backlog's
    ages: now - created_at): they sort as ``o`` does, backwards. PostgreSQL then ranks the timestamps, which sort
    faster than numbers of seconds, and turns only the chosen one (and the earliest, for the max) into seconds."""

    instant: Any


def _distribution(ctx: Context, base: Any, key_names: list[str], extra_avg: tuple[str, ...] = (),
                  since: Since | None = None) -> Any:
    """count, avg, p50, p90, max of ``base.v`` per key (and avg/count of the ``extra_avg`` columns).

    Percentiles are nearest-rank, and computed only when the query asks for them (``MetricQuery.measures``):
    they rank every value, the rest is one pass. PostgreSQL takes them from the ordered-set aggregate
    ``percentile_disc(p)``, which returns the value at rank ceil(p * n) (at least 1) of the group's sorted values:
    the nearest rank, since ceil(0.9 * n) computed in double precision is the exact ceil(9n / 10) for every n
    below 10^14 (0.9 is off by 2e-17, far less than the 0.1 that separates 0.9n from an integer when it is not
    one, and less than half a unit in the last place of 0.9n when it is). SQLite has no ordered-set aggregates:
    there ``row_number()`` and ``count()`` over the group rank the values and the percentile is the smallest
    value whose rank passes, the same definition."""
    sub = base.subquery()
    keys = [sub.c[name] for name in key_names]
    v = sub.c.v
    wanted = [name for name in PERCENTILES if ctx.wants(name)]
    extras = [*[func.count(sub.c[name]).label(f"{name}_count") for name in extra_avg],
              *[func.avg(sub.c[name]).label(f"{name}_avg") for name in extra_avg]]
    postgresql = ctx.dialect == "postgresql"
    if postgresql and since is not None:
        biggest = ctx.seconds(since.instant, func.min(sub.c.o))
        percentiles = [ctx.seconds(since.instant, func.percentile_disc(PERCENTILES[name][0] / PERCENTILES[name][1])
                                   .within_group(sub.c.o.desc())).label(name) for name in wanted]
    else:
        biggest = func.max(v)
        percentiles = [func.percentile_disc(PERCENTILES[name][0] / PERCENTILES[name][1]).within_group(v).label(name)
                       for name in wanted]
    plain = [func.count().label("count"), func.avg(v).label("avg"), biggest.label("max")]
    if not wanted or postgresql:
        return select(*keys, *plain, *(percentiles if wanted else []), *extras).group_by(*keys)
    window = {"partition_by": keys} if keys else {}
    ranked = select(*keys, v, *[sub.c[name] for name in extra_avg],
                    func.row_number().over(order_by=v, **window).label("rn"),
                    func.count().over(**window).label("n")).subquery()
    keys = [ranked.c[name] for name in key_names]
    rank, n, v = ranked.c.rn, ranked.c.n, ranked.c.v
    return select(*keys, func.count().label("count"), func.avg(v).label("avg"), func.max(v).label("max"),
                  *[func.min(case((PERCENTILES[name][1] * rank >= PERCENTILES[name][0] * n, v))).label(name)
                    for name in wanted],
                  *[func.count(ranked.c[name]).label(f"{name}_count") for name in extra_avg],
                  *[func.avg(ranked.c[name]).label(f"{name}_avg") for name in extra_avg]).group_by(*keys)


def _key_names(columns: list[Any]) -> list[str]:
    return [column.name for column in columns]


# --------------------------------------------------------------------------- the metrics


def _elapsed(ctx: Context, at: Any, clock_metric: str, where: list[Any]) -> Any:
    """The distribution of ``at - created_at`` over the tickets whose ``at`` is in the range, with the business
    seconds of their stopped SLA clock ``clock_metric`` when the query asks for them (the join costs a lookup per
    ticket)."""
    keys = ctx.keys(at)
    columns = [*keys, ctx.seconds(at, Ticket.created_at).label("v")]
    business = ctx.wants("business_count") or ctx.wants("business_avg")
    if business:
        clock = aliased(TicketSla)
        columns.append(clock.elapsed_seconds.label("business"))
    base = select(*columns).where(at.isnot(None), ctx.in_range(at), *where, *ctx.ticket_where())
    if business:
        # a join, not a subquery per row: (ticket_id, metric) is unique, so each ticket stays one row
        base = base.outerjoin(clock, and_(clock.ticket_id == Ticket.id, clock.metric == clock_metric,
                                          clock.status == "stopped"))
    return _distribution(ctx, base, _key_names(keys), ("business",) if business else ())


def first_response_time(ctx: Context) -> Any:
    return _elapsed(ctx, Ticket.first_response_at, "response", [])


def resolution_time(ctx: Context) -> Any:
    return _elapsed(ctx, Ticket.resolved_at, "resolution", [Ticket.status_category.in_(DONE_CATEGORIES)])


def backlog(ctx: Context) -> Any:
    keys = ctx.keys(None)
    now = ctx.instant(ctx.query.now)
    base = select(*keys, ctx.seconds(now, Ticket.created_at).label("v"), Ticket.created_at.label("o")).where(
        Ticket.status_category.in_(OPEN_CATEGORIES), *ctx.ticket_where())
    return _distribution(ctx, base, _key_names(keys), since=Since(now))


def volume(ctx: Context) -> Any:
    keys = ctx.keys(Ticket.created_at)
    return select(*keys, func.count().label("count")).where(
        ctx.in_range(Ticket.created_at), *ctx.ticket_where()).group_by(*keys)


def created_vs_resolved(ctx: Context) -> Any:
    created_keys = ctx.keys(Ticket.created_at)
    resolved_keys = ctx.keys(Ticket.resolved_at)
    created = select(*created_keys, literal(1).label("created"), literal(0).label("resolved")).where(
        ctx.in_range(Ticket.created_at), *ctx.ticket_where())
    resolved = select(*resolved_keys, literal(0).label("created"), literal(1).label("resolved")).where(
        Ticket.resolved_at.isnot(None), Ticket.status_category.in_(DONE_CATEGORIES), ctx.in_range(Ticket.resolved_at),
        *ctx.ticket_where())
    both = created.union_all(resolved).subquery()
    keys = [both.c[name] for name in _key_names(created_keys)]
    return select(*keys, func.sum(both.c.created).label("created"), func.sum(both.c.resolved).label("resolved")).group_by(*keys)


def sla_compliance(ctx: Context) -> Any:
    breached = or_(TicketSla.breached_at.isnot(None), TicketSla.elapsed_seconds > TicketSla.target_seconds)
    keys = ctx.keys(TicketSla.started_at, [("clock", TicketSla.metric)])
    on_ticket = ctx.ticket_where()
    where = [ctx.in_range(TicketSla.started_at), *on_ticket]
    if ctx.query.filters.get("clock"):
        where.append(TicketSla.metric == ctx.query.filters["clock"])
    stmt = select(*keys, func.count().label("clocks"),
                  func.sum(case((and_(TicketSla.status == "stopped", ~breached), 1), else_=0)).label("met"),
                  func.sum(case((breached, 1), else_=0)).label("breached"),
                  func.sum(case((and_(TicketSla.status != "stopped", ~breached), 1), else_=0)).label("running"))
    if on_ticket or ctx.by:  # else nothing reads the ticket (every clock has one: a foreign key, deleted with it)
        stmt = stmt.join(Ticket, Ticket.id == TicketSla.ticket_id)
    return stmt.where(*where).group_by(*keys)


def _done_states(session: Session) -> Any:
    """A condition on a transition event's ``from`` state: it was a resolved or closed state of the ticket's
    definition version (state categories live in the definitions, a few rows, read from the cache)."""
    by_keys: dict[tuple[str, ...], list[int]] = {}
    for version in session.scalars(select(TicketTypeVersion)):
        states = (compiled_for(version).document.get("workflow") or {}).get("states") or []
        done = tuple(sorted(s["key"] for s in states if isinstance(s, dict) and s.get("category") in DONE_CATEGORIES))
        if done:
            by_keys.setdefault(done, []).append(version.id)
    source = TicketEvent.details["from"].as_string()
    clauses = [and_(Ticket.type_version_id.in_(ids), source.in_(keys)) for keys, ids in by_keys.items()]
    return or_(*clauses) if clauses else false()


def reopen_rate(ctx: Context) -> Any:
    keys = ctx.keys(Ticket.created_at)
    reopened = exists().where(TicketEvent.ticket_id == Ticket.id, TicketEvent.kind == "transitioned",
                              _done_states(ctx.session))
    return select(*keys, func.count().label("tickets"),
                  func.sum(case((reopened, 1), else_=0)).label("reopened")).where(
        ctx.in_range(Ticket.created_at), *ctx.ticket_where()).group_by(*keys)


def first_contact_resolution(ctx: Context) -> Any:
    """Tickets resolved in the range (as resolution_time counts them) and, of those, the ones solved at the first
    contact: never reopened, and at most one public comment by anyone but the requester (the reply that solved
    it; internal notes between agents do not count)."""
    keys = ctx.keys(Ticket.resolved_at)
    replies = select(func.count(TicketComment.id)).where(
        TicketComment.ticket_id == Ticket.id, TicketComment.internal.is_(False),
        TicketComment.author_id.isnot(None), TicketComment.author_id != Ticket.requester_id).scalar_subquery()
    reopened = exists().where(TicketEvent.ticket_id == Ticket.id, TicketEvent.kind == "transitioned",
                              _done_states(ctx.session))
    first_contact = and_(replies <= 1, ~reopened)
    return select(*keys, func.count().label("resolved"),
                  func.sum(case((first_contact, 1), else_=0)).label("first_contact")).where(
        Ticket.resolved_at.isnot(None), Ticket.status_category.in_(DONE_CATEGORIES), ctx.in_range(Ticket.resolved_at),
        *ctx.ticket_where()).group_by(*keys)


def time_in_state(ctx: Context) -> Any:
    """Stays that ended in the range: from the previous transition (or the creation) to the transition leaving
    the state, which the event's ``from`` names.

    The tickets package writes each stay with the transitions that begin and end it (``TicketStateStay``), so the
    range's stays are one range of ``ix_ticket_state_stay_left``, read from the index alone; the ticket is joined
    only for the viewer's visibility, the filters and the breakdown (its current attributes)."""
    stay = TicketStateStay
    keys = ctx.keys(stay.left_at, [("state", stay.status)])
    on_ticket = ctx.ticket_where()
    base = select(*keys, ctx.seconds(stay.left_at, stay.entered_at).label("v")).select_from(stay).where(
        ctx.in_range(stay.left_at), *on_ticket)
    if on_ticket or ctx.by:  # else nothing reads the ticket (every stay has one: a foreign key, deleted with it)
        base = base.join(Ticket, Ticket.id == stay.ticket_id)
    return _distribution(ctx, base, _key_names(keys))


def _survey_scores(ctx: Context, kind: str) -> tuple[list[Any], Any]:
    """Answered surveys of ``kind`` in the range (by their answer's time) of the tickets the viewer may see; a
    breakdown by team, assignee or type is the one the survey was asked of (copied then: a later reassignment
    does not move the answer to someone else)."""
    keys = ctx.keys(TicketSurvey.answered_at, by={"team": TicketSurvey.team_id, "assignee": TicketSurvey.agent_id,
                                                  "type": TicketSurvey.ticket_type_id})
    where = [TicketSurvey.kind == kind, TicketSurvey.score.isnot(None), ctx.in_range(TicketSurvey.answered_at),
             *ctx.ticket_where()]
    return keys, where


def csat(ctx: Context) -> Any:
    keys, where = _survey_scores(ctx, "csat")
    return select(*keys, func.count().label("answers"), func.avg(TicketSurvey.score).label("avg"),
                  func.sum(case((TicketSurvey.score >= 4, 1), else_=0)).label("satisfied")).join(
        Ticket, Ticket.id == TicketSurvey.ticket_id).where(*where).group_by(*keys)


def nps(ctx: Context) -> Any:
    keys, where = _survey_scores(ctx, "nps")
    return select(*keys, func.count().label("answers"),
                  func.sum(case((TicketSurvey.score >= 9, 1), else_=0)).label("promoters"),
                  func.sum(case((TicketSurvey.score <= 6, 1), else_=0)).label("detractors")).join(
        Ticket, Ticket.id == TicketSurvey.ticket_id).where(*where).group_by(*keys)


def deflections(ctx: Context) -> Any:
    """Requests a knowledge article ended before a ticket was filed ("this solved it"). No ticket exists, so only
    the type filter applies."""
    for name, value in ctx.query.filters.items():
        if value is not None and name != "type":
            raise ReportError(name, f"Deflections happen before there is a ticket: only 'type' filters them, not "
                                    f"'{name}'.")
    keys = ctx.keys(KnowledgeDeflection.created_at, by={"type": KnowledgeDeflection.type_key})
    where = [ctx.in_range(KnowledgeDeflection.created_at)]
    if ctx.query.filters.get("type") is not None:
        where.append(KnowledgeDeflection.type_key == ctx.query.filters["type"])
    return select(*keys, func.count().label("count")).where(*where).group_by(*keys)


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("first_response_time", "seconds", ("count", "avg", "p50", "p90", "max", "business_count", "business_avg"),
           first_response_time),
    Metric("resolution_time", "seconds", ("count", "avg", "p50", "p90", "max", "business_count", "business_avg"),
           resolution_time),
    Metric("backlog", "seconds", ("count", "avg", "p50", "p90", "max"), backlog, uses_range=False),
    Metric("load", "seconds", ("count", "avg", "p50", "p90", "max"), backlog, uses_range=False,
           default_by="assignee", allowed_by=("assignee", "team")),
    Metric("created_vs_resolved", "tickets", ("created", "resolved", "net"), created_vs_resolved),
    Metric("sla_compliance", "clocks", ("clocks", "met", "breached", "running", "compliance"), sla_compliance),
    Metric("reopen_rate", "tickets", ("tickets", "reopened", "rate"), reopen_rate),
    Metric("first_contact_resolution", "tickets", ("resolved", "first_contact", "fcr"), first_contact_resolution),
    Metric("time_in_state", "seconds", ("count", "avg", "p50", "p90", "max"), time_in_state),
    Metric("volume", "tickets", ("count",), volume),
    Metric("csat", "answers", ("answers", "avg", "satisfied", "satisfied_share"), csat),
    Metric("nps", "answers", ("answers", "promoters", "detractors", "nps"), nps),
    Metric("deflections", "requests", ("count",), deflections, allowed_by=("type",)),
)}

# Measures computed from others once the rows are read.
DERIVED: dict[str, Callable[[dict[str, Any]], Any]] = {
    "net": lambda r: (r["created"] or 0) - (r["resolved"] or 0),
    "compliance": lambda r: round(r["met"] / (r["met"] + r["breached"]), 4) if (r["met"] + r["breached"]) else None,
    "rate": lambda r: round(r["reopened"] / r["tickets"], 4) if r["tickets"] else None,
    "fcr": lambda r: round(r["first_contact"] / r["resolved"], 4) if r["resolved"] else None,
    "satisfied_share": lambda r: round(r["satisfied"] / r["answers"], 4) if r["answers"] else None,
    # Net Promoter Score: the share of promoters (9-10) less the share of detractors (0-6), in points (-100..100).
    "nps": lambda r: round(100 * (r["promoters"] - r["detractors"]) / r["answers"], 1) if r["answers"] else None,
}


def settle(session: Session) -> None:
    """PostgreSQL's settings for the metrics' queries, for the current transaction only: no JIT (their plans cost
    enough to be compiled, and compiling took longer than running them: seconds on a busy machine), and the sorts
    of a distribution (hundreds of thousands of values) in memory rather than in temporary files."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))


def compute(session: Session, user: User, key: str, query: MetricQuery) -> dict[str, Any]:
    """The metric's rows: ``{"bucket"?, "clock"?/"state"? "state_label"?, "group"?, "label"?, measures...}`` (labels
    in the reader's language, ``query.locale``: see ``_labels``); an ``OPTIONAL``
    measure that ``query.measures`` leaves out is not computed and not in the rows (nor in ``measures``)."""
    metric = METRICS[key]
    if query.bucket and not metric.uses_range:
        raise ReportError("bucket", f"The metric '{key}' counts the tickets open now; it has no time buckets.")
    ctx = Context(session, user, query, metric)
    stmt = metric.build(ctx)
    settle(session)
    rows = [dict(row._mapping) for row in session.execute(stmt)]
    labels = _labels(ctx, {row.get("group") for row in rows})
    states = _labels(ctx, {row["state"] for row in rows if "state" in row}, by="status")  # time_in_state's
    measures = [m for m in metric.measures if m not in OPTIONAL or ctx.wants(m)]  # the rest is always there
    out = []
    for row in rows:
        item: dict[str, Any] = {}
        if "bucket" in row:
            item["bucket"] = buckets.to_local(row["bucket"], query.tz).isoformat()
        for name in ("clock", "state"):
            if name in row:
                item[name] = row[name]
        if "state" in row:
            item["state_label"] = states.get(row["state"], row["state"])
        if ctx.by:
            item["group"] = None if row.get("group") is None else str(row["group"])
            item["label"] = labels.get(row.get("group"), item["group"])
        for measure in measures:
            if measure in DERIVED:
                continue
            value = row.get(measure)
            item[measure] = _number(value)
        for measure in measures:
            if measure in DERIVED:
                item[measure] = DERIVED[measure](item)
        out.append(item)
    out.sort(key=lambda r: (r.get("bucket") or "", r.get("clock") or r.get("state") or "", str(r.get("label") or "")))
    return {"metric": key, "unit": metric.unit, "measures": measures, "by": ctx.by,
            "bucket": query.bucket, "tz": query.tz.key,
            "from_": query.start.isoformat() if metric.uses_range else None,
            "to": query.end.isoformat() if metric.uses_range else None,
            "at": query.now.isoformat(), "rows": out}


def _number(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    number = round(float(value), 3)  # SQLite's julianday arithmetic is a few microseconds off whole seconds
    return int(number) if number.is_integer() else number


def _labels(ctx: Context, values: set[Any], by: str | None = None) -> dict[Any, str]:
    """What the reader of ``ctx.query.locale`` calls each group: people's names for teams, assignees and types;
    the built-in words for status categories and sources; for a status, the state's name, and for a form field
    (or a priority the definitions give options), the option's label, both from the latest definition of the
    types in scope (runtime.rules.labels, as the definitions' charts say them): the first of those types, in the
    order they were created, whose definition lists the value. A value none lists keeps its stored text.
    ``by`` names the breakdown when it is not the query's (time_in_state's states)."""
    session, by, locale = ctx.session, by or ctx.by, ctx.query.locale
    ids = [v for v in values if v is not None]
    if not ids or by is None:
        return {}
    if by == "team":
        return {t.id: t.name for t in session.scalars(select(Team).where(Team.id.in_(ids)))}
    if by == "assignee":
        return {u.id: u.name for u in session.scalars(select(User).where(User.id.in_(ids)))}
    if by == "type":
        if all(isinstance(v, str) for v in ids):  # deflections name the type by its key
            return {t.key: t.name for t in session.scalars(select(TicketType).where(TicketType.key.in_(ids)))}
        return {t.id: t.name for t in session.scalars(select(TicketType).where(TicketType.id.in_(ids)))}
    if by in ("status_category", "source"):
        return {v: texts.word(f"{by}.{v}", locale, str(v)) for v in ids}
    if by not in ("status", "priority") and by in ATTRIBUTES:
        return {}
    wanted = {str(v): v for v in ids}
    found: dict[Any, str] = {}
    for version in ctx.latest_versions():
        labels = labels_for(version, locale)
        if by == "status":
            known = [(key, labels.state(key)) for key in wanted if key in labels.states]
        else:
            known = [(str(value), label) for value, label in options_of(labels.fields.get(by), labels.ui.get(by)) or []
                     if str(value) in wanted]
        for key, label in known:
            found.setdefault(wanted[key], label)
        if len(found) == len(wanted):
            break
    return found
