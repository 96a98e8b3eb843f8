"""The hourly job that e-mails each active subscription its report once the period has ended.

Exactly once per subscription and period: the :class:`ReportDelivery` row (unique on subscription and period)
is inserted in the same transaction as the outbox messages. A second scheduler racing on the same period fails
on the unique key (PostgreSQL makes it wait for the first one's commit) and rolls back: nothing is queued twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_core.auth.models import User
from platform_core.db import utcnow
from runtime.notify.outbox import queue_account_email
from runtime.periodic_reports import definitions, periods
from runtime.periodic_reports.models import ReportDelivery, ReportSubscription
from runtime.periodic_reports.texts import say
from runtime.rules.i18n import reader_locale

log = logging.getLogger(__name__)
STAFF = ("admin", "agent")


def live_url(key: str, period: periods.Period) -> str:
    query = urlencode({"report": key, "period": period.key, "tz": period.tz.key})
    return f"{current_app.config['BASE_URL'].rstrip('/')}/reports/periodic?{query}"


def format_cell(value: Any, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "seconds":
        hours, rest = divmod(int(value), 3600)
        return f"{hours}h{rest // 60:02d}m"
    return str(value)


def render(result: dict[str, Any], locale: str, name: str, url: str) -> dict[str, Any]:
    """Subject, text and HTML of one report e-mail: every table, then the link to the live page."""
    base = current_app.config["BASE_URL"].rstrip("/")
    subject = say("mail.subject", locale, report=result["title"], period=result["period"])
    intro = say("mail.intro", locale, report=result["title"], period=result["period"], tz=result["tz"])
    text = [intro, ""]
    html = [f"<!doctype html><html lang=\"{locale}\"><body><p>{escape(name)}</p><p>{escape(intro)}</p>"]
    for table in result["tables"]:
        columns = [c for c in table["columns"] if c["unit"] != "key"]  # stored values are for the CSV
        text += [table["title"], " | ".join(c["title"] for c in columns if c["unit"] != "link")]
        html.append(f"<h3>{escape(table['title'])}</h3><table border=\"1\" cellpadding=\"4\" "
                    "style=\"border-collapse:collapse\"><tr>"
                    + "".join(f"<th>{escape(c['title'])}</th>" for c in columns) + "</tr>")
        for row in table["rows"]:
            text.append(" | ".join(format_cell(row.get(c["key"]), c["unit"]) for c in columns if c["unit"] != "link"))
            cells = []
            for c in columns:
                value = row.get(c["key"])
                if c["unit"] == "link" and value:
                    cells.append(f"<td><a href=\"{escape(base + value)}\">{escape(c['title'])}</a></td>")
                else:
                    cells.append(f"<td>{escape(format_cell(value, c['unit']))}</td>")
            html.append("<tr>" + "".join(cells) + "</tr>")
        html.append("</table>")
        text.append("")
    open_text = say("mail.open", locale)
    text += [f"{open_text}: {url}", "", "-- ", say("mail.why", locale)]
    html.append(f"<p><a href=\"{escape(url)}\">{escape(open_text)}</a></p>"
                f"<p style=\"color:#888;font-size:12px\">{escape(say('mail.why', locale))}</p></body></html>")
    return {"subject": " ".join(subject.split())[:250], "text": "\n".join(text), "html": "".join(html),
            "locale": locale, "ticket_number": None}


def send_subscription(session: Session, subscription: ReportSubscription, period: periods.Period,
                      now: datetime) -> int | None:
    """Queue the period's e-mails of one subscription with its delivery row, and commit; None (and nothing
    queued) when that period was already sent."""
    delivery = ReportDelivery(subscription_id=subscription.id, period=period.key, sent_at=now)
    session.add(delivery)
    try:
        session.flush()  # the unique key decides here (PostgreSQL waits for a racing sender's commit)
    except IntegrityError:
        session.rollback()
        return None
    users = session.scalars(select(User).where(User.id.in_(subscription.recipients or []))).all()
    queued = 0
    for user in users:
        if not user.active or not user.email or not user.has_role(*STAFF):
            continue  # a recipient who left or lost the staff role gets nothing
        locale = reader_locale(subscription.locale or user.locale)
        result = definitions.run(session, user, subscription.report, period, now, locale)
        url = live_url(subscription.report, period)
        payload = render(result, locale, user.name, url)
        message = queue_account_email(session, user, "report", payload["subject"], payload["text"])
        message.payload = payload
        queued += 1
    delivery.recipients = queued
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return queued


def send_due(now: datetime | None = None) -> int:
    """Send every active subscription's due period not sent yet (the periodic job); the number of e-mails queued.
    A period that ended before the subscription was created is not sent."""
    now = now or utcnow()
    session = current_app.extensions["gongdan_db"].sessionmaker()
    total = 0
    try:
        ids = session.scalars(select(ReportSubscription.id).where(ReportSubscription.active.is_(True))
                              .order_by(ReportSubscription.id)).all()
        for subscription_id in ids:
            subscription = session.get(ReportSubscription, subscription_id)
            if subscription is None or subscription.report not in definitions.REPORTS:
                continue
            kind = definitions.REPORTS[subscription.report].period
            period = periods.due(kind, now, ZoneInfo(subscription.tz))
            if period.end <= subscription.created_at:
                continue
            if session.scalar(select(ReportDelivery.id).where(ReportDelivery.subscription_id == subscription.id,
                                                               ReportDelivery.period == period.key)):
                continue
            try:
                queued = send_subscription(session, subscription, period, now)
            except Exception:
                session.rollback()
                log.exception("report subscription %s: period %s failed", subscription_id, period.key)
                continue
            total += queued or 0
    finally:
        session.close()
    return total


def periodic_send() -> None:
    send_due()


def describe(subscription: ReportSubscription) -> dict[str, Any]:
    return {"id": subscription.id, "report": subscription.report, "recipients": list(subscription.recipients or []),
            "tz": subscription.tz, "locale": subscription.locale, "active": subscription.active,
            "created_at": subscription.created_at, "updated_at": subscription.updated_at}


__all__ = ["describe", "periodic_send", "render", "send_due", "send_subscription"]
