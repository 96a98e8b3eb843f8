"""Who gets a ticket: a team and an assignee from an assignment spec ({team, strategy, user}) by fixed,
round-robin, least-loaded or on-duty strategy, and assignment by hand; each recorded and notified."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, Update, bindparam, func, select, update
from sqlalchemy.orm import Session, lazyload

from platform_core.auth.models import Team, User, team_member
from platform_core.auth.services import on_duty
from platform_core.db import insert_if_missing_on, utcnow, write_apart
from platform_core.errors import ValidationFailed
from runtime.notify.inbox import notify_user
from runtime.tickets import hooks
from runtime.tickets.display import assigned_message
from runtime.tickets.history import record_event
from runtime.tickets.models import OPEN_CATEGORIES, RoundRobinCursor, Ticket

# A team's people load when needed, not with every team row.
_TEAM_ONLY = (lazyload(Team.members), lazyload(Team.supervisor), lazyload(Team.manager))


def choose_assignment(session: Session, spec: dict[str, Any], now: datetime) -> tuple[Team | None, User | None, dict[str, Any]]:
    """The team and assignee an assignment spec ({team, strategy, user}) gives now, and why.

    Every ticket created pays for the statements here, so each strategy finds the team and its
    assignee in as few as it can: one for least loaded, two for round robin (the cursor's move, then
    the team and member) and for on duty.
    """
    key = spec.get("team")
    strategy = spec.get("strategy") or ("fixed" if spec.get("user") else "none")
    team = assignee = why = None
    if key and strategy == "round_robin":
        team, assignee, why = _round_robin(session, key)
    elif key and strategy == "least_loaded":
        team, assignee, why = _least_loaded(session, key)
    elif key:
        team = _team(session, key)
    if why is None:
        assignee, why = _fixed_on_duty_or_queue(session, team, strategy, spec.get("user"), now)
    details: dict[str, Any] = {"strategy": strategy, "why": why}
    if key and team is None:
        details["problem"] = f"team {key!r} does not exist; the ticket stays unassigned"
    return team, assignee, details


def _team(session: Session, key: str) -> Team | None:
    return session.scalar(select(Team).where(Team.key == key).options(*_TEAM_ONLY))


def _fixed_on_duty_or_queue(session: Session, team: Team | None, strategy: str, user_email: str | None,
                            now: datetime) -> tuple[User | None, str]:
    if strategy == "fixed" or (user_email and team is None):
        user = session.scalar(select(User).where(User.email == (user_email or "").lower(), User.active.is_(True)))
        return user, (f"fixed assignee {user_email}" if user else f"fixed assignee {user_email} is not an active user")
    if team is None or strategy != "on_duty":
        return None, "the team's queue"
    duty = on_duty(session, team, now)
    return (duty[0], "on duty") if duty else (None, f"nobody in {team.key} is on duty")


@cache
def _least_loaded_query() -> Select[Any]:
    """The team by key (bind ``key``), its active member with the fewest open tickets (lowest id
    on a tie) and that count. Kept: see platform_core.db on hot statements."""
    load = (select(func.count()).where(Ticket.assignee_id == User.id, Ticket.status_category.in_(OPEN_CATEGORIES))
            .correlate(User).scalar_subquery())
    return (select(Team, User, load).select_from(Team)
            .outerjoin(team_member, team_member.c.team_id == Team.id)
            .outerjoin(User, (User.id == team_member.c.user_id) & User.active.is_(True))
            .where(Team.key == bindparam("key")).order_by(User.id.is_(None), load, User.id).limit(1)
            .options(*_TEAM_ONLY, lazyload(User.roles)))


def _least_loaded(session: Session, key: str) -> tuple[Team | None, User | None, str | None]:
    """The team and its active member with the fewest open tickets (lowest id on a tie), in one query."""
    row = session.execute(_least_loaded_query(), {"key": key}).first()
    if row is None:
        return None, None, None
    team, user, count = row
    if user is None:
        return team, None, f"team {key} has no active members"
    return team, user, f"least loaded ({count} open)"


@cache
def _round_robin_statements() -> tuple[Update, Select[Any]]:
    """Moving the cursor of the team with key ``key`` (returning the team id and the member it now points at);
    loading that team (``team_id``) with that member (``user_id``)."""
    members = (select(func.min(User.id)).join(team_member, team_member.c.user_id == User.id)
               .where(team_member.c.team_id == RoundRobinCursor.team_id, User.active.is_(True))
               .correlate(RoundRobinCursor))
    after_last = members.where(User.id > RoundRobinCursor.last_user_id)
    advance = (update(RoundRobinCursor).where(RoundRobinCursor.team_id == Team.id, Team.key == bindparam("key"))
               .values(last_user_id=func.coalesce(after_last.scalar_subquery(), members.scalar_subquery()))
               .returning(RoundRobinCursor.team_id, RoundRobinCursor.last_user_id))
    load = (select(Team, User).join(User, User.id == bindparam("user_id")).where(Team.id == bindparam("team_id"))
            .options(*_TEAM_ONLY, lazyload(User.roles)))
    return advance, load


def _round_robin(session: Session, key: str) -> tuple[Team | None, User | None, str | None]:
    """Move the team's round-robin cursor to its next active member; the team and that member.

    One UPDATE … RETURNING picks and records the member, apart from the caller's transaction (``write_apart``: the
    cursor row is locked for that statement only, so concurrent creates take turns without waiting for each
    other's commit; a create that fails afterwards has used its turn); the cursor row is made on the team's first
    ticket.
    """
    moved = write_apart(session, lambda connection: _move_cursor(connection, key))
    if moved is None:  # no such team
        return None, None, None
    team_id, user_id = moved
    if user_id is None:
        return session.get(Team, team_id, options=_TEAM_ONLY), None, f"team {key} has no active members"
    team, user = session.execute(_round_robin_statements()[1], {"team_id": team_id, "user_id": user_id}).one()
    return team, user, "round robin"


def _move_cursor(connection: Connection, key: str) -> tuple[int, int | None] | None:
    """(team id, the member the team's cursor moved to or None without an active member); None: no such team."""
    advance = _round_robin_statements()[0]
    found = connection.execute(advance, {"key": key}).first()
    if found is None:  # no such team, or its first ticket by round robin
        team_id = connection.scalar(select(Team.id).where(Team.key == key))
        if team_id is None:
            return None
        insert_if_missing_on(connection, RoundRobinCursor, {"team_id": team_id, "last_user_id": None})
        found = connection.execute(advance, {"key": key}).first()
        if found is None:
            raise RuntimeError(f"the round-robin cursor of team {key} vanished")
    return found[0], found[1]


def record_assignment(session: Session, ticket: Ticket, before: tuple[str | None, str | None],
                      details: dict[str, Any], *, actor_id: int | None, reason: str) -> None:
    after = (ticket.team.key if ticket.team else None, ticket.assignee.email if ticket.assignee else None)
    record_event(session, ticket, "assigned", actor_id=actor_id, details={
        "team": [before[0], after[0]], "assignee": [before[1], after[1]], "by": reason, **details})
    if ticket.assignee is not None and ticket.assignee.id != actor_id:
        notify_user(session, ticket.assignee.id, ticket, "assigned", assigned_message(ticket))


def apply_assignment(session: Session, ticket: Ticket, spec: dict[str, Any], *, actor_id: int | None,
                     reason: str, now: datetime) -> None:
    """Set team and assignee of an existing ticket from an assignment spec, and record it."""
    team, assignee, details = choose_assignment(session, spec, now)
    before = (ticket.team.key if ticket.team else None, ticket.assignee.email if ticket.assignee else None)
    if spec.get("team"):
        ticket.team = team
    ticket.assignee = assignee
    record_assignment(session, ticket, before, details, actor_id=actor_id, reason=reason)
    if assignee is not None and assignee.email != before[1]:
        hooks.assigned.send(session, ticket, now, actor_id)


def assign(session: Session, actor: User, ticket: Ticket, team_key: str | None, assignee_email: str | None,
           *, commit: bool = True) -> Ticket:
    team = None
    if team_key:
        team = session.scalar(select(Team).where(Team.key == team_key))
        if team is None:
            raise ValidationFailed.field("/team", f"There is no team {team_key!r}.")
    assignee = None
    if assignee_email:
        assignee = session.scalar(select(User).where(User.email == assignee_email.lower(), User.active.is_(True)))
        if assignee is None:
            raise ValidationFailed.field("/assignee", f"There is no active user {assignee_email}.")
        if team is not None and assignee not in team.members:
            raise ValidationFailed.field("/assignee", f"{assignee_email} is not a member of {team.key}.")
    before = {"team": ticket.team.key if ticket.team else None, "assignee": ticket.assignee.email if ticket.assignee else None}
    ticket.team, ticket.assignee = team, assignee
    after = {"team": team.key if team else None, "assignee": assignee.email if assignee else None}
    if before != after:
        record_event(session, ticket, "assigned", actor_id=actor.id,
                     details={k: [before[k], after[k]] for k in before} | {"by": "hand"})
        if assignee is not None and assignee.id != actor.id:
            notify_user(session, assignee.id, ticket, "assigned", assigned_message(ticket))
    ticket.updated_at = utcnow()
    if assignee is not None and after["assignee"] != before["assignee"]:
        hooks.assigned.send(session, ticket, ticket.updated_at, actor.id)
    if commit:
        session.commit()
    return ticket
