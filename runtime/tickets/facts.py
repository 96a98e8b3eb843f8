"""What rules see of a ticket: ``ticket.*`` (the list is runtime.rules.context.TICKET_ATTRIBUTES) and the
whole rule context, form data at the top level."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from platform_core.auth.models import User
from platform_core.db import utcnow
from runtime.rules.context import rule_context
from runtime.tickets.models import (
    Ticket,
)


def _age_days(since: datetime | None, now: datetime) -> float | None:
    return None if since is None else round((now - since).total_seconds() / 86400, 4)


def ticket_facts(ticket: Ticket, now: datetime | None = None) -> dict[str, Any]:
    """``ticket.*`` as rules see it (see runtime/rules/context.py for the list)."""
    now = now or utcnow()
    requester = ticket.requester
    return {
        "number": ticket.number, "type": ticket.ticket_type.key, "version": ticket.type_version.number,
        "status": ticket.status, "status_category": ticket.status_category, "priority": ticket.priority,
        "team": ticket.team.key if ticket.team else None,
        "assignee": ticket.assignee.email if ticket.assignee else None,
        "requester": person(requester), "source": ticket.source,
        "created_at": ticket.created_at.isoformat(), "updated_at": ticket.updated_at.isoformat(),
        "first_response_at": ticket.first_response_at.isoformat() if ticket.first_response_at else None,
        "resolved_at": ticket.resolved_at.isoformat() if ticket.resolved_at else None,
        "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else None,
        "age_hours": round((now - ticket.created_at).total_seconds() / 3600, 4),
        "hours_in_status": round((now - ticket.status_changed_at).total_seconds() / 3600, 4),
        "days_since_resolved": _age_days(ticket.resolved_at, now),
        "days_since_closed": _age_days(ticket.closed_at, now),
        "parent": ticket.parent.number if ticket.parent_id else None,
    }


def person(user: User) -> dict[str, Any]:
    return {"email": user.email, "name": user.name, "roles": user.role_names, "tags": list(user.tags or [])}


def context_for(ticket: Ticket, data: dict[str, Any] | None = None, now: datetime | None = None) -> dict[str, Any]:
    return rule_context(ticket.data if data is None else data, ticket_facts(ticket, now))
