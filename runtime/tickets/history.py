"""The ticket history: one append-only event per thing that happened."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from platform_core.db import defer_insert, utcnow
from runtime.notify.channels import redact_url
from runtime.tickets.models import Ticket, TicketEvent


def record_event(session: Session, ticket: Ticket, kind: str, *, actor_id: int | None,
                 details: dict[str, Any] | None = None, internal: bool = False) -> None:
    """Record an event; it is written when the session commits, with the transaction's other
    events in one statement, and dropped with it on rollback.

    ``internal`` events (internal comments and attachments, automation internals) are never
    shown to requesters.
    """
    defer_insert(session, TicketEvent.__table__, {
        "ticket_id": ticket.id, "at": utcnow(), "actor_id": actor_id, "kind": kind, "internal": internal,
        "details": details or {}})


def webhook_finished(session: Session, message: Any, status: str, attempt: int, outcome: Any) -> None:
    """Receiver of runtime.notify.hooks.webhook_finished: a definition's webhook call that ended
    (sent or dead) goes into its ticket's history, internal."""
    if status not in ("sent", "dead") or message.channel != "webhook" or message.ticket_id is None:
        return
    session.add(TicketEvent(ticket_id=message.ticket_id, kind="webhook_delivered" if status == "sent" else "webhook_failed",
                            actor_id=None, internal=True, details={
                                "message_id": message.id, "event": message.event, "url": redact_url(message.target),
                                "attempts": attempt, "response_code": outcome.response_code, "error": outcome.error}))
