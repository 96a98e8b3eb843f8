"""The ticket history: one append-only event per thing that happened."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from platform_core.db import defer_insert, utcnow
from runtime.notify.channels import redact_url
from runtime.tickets.models import Ticket, TicketEvent, TicketStateStay


def record_event(session: Session, ticket: Ticket, kind: str, *, actor_id: int | None,
                 details: dict[str, Any] | None = None, internal: bool = False, at: datetime | None = None) -> None:
    """Record an event; it is written when the session commits, with the transaction's other
    events in one statement, and dropped with it on rollback.

    ``internal`` events (internal comments and attachments, automation internals) are never
    shown to requesters.
    """
    defer_insert(session, TicketEvent.__table__, {
        "ticket_id": ticket.id, "at": at or utcnow(), "actor_id": actor_id, "kind": kind, "internal": internal,
        "details": details or {}})


def change_state(session: Session, ticket: Ticket, before: str, to: str, at: datetime) -> None:
    """A transition at ``at`` from state ``before`` into ``to``: the ticket's open stay ends and a new one begins,
    in the transaction of the transition's event (whose ``at`` is the same instant).

    A ticket that never moved has no stay yet (creating one writes none: creates are the hottest write); its first
    transition writes that first stay, from its creation, already ended. Two moves of one ticket at once cannot
    both open a stay: the ticket's row version refuses the second, and the unique index of open stays would too."""
    stays = TicketStateStay.__table__
    ended = session.execute(update(stays).where(stays.c.ticket_id == ticket.id, stays.c.left_at.is_(None))
                            .values(left_at=at)).rowcount
    rows = [{"ticket_id": ticket.id, "status": to, "entered_at": at, "left_at": None}]
    if not ended:
        rows.insert(0, {"ticket_id": ticket.id, "status": before, "entered_at": ticket.created_at, "left_at": at})
    session.execute(insert(stays), rows)


def webhook_finished(session: Session, message: Any, status: str, attempt: int, outcome: Any) -> None:
    """Receiver of runtime.notify.hooks.webhook_finished: a definition's webhook call that ended
    (sent or dead) goes into its ticket's history, internal."""
    if status not in ("sent", "dead") or message.channel != "webhook" or message.ticket_id is None:
        return
    session.add(TicketEvent(ticket_id=message.ticket_id, kind="webhook_delivered" if status == "sent" else "webhook_failed",
                            actor_id=None, internal=True, details={
                                "message_id": message.id, "event": message.event, "url": redact_url(message.target),
                                "attempts": attempt, "response_code": outcome.response_code, "error": outcome.error}))
