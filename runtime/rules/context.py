"""What every rule sees: the form data at the top level, and ``ticket.*``.

This module is the one list of ``ticket`` attributes. The designer checks rules against
it, the docs describe it, and the runtime builds the context from it.
"""

from __future__ import annotations

from typing import Any

# name -> description. Nested names (``requester.email``) are reached as ``ticket.requester.email``.
TICKET_ATTRIBUTES: dict[str, str] = {
    "number": "The ticket number, e.g. INC-000123.",
    "type": "The ticket type's key.",
    "version": "The definition version the ticket runs on.",
    "status": "The current state's key.",
    "status_category": "The current state's category: new, open, pending, resolved or closed.",
    "priority": "The current priority level, e.g. P2.",
    "team": "The assigned team's key, or null.",
    "assignee": "The assignee's email, or null.",
    "requester": "The requester: an object with email, name, roles and tags.",
    "requester.email": "The requester's email.",
    "requester.name": "The requester's name.",
    "requester.roles": "The requester's role names.",
    "requester.tags": "Tags of the requester, such as vip.",
    "source": "Where the ticket came from: web, api, webhook or email.",
    "created_at": "When it was created (ISO 8601, UTC).",
    "updated_at": "When it last changed (ISO 8601, UTC).",
    "first_response_at": "When an agent first responded, or null.",
    "resolved_at": "When it was last resolved, or null.",
    "closed_at": "When it was closed, or null.",
    "age_hours": "Hours since creation (wall-clock).",
    "hours_in_status": "Hours since it entered its current state.",
    "days_since_resolved": "Days since it was last resolved, or null.",
    "days_since_closed": "Days since it was closed, or null.",
    "parent": "The parent ticket's number, or null.",
    "children": "Counts of the child tickets: an object with total, unfinished and one count per status category.",
    "children.total": "How many child tickets it has (0 for none).",
    "children.unfinished": "How many of its child tickets are not closed yet (not in a state of category closed).",
    "children.new": "How many child tickets are in a state of category new.",
    "children.open": "How many child tickets are in a state of category open.",
    "children.pending": "How many child tickets are in a state of category pending.",
    "children.resolved": "How many child tickets are in a state of category resolved.",
    "children.closed": "How many child tickets are closed (a state of category closed).",
    "data": "The form data again (ticket.data.title is the same as title).",
}


def rule_context(data: dict[str, Any], ticket: dict[str, Any]) -> dict[str, Any]:
    """The object a rule is evaluated against: form data at the top level plus ``ticket``."""
    context = dict(data)
    context["ticket"] = {**ticket, "data": data}
    return context
