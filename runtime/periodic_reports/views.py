"""Periodic reports API: run a report for any period (staff), and the subscriptions that e-mail them (admins)."""

from __future__ import annotations

import csv
import io
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import marshmallow as ma
from flask import Response, request
from marshmallow import fields, validate
from sqlalchemy import select

from platform_core import audit
from platform_core.api import Blueprint
from platform_core.audit import csv_cell
from platform_core.auth.current import actor, requires
from platform_core.auth.models import User
from platform_core.db import db_session, utcnow
from platform_core.errors import NotFound, ValidationFailed
from platform_core.fields import Flag, Id
from runtime.periodic_reports import definitions, mailing, periods
from runtime.periodic_reports.models import ReportSubscription
from runtime.periodic_reports.texts import word
from runtime.reports.metrics import ReportError
from runtime.rules.i18n import LOCALES, reader_locale

bp = Blueprint("periodic_reports", __name__, url_prefix="/api/v1/reports",
               description="Periodic reports (root causes, SLA review, team summary) and their e-mail subscriptions")

STAFF = ("admin", "agent")


def _locale() -> str:
    return reader_locale(actor().locale, request.headers.get("Accept-Language"))


def _zone(name: str | None, where: str = "tz") -> ZoneInfo:
    try:
        return ZoneInfo(name or actor().time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:  # 'Asia' is a directory
        raise ReportError(where, f"Unknown time zone '{name}'; use an IANA name such as Asia/Shanghai.") from error


def _report(key: str) -> definitions.Report:
    report = definitions.REPORTS.get(key)
    if report is None:
        message = f"There is no report '{key}'; the reports are: {', '.join(definitions.REPORTS)}."
        raise NotFound(message, details=[{"path": "report", "location": "path", "message": message}])
    return report


class RunQuerySchema(ma.Schema):
    period = fields.String(load_default=None, validate=validate.Length(max=16), metadata={
        "description": "A month (2026-11) for monthly reports; an ISO week (2026-W48) or a date of it for weekly "
                       "ones; default the last period that has ended", "example": "2026-11"})
    tz = fields.String(load_default=None, validate=validate.Length(max=64), metadata={
        "description": "IANA time zone of the period's bounds; default the caller's profile time zone",
        "example": "Asia/Shanghai"})


class ColumnSchema(ma.Schema):
    key = fields.String()
    title = fields.String()
    unit = fields.String(metadata={"description": "text, count, share (0..1), seconds or link (an application path)"})


class TableSchema(ma.Schema):
    key = fields.String()
    title = fields.String()
    columns = fields.List(fields.Nested(ColumnSchema))
    rows = fields.List(fields.Dict())


class ReportResultSchema(ma.Schema):
    report = fields.String()
    title = fields.String()
    period_kind = fields.String(metadata={"description": "month or week"})
    period = fields.String()
    tz = fields.String()
    from_ = fields.String(data_key="from")
    to = fields.String()
    at = fields.String()
    tables = fields.List(fields.Nested(TableSchema))


class ReportInfoSchema(ma.Schema):
    key = fields.String()
    title = fields.String()
    period_kind = fields.String()
    default_period = fields.String(metadata={"description": "The last ended period in the caller's time zone"})


class ReportListSchema(ma.Schema):
    items = fields.List(fields.Nested(ReportInfoSchema))


@bp.get("/periodic")
@requires(*STAFF)
@bp.response(200, ReportListSchema)
def list_reports():
    """The periodic reports there are (docs/reports.md defines each)."""
    locale, tz, now = _locale(), _zone(None), utcnow()
    return {"items": [{"key": r.key, "title": word(f"report.{r.key}", locale, r.key), "period_kind": r.period,
                       "default_period": periods.last_ended(r.period, now, tz).key}
                      for r in definitions.REPORTS.values()]}


def _run(args: dict[str, Any], key: str) -> dict[str, Any]:
    report = _report(key)
    tz = _zone(args.get("tz"))
    now = utcnow()
    if args.get("period"):
        try:
            period = periods.parse(report.period, args["period"], tz)
        except ValueError as error:
            raise ReportError("period", str(error)) from error
    else:
        period = periods.last_ended(report.period, now, tz)
    return definitions.run(db_session, actor(), key, period, now, _locale())


def report_csv(result: dict[str, Any]) -> str:
    """Every table: its title, its header, its rows, a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for table in result["tables"]:
        writer.writerow([csv_cell(table["title"])])
        writer.writerow([csv_cell(c["title"]) for c in table["columns"]])
        for row in table["rows"]:
            values = [row.get(c["key"]) for c in table["columns"]]
            writer.writerow([v if isinstance(v, int | float) and not isinstance(v, bool) else csv_cell(v)
                             for v in values])
        writer.writerow([])
    return buffer.getvalue()


@bp.get("/periodic/<key>")
@requires(*STAFF)
@bp.arguments(RunQuerySchema, location="query", unknown=ma.RAISE)
@bp.response(200, ReportResultSchema)
def run_report(args, key):
    """Run a report now for any period, over the tickets the caller may see (``<key>.csv``: as CSV)."""
    if key.endswith(".csv"):
        result = _run(args, key.removesuffix(".csv"))
        response = Response("\ufeff" + report_csv(result), mimetype="text/csv")
        filename = f"{result['report']}-{result['period']}.csv"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
    return _run(args, key)


# --------------------------------------------------------------------------- subscriptions


class SubscriptionInSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    report = fields.String(required=True, validate=validate.OneOf(list(definitions.REPORTS)))
    recipients = fields.List(Id(strict=True), required=True,
                             validate=validate.Length(min=1, max=100), metadata={"description": "Staff user ids"})
    tz = fields.String(load_default=None, validate=validate.Length(max=64), metadata={
        "description": "IANA time zone; default the admin's profile time zone"})
    locale = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(LOCALES), metadata={
        "description": "Language of the e-mails; null: each recipient's profile language"})
    active = Flag(load_default=True)


class SubscriptionSchema(ma.Schema):
    id = fields.Integer()
    report = fields.String()
    recipients = fields.List(fields.Integer())
    tz = fields.String()
    locale = fields.String(allow_none=True)
    active = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class SubscriptionListSchema(ma.Schema):
    items = fields.List(fields.Nested(SubscriptionSchema))


def _check(body: dict[str, Any]) -> dict[str, Any]:
    try:
        tz = ZoneInfo(body.get("tz") or actor().time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:  # 'Asia' is a directory
        raise ValidationFailed.field("/tz", f"Unknown time zone '{body.get('tz')}'; use an IANA name such as "
                                            "Asia/Shanghai.") from error
    recipients = list(dict.fromkeys(body["recipients"]))
    users = {u.id: u for u in db_session.scalars(select(User).where(User.id.in_(recipients)))}
    for index, user_id in enumerate(body["recipients"]):
        user = users.get(user_id)
        if user is None or not user.active:
            raise ValidationFailed.field(f"/recipients/{index}", f"There is no active user {user_id}.")
        if not user.has_role(*STAFF):
            raise ValidationFailed.field(f"/recipients/{index}", f"User {user_id} is not staff (agent or admin): "
                                                                 "reports are for staff only.")
    return {"report": body["report"], "recipients": recipients, "tz": tz.key, "locale": body.get("locale"),
            "active": body.get("active", True)}


def _subscription(subscription_id: int) -> ReportSubscription:
    subscription = db_session.get(ReportSubscription, subscription_id)
    if subscription is None:
        raise NotFound(f"There is no report subscription {subscription_id}.")
    return subscription


@bp.get("/subscriptions")
@requires("admin")
@bp.response(200, SubscriptionListSchema)
def list_subscriptions():
    """Every subscription (admins)."""
    items = db_session.scalars(select(ReportSubscription).order_by(ReportSubscription.id)).all()
    return {"items": [mailing.describe(s) for s in items]}


@bp.post("/subscriptions")
@requires("admin")
@bp.arguments(SubscriptionInSchema)
@bp.response(201, SubscriptionSchema)
def create_subscription(body):
    """Subscribe staff to a report: e-mailed once per period, after 06:00 of its next day in ``tz``."""
    values = _check(body)
    now = utcnow()
    subscription = ReportSubscription(**values, created_by=actor().id, created_at=now, updated_at=now)
    db_session.add(subscription)
    db_session.flush()
    audit.record(db_session, "report_subscription.created", "report_subscription", subscription.id,
                 actor_id=actor().id, details=values)
    db_session.commit()
    return mailing.describe(subscription)


@bp.get("/subscriptions/<int:subscription_id>")
@requires("admin")
@bp.response(200, SubscriptionSchema)
def get_subscription(subscription_id):
    return mailing.describe(_subscription(subscription_id))


@bp.put("/subscriptions/<int:subscription_id>")
@requires("admin")
@bp.arguments(SubscriptionInSchema)
@bp.response(200, SubscriptionSchema)
def update_subscription(body, subscription_id):
    """Replace a subscription's report, recipients, time zone, language and active flag."""
    subscription = _subscription(subscription_id)
    values = _check(body)
    before = mailing.describe(subscription)
    for name, value in values.items():
        setattr(subscription, name, value)
    subscription.updated_at = utcnow()
    audit.record(db_session, "report_subscription.updated", "report_subscription", subscription.id,
                 actor_id=actor().id, details={"before": {k: before[k] for k in values}, "after": values})
    db_session.commit()
    return mailing.describe(subscription)


@bp.delete("/subscriptions/<int:subscription_id>")
@requires("admin")
@bp.response(204)
def delete_subscription(subscription_id):
    subscription = _subscription(subscription_id)
    audit.record(db_session, "report_subscription.deleted", "report_subscription", subscription.id,
                 actor_id=actor().id, details={k: v for k, v in mailing.describe(subscription).items()
                                                if k in ("report", "recipients", "tz")})
    db_session.delete(subscription)
    db_session.commit()
    return ""
