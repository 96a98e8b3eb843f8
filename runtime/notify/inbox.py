"""The in-app inbox: one row per user and notification, also queued on the user's other channels
(email) by their preferences."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from platform_core.db import defer_insert, insert_persistent, utcnow
from runtime.notify.models import Notification
from runtime.notify.outbox import queue_email
from runtime.notify.preferences import email_recipient


def notify_users(session: Session, user_ids: list[int], ticket: Any, kind: str, message: str,
                 channels: list[str] | None = None) -> None:
    """Put a notification in each user's in-app inbox and queue it on their other channels (the
    caller commits).

    ``channels`` None means each user's preferences (email unless they turned it off for this
    kind); a list such as ``["in_app", "email"]`` limits it further. The inbox row is always
    written: with the transaction's events at the commit, or at once when an email row refers
    to it. Chat channels (wecom, dingtalk, slack, webhook) are per ticket, not per user: see
    ``runtime.notify.outbox.queue_chat``.
    """
    row = {"ticket_id": ticket.id if ticket else None, "kind": kind, "message": message, "created_at": utcnow()}
    emailed = []
    for user_id in user_ids:
        user = email_recipient(session, user_id, kind, channels)
        if user is None:
            defer_insert(session, Notification.__table__, {**row, "user_id": user_id, "read_at": None})
        else:
            emailed.append((user, Notification(**row, user_id=user_id)))
    insert_persistent(session, [notification for _, notification in emailed])
    for user, notification in emailed:
        queue_email(session, user, ticket, kind, message, notification=notification)


def notify_user(session: Session, user_id: int, ticket: Any, kind: str, message: str,
                channels: list[str] | None = None) -> None:
    """``notify_users`` for one user."""
    notify_users(session, [user_id], ticket, kind, message, channels)
