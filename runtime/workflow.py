"""Transitions along a ticket's status graph: the explainer, taking one, and the actions that follow."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_core.auth.models import User
from platform_core.db import utcnow
from platform_core.errors import ApiError, Conflict, Forbidden, NotFound, ValidationFailed
from runtime import access, automations, sla
from runtime.engine import _message, _pointer, field_validator
from runtime.events import record_event
from runtime.logic import RuleError, compile_rule
from runtime.logic_ops import truthy
from runtime.models import Ticket, TicketType
from runtime.tickets import (
    add_comment,
    apply_assignment,
    check_if_match,
    compiled_for,
    context_for,
    create_ticket,
    notify,
)


class TransitionRefused(ApiError):
    """A transition that cannot be taken, with every reason."""

    def __init__(self, status: int, code: str, message: str, reasons: list[dict[str, Any]]) -> None:
        super().__init__(message, details=[{"path": r.get("path", ""), "location": "json", "message": r["message"],
                                            "code": r["code"]} for r in reasons])
        self.status, self.code = status, code


def _definition(ticket: Ticket) -> dict[str, Any]:
    """The ticket's own published definition, from the process-wide cache (never re-read per request)."""
    return compiled_for(ticket.type_version).document


def _transitions(ticket: Ticket) -> list[dict[str, Any]]:
    return _definition(ticket)["workflow"]["transitions"]


def _leaves_from(transition: dict[str, Any], ticket: Ticket, states: dict[str, Any]) -> bool:
    source = transition["from"]
    if source == "*":
        return not states[ticket.status].get("final", False)
    return ticket.status in source


def _acts_as(session: Session, user: User, ticket: Ticket) -> set[str]:
    """The roles a user holds on this ticket: 'requester' only for its own requester; 'agent' only for staff."""
    roles = set(user.role_names) - {"requester", "agent"}
    if ticket.requester_id == user.id:
        roles.add("requester")
    if access.is_staff_for(session, user, ticket):
        roles.add("agent")
    return roles


def _role_reason(acting_as: set[str], transition: dict[str, Any]) -> dict[str, Any] | None:
    allowed = transition.get("roles") or []
    if not allowed or "admin" in acting_as or acting_as & set(allowed):
        return None
    name = transition.get("name", transition["key"])
    return {"code": "role_missing", "message": f"Only {' or '.join(allowed)} may take '{name}'.", "roles": allowed}


def _guard_reason(ticket: Ticket, transition: dict[str, Any], data: dict[str, Any]) -> dict[str, Any] | None:
    guard = transition.get("guard")
    if guard is None:
        return None
    try:
        passed = truthy(compile_rule(guard)(context_for(ticket, data)))
        problem = None
    except RuleError as error:
        passed, problem = False, error.message
    if passed:
        return None
    message = f"The condition of '{transition.get('name', transition['key'])}' is not met"
    return {"code": "guard_false", "message": message + (f" ({problem})." if problem else "."), "rule": guard}


def _missing_fields(transition: dict[str, Any], data: dict[str, Any], given: dict[str, Any], comment: str | None) -> list[str]:
    missing = []
    for name in transition.get("require", []):
        if name == "comment":
            if not (comment or "").strip():
                missing.append(name)
        elif given.get(name) in (None, "", [], {}) and data.get(name) in (None, "", [], {}):
            missing.append(name)
    return missing


def _field_title(ticket: Ticket, transition: dict[str, Any], name: str) -> str:
    if name == "comment":
        return "Comment"
    own = (transition.get("fields") or {}).get(name)
    form = _definition(ticket)["form"]["schema"].get("properties", {}).get(name)
    return (own or form or {}).get("title", name)


def explain(session: Session, user: User, ticket: Ticket) -> list[dict[str, Any]]:
    """Every transition out of the current state: allowed or not, and why not; what it will ask for."""
    states = {s["key"]: s for s in _definition(ticket)["workflow"]["states"]}
    acting_as = _acts_as(session, user, ticket)
    out = []
    for transition in _transitions(ticket):
        if not _leaves_from(transition, ticket, states):
            continue
        reasons = [r for r in (_role_reason(acting_as, transition),
                               _guard_reason(ticket, transition, ticket.data)) if r]
        missing = [n for n in _missing_fields(transition, ticket.data, {}, None)]
        out.append({
            "key": transition["key"], "name": transition.get("name", transition["key"]), "to": transition["to"],
            "to_name": states[transition["to"]]["name"], "allowed": not reasons, "reasons": reasons,
            "requires": [{"field": n, "title": _field_title(ticket, transition, n),
                          "schema": (transition.get("fields") or {}).get(n)
                          or _definition(ticket)["form"]["schema"].get("properties", {}).get(n)}
                         for n in missing],
            "checklist": transition.get("checklist", []),
        })
    return out


def take(session: Session, user: User, ticket_id: int, key: str, body: dict[str, Any],
         if_match: str | None = None) -> Ticket:
    """Take one transition: 409 not from here, 403 role, 422 guard / missing fields / unchecked items."""
    ticket = access.get_visible_ticket(session, user, ticket_id, for_update=True)
    check_if_match(ticket, if_match)
    definition = _definition(ticket)
    states = {s["key"]: s for s in definition["workflow"]["states"]}
    transition = next((t for t in _transitions(ticket) if t["key"] == key), None)
    if transition is None:
        raise NotFound(f"{ticket.ticket_type.key} has no transition {key!r}.")
    name = transition.get("name", key)
    if not _leaves_from(transition, ticket, states):
        here = states[ticket.status]["name"]
        sources = ("any open state" if transition["from"] == "*"
                   else ", ".join(states[s]["name"] for s in transition["from"]))
        raise Conflict(f"'{name}' cannot be taken from '{here}'.",
                       details=[{"path": "", "location": "json", "code": "wrong_state",
                                 "message": f"The ticket is in '{here}'; '{name}' leaves from {sources}."}])
    acting_as = _acts_as(session, user, ticket)
    role = _role_reason(acting_as, transition)
    if role:
        raise TransitionRefused(403, "forbidden", role["message"], [role])

    fields = body.get("fields") or {}
    own = transition.get("fields") or {}
    form_props = definition["form"]["schema"].get("properties", {})
    reasons: list[dict[str, Any]] = []
    for field_name, value in fields.items():
        schema = own.get(field_name) or form_props.get(field_name)
        if schema is None:
            reasons.append({"code": "unknown_field", "path": f"/fields/{field_name}",
                            "message": f"'{name}' has no field {field_name!r}."})
            continue
        for error in field_validator(schema).iter_errors(value):
            reasons.append({"code": "invalid_field", "path": f"/fields/{field_name}{_pointer(error.absolute_path)}",
                            "message": f"{schema.get('title', field_name)}: {_message(error)}"})
    new_data = {**ticket.data, **{k: v for k, v in fields.items() if k in form_props}}
    extra = {k: v for k, v in fields.items() if k in own and k not in form_props}
    for missing in _missing_fields(transition, ticket.data, fields, body.get("comment")):
        reasons.append({"code": "field_missing", "path": f"/fields/{missing}" if missing != "comment" else "/comment",
                        "field": missing,
                        "message": f"{_field_title(ticket, transition, missing)} is required to take '{name}'."})
    checked = set(body.get("checklist") or [])
    for item in transition.get("checklist", []):
        if item not in checked:
            reasons.append({"code": "checklist_unchecked", "path": "/checklist", "item": item,
                            "message": f"Check '{item}' first."})
    guard = _guard_reason(ticket, transition, {**new_data, **extra})
    if guard:
        reasons.insert(0, guard)
    if reasons:
        raise TransitionRefused(422, "transition_refused", f"'{name}' cannot be taken yet: {reasons[0]['message']}", reasons)

    now = utcnow()
    before, before_category = ticket.status, ticket.status_category
    target = states[transition["to"]]
    staff = "agent" in acting_as or user.has_role("admin")
    if new_data != ticket.data or extra:
        for field_name in sorted(set(new_data) | set(extra)):
            old, new = ticket.data.get(field_name), {**new_data, **extra}.get(field_name)
            if old != new:
                record_event(session, ticket, "field_changed", actor_id=user.id,
                             details={"field": field_name, "old": old, "new": new, "transition": key})
        ticket.data = {**new_data, **extra}
    ticket.status, ticket.status_category, ticket.status_changed_at = target["key"], target["category"], now
    if target["category"] == "resolved":
        ticket.resolved_at = now
    if target["category"] == "closed":
        ticket.closed_at = now
    elif ticket.closed_at is not None:
        ticket.closed_at = None  # reopened
    initial = next(s["key"] for s in definition["workflow"]["states"] if s.get("initial"))
    if staff and before == initial and ticket.first_response_at is None and user.id != ticket.requester_id:
        ticket.first_response_at = now
        sla.responded(session, ticket, now)
    sla.status_changed(session, ticket, before_category, now)
    automations.state_entered(session, ticket, now)
    ticket.updated_at = now
    record_event(session, ticket, "transitioned", actor_id=user.id, details={
        "transition": key, "name": name, "from": before, "to": target["key"],
        "checklist": [i for i in transition.get("checklist", []) if i in checked]})
    if (body.get("comment") or "").strip():
        add_comment(session, user, ticket, body["comment"].strip(), bool(body.get("internal")) and staff, commit=False)
    run_actions(session, user, ticket, transition.get("actions", []), origin=f"transition '{key}'")
    automations.fire(session, ticket, "transitioned", transition=key, now=now)
    session.commit()
    return ticket


def run_actions(session: Session, user: User | None, ticket: Ticket, actions: list[dict[str, Any]], *,
                origin: str) -> list[str]:
    """Run a transition's (or automation's) actions inside the caller's unit of work.

    An action that cannot be done is recorded as an ``action_failed`` event and the others
    still run; returns what failed, one sentence per failure.
    """
    actor_id = user.id if user else None
    now = utcnow()
    problems: list[str] = []
    for index, action in enumerate(actions):
        kind = action["do"]
        if kind == "assign":
            apply_assignment(session, ticket, action, actor_id=actor_id, reason=origin, now=now)
        elif kind == "set":
            context = context_for(ticket)
            values = {}
            for field_name, rule in action["fields"].items():
                try:
                    values[field_name] = compile_rule(rule)(context)
                except RuleError as error:
                    record_event(session, ticket, "action_failed", actor_id=actor_id, internal=True,
                                 details={"origin": origin, "action": index, "error": error.message})
                    problems.append(f"set {field_name}: {error.message}")
            changed = [name for name, value in values.items() if ticket.data.get(name) != value]
            for field_name in changed:
                record_event(session, ticket, "field_changed", actor_id=actor_id,
                             details={"field": field_name, "old": ticket.data.get(field_name),
                                      "new": values[field_name], "by": origin})
            ticket.data = {**ticket.data, **values}
            if changed:
                automations.fire(session, ticket, "updated", now=now)
                automations.fire(session, ticket, "field_changed", fields=changed, now=now)
        elif kind == "notify":
            sent = notify(session, ticket, action["to"], action.get("template", "notice"),
                          f"{ticket.number} is now '{ticket.status}': {ticket.title}", actor_id=actor_id,
                          channels=action.get("channels"))
            record_event(session, ticket, "notified", actor_id=actor_id, internal=True,
                         details={"origin": origin, "to": action["to"], "users": sent})
        elif kind == "comment":
            add_comment(session, user, ticket, action["text"], bool(action.get("internal")), commit=False)
        elif kind == "create_child":
            problems += _create_child(session, user, ticket, action, origin)
        elif kind == "webhook":
            problems += _webhook(session, ticket, action, actor_id, origin)
        elif kind == "survey":
            automations.schedule_survey(session, ticket, action.get("kind", "csat"), action.get("after"), now)
    return problems


def _create_child(session: Session, user: User | None, parent: Ticket, action: dict[str, Any], origin: str) -> list[str]:
    context = context_for(parent)
    data = {}
    child_type = session.scalar(select(TicketType).where(TicketType.key == action["type"]))
    actor = user or parent.requester
    try:
        for field_name, rule in (action.get("map") or {}).items():
            data[field_name] = compile_rule(rule)(context)
    except RuleError as error:
        record_event(session, parent, "action_failed", actor_id=actor.id, internal=True, details={
            "origin": origin, "action": "create_child", "type": action["type"], "error": error.message})
        return [f"create_child {action['type']}: {error.message}"]
    try:
        with session.begin_nested():
            on_behalf = parent.requester.email if actor.has_role("admin", "agent") else None
            child, _ = create_ticket(session, actor, {"type": action["type"], "data": data, "requester": on_behalf,
                                                      "source": "api"}, parent=parent, commit=False)
        record_event(session, parent, "child_created", actor_id=actor.id, details={"child": child.number, "by": origin})
    except (ValidationFailed, Forbidden) as error:
        record_event(session, parent, "action_failed", actor_id=actor.id, internal=True, details={
            "origin": origin, "action": "create_child", "type": action["type"],
            "error": error.message, "details": error.details, "type_exists": child_type is not None})
        return [f"create_child {action['type']}: {error.message}"]
    return []


def _webhook(session: Session, ticket: Ticket, action: dict[str, Any], actor_id: int | None, origin: str) -> list[str]:
    """Queue the definition's webhook in the outbox (delivered, signed and retried by jobs)."""
    from runtime.outbox import queue_webhook
    from runtime.schemas import TicketSchema

    event = "ticket." + ("automation" if origin.startswith("automation") else "transition")
    payload = {"origin": origin, "ticket": TicketSchema().dump(ticket)}  # the ticket as the API gives it
    try:
        message = queue_webhook(session, ticket, url=action["url"], secret_name=action.get("secret"),
                                event=event, payload=payload, actor_id=actor_id)
    except ApiError as error:  # an unknown secret name, a URL the outbox refuses
        record_event(session, ticket, "action_failed", actor_id=actor_id, internal=True,
                     details={"origin": origin, "action": "webhook", "error": error.message})
        return [f"webhook {action['url']}: {error.message}"]
    record_event(session, ticket, "webhook_queued", actor_id=actor_id, internal=True,
                 details={"origin": origin, "url": action["url"], "outbox_id": message.id})
    return []
