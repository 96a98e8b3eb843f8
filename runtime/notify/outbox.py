"""The notification outbox: every email, webhook call and chat message is a row written in the
same transaction as the event that caused it, then delivered exactly once by jobs.

A row's life: ``pending`` -> ``sending`` (claimed by one worker with an atomic conditional
UPDATE) -> ``sent``, or ``failed`` (retried with exponential backoff) and finally ``dead``.
``deliver(id)`` is enqueued when the row commits; the periodic ``deliver_due`` sweep picks up
whatever that missed (Redis or the worker was down, the process died mid-send), so the row,
not the queue, is the truth. A row stuck in ``sending`` past its lease is claimed again.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from platform_core import audit, jobs
from platform_core.auth.models import User
from platform_core.db import get_session, insert_rows, utcnow
from platform_core.errors import ApiError, Conflict, NotFound, ValidationFailed
from runtime.notify.channels import (
    HttpSettings,
    Outcome,
    SmtpSettings,
    TicketFacts,
    locale_of,
    redact_url,
    render_chat,
    render_email,
    send_chat,
    send_email,
    ticket_url,
)
from runtime.notify.hooks import webhook_finished
from runtime.notify.models import (
    ChatEndpoint,
    DeliveryAttempt,
    Notification,
    OutboxMessage,
    WebhookSecret,
)
from runtime.rules.cache import compiled_for
from runtime.rules.i18n import DEFAULT_LOCALE, reader_locale
from runtime.rules.texts import Message, Reader, render

log = logging.getLogger(__name__)


CHANNELS = ("email", "webhook", "wecom", "dingtalk", "slack")


ENDPOINT_KINDS = ("wecom", "dingtalk", "slack", "webhook")


STATUSES = ("pending", "sending", "sent", "failed", "dead")


# A sweep stops claiming after this long: inside its 60 s period and rq's default job timeout.
SWEEP_BUDGET_SECONDS = 45


LOST_ATTEMPT = "The previous attempt did not report back before its claim expired; sending again."


class WebhookSecretMissing(ApiError):
    """A webhook names a signing secret no admin has configured; nothing was queued."""

    status, code = 422, "unknown_webhook_secret"

    def __init__(self, name: str) -> None:
        message = (f"There is no webhook signing secret named {name!r}; "
                   "an admin adds it under /api/v1/webhook-secrets.")
        super().__init__(message, details=[{"path": "/secret", "location": "json", "message": message}])
        self.secret_name = name


def _state_name(ticket: Any, locale: str) -> str:
    return compiled_for(ticket.type_version).labels(locale).state(ticket.status)


def ticket_facts(ticket: Any, locale: str = DEFAULT_LOCALE) -> TicketFacts | None:
    """What a message says about its ticket (any object with the ticket's attributes), or None; the state by
    its name in `locale`."""
    if ticket is None:
        return None
    return TicketFacts(id=ticket.id, number=ticket.number, title=ticket.title, status=_state_name(ticket, locale),
                       priority=ticket.priority, team=ticket.team.name if ticket.team else None,
                       url=ticket_url(current_app.config["BASE_URL"], ticket.id))


def _add(session: Session, **values: Any) -> OutboxMessage:
    """Add a message to the caller's unit of work; its delivery job is sent when that commits."""
    message = OutboxMessage(status="pending", attempts=0, next_attempt_at=utcnow(),
                            max_attempts=current_app.config["OUTBOX_MAX_ATTEMPTS"], **values)
    session.add(message)
    jobs.enqueue_for_row(session, message, deliver)
    return message


def health_report(session: Session) -> dict[str, Any]:
    """For /healthz: messages not yet delivered, by status, and how late the most overdue one is.

    Reads only undelivered rows, through the (status, next_attempt_at) index.
    """
    now = utcnow()
    waiting = tuple(status for status in STATUSES if status != "sent")
    rows = session.execute(select(OutboxMessage.status, func.count(), func.min(OutboxMessage.next_attempt_at),
                                  func.min(OutboxMessage.created_at))
                           .where(OutboxMessage.status.in_(waiting)).group_by(OutboxMessage.status)).all()
    counts = {status: 0 for status in waiting}
    oldest = first_created = None
    for status, count, first_due, created in rows:
        counts[status] = count
        if status in ("pending", "failed") and first_due is not None:
            oldest = first_due if oldest is None else min(oldest, first_due)
        if status != "dead" and created is not None:
            first_created = created if first_created is None else min(first_created, created)
    overdue = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
    # The backlog: everything still to be sent (dead messages wait for a person, not for a worker), and its age.
    age = max(0.0, (now - first_created).total_seconds()) if first_created is not None else 0.0
    report: dict[str, Any] = {**counts, "overdue_seconds": round(overdue, 1),
                              "backlog": sum(counts[s] for s in waiting if s != "dead"),
                              "oldest_age_seconds": round(age, 1)}
    bound = current_app.config["HEALTH_MAX_OUTBOX_AGE_SECONDS"]
    if overdue > bound:  # nothing is delivering: /healthz answers 503
        report.update(ok=False, problem=f"a message has waited {overdue:.0f} s past its next attempt (bound {bound} s)")
    return report


def queue_email(session: Session, user: User, ticket: Any, kind: str, message: str, *,
                notification: Notification | None = None) -> OutboxMessage:
    """The outbox row for an email to a user that ``email_recipient`` chose."""
    notification_id = notification.id if notification is not None else None
    (message_id,) = queue_emails(session, [Email(user, ticket, kind, message, notification_id)])
    return session.get_one(OutboxMessage, message_id)


@dataclass(frozen=True, slots=True)
class Email:
    """An email to a user that ``email_recipient`` chose: the notification's text, and its inbox row's id if any."""

    user: User
    ticket: Any
    kind: str
    message: str
    notification_id: int | None = None
    link: str | None = None  # a same-site path, for an email not about a ticket


def queue_emails(session: Session, emails: list[Email]) -> list[int]:
    """The outbox rows for these emails, each in its recipient's language, written in one INSERT now (their
    inbox rows must be written already); their ids. Their delivery jobs are sent when the transaction commits.

    Rows, not objects: a batch of hundreds costs no unit of work (the session does not hold them)."""
    base_url, max_attempts, now = current_app.config["BASE_URL"], current_app.config["OUTBOX_MAX_ATTEMPTS"], utcnow()
    facts: dict[tuple[int, str], TicketFacts | None] = {}  # a ticket's facts once per language
    rows = []
    for email in emails:
        locale = reader_locale(email.user.locale)
        key = (id(email.ticket), locale)
        if key not in facts:
            facts[key] = ticket_facts(email.ticket, locale)
        payload = render_email(kind=email.kind, message=email.message, locale=locale, name=email.user.name,
                               ticket=facts[key], base_url=base_url, link=email.link)
        rows.append({"status": "pending", "attempts": 0, "next_attempt_at": now, "max_attempts": max_attempts,
                     "channel": "email", "event": email.kind, "user_id": email.user.id,
                     "ticket_id": email.ticket.id if email.ticket else None,
                     "notification_id": email.notification_id, "target": email.user.email, "payload": payload,
                     "delivery_id": str(uuid.uuid4()), "created_at": now, "updated_at": now})
    if not rows:
        return []
    ids = [row[0] for row in insert_rows(session.connection(), OutboxMessage.__table__, rows, ("id",))]
    if len(ids) == 1:
        jobs.enqueue_on_commit(session, deliver, ids[0])
    else:  # one job for them all: a batch of hundreds costs one round trip to Redis, not hundreds
        jobs.enqueue_on_commit(session, deliver_many, ids)
    return ids


def queue_account_email(session: Session, user: User, kind: str, subject: str, message: str) -> OutboxMessage:
    """The outbox row for an e-mail about the user's account (an invitation, a password reset): sent whatever
    their notification preferences, to their address, in their language."""
    locale = reader_locale(user.locale)
    payload = render_email(kind=kind, message=message, locale=locale, name=user.name, ticket=None,
                           base_url=current_app.config["BASE_URL"])
    payload["subject"] = subject[:250]
    return _add(session, channel="email", event=kind, user_id=user.id, ticket_id=None, target=user.email,
                payload=payload)


def queue_chat(session: Session, ticket: Any, channels: list[str] | tuple[str, ...], kind: str,
               message: Message) -> list[OutboxMessage]:
    """One message per active chat endpoint of the requested kinds (wecom, dingtalk, slack, webhook)
    for the ticket's team, and per global endpoint — once per event, not per recipient; each in the
    endpoint's language."""
    wanted = [name for name in dict.fromkeys(channels) if name in ENDPOINT_KINDS]
    if not wanted:
        return []
    scope = ChatEndpoint.team_id.is_(None)
    if ticket is not None and ticket.team_id is not None:
        scope = or_(scope, ChatEndpoint.team_id == ticket.team_id)
    endpoints = session.scalars(select(ChatEndpoint).where(ChatEndpoint.kind.in_(wanted), ChatEndpoint.active.is_(True),
                                                           scope).order_by(ChatEndpoint.id)).all()
    queued = []
    for endpoint in endpoints:
        locale = reader_locale(endpoint.locale)
        body = render_chat(endpoint.kind, kind=kind, message=render(message, Reader(locale)),
                           ticket=ticket_facts(ticket, locale), locale=locale)
        queued.append(_add(session, channel=endpoint.kind, event=kind, ticket_id=ticket.id if ticket else None,
                           endpoint_id=endpoint.id, target=endpoint.url, payload={"endpoint": endpoint.key, "body": body}))
    return queued


TEST_MESSAGES = {"en": "A test from Gongdan: this endpoint receives its notifications.",
                 "zh-CN": "来自工单系统的测试消息：此端点可以正常接收通知。"}  # noqa: RUF001


def send_test(session: Session, endpoint: ChatEndpoint, *, actor_id: int) -> OutboxMessage:
    """Send a test message to a chat endpoint now, through the outbox like any other (so it is in the delivery
    log), tried once: the returned message says ``sent``, or ``dead`` with the answer or the error."""
    if not endpoint.active:
        raise Conflict(f"The chat endpoint {endpoint.key!r} is inactive; activate it to send a test.",
                       details=[{"path": "/active", "location": "json", "message": "The endpoint is inactive."}])
    locale = reader_locale(endpoint.locale)
    body = render_chat(endpoint.kind, kind="test", message=TEST_MESSAGES[locale_of(locale)], ticket=None, locale=locale)
    message = OutboxMessage(status="pending", attempts=0, next_attempt_at=utcnow(), max_attempts=1,
                            channel=endpoint.kind, event="test", endpoint_id=endpoint.id, target=endpoint.url,
                            payload={"endpoint": endpoint.key, "body": body})
    session.add(message)
    session.flush()
    audit.record(session, "chat_endpoint.tested", "chat_endpoint", endpoint.id, actor_id=actor_id,
                 details={"key": endpoint.key, "outbox_message_id": message.id})
    session.commit()
    attempt = claim(session, message.id)
    if attempt is not None:  # always, unless a sweep took it first: then it is sending, and the log tells
        send_claimed(session, message.id, attempt)
    return get_message(session, message.id)


def queue_webhook(session: Session, ticket: Any, *, url: str, secret_name: str | None, event: str,
                  payload: dict[str, Any], actor_id: int | None) -> OutboxMessage:
    """Queue a signed JSON POST (a definition's ``webhook`` action); the caller commits.

    Raises ``WebhookSecretMissing`` when ``secret_name`` is not configured, and
    ``ValidationFailed`` for a URL that is not http(s); nothing is queued then. The returned
    message is flushed, so its ``id`` and ``delivery_id`` can go into the ticket's history.
    """
    if not url.startswith(("http://", "https://")) or len(url) > 2000:
        raise ValidationFailed.field("/url", "A webhook URL starts with http:// or https:// (at most 2,000 characters).")
    if secret_name and session.scalar(select(WebhookSecret.id).where(WebhookSecret.name == secret_name)) is None:
        raise WebhookSecretMissing(secret_name)
    delivery_id = str(uuid.uuid4())
    actor = session.get(User, actor_id) if actor_id else None
    facts = ticket_facts(ticket)
    body = {"event": event, "delivery_id": delivery_id, "created_at": utcnow().isoformat(),
            "ticket": facts.as_dict() if facts else None,
            "actor": {"id": actor.id, "email": actor.email, "name": actor.name} if actor else None,
            "data": payload}
    message = _add(session, channel="webhook", event=event, delivery_id=delivery_id,
                   ticket_id=ticket.id if ticket else None, target=url, secret_name=secret_name or None,
                   payload={"body": body})
    session.flush()  # callers record the message's id in the ticket's history
    return message


def _due(model: Any, now: datetime) -> Any:
    """Pending or failed and due, or stuck in 'sending' past its lease."""
    return or_(and_(model.status.in_(("pending", "failed")), model.next_attempt_at <= now),
               and_(model.status == "sending", model.locked_until < now))


def _claim_values(now: datetime) -> dict[str, Any]:
    lease = timedelta(seconds=current_app.config["OUTBOX_SENDING_TIMEOUT_SECONDS"])
    return {"status": "sending", "attempts": OutboxMessage.attempts + 1, "locked_until": now + lease,
            "updated_at": utcnow(),
            "last_error": case((OutboxMessage.status == "sending", LOST_ATTEMPT), else_=OutboxMessage.last_error)}


def claim(session: Session, message_id: int, now: datetime | None = None) -> int | None:
    """Take one message for sending if it is due: its attempt number, or None (not due, or taken).

    One conditional UPDATE: of two workers racing for the same row, exactly one matches.
    """
    now = now or utcnow()
    session.commit()  # claim in a fresh transaction (SQLite: never upgrade an old read snapshot)
    attempt = session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id, _due(OutboxMessage, now))
                              .values(**_claim_values(now)).returning(OutboxMessage.attempts)
                              .execution_options(synchronize_session=False)).scalar()
    session.commit()
    return attempt


def claim_next(session: Session, now: datetime | None = None) -> tuple[int, int] | None:
    """Take the most overdue message: (id, attempt number), or None when nothing is due.

    On PostgreSQL the candidate is picked with FOR UPDATE SKIP LOCKED, so concurrent sweeps
    take different rows instead of queueing behind each other; the repeated condition in the
    UPDATE keeps it exactly-once on every database.
    """
    now = now or utcnow()
    candidate = aliased(OutboxMessage, name="candidate")
    next_id = (select(candidate.id).where(_due(candidate, now)).order_by(candidate.next_attempt_at, candidate.id)
               .limit(1).with_for_update(skip_locked=True).scalar_subquery())
    session.commit()
    row = session.execute(update(OutboxMessage).where(OutboxMessage.id == next_id, _due(OutboxMessage, now))
                          .values(**_claim_values(now)).returning(OutboxMessage.id, OutboxMessage.attempts)
                          .execution_options(synchronize_session=False)).first()
    session.commit()
    return (row[0], row[1]) if row else None


def deliver(message_id: int) -> None:
    """Job: send one outbox message if it is due and nobody else has it (idempotent)."""
    session = get_session()
    attempt = claim(session, message_id)
    if attempt is not None:
        send_claimed(session, message_id, attempt)


def deliver_many(message_ids: list[int]) -> None:
    """Job: ``deliver`` each of these messages, one after the other (the emails of one batch of notifications).
    One that fails is retried on its own by the periodic sweep, like any other; so are those a lost job left."""
    for message_id in message_ids:
        deliver(message_id)


def deliver_due(now: datetime | None = None, *, limit: int = 5000) -> int:
    """Periodic job: claim and send every due message, one at a time, for at most SWEEP_BUDGET_SECONDS.

    ``now`` (tests, operators) decides what is due and when retries are scheduled.
    Returns how many messages it tried.
    """
    session = get_session()
    deadline = time.monotonic() + SWEEP_BUDGET_SECONDS
    handled = 0
    while handled < limit and time.monotonic() < deadline:
        claimed = claim_next(session, now)
        if claimed is None:
            break
        send_claimed(session, claimed[0], claimed[1], now=now)
        handled += 1
    return handled


def _secret_for(session: Session, message: OutboxMessage) -> tuple[str | None, str | None]:
    """(signing secret, reason it cannot be sent) for the message, read at send time."""
    if "endpoint" in message.payload:
        endpoint = session.get(ChatEndpoint, message.endpoint_id) if message.endpoint_id else None
        if endpoint is None:
            return None, f"The chat endpoint {message.payload['endpoint']!r} was deleted."
        if not endpoint.active:
            return None, f"The chat endpoint {endpoint.key!r} was deactivated."
        return endpoint.secret, None
    if message.channel == "webhook" and message.secret_name:
        value = session.scalar(select(WebhookSecret.value).where(WebhookSecret.name == message.secret_name))
        if value is None:
            return None, f"The webhook signing secret {message.secret_name!r} was deleted."
        return value, None
    return None, None


def _send(message: OutboxMessage, secret: str | None, attempt: int) -> Outcome:
    config = current_app.config
    if message.channel == "email":
        if not config.get("SMTP_HOST"):
            return Outcome(False, None, "GONGDAN_SMTP_HOST is not set.")
        return send_email(SmtpSettings.from_config(config), message.target, message.payload, message.delivery_id)
    return send_chat(message.channel, message.target, message.payload["body"], secret=secret,
                     delivery_id=message.delivery_id, event=message.event, attempt=attempt,
                     settings=HttpSettings.from_config(config))


def retry_delay(attempt_in_budget: int) -> timedelta:
    """Exponential backoff: base, 2 x base, 4 x base … capped."""
    config = current_app.config
    base, cap = config["OUTBOX_RETRY_BASE_SECONDS"], config["OUTBOX_RETRY_MAX_SECONDS"]
    return timedelta(seconds=min(base * 2 ** min(max(attempt_in_budget, 1) - 1, 30), cap))


def send_claimed(session: Session, message_id: int, attempt: int, *, now: datetime | None = None) -> str:
    """Send a message this worker has claimed as ``attempt`` and record the outcome; returns the new status."""
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None:  # deleted since it was claimed
        session.commit()
        return "gone"
    secret, problem = _secret_for(session, message)
    session.commit()  # no transaction stays open across the network call
    started_at, started = utcnow(), time.monotonic()
    if problem:
        outcome = Outcome(False, None, problem, permanent=True)
    else:
        try:
            outcome = _send(message, secret, attempt)
        except Exception as error:  # a fault in rendering or sending must not leave the row 'sending'
            log.exception("outbox message %s: sending failed unexpectedly", message_id)
            outcome = Outcome(False, None, f"{type(error).__name__}: {error}"[:2000])
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record(session, message, attempt, outcome, started_at, duration_ms, now)


def _record(session: Session, message: OutboxMessage, attempt: int, outcome: Outcome, started_at: datetime,
            duration_ms: int, now: datetime | None) -> str:
    if outcome.ok:
        status = "sent"
    elif outcome.permanent or attempt >= message.max_attempts:
        status = "dead"
    else:
        status = "failed"
    finished = utcnow()
    values: dict[str, Any] = {"status": status, "locked_until": None, "response_code": outcome.response_code,
                              "last_error": outcome.error, "updated_at": finished}
    if status == "sent":
        values["sent_at"] = finished
    if status == "failed":
        in_budget = attempt - (message.max_attempts - current_app.config["OUTBOX_MAX_ATTEMPTS"])
        values["next_attempt_at"] = (now or finished) + retry_delay(in_budget)
    # Fenced by the attempt number: a worker whose claim expired cannot overwrite a newer attempt.
    result = session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id,
                                                         OutboxMessage.status == "sending",
                                                         OutboxMessage.attempts == attempt)
                             .values(**values).execution_options(synchronize_session=False))
    session.add(DeliveryAttempt(message_id=message.id, number=attempt, started_at=started_at, duration_ms=duration_ms,
                                outcome=status, response_code=outcome.response_code, error=outcome.error))
    if message.secret_name and "endpoint" not in message.payload and outcome.response_code is not None:
        # When the secret last signed a request that got an answer; at most once a minute (a hot row otherwise).
        session.execute(update(WebhookSecret).where(WebhookSecret.name == message.secret_name,
                                                    or_(WebhookSecret.last_used_at.is_(None),
                                                        WebhookSecret.last_used_at < finished - timedelta(minutes=1)))
                        .values(last_used_at=finished).execution_options(synchronize_session=False))
    if result.rowcount == 0:
        log.warning("outbox message %s: attempt %s finished after its claim expired; only the attempt log has it",
                    message.id, attempt)
    else:
        webhook_finished.send(session, message, status, attempt, outcome)
    if status != "sent":
        log.log(logging.WARNING if status == "dead" else logging.INFO, "outbox message %s (%s to %s) attempt %s: %s: %s",
                message.id, message.channel, redact_url(message.target), attempt, status, outcome.error)
    session.commit()
    return status


def get_message(session: Session, message_id: int) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None:
        raise NotFound(f"Outbox message {message_id} does not exist.")
    return message


def attempts_of(session: Session, message_id: int) -> list[DeliveryAttempt]:
    return list(session.scalars(select(DeliveryAttempt).where(DeliveryAttempt.message_id == message_id)
                                .order_by(DeliveryAttempt.id)))


def _requeue(session: Session, message: OutboxMessage, previous: str) -> None:
    """Make a finished or failed message due now with a fresh retry budget (the caller commits)."""
    result = session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.status == previous)
                             .values(status="pending", next_attempt_at=utcnow(), locked_until=None, updated_at=utcnow(),
                                     max_attempts=OutboxMessage.attempts + current_app.config["OUTBOX_MAX_ATTEMPTS"])
                             .execution_options(synchronize_session=False))
    if result.rowcount == 0:
        raise Conflict(f"Outbox message {message.id} changed meanwhile; reload it and try again.")
    jobs.enqueue_for_row(session, message, deliver)  # held until this session commits


def replay(session: Session, message_id: int, *, actor_id: int | None) -> OutboxMessage:
    """Send a sent, failed or dead message again, as a new attempt with a fresh retry budget."""
    message = get_message(session, message_id)
    previous = message.status
    if previous not in ("sent", "failed", "dead"):
        raise Conflict(f"Outbox message {message_id} is {previous}; only sent, failed or dead messages can be "
                       "sent again.")
    _requeue(session, message, previous)
    audit.record(session, "outbox.replayed", "outbox_message", message.id, actor_id=actor_id,
                 details={"previous_status": previous, "channel": message.channel})
    session.commit()
    return get_message(session, message_id)


def retry_now(session: Session, *, ids: list[int] | None = None, include_dead: bool = False,
              channel: str | None = None, actor_id: int | None = None) -> list[int]:
    """Make failed (and, if asked, dead) messages due now; returns their ids."""
    statuses = ("failed", "dead") if include_dead else ("failed",)
    stmt = select(OutboxMessage).where(OutboxMessage.status.in_(statuses)).order_by(OutboxMessage.id)
    if ids:
        stmt = stmt.where(OutboxMessage.id.in_(ids))
    if channel:
        stmt = stmt.where(OutboxMessage.channel == channel)
    chosen = list(session.scalars(stmt))
    for message in chosen:
        _requeue(session, message, message.status)
    if chosen:
        audit.record(session, "outbox.retried", "outbox_message", None, actor_id=actor_id,
                     details={"count": len(chosen), "ids": [m.id for m in chosen][:200]})
    session.commit()
    return [m.id for m in chosen]


def purge_delivered() -> int:
    """Periodic job: delete sent and dead messages (and their attempts) older than the retention."""
    session = get_session()
    cutoff = utcnow() - timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"])
    old = select(OutboxMessage.id).where(or_(and_(OutboxMessage.status == "sent", OutboxMessage.sent_at < cutoff),
                                             and_(OutboxMessage.status == "dead", OutboxMessage.updated_at < cutoff)))
    session.execute(delete(DeliveryAttempt).where(DeliveryAttempt.message_id.in_(old)))
    deleted = session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(old))).rowcount
    session.commit()
    return deleted
