"""Reports API: one endpoint per metric of the metrics layer, staff only, counting only what the viewer may see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import marshmallow as ma
from flask import request
from marshmallow import fields, validate, validates_schema
from sqlalchemy import select

from platform_core.api import Blueprint
from platform_core.auth.current import actor, requires
from platform_core.db import db_session, utcnow
from platform_core.errors import NotFound
from runtime.reports import buckets, charts, metrics
from runtime.rules.i18n import reader_locale
from runtime.tickets.models import TicketType

bp = Blueprint("reports", __name__, url_prefix="/api/v1/reports",
               description="Metrics of the tickets the caller may see, aggregated by the database")

STAFF = ("admin", "agent")
MAX_RANGE = timedelta(days=3 * 366)
DEFAULT_RANGE = timedelta(days=30)


def parse_instant(text: str, tz: ZoneInfo) -> datetime:
    """An ISO 8601 date-time (with an offset, or local to ``tz``) or a date (its local midnight)."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=tz)
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise ma.ValidationError("Not an ISO 8601 date or date-time, e.g. 2026-11-01 or 2026-11-01T08:00:00+08:00.") from error
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


class MetricQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE  # a misspelt filter is an error, not a silently wider figure

    from_ = fields.String(data_key="from", load_default=None, metadata={
        "description": "Start of the range (inclusive): a date (midnight in tz) or a date-time; default 30 days before 'to'",
        "example": "2026-11-01"})
    to = fields.String(load_default=None, metadata={
        "description": "End of the range (exclusive): a date (midnight in tz) or a date-time; default now",
        "example": "2026-12-01"})
    bucket = fields.String(load_default=None, validate=validate.OneOf(buckets.UNITS),
                           metadata={"description": "Group by hour, day, week (from Monday) or month, in tz"})
    by = fields.String(load_default=None, validate=validate.Length(max=100), metadata={
        "description": "Break down by type, team, assignee, priority, status, status_category, source or a form "
                       "field with an enum (e.g. category)"})
    tz = fields.String(load_default=None, validate=validate.Length(max=64),
                       metadata={"description": "IANA time zone of the buckets and of dates given without a time; "
                                                "default the caller's profile time zone",
                                 "example": "Asia/Shanghai"})
    type = fields.String(load_default=None, validate=validate.Length(max=64), metadata={"description": "A ticket type's key"})
    team = fields.String(load_default=None, validate=validate.Length(max=64), metadata={"description": "A team's key"})
    priority = fields.String(load_default=None, validate=validate.Length(max=20))
    status = fields.String(load_default=None, validate=validate.Length(max=64), metadata={"description": "A state's key"})
    status_category = fields.String(load_default=None, validate=validate.OneOf(
        ("new", "open", "pending", "resolved", "closed")))
    source = fields.String(load_default=None, validate=validate.Length(max=16))
    assignee = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2**31 - 1),
                              metadata={"description": "A user's id"})
    clock = fields.String(load_default=None, validate=validate.OneOf(metrics.SLA_CLOCKS),
                          metadata={"description": "sla_compliance only: one clock"})

    @validates_schema
    def _check(self, data: dict[str, Any], **_: Any) -> None:
        try:
            tz = ZoneInfo(data["tz"] or "UTC")
        except (ZoneInfoNotFoundError, ValueError, OSError) as error:
            raise ma.ValidationError(f"Unknown time zone '{data['tz']}'; use an IANA name such as Asia/Shanghai.",
                                     "tz") from error
        problems: dict[str, list[str]] = {}
        values: dict[str, datetime] = {}
        for name, key in (("from", "from_"), ("to", "to")):
            if data.get(key):
                try:
                    values[name] = parse_instant(data[key], tz)
                except ma.ValidationError as error:
                    problems[name] = list(error.messages)
        if problems:
            raise ma.ValidationError(problems)
        end = values.get("to") or utcnow()
        start = values.get("from") or end - DEFAULT_RANGE
        if start >= end:
            raise ma.ValidationError({"to": [f"'to' ({end.isoformat()}) must be after 'from' ({start.isoformat()})."]})
        if end - start > MAX_RANGE:
            raise ma.ValidationError({"from": ["The range may cover at most three years."]})
        if data.get("bucket") and (end - start).total_seconds() / buckets.UNIT_SECONDS[data["bucket"]] > buckets.MAX_BUCKETS:
            raise ma.ValidationError({"bucket": [f"Too many {data['bucket']} buckets for this range (at most "
                                                 f"{buckets.MAX_BUCKETS}); choose a longer bucket or a shorter range."]})


class MetricResultSchema(ma.Schema):
    metric = fields.String()
    unit = fields.String(metadata={"description": "seconds, tickets, clocks, answers (surveys) or requests (deflections)"})
    measures = fields.List(fields.String(), metadata={"description": "The value columns of each row"})
    by = fields.String(allow_none=True)
    bucket = fields.String(allow_none=True)
    tz = fields.String()
    from_ = fields.String(data_key="from", allow_none=True)
    to = fields.String(allow_none=True)
    at = fields.String(metadata={"description": "When it was computed (backlog and load count open tickets then)"})
    rows = fields.List(fields.Dict(), metadata={"description": "One per bucket, clock/state and group: keys (group: the "
                                                             "stored value, label: in the reader's language) and measures"})


class MetricInfoSchema(ma.Schema):
    key = fields.String()
    unit = fields.String()
    measures = fields.List(fields.String())
    uses_range = fields.Boolean()
    default_by = fields.String(allow_none=True)


class MetricListSchema(ma.Schema):
    items = fields.List(fields.Nested(MetricInfoSchema))


def metric_query(args: dict[str, Any], profile_zone: str | None, locale: str = "en") -> metrics.MetricQuery:
    try:
        tz = ZoneInfo(args["tz"] or profile_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        tz = ZoneInfo("UTC")
    now = utcnow()
    end = parse_instant(args["to"], tz) if args.get("to") else now
    start = parse_instant(args["from_"], tz) if args.get("from_") else end - DEFAULT_RANGE
    filters = {name: args.get(name) for name in ("type", "team", "priority", "status", "status_category", "source",
                                                 "assignee", "clock")}
    return metrics.MetricQuery(start=start, end=end, now=now, tz=tz, bucket=args.get("bucket"), by=args.get("by"),
                               filters=filters, locale=locale)


@bp.get("/metrics")
@requires(*STAFF)
@bp.response(200, MetricListSchema)
def list_metrics():
    """The metrics there are (docs/metrics.md defines each)."""
    return {"items": [{"key": m.key, "unit": m.unit, "measures": list(m.measures), "uses_range": m.uses_range,
                       "default_by": m.default_by} for m in metrics.METRICS.values()]}


@bp.get("/metrics/<metric>")
@requires(*STAFF)
@bp.arguments(MetricQuerySchema, location="query", unknown=ma.RAISE)
@bp.response(200, MetricResultSchema)
def get_metric(args, metric):
    """One metric over a range, by time bucket and breakdown, of the tickets the caller may see."""
    if metric not in metrics.METRICS:
        raise NotFound(f"There is no metric '{metric}'; the metrics are: {', '.join(metrics.METRICS)}.",
                       details=[{"path": "metric", "location": "path", "message": f"Unknown metric '{metric}'."}])
    locale = reader_locale(actor().locale, request.headers.get("Accept-Language"))
    return metrics.compute(db_session, actor(), metric, metric_query(args, actor().time_zone, locale))


charts_bp = Blueprint("type_charts", __name__, url_prefix="/api/v1/ticket-types",
                      description="The charts a ticket type's definition declares, as plotly figures")


class ChartSchema(ma.Schema):
    key = fields.String()
    title = fields.String(metadata={"description": "In the reader's language"})
    type = fields.String(metadata={"description": "bar, line, area, pie, table or number"})
    figure = fields.Dict(metadata={"description": "A plotly figure (data and layout) to draw with plotly.js"})
    error = fields.String(metadata={"description": "Why this chart could not be computed (instead of figure)"})


class ChartListSchema(ma.Schema):
    type = fields.String()
    name = fields.String()
    items = fields.List(fields.Nested(ChartSchema), metadata={"description": "In the definition's order"})


@charts_bp.get("/<key>/charts")
@requires(*STAFF)
@charts_bp.response(200, ChartListSchema)
def type_charts(key):
    """Each chart the type's latest definition declares, computed now over the tickets the caller may see."""
    session = db_session
    ticket_type = session.scalar(select(TicketType).where(TicketType.key == key))
    if ticket_type is None:
        raise NotFound(f"There is no ticket type '{key}'.")
    locale = reader_locale(actor().locale, request.headers.get("Accept-Language"))
    return {"type": ticket_type.key, "name": ticket_type.name,
            "items": charts.type_charts(session, actor(), ticket_type, locale, utcnow())}
