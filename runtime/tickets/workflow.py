"""Transitions along a ticket's status graph: the explainer, taking one, and the actions that follow."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from platform_core.auth.models import User
from platform_core.db import utcnow
from platform_core.errors import ApiError, Conflict, NotFound
from runtime.rules import texts
from runtime.rules.cache import compiled_for
from runtime.rules.definition import _pointer, error_message, field_validator, normalize_data
from runtime.rules.labels import Labels, options_of
from runtime.rules.logic import compile_rule
from runtime.rules.values import RuleError, truthy
from runtime.tickets import access, hooks
from runtime.tickets.actions import run_actions
from runtime.tickets.attachments import claim_form_attachments
from runtime.tickets.comments import add_comment
from runtime.tickets.display import labels, reader_of
from runtime.tickets.facts import context_for
from runtime.tickets.history import change_state, record_event
from runtime.tickets.models import Ticket
from runtime.tickets.services import attachment_refs, check_if_match, reprioritize


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


def leaves(transition: dict[str, Any], status: str, states: dict[str, Any]) -> bool:
    """Whether `transition` goes out of the state `status`."""
    source = transition["from"]
    if source == "*":
        return not states.get(status, {}).get("final", False)
    return status in source


def _leaves_from(transition: dict[str, Any], ticket: Ticket, states: dict[str, Any]) -> bool:
    return leaves(transition, ticket.status, states)


def decided_by_approval(definition: dict[str, Any], state_key: str) -> set[str]:
    """The transitions out of a state that its approval takes when decided (``on_approve``, ``on_reject``):
    nobody takes them by hand."""
    state = next((s for s in definition["workflow"]["states"] if s["key"] == state_key), None)
    approval = (state or {}).get("approval") or {}
    return {key for key in (approval.get("on_approve"), approval.get("on_reject")) if isinstance(key, str)}


def _acts_as(session: Session, user: User, ticket: Ticket) -> set[str]:
    """The roles a user holds on this ticket: 'requester' only for its own requester; 'agent' only for staff."""
    roles = set(user.role_names) - {"requester", "agent"}
    if ticket.requester_id == user.id:
        roles.add("requester")
    if access.is_staff_for(session, user, ticket):
        roles.add("agent")
    return roles


def role_reason(acting_as: set[str], transition: dict[str, Any], shown: Labels) -> dict[str, Any] | None:
    """Why someone acting as `acting_as` may not take the transition (None: they may)."""
    allowed = transition.get("roles") or []
    if not allowed or "admin" in acting_as or acting_as & set(allowed):
        return None
    locale = shown.locale
    roles = texts.either((texts.role_name(role, locale) for role in allowed), locale)
    return {"code": "role_missing", "roles": allowed,
            "message": texts.say("transition.role", locale, roles=roles, name=shown.transition(transition["key"]))}


def _guard_reason(ticket: Ticket, transition: dict[str, Any], data: dict[str, Any], shown: Labels) -> dict[str, Any] | None:
    return guard_reason(transition, context_for(ticket, data), shown)


def guard_reason(transition: dict[str, Any], context: dict[str, Any], shown: Labels) -> dict[str, Any] | None:
    """Why the transition's guard refuses, for a rule context (None: it has no guard, or the guard holds)."""
    guard = transition.get("guard")
    if guard is None:
        return None
    try:
        passed = truthy(compile_rule(guard)(context))
        problem = None
    except RuleError as error:
        passed, problem = False, error.message
    if passed:
        return None
    name = shown.transition(transition["key"])
    message = (texts.say("transition.guard_error", shown.locale, name=name, problem=problem) if problem
               else texts.say("transition.guard", shown.locale, name=name))
    return {"code": "guard_false", "message": message, "rule": guard}


def _missing_fields(transition: dict[str, Any], data: dict[str, Any], given: dict[str, Any], comment: str | None) -> list[str]:
    missing = []
    for name in transition.get("require", []):
        if name == "comment":
            if not (comment or "").strip():
                missing.append(name)
        elif given.get(name) in (None, "", [], {}) and data.get(name) in (None, "", [], {}):
            missing.append(name)
    return missing


def _field_title(transition: dict[str, Any], name: str, shown: Labels) -> str:
    """A required field's label for the reader: the transition's own field first (it is what the dialog asks)."""
    if name == "comment":
        return texts.say("transition.comment", shown.locale)
    own = _localized_transition(transition, shown).get("fields") or {}
    if isinstance(own.get(name), dict) and own[name].get("title"):
        return str(own[name]["title"])
    return shown.field_title(name)


def _localized_transition(transition: dict[str, Any], shown: Labels) -> dict[str, Any]:
    return shown.transitions.get(transition["key"], transition)


def _required_field(transition: dict[str, Any], name: str, shown: Labels) -> dict[str, Any]:
    """What the dialog needs to ask for a field: its label, its JSON Schema (localized) and, for fixed values,
    the options with their labels."""
    own = _localized_transition(transition, shown).get("fields") or {}
    schema = own.get(name) or shown.form_fields.get(name)
    entry: dict[str, Any] = {"field": name, "title": _field_title(transition, name, shown), "schema": schema}
    if name != "comment":
        options = ([{"value": v, "label": label} for v, label in options_of(own[name]) or []] or None
                   if isinstance(own.get(name), dict) else shown.options(name))
        if options is not None:
            entry["options"] = options
    return entry


def explain(session: Session, user: User, ticket: Ticket) -> list[dict[str, Any]]:
    """Every transition out of the current state: allowed or not, and why not; what it will ask for. Names,
    labels, checklist items and reasons are in the user's language; `checklist_keys` are the authored items."""
    return explain_state(_definition(ticket), labels(ticket, reader_of(user)), ticket.status, context_for(ticket),
                         _acts_as(session, user, ticket))


def explain_state(definition: dict[str, Any], shown: Labels, status: str, context: dict[str, Any],
                  acting_as: set[str]) -> list[dict[str, Any]]:
    """The explainer without a database: the transitions out of `status` for someone acting as `acting_as`, the
    guards evaluated against the rule `context` (form data at the top level, ``ticket.*``). The designer's walk
    through a draft uses it, so a simulated step says what the runtime would."""
    states = {s["key"]: s for s in definition["workflow"]["states"]}
    data = context.get("ticket", {}).get("data", {})
    by_approval = decided_by_approval(definition, status)
    out = []
    for transition in definition["workflow"]["transitions"]:
        if transition.get("on") or transition["key"] in by_approval or not leaves(transition, status, states):
            continue  # one taken by itself (on assignment, by an approval's decision) is no button
        reasons = [r for r in (role_reason(acting_as, transition, shown), guard_reason(transition, context, shown)) if r]
        missing = [n for n in _missing_fields(transition, data, {}, None)]
        authored = transition.get("checklist", [])
        out.append({
            "key": transition["key"], "name": shown.transition(transition["key"]), "to": transition["to"],
            "to_name": shown.state(transition["to"]), "allowed": not reasons, "reasons": reasons,
            "requires": [_required_field(transition, n, shown) for n in missing],
            "checklist": shown.checklist(transition["key"], authored), "checklist_keys": list(authored),
        })
    return out


def _checked(transition: dict[str, Any], given: list[Any], shown: Labels) -> set[str]:
    """The authored checklist items ticked: each may be sent as authored or as the reader read it."""
    authored = transition.get("checklist", [])
    localized = shown.checklist(transition["key"], authored)
    sent = {item for item in given if isinstance(item, str)}
    return {item for item, text in zip(authored, localized, strict=True) if item in sent or text in sent}


def state_reason(transition: dict[str, Any], status: str, states: dict[str, Any], shown: Labels) -> dict[str, Any] | None:
    """Why `transition` cannot be taken from `status` at all: it does not leave that state (``wrong_state``), it
    is taken by itself on assignment (``automatic``), or by the decision of the state's approval (``approval``)."""
    name, locale = shown.transition(transition["key"]), shown.locale
    if not leaves(transition, status, states):
        sources = (texts.say("transition.any_open_state", locale) if transition["from"] == "*"
                   else texts.join((texts.quote(shown.state(s), locale) for s in transition["from"]), locale))
        return {"code": "wrong_state", "message": texts.say("transition.wrong_state_detail", locale, name=name,
                                                            here=shown.state(status), sources=sources)}
    if transition.get("on") == "assigned":
        return {"code": "automatic", "message": texts.say("transition.automatic", locale, name=name)}
    approval = (states.get(status) or {}).get("approval") or {}
    if transition["key"] in (approval.get("on_approve"), approval.get("on_reject")):
        return {"code": "approval", "message": texts.say("transition.by_approval", locale, name=name)}
    return None


def check_taking(definition: dict[str, Any], transition: dict[str, Any], data: dict[str, Any], body: dict[str, Any],
                 shown: Labels, context_of: Any) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any], set[str]]:
    """What taking `transition` with `body` (fields, comment, checklist) would do to form `data`, without a
    database: every reason it is refused (the guard first, evaluated on the data it would leave, through
    ``context_of(data)``), the new form data, the transition's own fields, the checklist items ticked."""
    locale, key = shown.locale, transition["key"]
    name = shown.transition(key)
    fields = normalize_data(body.get("fields") or {})  # trimmed as form data is: blank is not filled in
    own = transition.get("fields") or {}
    form_props = definition["form"]["schema"].get("properties", {})
    reasons: list[dict[str, Any]] = []
    for field_name, value in fields.items():
        schema = own.get(field_name) or form_props.get(field_name)
        if schema is None:
            reasons.append({"code": "unknown_field", "path": f"/fields/{field_name}",
                            "message": texts.say("transition.unknown_field", locale, name=name, field=field_name)})
            continue
        for error in field_validator(schema).iter_errors(value):
            message = error_message(error, locale, shown, field=field_name)
            reasons.append({"code": "invalid_field", "path": f"/fields/{field_name}{_pointer(error.absolute_path)}",
                            "message": texts.say("transition.invalid_field", locale,
                                                 title=_field_title(transition, field_name, shown), message=message)})
    new_data = {**data, **{k: v for k, v in fields.items() if k in form_props}}
    extra = {k: v for k, v in fields.items() if k in own and k not in form_props}
    for missing in _missing_fields(transition, data, fields, body.get("comment")):
        reasons.append({"code": "field_missing", "path": f"/fields/{missing}" if missing != "comment" else "/comment",
                        "field": missing,
                        "message": texts.say("transition.field_missing", locale, name=name,
                                             title=_field_title(transition, missing, shown))})
    checked = _checked(transition, body.get("checklist") or [], shown)
    for item, text in zip(transition.get("checklist", []), shown.checklist(key, transition.get("checklist", [])),
                          strict=True):
        if item not in checked:
            reasons.append({"code": "checklist_unchecked", "path": "/checklist", "item": item,
                            "message": texts.say("transition.checklist", locale, item=text)})
    guard = guard_reason(transition, context_of({**new_data, **extra}), shown)
    if guard:
        reasons.insert(0, guard)
    return reasons, new_data, extra, checked


def take(session: Session, user: User, ticket_id: int, key: str, body: dict[str, Any],
         if_match: str | None = None) -> Ticket:
    """Take one transition: 409 not from here, 403 role, 422 guard / missing fields / unchecked items."""
    ticket = access.get_visible_ticket(session, user, ticket_id, for_update=True)
    check_if_match(ticket, if_match)
    definition = _definition(ticket)
    shown = labels(ticket, reader_of(user))
    locale = shown.locale
    states = {s["key"]: s for s in definition["workflow"]["states"]}
    transition = next((t for t in _transitions(ticket) if t["key"] == key), None)
    if transition is None:
        raise NotFound(texts.say("transition.unknown", locale, type=shown.document.get("name", ticket.ticket_type.key),
                                 key=key))
    name = shown.transition(key)
    where = state_reason(transition, ticket.status, states, shown)
    if where:
        raise Conflict(where["message"] if where["code"] in ("automatic", "approval")
                       else texts.say("transition.wrong_state", locale, name=name, here=shown.state(ticket.status)),
                       details=[{"path": "", "location": "json", "code": where["code"], "message": where["message"]}])
    acting_as = _acts_as(session, user, ticket)
    role = role_reason(acting_as, transition, shown)
    if role:
        raise TransitionRefused(403, "forbidden", role["message"], [role])

    reasons, new_data, extra, checked = check_taking(definition, transition, ticket.data, body, shown,
                                                     lambda data: context_for(ticket, data))
    if reasons:
        raise TransitionRefused(422, "transition_refused",
                                texts.say("transition.refused", locale, name=name, reason=reasons[0]["message"]), reasons)

    now = utcnow()
    staff = "agent" in acting_as or user.has_role("admin")
    before_data = ticket.data
    # Files given with the transition (a photo, a customer's signature) become the ticket's, as on create and edit:
    # only one's own uploads, not attached elsewhere; without this only the uploader could open them.
    properties = {**definition["form"]["schema"].get("properties", {}), **(transition.get("fields") or {})}
    held = {public_id for _, public_id in attachment_refs(properties, ticket.data)}
    added = [(pointer, public_id) for pointer, public_id in attachment_refs(properties, {**new_data, **extra}, "/fields")
             if public_id not in held]
    if added:
        claim_form_attachments(session, ticket, added, uploader_id=user.id)
    if new_data != ticket.data or extra:
        for field_name in sorted(set(new_data) | set(extra)):
            old, new = ticket.data.get(field_name), {**new_data, **extra}.get(field_name)
            if old != new:
                record_event(session, ticket, "field_changed", actor_id=user.id,
                             details={"field": field_name, "old": old, "new": new, "transition": key})
        ticket.data = {**new_data, **extra}
        reprioritize(session, ticket, user.id, now, [name for name in new_data if new_data[name] != before_data.get(name)])
    # An agent's first transition is their first response (from the initial state, or from the one a transition
    # taken on assignment moved the ticket to).
    if staff and ticket.first_response_at is None and user.id != ticket.requester_id:
        ticket.first_response_at = now
        hooks.responded.send(session, ticket, now)
    comment = (body.get("comment") or "").strip()
    _move(session, user, ticket, transition, states, now,
          {"checklist": [i for i in transition.get("checklist", []) if i in checked]},
          comment=(comment, bool(body.get("internal")) and staff) if comment else None)
    session.commit()
    return ticket


def _move(session: Session, user: User | None, ticket: Ticket, transition: dict[str, Any], states: dict[str, Any],
          now: Any, details: dict[str, Any], comment: tuple[str, bool] | None = None) -> None:
    """Put the ticket in the transition's target state, record it, and run what follows (the comment written with
    it, its actions, the hooks); ``user`` None is the system. The caller commits."""
    key = transition["key"]
    before, before_category = ticket.status, ticket.status_category
    target = states[transition["to"]]
    ticket.status, ticket.status_category, ticket.status_changed_at = target["key"], target["category"], now
    if target["category"] == "resolved":
        ticket.resolved_at = now
    if target["category"] == "closed":
        ticket.closed_at = now
    elif ticket.closed_at is not None:
        ticket.closed_at = None  # reopened
    hooks.status_changed.send(session, ticket, before_category, now)
    ticket.updated_at = now
    at = utcnow()  # the event's time and the stays' boundary: the same instant
    record_event(session, ticket, "transitioned", actor_id=user.id if user else None, at=at, details={
        "transition": key, "name": transition.get("name", key), "from": before, "to": target["key"], **details})
    change_state(session, ticket, before, target["key"], at)
    if comment is not None and user is not None:
        add_comment(session, user, ticket, comment[0], comment[1], commit=False)
    run_actions(session, user, ticket, transition.get("actions", []), origin=f"transition '{key}'")
    hooks.transitioned.send(session, ticket, key, now)


def on_assigned(session: Session, ticket: Ticket, now: Any, actor_id: int | None) -> str | None:
    """The ticket got an assignee: take the first transition out of its state that the definition marks
    ``"on": "assigned"`` and whose guard holds (the system takes it; no role is asked). One step only: an
    assignment made by that transition's actions does not take another. Returns the transition's key, if any."""
    if session.info.get("taking_automatic"):
        return None
    definition = _definition(ticket)
    states = {s["key"]: s for s in definition["workflow"]["states"]}
    shown = labels(ticket, reader_of(None))
    for transition in _transitions(ticket):
        if transition.get("on") != "assigned" or not _leaves_from(transition, ticket, states):
            continue
        if transition.get("require") or transition.get("checklist"):
            continue  # nobody is there to fill them in (publishing refuses such a definition)
        if _guard_reason(ticket, transition, ticket.data, shown):
            continue
        session.info["taking_automatic"] = True
        try:
            _move(session, None, ticket, transition, states, now, {"automatic": "assigned",
                                                                   **({"by": actor_id} if actor_id else {})})
        finally:
            session.info.pop("taking_automatic", None)
        return transition["key"]
    return None


def take_decided(session: Session, user: User | None, ticket: Ticket, key: str, now: Any,
                 details: dict[str, Any]) -> bool:
    """Take the transition a decision made elsewhere chose (an approval's ``on_approve`` / ``on_reject``): no role,
    guard, field or checklist is asked, the decision is the permission. False when the ticket is no longer in a
    state it leaves from. The caller commits."""
    definition = _definition(ticket)
    states = {s["key"]: s for s in definition["workflow"]["states"]}
    transition = next((t for t in _transitions(ticket) if t["key"] == key), None)
    if transition is None or not _leaves_from(transition, ticket, states):
        return False
    _move(session, user, ticket, transition, states, now, details)
    return True
