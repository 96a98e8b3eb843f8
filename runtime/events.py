"""The ticket history: one append-only event per thing that happened, and the in-app inbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from runtime.models import Notification, Ticket, TicketEvent
from runtime.outbox import queue_for_user


def record_event(session: Session, ticket: Ticket, kind: str, *, actor_id: int | None,
                 details: dict[str, Any] | None = None, internal: bool = False) -> TicketEvent:
    """Add an event to the session's unit of work (the caller commits).

    ``internal`` events (internal comments and attachments, automation internals) are never
    shown to requesters.
    """
    event = TicketEvent(ticket_id=ticket.id, kind=kind, actor_id=actor_id, details=details or {}, internal=internal)
    session.add(event)
    return event


def notify_user(session: Session, user_id: int, ticket: Ticket | None, kind: str, message: str,
                channels: list[str] | None = None) -> Notification:
    """Put a notification in a user's in-app inbox and queue it on their other channels (the caller commits).

    ``channels`` None means the user's preferences (email unless they turned it off for this
    kind); a list such as ``["in_app", "email"]`` limits it further. The inbox row is always
    written. Chat channels (wecom, dingtalk, slack, webhook) are per ticket, not per user:
    see ``runtime.outbox.queue_chat``.
    """
    notification = Notification(user_id=user_id, ticket_id=ticket.id if ticket else None, kind=kind, message=message)
    session.add(notification)
    queue_for_user(session, user_id, ticket, kind, message, notification=notification, channels=channels)
    return notification
