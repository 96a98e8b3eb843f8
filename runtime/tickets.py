"""Ticket services: create (validate, prioritise, route, number), read, update, collaborate.

Views call these; each that writes commits once at the end, so a refused request writes
nothing. Decisions come from runtime.engine (pure) over the ticket's own published version.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, Update, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, lazyload

from platform_core.auth.models import Team, User, team_member
from platform_core.auth.services import on_duty
from platform_core.db import insert_persistent, utcnow
from platform_core.errors import Conflict, Forbidden, NotFound, PreconditionFailed, ValidationFailed
from runtime import access, automations, sla
from runtime.context import rule_context
from runtime.engine import CompiledDefinition
from runtime.events import notify_user, notify_users, record_event
from runtime.models import (
    IdempotencyRecord,
    RoundRobinCursor,
    Ticket,
    TicketComment,
    TicketCounter,
    TicketType,
    TicketTypeVersion,
    TicketWatcher,
)

OPEN_CATEGORIES = ("new", "open", "pending")
SOURCES = ("web", "api", "webhook", "email")


def compiled_for(version: TicketTypeVersion) -> CompiledDefinition:
    """The compiled definition of a published version, built once per process.

    Versions never change, so the cache needs no invalidation. Its key adds the publish
    instant to the id because ids repeat across databases (a restored backup, a test
    database emptied between tests); the instant tells such versions apart.
    """
    key = (version.id, version.published_at)
    cached = _version_cache.get(key)
    if cached is None:
        cached = CompiledDefinition(version.definition)
        if len(_version_cache) >= 512:
            _version_cache.clear()
        _version_cache[key] = cached
    return cached


_version_cache: dict[tuple[int, Any], CompiledDefinition] = {}


# --------------------------------------------------------------------------- the rule context


def _age_days(since: datetime | None, now: datetime) -> float | None:
    return None if since is None else round((now - since).total_seconds() / 86400, 4)


def ticket_facts(ticket: Ticket, now: datetime | None = None) -> dict[str, Any]:
    """``ticket.*`` as rules see it (see runtime/context.py for the list)."""
    now = now or utcnow()
    requester = ticket.requester
    return {
        "number": ticket.number, "type": ticket.ticket_type.key, "version": ticket.type_version.number,
        "status": ticket.status, "status_category": ticket.status_category, "priority": ticket.priority,
        "team": ticket.team.key if ticket.team else None,
        "assignee": ticket.assignee.email if ticket.assignee else None,
        "requester": _person(requester), "source": ticket.source,
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


def _person(user: User) -> dict[str, Any]:
    return {"email": user.email, "name": user.name, "roles": user.role_names, "tags": list(user.tags or [])}


def context_for(ticket: Ticket, data: dict[str, Any] | None = None, now: datetime | None = None) -> dict[str, Any]:
    return rule_context(ticket.data if data is None else data, ticket_facts(ticket, now))


# --------------------------------------------------------------------------- assignment


# A team's people load when needed, not with every team row.
_TEAM_ONLY = (lazyload(Team.members), lazyload(Team.supervisor), lazyload(Team.manager))


def choose_assignment(session: Session, spec: dict[str, Any], now: datetime) -> tuple[Team | None, User | None, dict[str, Any]]:
    """The team and assignee an assignment spec ({team, strategy, user}) gives now, and why.

    Every ticket created pays for the statements here, so each strategy finds the team and its
    assignee in as few as it can: one for least loaded and for round robin on PostgreSQL, two for
    round robin on SQLite and for on duty.
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
def _round_robin_statements() -> tuple[Update, Select[Any], Select[Any]]:
    """Moving the cursor of the team with key ``key`` (returning the team id and the member it
    now points at); loading that team (``team_id``) with that member (``user_id``); and, for
    PostgreSQL, both in one statement (the UPDATE as a data-modifying CTE)."""
    members = (select(func.min(User.id)).join(team_member, team_member.c.user_id == User.id)
               .where(team_member.c.team_id == RoundRobinCursor.team_id, User.active.is_(True))
               .correlate(RoundRobinCursor))
    after_last = members.where(User.id > RoundRobinCursor.last_user_id)
    advance = (update(RoundRobinCursor).where(RoundRobinCursor.team_id == Team.id, Team.key == bindparam("key"))
               .values(last_user_id=func.coalesce(after_last.scalar_subquery(), members.scalar_subquery()))
               .returning(RoundRobinCursor.team_id, RoundRobinCursor.last_user_id))
    load = (select(Team, User).join(User, User.id == bindparam("user_id")).where(Team.id == bindparam("team_id"))
            .options(*_TEAM_ONLY, lazyload(User.roles)))
    moved = advance.cte("moved")
    advance_and_load = (select(Team, User).select_from(moved).join(Team, Team.id == moved.c.team_id)
                        .outerjoin(User, User.id == moved.c.last_user_id).options(*_TEAM_ONLY, lazyload(User.roles)))
    return advance, load, advance_and_load


def _round_robin(session: Session, key: str) -> tuple[Team | None, User | None, str | None]:
    """Move the team's round-robin cursor to its next active member; the team and that member.

    One UPDATE … RETURNING picks and records the member (the cursor row stays locked until
    commit, so concurrent creates take turns); the cursor row is made on the team's first ticket.
    """
    moved = _advance_cursor(session, key)
    if moved is None:  # no such team, or its first ticket by round robin
        team = _team(session, key)
        if team is None:
            return None, None, None
        _insert_if_missing(session, RoundRobinCursor, {"team_id": team.id, "last_user_id": None})
        moved = _advance_cursor(session, key)
        if moved is None:
            raise RuntimeError(f"the round-robin cursor of team {key} vanished")
    team, user = moved
    return team, user, ("round robin" if user else f"team {key} has no active members")


def _advance_cursor(session: Session, key: str) -> tuple[Team, User | None] | None:
    """The team and the member its cursor moved to (None: no active member); None without a cursor.

    The cursor is never loaded as an object, so the UPDATE runs past the ORM: on PostgreSQL as a
    CTE of the SELECT that loads the team and member (one round trip), elsewhere on its own.
    """
    advance, load, advance_and_load = _round_robin_statements()
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(advance_and_load, {"key": key}).first()
        return None if row is None else (row[0], row[1])
    found = session.connection().execute(advance, {"key": key}).first()
    if found is None:
        return None
    team_id, user_id = found
    if user_id is None:
        return session.get(Team, team_id, options=_TEAM_ONLY), None
    team, user = session.execute(load, {"team_id": team_id, "user_id": user_id}).one()
    return team, user


def _insert_if_missing(session: Session, model: type, row: dict[str, Any]) -> None:
    """Insert a row unless one with its key exists (or another transaction inserts it meanwhile)."""
    try:
        with session.begin_nested():
            session.connection().execute(insert(model), row)
    except IntegrityError:
        pass  # made concurrently


def record_assignment(session: Session, ticket: Ticket, before: tuple[str | None, str | None],
                      details: dict[str, Any], *, actor_id: int | None, reason: str) -> None:
    after = (ticket.team.key if ticket.team else None, ticket.assignee.email if ticket.assignee else None)
    record_event(session, ticket, "assigned", actor_id=actor_id, details={
        "team": [before[0], after[0]], "assignee": [before[1], after[1]], "by": reason, **details})
    if ticket.assignee is not None and ticket.assignee.id != actor_id:
        notify_user(session, ticket.assignee.id, ticket, "assigned", f"{ticket.number} was assigned to you: {ticket.title}")


def apply_assignment(session: Session, ticket: Ticket, spec: dict[str, Any], *, actor_id: int | None,
                     reason: str, now: datetime) -> None:
    """Set team and assignee of an existing ticket from an assignment spec, and record it."""
    team, assignee, details = choose_assignment(session, spec, now)
    before = (ticket.team.key if ticket.team else None, ticket.assignee.email if ticket.assignee else None)
    if spec.get("team"):
        ticket.team = team
    ticket.assignee = assignee
    record_assignment(session, ticket, before, details, actor_id=actor_id, reason=reason)


# --------------------------------------------------------------------------- recipients


def resolve_recipients(session: Session, ticket: Ticket, recipients: list[str]) -> list[User]:
    users: dict[int, User] = {}
    for recipient in recipients:
        found: list[User] = []
        if recipient == "requester":
            found = [ticket.requester]
        elif recipient == "assignee" and ticket.assignee:
            found = [ticket.assignee]
        elif recipient == "watchers":
            found = [w.user for w in session.scalars(select(TicketWatcher).where(TicketWatcher.ticket_id == ticket.id))]
        elif recipient == "team" and ticket.team:
            found = list(ticket.team.members)
        elif recipient == "team.supervisor" and ticket.team and ticket.team.supervisor:
            found = [ticket.team.supervisor]
        elif recipient == "team.manager" and ticket.team and ticket.team.manager:
            found = [ticket.team.manager]
        elif recipient.startswith("role:"):
            from platform_core.auth.models import Role

            found = list(session.scalars(select(User).join(User.roles).where(Role.name == recipient[5:])))
        elif recipient.startswith("user:"):
            found = list(session.scalars(select(User).where(User.email == recipient[5:].lower())))
        for user in found:
            if user.active:
                users[user.id] = user
    return list(users.values())


def _may_hear_internals(session: Session, user: User, ticket: Ticket) -> bool:
    """Staff of the ticket, or anyone with a role beyond requester who is not its requester
    (an escalation to role:executive reaches the executives)."""
    if access.is_staff_for(session, user, ticket):
        return True
    return user.id != ticket.requester_id and not set(user.role_names) <= {"requester"}


def notify(session: Session, ticket: Ticket, recipients: list[str], kind: str, message: str, *,
           actor_id: int | None, internal: bool = False, channels: list[str] | None = None) -> list[int]:
    """Notify the resolved recipients (inbox, and ``channels`` or each one's preferences); requesters
    never get internal ones."""
    sent = [user.id for user in resolve_recipients(session, ticket, recipients)
            if user.id != actor_id and (not internal or _may_hear_internals(session, user, ticket))]
    if sent:
        notify_users(session, sent, ticket, kind, message, channels=channels)
    if channels:  # chat apps and plain webhooks: once per event, to the ticket's team's endpoints
        from runtime.outbox import queue_chat

        queue_chat(session, ticket, channels, kind, message)
    return sent


# --------------------------------------------------------------------------- create


def request_fingerprint(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


@cache
def _bump_counter() -> Update:
    return (update(TicketCounter).where(TicketCounter.ticket_type_id == bindparam("type_id"))
            .values(last_number=TicketCounter.last_number + 1).returning(TicketCounter.last_number))


def _next_number(session: Session, ticket_type: TicketType) -> str:
    """Allocate the next number atomically: the counter row is updated in place (a row lock on
    PostgreSQL), as Core (the counter is never loaded as an object)."""
    value = session.connection().execute(_bump_counter(), {"type_id": ticket_type.id}).scalar()
    if value is None:
        _insert_if_missing(session, TicketCounter, {"ticket_type_id": ticket_type.id, "last_number": 0})
        value = session.connection().execute(_bump_counter(), {"type_id": ticket_type.id}).scalar_one()
    return f"{ticket_type.number_prefix}-{value:06d}"


def _search_text(data: dict[str, Any]) -> str:
    parts = [str(data.get("title") or ""), str(data.get("description") or "")]
    return " ".join(parts).lower()[:20000]


def _attachment_ids(compiled: CompiledDefinition, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(pointer, attachment id) for every value of a form field with format 'attachment'."""
    found = []
    properties = compiled.document["form"]["schema"].get("properties", {})
    for name, schema in properties.items():
        value = data.get(name)
        if not isinstance(schema, dict) or value is None:
            continue
        if schema.get("format") == "attachment" and isinstance(value, str):
            found.append((f"/data/{name}", value))
        items = schema.get("items")
        if isinstance(items, dict) and items.get("format") == "attachment" and isinstance(value, list):
            found += [(f"/data/{name}/{i}", v) for i, v in enumerate(value) if isinstance(v, str)]
    return found


@cache
def _latest_version_query() -> Select[Any]:
    """The live type with key ``key`` and its latest version, in one round trip."""
    return (select(TicketTypeVersion).join(TicketTypeVersion.ticket_type)
            .where(TicketType.key == bindparam("key"), TicketType.archived_at.is_(None),
                   TicketTypeVersion.number == TicketType.latest_version)
            .options(contains_eager(TicketTypeVersion.ticket_type), lazyload(TicketTypeVersion.published_by)))


def create_ticket(session: Session, actor: User, body: dict[str, Any], *, idempotency_key: str | None = None,
                  parent: Ticket | None = None, commit: bool = True) -> tuple[Ticket, bool]:
    """Create a ticket from {type, data, requester?, source?}; returns (ticket, created)."""
    fingerprint = request_fingerprint(body)
    if idempotency_key:
        replayed = _replay(session, actor, idempotency_key, fingerprint)
        if replayed is not None:
            return replayed, False

    version = session.scalar(_latest_version_query(), {"key": body["type"]})
    if version is None:
        raise ValidationFailed.field("/type", f"There is no published ticket type {body['type']!r}.")
    ticket_type = version.ticket_type
    requester = actor
    if body.get("requester"):
        if not actor.has_role("admin", "agent"):
            raise Forbidden("Only agents and admins may file a ticket for someone else.")
        requester = session.scalar(select(User).where(User.email == body["requester"].strip().lower()))
        if requester is None or not requester.active:
            raise ValidationFailed.field("/requester", f"There is no active user {body['requester']}.")
    source = body.get("source") or ("web" if actor.has_role("requester") and not actor.has_role("agent") else "api")

    now = utcnow()
    compiled = compiled_for(version)
    facts = {"type": ticket_type.key, "version": version.number, "status": compiled.initial_state,
             "status_category": compiled.states[compiled.initial_state]["category"], "priority": None,
             "team": None, "assignee": None, "requester": _person(requester), "source": source,
             "created_at": now.isoformat(), "updated_at": now.isoformat(), "age_hours": 0, "hours_in_status": 0}
    data, errors = compiled.validate_data(body["data"], facts, now)
    if errors:
        raise ValidationFailed(f"The form has {len(errors)} problem(s).", code="validation_error",
                               details=[{**e, "path": "/data" + e["path"], "location": "json"} for e in errors])
    context = rule_context(data, facts)
    priority = compiled.priority(context, now)
    facts["priority"] = priority.level
    routing = compiled.route(context, now)
    if routing.rule and routing.rule.get("set_priority"):
        facts["priority"] = routing.rule["set_priority"]

    team = assignee = None
    assignment: dict[str, Any] | None = None
    if routing.rule and routing.rule.get("assign"):  # decided before the insert: one write, not two
        team, assignee, assignment = choose_assignment(session, routing.rule["assign"], now)
    number = _next_number(session, ticket_type)
    ticket = Ticket(number=number, ticket_type=ticket_type, type_version=version,
                    title=str(data.get("title") or "")[:300], search_text=_search_text(data), data=data,
                    status=compiled.initial_state, status_category=facts["status_category"],
                    status_changed_at=now, priority=facts["priority"], requester=requester, source=source,
                    team=team, assignee=assignee,
                    parent=parent, created_at=now, updated_at=now)
    sla_started, clocks = sla.start(session, ticket, now)
    insert_persistent(session, [ticket])  # the hottest write there is: past the unit of work
    sla.save_started(session, ticket, clocks)
    record_event(session, ticket, "created", actor_id=actor.id, details={
        "version": version.number, "priority": ticket.priority, "priority_steps": priority.steps,
        "routing": routing.trace, "source": source, **({"parent": parent.number} if parent else {}),
        **({"sla": sla_started} if sla_started else {})})
    claimed = _attachment_ids(compiled, data)
    if claimed:
        from runtime.attachments import claim_form_attachments

        claim_form_attachments(session, ticket, claimed, uploader_id=actor.id)
    if routing.rule:
        if assignment is not None:
            record_assignment(session, ticket, (None, None), assignment, actor_id=None,
                              reason=f"routing rule '{routing.rule['name']}'")
        for spec in routing.rule.get("notify", []):
            notify(session, ticket, spec["to"], "routed",
                   f"{ticket.number} ({ticket.priority}) was routed by '{routing.rule['name']}': {ticket.title}",
                   actor_id=actor.id, internal=True)
    automations.state_entered(session, ticket, now, new=True)
    automations.fire(session, ticket, "created", now=now)
    if idempotency_key:
        session.add(IdempotencyRecord(user_id=actor.id, key=idempotency_key, request_hash=fingerprint,
                                      ticket_id=ticket.id))
    if commit:
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            replayed = _replay(session, actor, idempotency_key, fingerprint) if idempotency_key else None
            if replayed is None:
                raise
            return replayed, False  # the same key raced with another request: answer as that one did
    return ticket, True


def _replay(session: Session, actor: User, key: str, fingerprint: str) -> Ticket | None:
    """The ticket an earlier request with this Idempotency-Key created, or None; 409 for another body."""
    seen = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.user_id == actor.id,
                                                          IdempotencyRecord.key == key))
    if seen is None:
        return None
    if seen.request_hash != fingerprint:
        raise Conflict("This Idempotency-Key was used before with a different request body.",
                       details=[{"path": "", "location": "header",
                                 "message": "Use a new Idempotency-Key for a different ticket."}])
    return session.get(Ticket, seen.ticket_id)


# --------------------------------------------------------------------------- read and update


def check_if_match(ticket: Ticket, if_match: str | None) -> None:
    if if_match is None:
        return
    expected = if_match.strip().removeprefix("W/").strip('"')
    if expected != str(ticket.row_version):
        raise PreconditionFailed(f"{ticket.number} changed since you loaded it (now version {ticket.row_version}). "
                                 "Reload it to see what changed, then try again.",
                                 details=[{"path": "", "location": "header", "message": "Stale If-Match."}])


def update_ticket(session: Session, actor: User, ticket: Ticket, changes: dict[str, Any], if_match: str | None) -> Ticket:
    """Change form data (validated) and, for staff, priority, team or assignee; every change is an event."""
    check_if_match(ticket, if_match)
    staff = access.is_staff_for(session, actor, ticket)
    if not staff and (ticket.requester_id != actor.id or ticket.status_category != "new"):
        raise Forbidden("Only agents of the ticket's team can change it once work has started.")
    now = utcnow()
    compiled = compiled_for(ticket.type_version)
    changed: list[str] = []
    if "data" in changes:
        merged = {**ticket.data, **changes["data"]}
        merged = {k: v for k, v in merged.items() if v is not None}
        data, errors = compiled.validate_data(merged, ticket_facts(ticket, now), now)
        if errors:
            raise ValidationFailed(f"The form has {len(errors)} problem(s).",
                                   details=[{**e, "path": "/data" + e["path"], "location": "json"} for e in errors])
        for name in sorted(set(ticket.data) | set(data)):
            if ticket.data.get(name) != data.get(name):
                record_event(session, ticket, "field_changed", actor_id=actor.id,
                             details={"field": name, "old": ticket.data.get(name), "new": data.get(name)})
                changed.append(name)
        ticket.data = data
        ticket.title = str(data.get("title") or "")[:300]
        ticket.search_text = _search_text(data)
    if {"priority", "team", "assignee"} & changes.keys() and not staff:
        raise Forbidden("Only agents can change priority, team or assignee.")
    if "priority" in changes and changes["priority"] != ticket.priority:
        if changes["priority"] not in compiled.levels:
            raise ValidationFailed.field("/priority", f"Choose one of: {', '.join(compiled.levels)}.")
        record_event(session, ticket, "field_changed", actor_id=actor.id,
                     details={"field": "priority", "old": ticket.priority, "new": changes["priority"]})
        ticket.priority = changes["priority"]
        changed.append("priority")
        retargeted = sla.priority_changed(session, ticket, now)
        if retargeted:
            record_event(session, ticket, "sla_retargeted", actor_id=actor.id, internal=True,
                         details={"priority": ticket.priority, "clocks": retargeted})
    if "team" in changes or "assignee" in changes:
        assign(session, actor, ticket, changes.get("team", ticket.team.key if ticket.team else None),
               changes.get("assignee", ticket.assignee.email if ticket.assignee else None), commit=False)
    ticket.updated_at = now
    if changed or {"team", "assignee"} & changes.keys():
        automations.fire(session, ticket, "updated", now=now)
    if changed:
        automations.fire(session, ticket, "field_changed", fields=changed, now=now)
    session.commit()
    return ticket


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
            notify_user(session, assignee.id, ticket, "assigned", f"{ticket.number} was assigned to you: {ticket.title}")
    ticket.updated_at = utcnow()
    if commit:
        session.commit()
    return ticket


# --------------------------------------------------------------------------- comments and watchers

MENTION = re.compile(r"@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def add_comment(session: Session, actor: User | None, ticket: Ticket, body: str, internal: bool, *,
                commit: bool = True) -> TicketComment:
    """Add a comment; ``actor`` None is the system (an automation), which writes as staff."""
    actor_id = actor.id if actor else None
    staff = actor is None or access.is_staff_for(session, actor, ticket)
    if internal and not staff:
        raise Forbidden("Only agents of the ticket's team can write internal comments.")
    comment = TicketComment(ticket_id=ticket.id, author_id=actor_id, body=body, internal=internal)
    session.add(comment)
    session.flush()
    record_event(session, ticket, "comment_added", actor_id=actor_id, internal=internal,
                 details={"comment_id": comment.id, "internal": internal, "excerpt": body[:200]})
    now = utcnow()
    human_staff = staff and actor is not None and actor.id != ticket.requester_id
    if human_staff and not internal:
        if ticket.first_response_at is None:
            ticket.first_response_at = now
            sla.responded(session, ticket, now)
        sla.public_update(session, ticket, now)
    author = actor.name if actor else "Gongdan"
    mentioned = []
    for email in dict.fromkeys(m.lower() for m in MENTION.findall(body)):
        user = session.scalar(select(User).where(User.email == email, User.active.is_(True)))
        if user is None or user.id == actor_id:
            continue
        allowed = access.is_staff_for(session, user, ticket) if internal else access.can_see(session, user, ticket)
        if allowed:
            mentioned.append(user.id)
    if mentioned:
        notify_users(session, mentioned, ticket, "mentioned", f"{author} mentioned you on {ticket.number}: {body[:140]}")
    ticket.updated_at = now
    automations.fire(session, ticket, "comment_added", now=now)
    if commit:
        session.commit()
    return comment


def list_comments(session: Session, actor: User, ticket: Ticket) -> list[TicketComment]:
    stmt = select(TicketComment).where(TicketComment.ticket_id == ticket.id).order_by(TicketComment.id)
    if not access.is_staff_for(session, actor, ticket):
        stmt = stmt.where(TicketComment.internal.is_(False))
    return list(session.scalars(stmt))


def watchers(session: Session, ticket: Ticket) -> list[User]:
    return [w.user for w in session.scalars(select(TicketWatcher).where(TicketWatcher.ticket_id == ticket.id))]


def add_watcher(session: Session, actor: User, ticket: Ticket, user_id: int) -> None:
    if user_id != actor.id and not access.is_staff_for(session, actor, ticket):
        raise Forbidden("Only agents can add other people as watchers.")
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise ValidationFailed.field("/user_id", f"User {user_id} does not exist.")
    if session.get(TicketWatcher, (ticket.id, user_id)) is None:
        session.add(TicketWatcher(ticket_id=ticket.id, user_id=user_id))
        record_event(session, ticket, "watcher_added", actor_id=actor.id, details={"user": user.email})
        session.commit()


def remove_watcher(session: Session, actor: User, ticket: Ticket, user_id: int) -> None:
    if user_id != actor.id and not access.is_staff_for(session, actor, ticket):
        raise Forbidden("Only agents can remove other watchers.")
    watcher = session.get(TicketWatcher, (ticket.id, user_id))
    if watcher is None:
        raise NotFound(f"User {user_id} does not watch {ticket.number}.")
    record_event(session, ticket, "watcher_removed", actor_id=actor.id, details={"user": watcher.user.email})
    session.delete(watcher)
    session.commit()
