"""The in-app inbox: one row per user and notification, also queued on the user's other channels
(email) by their preferences.

Notifications are written in batches: a single ``notify_users`` call is a batch of its own, and inside
``batched(session)`` (the SLA sweep's batch of tickets) the calls are staged and written together when
it ends, so a batch costs a fixed number of statements whatever its size — one read of the recipients
the session does not hold, one of their preferences, one INSERT of the inbox rows that are e-mailed (the
others go with the transaction's events at the commit), one of their outbox messages — and one delivery
job for its emails, queued after the commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from platform_core.auth.models import User
from platform_core.db import defer_insert, insert_rows, utcnow
from runtime.notify.models import Notification
from runtime.notify.outbox import Email, queue_emails
from runtime.notify.preferences import email_recipients
from runtime.rules.i18n import reader_locale
from runtime.rules.texts import Message, Reader, render

_STAGED = "gongdan_staged_notifications"


@dataclass(frozen=True, slots=True)
class _Staged:
    """One ``notify_users`` call, waiting for its batch to be written."""

    user_ids: tuple[int, ...]
    ticket: Any
    kind: str
    message: Message
    channels: tuple[str, ...] | None
    created_at: datetime
    link: str | None = None


def _readers(session: Session, user_ids: list[int]) -> dict[int, Reader]:
    """Each recipient as a reader (language and time zone), those the session does not hold in one query."""
    found: dict[int, Reader] = {}
    for user_id in user_ids:  # users already in the session (an assignee just chosen) cost no query
        user = session.identity_map.get(identity_key(User, user_id))
        if user is not None and "locale" in user.__dict__ and "time_zone" in user.__dict__:  # loaded, not expired
            found[user_id] = Reader(reader_locale(user.locale), user.time_zone or "UTC")
    missing = [user_id for user_id in user_ids if user_id not in found]
    if missing:
        rows = session.execute(select(User.id, User.locale, User.time_zone).where(User.id.in_(missing)))
        found.update({user_id: Reader(reader_locale(locale), time_zone or "UTC") for user_id, locale, time_zone in rows})
    return found


def notify_users(session: Session, user_ids: list[int], ticket: Any, kind: str, message: Message,
                 channels: list[str] | None = None, *, link: str | None = None) -> None:
    """Put a notification in each user's in-app inbox and queue it on their other channels (the
    caller commits).

    ``channels`` None means each user's preferences (email unless they turned it off for this
    kind); a list such as ``["in_app", "email"]`` limits it further. The inbox row is always
    written: with the transaction's events at the commit, or at once when an email row refers
    to it. Chat channels (wecom, dingtalk, slack, webhook) are per ticket, not per user: see
    ``runtime.notify.outbox.queue_chat``.

    ``message`` is a text, or a function of the reader giving it in each recipient's language (and time zone).
    ``link`` is where a notification that is not about a ticket leads (a same-site path such as ``/knowledge/12``):
    the inbox opens it and the e-mail links to it.

    Inside ``batched(session)`` it is written when the batch ends; otherwise now, as a batch of one. Inside a
    savepoint it is always written now, so that rolling the savepoint back takes it back.
    """
    if not user_ids:
        return
    staged = _Staged(tuple(user_ids), ticket, kind, message, tuple(channels) if channels is not None else None,
                     utcnow(), link)
    batch = session.info.get(_STAGED)
    if batch is not None and not session.in_nested_transaction():
        batch.append(staged)
    else:
        _write(session, [staged])


def notify_user(session: Session, user_id: int, ticket: Any, kind: str, message: Message,
                channels: list[str] | None = None) -> None:
    """``notify_users`` for one user."""
    notify_users(session, [user_id], ticket, kind, message, channels)


@contextmanager
def batched(session: Session) -> Iterator[None]:
    """Stage the notifications made inside and write them together when it ends (in the caller's transaction,
    which it must end before: commit after it). An exception inside drops them with the transaction the caller
    rolls back. Nested, the outermost writes."""
    if _STAGED in session.info:
        yield
        return
    session.info[_STAGED] = []
    try:
        yield
        staged = session.info.pop(_STAGED)
        _write(session, staged)
    finally:
        session.info.pop(_STAGED, None)


def _write(session: Session, staged: list[_Staged]) -> None:
    """The staged notifications' inbox rows, and for those who get it by e-mail their outbox messages."""
    if not staged:
        return
    readers = _readers(session, list(dict.fromkeys(user_id for item in staged if not isinstance(item.message, str)
                                                   for user_id in item.user_ids)))
    asked = [(user_id, item.kind, item.channels) for item in staged for user_id in item.user_ids]
    recipients = iter(email_recipients(session, asked))
    emailed: list[tuple[User, _Staged, str, dict[str, Any]]] = []
    texts: dict[tuple[int, Reader], str] = {}  # a message is rendered once per language and time zone
    for item in staged:
        row = {"ticket_id": item.ticket.id if item.ticket else None, "link": item.link, "kind": item.kind,
               "created_at": item.created_at}
        for user_id in item.user_ids:
            reader = readers.get(user_id, Reader())
            key = (id(item), reader)
            if key not in texts:
                texts[key] = render(item.message, reader)
            text = texts[key]
            user = next(recipients)
            if user is None:
                defer_insert(session, Notification.__table__, {**row, "message": text, "user_id": user_id,
                                                               "read_at": None})
            else:
                emailed.append((user, item, text, {**row, "message": text, "user_id": user_id, "read_at": None}))
    if not emailed:
        return
    # rows, not objects (nothing in this transaction reads them back): their ids for the outbox rows
    ids = insert_rows(session.connection(), Notification.__table__, [values for *_, values in emailed], ("id",))
    queue_emails(session, [Email(user, item.ticket, item.kind, text, notification_id, item.link)
                           for (user, item, text, _), (notification_id,) in zip(emailed, ids, strict=True)])
