"""The in-app inbox: one row per user and notification, also queued on the user's other channels
(email) by their preferences."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from platform_core.auth.models import User
from platform_core.db import defer_insert, insert_persistent, utcnow
from runtime.notify.models import Notification
from runtime.notify.outbox import queue_email
from runtime.notify.preferences import email_recipient
from runtime.rules.i18n import reader_locale
from runtime.rules.texts import Message, Reader, render


def _readers(session: Session, user_ids: list[int], message: Message) -> dict[int, Reader]:
    """Each recipient as a reader (language and time zone), loaded in one query when the text depends on it."""
    if isinstance(message, str) or not user_ids:
        return {}
    found: dict[int, Reader] = {}
    for user_id in user_ids:  # users already in the session (an assignee just chosen) cost no query
        user = session.identity_map.get(identity_key(User, user_id))
        if user is not None:
            found[user_id] = Reader(reader_locale(user.locale), user.time_zone or "UTC")
    missing = [user_id for user_id in user_ids if user_id not in found]
    if missing:
        rows = session.execute(select(User.id, User.locale, User.time_zone).where(User.id.in_(missing)))
        found.update({user_id: Reader(reader_locale(locale), time_zone or "UTC") for user_id, locale, time_zone in rows})
    return found


def notify_users(session: Session, user_ids: list[int], ticket: Any, kind: str, message: Message,
                 channels: list[str] | None = None) -> None:
    """Put a notification in each user's in-app inbox and queue it on their other channels (the
    caller commits).

    ``channels`` None means each user's preferences (email unless they turned it off for this
    kind); a list such as ``["in_app", "email"]`` limits it further. The inbox row is always
    written: with the transaction's events at the commit, or at once when an email row refers
    to it. Chat channels (wecom, dingtalk, slack, webhook) are per ticket, not per user: see
    ``runtime.notify.outbox.queue_chat``.

    ``message`` is a text, or a function of the reader giving it in each recipient's language (and time zone).
    """
    readers = _readers(session, user_ids, message)
    row = {"ticket_id": ticket.id if ticket else None, "kind": kind, "created_at": utcnow()}
    emailed = []
    for user_id in user_ids:
        text = render(message, readers.get(user_id, Reader()))
        user = email_recipient(session, user_id, kind, channels)
        if user is None:
            defer_insert(session, Notification.__table__, {**row, "message": text, "user_id": user_id, "read_at": None})
        else:
            emailed.append((user, text, Notification(**row, message=text, user_id=user_id)))
    insert_persistent(session, [notification for _, _, notification in emailed])
    for user, text, notification in emailed:
        queue_email(session, user, ticket, kind, text, notification=notification)


def notify_user(session: Session, user_id: int, ticket: Any, kind: str, message: Message,
                channels: list[str] | None = None) -> None:
    """``notify_users`` for one user."""
    notify_users(session, [user_id], ticket, kind, message, channels)
