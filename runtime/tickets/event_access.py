"""Events that name other tickets, shown only as far as the reader may see those tickets (as /links does).

`link_added`/`link_removed` name the linked ticket and `child_created` the child: such an event is left out
when the reader cannot see that ticket. `created` names the parent: the event stays, without the parent's
number.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_core.auth.models import User
from runtime.tickets import access
from runtime.tickets.models import Ticket

# kind -> the key of `details` naming another ticket, and whether the whole event is about that ticket
_NAMING = {"link_added": ("ticket", True), "link_removed": ("ticket", True), "child_created": ("child", True),
           "created": ("parent", False)}


def visible_events(session: Session, user: User, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events (as dicts with kind, details and display) the reader may see in full or in part."""
    named = {str(item["details"][_NAMING[item["kind"]][0]]) for item in items
             if item["kind"] in _NAMING and isinstance(item["details"], dict)
             and item["details"].get(_NAMING[item["kind"]][0]) is not None}
    if not named:
        return items
    seen = set(session.scalars(select(Ticket.number).where(Ticket.number.in_(named),
                                                           access.visibility_filter(session, user))))
    shown = []
    for item in items:
        key, whole = _NAMING.get(item["kind"], (None, False))
        details = item["details"] if isinstance(item["details"], dict) else {}
        if key is None or details.get(key) is None or str(details[key]) in seen:
            shown.append(item)
        elif not whole:
            display = item["display"] if isinstance(item["display"], dict) else {}
            shown.append({**item, "details": {k: v for k, v in details.items() if k != key},
                          "display": {k: v for k, v in display.items() if k != key}})
    return shown
