"""Who may see and act on which ticket.

Requesters see their own tickets; a team's supervisor and manager see its tickets; agents
see their teams' tickets (or every ticket of a
type whose definition says ``"access": {"agents": "all"}``), the tickets assigned to
them, and tickets they watch; admins see everything. A ticket you may not see does not
exist for you (404). Only staff (admins, and agents who may see the ticket) see internal
comments, internal attachments and internal events.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, false, or_, select
from sqlalchemy.orm import Session, lazyload

from platform_core.auth.models import Team, User, team_member
from platform_core.errors import NotFound
from runtime.rules.cache import compiled_for
from runtime.tickets.models import Ticket, TicketType, TicketTypeVersion, TicketWatcher

STAFF_ROLES = ("admin", "agent")


def _definition(version: TicketTypeVersion) -> Any:
    """A published version's document from the process-wide cache (loaded from the database once)."""
    return compiled_for(version).document


def _agents_see_all_type_ids(session: Session) -> set[int]:
    """Types whose latest definition lets every agent see every ticket."""
    versions = session.scalars(
        select(TicketTypeVersion).join(TicketType, (TicketTypeVersion.ticket_type_id == TicketType.id)
                                       & (TicketTypeVersion.number == TicketType.latest_version))
        .options(lazyload(TicketTypeVersion.published_by)))  # who published it: not needed, and their roles with it
    return {version.ticket_type_id for version in versions if _agents_see_all(_definition(version))}


def _type_agents_see_all(session: Session, ticket_type: TicketType) -> bool:
    """Access is a policy of the type, taken from its latest published version for every ticket,
    so that opening (or closing) a type to all agents applies to its older tickets too.

    Remembered in the session by type and version number (a published version does not change), so a sweep
    notifying on a thousand tickets of one type reads it once."""
    memo = session.info.setdefault("gongdan_agents_see_all", {})
    key = (ticket_type.id, ticket_type.latest_version)
    if key not in memo:
        memo[key] = _latest_lets_agents_see_all(session, ticket_type)
    return memo[key]


def _latest_lets_agents_see_all(session: Session, ticket_type: TicketType) -> bool:
    latest = session.scalar(select(TicketTypeVersion).where(TicketTypeVersion.ticket_type_id == ticket_type.id,
                                                             TicketTypeVersion.number == ticket_type.latest_version)
                            .options(lazyload(TicketTypeVersion.published_by)))
    return latest is not None and _agents_see_all(_definition(latest))


def _agents_see_all(document: Any) -> bool:
    return isinstance(document, dict) and (document.get("access") or {}).get("agents") == "all"


def visibility_filter(session: Session, user: User) -> Any:
    """A WHERE clause selecting the tickets ``user`` may see."""
    if user.has_role("admin"):
        return True
    watched = exists().where(TicketWatcher.ticket_id == Ticket.id, TicketWatcher.user_id == user.id)
    clauses = [Ticket.requester_id == user.id, watched]
    clauses.append(Ticket.team_id.in_(select(Team.id).where(or_(Team.supervisor_id == user.id,
                                                                Team.manager_id == user.id))))
    if user.has_role("agent"):
        my_teams = select(team_member.c.team_id).where(team_member.c.user_id == user.id)
        clauses += [Ticket.team_id.in_(my_teams), Ticket.assignee_id == user.id]
        all_types = _agents_see_all_type_ids(session)
        if all_types:
            clauses.append(Ticket.ticket_type_id.in_(all_types))
    return or_(*clauses) if clauses else false()


def can_see(session: Session, user: User, ticket: Ticket) -> bool:
    if user.has_role("admin") or ticket.requester_id == user.id:
        return True
    if is_staff_for(session, user, ticket):
        return True
    return session.scalar(select(TicketWatcher.user_id).where(TicketWatcher.ticket_id == ticket.id,
                                                              TicketWatcher.user_id == user.id)) is not None


def is_staff_for(session: Session, user: User, ticket: Ticket) -> bool:
    """Admins, the supervisor and manager of the ticket's team, and agents who may work the ticket:
    they see internal content and act as agents on it."""
    if user.has_role("admin"):
        return True
    team = ticket.team
    if team is not None and user.id in (team.supervisor_id, team.manager_id):
        return True
    if not user.has_role("agent"):
        return False
    if ticket.assignee_id == user.id or _type_agents_see_all(session, ticket.ticket_type):
        return True
    if ticket.team_id is None:
        return False
    return session.scalar(select(team_member.c.user_id).where(team_member.c.team_id == ticket.team_id,
                                                              team_member.c.user_id == user.id)) is not None


def get_visible_ticket(session: Session, user: User, ticket_id: int, *, for_update: bool = False) -> Ticket:
    stmt = select(Ticket).where(Ticket.id == ticket_id)
    if for_update:
        stmt = stmt.with_for_update(of=Ticket)
    ticket = session.scalar(stmt)
    if ticket is None or not can_see(session, user, ticket):
        raise NotFound(f"Ticket {ticket_id} does not exist.")
    return ticket
