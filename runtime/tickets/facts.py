"""What rules see of a ticket: ``ticket.*`` (the list is runtime.rules.context.TICKET_ATTRIBUTES) and the
whole rule context, form data at the top level."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import object_session

from platform_core.auth.models import User
from platform_core.db import utcnow
from runtime.rules.cache import compiled_for
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
        **({"children": children_counts(ticket)} if _reads_children(ticket) else {}),
    }


def _reads_children(ticket: Ticket) -> bool:
    """``ticket.children`` costs a query: it is counted when the ticket's definition may read it, or when the
    counts are preloaded (a replay evaluates a draft's rules, which may read it where the version does not)."""
    return _PRELOADED in ticket.__dict__ or compiled_for(ticket.type_version).may_read("ticket.children")


STATUS_CATEGORIES = ("new", "open", "pending", "resolved", "closed")


def children_counts(ticket: Ticket) -> dict[str, int]:
    """``ticket.children``: how many child tickets it has, ``unfinished`` (not in a closed state) and per category.

    Counted in the database, so a child created earlier in the same transaction is counted too.
    """
    counts = dict.fromkeys(STATUS_CATEGORIES, 0)
    session = object_session(ticket)
    preloaded = ticket.__dict__.get(_PRELOADED)
    if preloaded is not None:
        counts.update(preloaded)
    elif ticket.id is not None and session is not None:
        rows = session.execute(select(Ticket.status_category, func.count()).where(Ticket.parent_id == ticket.id)
                               .group_by(Ticket.status_category))
        for category, count in rows:
            counts[category] = counts.get(category, 0) + count
    total = sum(counts.values())
    return {"total": total, "unfinished": total - counts["closed"], **counts}


_PRELOADED = "_children_by_category"


def preload_children_counts(session: Any, tickets: list[Ticket]) -> None:
    """Count the children of many tickets in one statement, for code that computes the facts of each (a replay):
    ``children_counts`` then reads the counts instead of asking the database once per ticket. The counts are a
    snapshot: use it only for tickets that are not changed afterwards in the same unit of work."""
    by_parent: dict[int, dict[str, int]] = {t.id: {} for t in tickets if t.id is not None}
    if not by_parent:
        return
    rows = session.execute(select(Ticket.parent_id, Ticket.status_category, func.count())
                           .where(Ticket.parent_id.in_(list(by_parent))).group_by(Ticket.parent_id, Ticket.status_category))
    for parent_id, category, count in rows:
        by_parent[parent_id][category] = by_parent[parent_id].get(category, 0) + count
    for ticket in tickets:
        if ticket.id is not None:
            ticket.__dict__[_PRELOADED] = by_parent[ticket.id]


def person(user: User) -> dict[str, Any]:
    return {"email": user.email, "name": user.name, "roles": user.role_names, "tags": list(user.tags or [])}


def context_for(ticket: Ticket, data: dict[str, Any] | None = None, now: datetime | None = None) -> dict[str, Any]:
    return rule_context(ticket.data if data is None else data, ticket_facts(ticket, now))
