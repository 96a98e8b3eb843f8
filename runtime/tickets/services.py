"""Ticket services: create (validate, prioritise, route, number) and update.

Views call these; each that writes commits once at the end, so a refused request writes
nothing. Decisions come from runtime.rules (pure) over the ticket's own published version.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, Update, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, lazyload

from platform_core.auth.models import User
from platform_core.db import insert_if_missing_on, insert_persistent, utcnow, write_apart
from platform_core.errors import Forbidden, PreconditionFailed, ValidationFailed
from runtime.rules import texts
from runtime.rules.cache import compiled_for
from runtime.rules.context import rule_context
from runtime.rules.definition import CompiledDefinition
from runtime.rules.i18n import reader_locale
from runtime.tickets import access, hooks
from runtime.tickets.assignment import assign, choose_assignment, record_assignment
from runtime.tickets.attachments import claim_form_attachments
from runtime.tickets.display import routed_message
from runtime.tickets.facts import context_for, person, ticket_facts
from runtime.tickets.history import record_event
from runtime.tickets.idempotency import remembered, request_fingerprint
from runtime.tickets.limits import check_data_size
from runtime.tickets.models import (
    IdempotencyRecord,
    Ticket,
    TicketCounter,
    TicketType,
    TicketTypeVersion,
)
from runtime.tickets.recipients import notify

SOURCES = ("web", "api", "webhook", "email")


@cache
def _bump_counter() -> Update:
    return (update(TicketCounter).where(TicketCounter.ticket_type_id == bindparam("type_id"))
            .values(last_number=TicketCounter.last_number + 1).returning(TicketCounter.last_number))


def _next_number(session: Session, ticket_type: TicketType) -> str:
    """Allocate the next number atomically: the counter row is updated in place, as Core (the counter is never
    loaded as an object), apart from the create's transaction (``write_apart``: its row lock is held for this
    statement only, so creates of one type do not queue behind each other; a create that fails afterwards
    leaves its number unused)."""
    def bump(connection: Connection) -> int:
        value = connection.execute(_bump_counter(), {"type_id": ticket_type.id}).scalar()
        if value is None:
            insert_if_missing_on(connection, TicketCounter, {"ticket_type_id": ticket_type.id, "last_number": 0})
            value = connection.execute(_bump_counter(), {"type_id": ticket_type.id}).scalar_one()
        return value

    return f"{ticket_type.number_prefix}-{write_apart(session, bump):06d}"


def _search_text(data: dict[str, Any]) -> str:
    parts = [str(data.get("title") or ""), str(data.get("description") or "")]
    return " ".join(parts).lower()[:20000]


def _attachment_ids(compiled: CompiledDefinition, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(pointer, attachment id) for every value of a form field with format 'attachment'."""
    return attachment_refs(compiled.document["form"]["schema"].get("properties", {}), data)


def attachment_refs(properties: dict[str, Any], data: dict[str, Any], prefix: str = "/data") -> list[tuple[str, str]]:
    """(pointer, attachment id) for every value in `data` of a field whose schema in `properties` has format
    'attachment' (one file, or an array of them): the form's fields, or a transition's own."""
    found = []
    for name, schema in properties.items():
        value = data.get(name)
        if not isinstance(schema, dict) or value is None:
            continue
        if schema.get("format") == "attachment" and isinstance(value, str):
            found.append((f"{prefix}/{name}", value))
        items = schema.get("items")
        if isinstance(items, dict) and items.get("format") == "attachment" and isinstance(value, list):
            found += [(f"{prefix}/{name}/{i}", v) for i, v in enumerate(value) if isinstance(v, str)]
    return found


@cache
def _latest_version_query() -> Select[Any]:
    """The live type with key ``key`` and its latest version, in one round trip."""
    return (select(TicketTypeVersion).join(TicketTypeVersion.ticket_type)
            .where(TicketType.key == bindparam("key"), TicketType.archived_at.is_(None),
                   TicketTypeVersion.number == TicketType.latest_version)
            .options(contains_eager(TicketTypeVersion.ticket_type), lazyload(TicketTypeVersion.published_by)))


def latest_version(session: Session, type_key: str) -> TicketTypeVersion | None:
    """The latest published version of the live type ``type_key`` (its type loaded with it), or None."""
    return session.scalar(_latest_version_query(), {"key": type_key})


def new_ticket_facts(version: TicketTypeVersion, compiled: CompiledDefinition, requester: User, source: str,
                     now: Any) -> dict[str, Any]:
    """``ticket.*`` as rules see a ticket about to be created (nothing decided yet: no priority, team or assignee)."""
    return {"type": version.ticket_type.key, "version": version.number, "status": compiled.initial_state,
            "status_category": compiled.states[compiled.initial_state]["category"], "priority": None,
            "team": None, "assignee": None, "requester": person(requester), "source": source,
            "created_at": now.isoformat(), "updated_at": now.isoformat(), "age_hours": 0, "hours_in_status": 0}


def create_ticket(session: Session, actor: User, body: dict[str, Any], *, idempotency_key: str | None = None,
                  parent: Ticket | None = None, commit: bool = True, source: str | None = None) -> tuple[Ticket, bool]:
    """Create a ticket from {type, data, requester?, source?}; returns (ticket, created). ``source`` is where the
    ticket came from as the calling code knows it (the intake endpoints say 'webhook'), trusted as it is."""
    fingerprint = request_fingerprint(body)
    if idempotency_key:
        replayed = _replay(session, actor, idempotency_key, fingerprint)
        if replayed is not None:
            return replayed, False

    version = latest_version(session, body["type"])
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
    if body.get("source") and not actor.has_role("admin", "agent"):  # where a ticket came from is staff's to say
        raise Forbidden("Only agents and admins may set where a ticket came from ('source').",
                        details=[{"path": "/source", "location": "json", "message": "Leave 'source' out."}])
    source = source or body.get("source") or (
        "web" if actor.has_role("requester") and not actor.has_role("agent") else "api")

    now = utcnow()
    compiled = compiled_for(version)
    facts = new_ticket_facts(version, compiled, requester, source, now)
    locale = reader_locale(actor.locale)
    data, errors = compiled.validate_data(body["data"], facts, now, locale=locale)
    if errors:
        raise ValidationFailed(texts.say("form.problems", locale, count=len(errors)), code="validation_error",
                               details=[{**e, "path": "/data" + e["path"], "location": "json"} for e in errors])
    check_data_size(data, locale)
    context = rule_context(data, facts)
    priority = compiled.priority(context, now)
    routing = compiled.route(context, now)
    facts["priority"] = _with_routing(priority.level, routing.rule)

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
    details: dict[str, Any] = {
        "version": version.number, "priority": ticket.priority, "priority_steps": priority.steps,
        "routing": routing.trace, "source": source, **({"parent": parent.number} if parent else {})}
    for extra in hooks.creating.send(session, ticket, now):
        details.update(extra or {})
    insert_persistent(session, [ticket])  # the hottest write there is: past the unit of work
    record_event(session, ticket, "created", actor_id=actor.id, details=details)
    claimed = _attachment_ids(compiled, data)
    if claimed:
        claim_form_attachments(session, ticket, claimed, uploader_id=actor.id)
    if routing.rule:
        if assignment is not None:
            record_assignment(session, ticket, (None, None), assignment, actor_id=None,
                              reason=f"routing rule '{routing.rule['name']}'")
        for spec in routing.rule.get("notify", []):
            notify(session, ticket, spec["to"], "routed", routed_message(ticket, routing.index, routing.rule["name"]),
                   actor_id=actor.id, internal=True)
    hooks.created.send(session, ticket, now)
    if ticket.assignee is not None:  # after its clocks and automations exist: the workflow may move on
        hooks.assigned.send(session, ticket, now, None)
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


def _with_routing(level: str, rule: dict[str, Any] | None) -> str:
    """The priority a routing rule sets, if the matching one does, else the matrix's and overrides' level."""
    return rule["set_priority"] if rule and rule.get("set_priority") else level


def automatic_priority(compiled: CompiledDefinition, ticket: Ticket, now: Any) -> tuple[str, list[str]]:
    """The priority the definition gives the ticket as it is now (matrix, overrides, then the routing rule
    that matches), as creating it would have; and the steps that gave it."""
    context = context_for(ticket, now=now)
    outcome = compiled.priority(context, now)
    rule = compiled.route(context, now).rule
    level = _with_routing(outcome.level, rule)
    steps = [*outcome.steps, *([f"routing rule '{rule['name']}' sets {level}"] if level != outcome.level and rule else [])]
    return level, steps


def reprioritize(session: Session, ticket: Ticket, actor_id: int | None, now: Any, fields: list[str]) -> bool:
    """After `fields` of the ticket's data changed: the priority follows them, unless a person set it by hand (or an
    SLA escalation raised it).
    Records the change and retargets the SLA clocks (hooks.priority_changed); returns whether it changed."""
    if ticket.priority_set_at is not None or not fields:
        return False
    level, steps = automatic_priority(compiled_for(ticket.type_version), ticket, now)
    if level == ticket.priority:
        return False
    record_event(session, ticket, "field_changed", actor_id=actor_id, details={
        "field": "priority", "old": ticket.priority, "new": level, "automatic": True, "because": sorted(fields),
        "priority_steps": steps})
    ticket.priority = level
    hooks.priority_changed.send(session, ticket, now, actor_id)
    return True


def set_priority(session: Session, actor: User, ticket: Ticket, level: str | None, reason: str | None,
                 now: Any) -> bool:
    """An agent sets the priority by hand (`level`, with an optional `reason`), or gives it back to the definition
    (`level` None: recomputed from the fields now). Recorded in the history; the SLA clocks follow."""
    compiled = compiled_for(ticket.type_version)
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > 500:
        raise ValidationFailed.field("/priority_reason", texts.say("priority.reason_long", reader_locale(actor.locale)))
    old = ticket.priority
    if level is None:
        if ticket.priority_set_at is None:
            return False
        level, steps = automatic_priority(compiled, ticket, now)
        details: dict[str, Any] = {"field": "priority", "old": old, "new": level, "automatic": True,
                                   "priority_steps": steps}
        ticket.priority_set_by_id = ticket.priority_set_at = ticket.priority_reason = None
    else:
        if level not in compiled.levels:
            raise ValidationFailed.field("/priority", texts.say("priority.choose", reader_locale(actor.locale),
                                                                levels=", ".join(compiled.levels)))
        if level == old and ticket.priority_set_at is not None and reason in (None, ticket.priority_reason):
            return False
        details = {"field": "priority", "old": old, "new": level, "manual": True,
                   **({"reason": reason} if reason else {})}
        ticket.priority_set_by_id, ticket.priority_set_at, ticket.priority_reason = actor.id, now, reason
    record_event(session, ticket, "field_changed", actor_id=actor.id, details=details)
    ticket.priority = level
    if level != old:
        hooks.priority_changed.send(session, ticket, now, actor.id)
    return True


def purge_idempotency_keys() -> int:
    """Housekeeping: forget Idempotency-Keys older than IDEMPOTENCY_KEY_HOURS; the rows deleted."""
    from flask import current_app

    from platform_core.db import get_session

    session = get_session()
    cutoff = utcnow() - timedelta(hours=current_app.config["IDEMPOTENCY_KEY_HOURS"])
    deleted = session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff)).rowcount
    session.commit()
    return deleted


def _replay(session: Session, actor: User, key: str, fingerprint: str) -> Ticket | None:
    """The ticket an earlier request with this Idempotency-Key created, or None; 409 for another request."""
    seen = remembered(session, actor.id, key, fingerprint)
    return session.get(Ticket, seen.ticket_id) if seen is not None else None


def check_if_match(ticket: Ticket, if_match: str | None) -> None:
    if if_match is None:
        return
    expected = if_match.strip().removeprefix("W/").strip('"')
    if expected != str(ticket.row_version):
        raise PreconditionFailed(f"{ticket.number} changed since you loaded it (now version {ticket.row_version}). "
                                 "Reload it to see what changed, then try again.",
                                 details=[{"path": "", "location": "header", "message": "Stale If-Match."}])


def requester_may_edit(ticket: Ticket) -> bool:
    """Until work has started: while the ticket is new, or open (routed, assigned) with no agent's response yet."""
    return ticket.status_category == "new" or (ticket.status_category == "open" and ticket.first_response_at is None)


def update_ticket(session: Session, actor: User, ticket: Ticket, changes: dict[str, Any], if_match: str | None) -> Ticket:
    """Change form data (validated) and, for staff, priority, team or assignee; every change is an event."""
    check_if_match(ticket, if_match)
    staff = access.is_staff_for(session, actor, ticket)
    if not staff and (ticket.requester_id != actor.id or not requester_may_edit(ticket)):
        raise Forbidden("Only agents of the ticket's team can change it once work has started.")
    now = utcnow()
    compiled = compiled_for(ticket.type_version)
    changed: list[str] = []
    if "data" in changes:
        merged = {**ticket.data, **changes["data"]}
        merged = {k: v for k, v in merged.items() if v is not None}
        locale = reader_locale(actor.locale)
        data, errors = compiled.validate_data(merged, ticket_facts(ticket, now), now, locale=locale,
                                              tolerated=ticket.data.keys(), before=ticket.data)
        if errors:
            raise ValidationFailed(texts.say("form.problems", locale, count=len(errors)),
                                   details=[{**e, "path": "/data" + e["path"], "location": "json"} for e in errors])
        check_data_size(data, locale)
        held = {public_id for _, public_id in _attachment_ids(compiled, ticket.data)}
        added = [(pointer, public_id) for pointer, public_id in _attachment_ids(compiled, data) if public_id not in held]
        if added:  # the rule of create: only one's own uploads, not attached elsewhere
            claim_form_attachments(session, ticket, added, uploader_id=actor.id)
        for name in sorted(set(ticket.data) | set(data)):
            if ticket.data.get(name) != data.get(name):
                record_event(session, ticket, "field_changed", actor_id=actor.id,
                             details={"field": name, "old": ticket.data.get(name), "new": data.get(name)})
                changed.append(name)
        ticket.data = data
        ticket.title = str(data.get("title") or "")[:300]
        ticket.search_text = _search_text(data)
    if {"priority", "priority_reason", "team", "assignee"} & changes.keys() and not staff:
        raise Forbidden("Only agents can change priority, team or assignee.")
    if "priority_reason" in changes and "priority" not in changes:
        raise ValidationFailed.field("/priority", texts.say("priority.reason_alone", reader_locale(actor.locale)))
    before = ticket.priority
    if "priority" in changes:
        set_priority(session, actor, ticket, changes["priority"], changes.get("priority_reason"), now)
    elif changed:
        reprioritize(session, ticket, actor.id, now, changed)
    if ticket.priority != before:
        changed.append("priority")
    if "team" in changes or "assignee" in changes:
        assign(session, actor, ticket, changes.get("team", ticket.team.key if ticket.team else None),
               changes.get("assignee", ticket.assignee.email if ticket.assignee else None), commit=False)
    ticket.updated_at = now
    if changed or {"team", "assignee"} & changes.keys():
        hooks.changed.send(session, ticket, now, changed)
    session.commit()
    return ticket
