"""What a transition or an automation does after it: assign, set fields, notify, comment, create a child
ticket, call a webhook — and the kinds other capabilities add (``ACTIONS``, e.g. surveys)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from platform_core.auth.models import User
from platform_core.db import utcnow
from platform_core.errors import ApiError, Forbidden, ValidationFailed
from runtime.notify.outbox import queue_webhook
from runtime.rules import texts
from runtime.rules.logic import compile_rule
from runtime.rules.texts import Message
from runtime.rules.values import RuleError
from runtime.tickets import hooks, status_links
from runtime.tickets.assignment import apply_assignment
from runtime.tickets.comments import add_comment
from runtime.tickets.display import state_message
from runtime.tickets.facts import context_for
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket, TicketType
from runtime.tickets.recipients import notify
from runtime.tickets.schemas import TicketSchema
from runtime.tickets.services import create_ticket, reprioritize


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
                if reprioritize(session, ticket, actor_id, now, changed):
                    changed.append("priority")
                hooks.changed.send(session, ticket, now, changed)
        elif kind == "notify":
            sent = notify(session, ticket, action["to"], action.get("template", "notice"), _notice(ticket, action),
                          actor_id=actor_id, channels=action.get("channels"))
            record_event(session, ticket, "notified", actor_id=actor_id, internal=True,
                         details={"origin": origin, "to": action["to"], "users": sent})
        elif kind == "comment":
            add_comment(session, user, ticket, action["text"], bool(action.get("internal")), commit=False)
        elif kind == "create_child":
            problems += _create_child(session, user, ticket, action, origin)
        elif kind == "webhook":
            problems += _webhook(session, ticket, action, actor_id, origin)
        else:
            handler = hooks.ACTIONS.get(kind)
            if handler is None:  # validation refuses unknown kinds; a capability that is not installed
                record_event(session, ticket, "action_failed", actor_id=actor_id, internal=True,
                             details={"origin": origin, "action": index, "error": f"no handler for {kind!r}"})
                problems.append(f"{kind}: this installation cannot run it")
            else:
                problems += handler(session, user, ticket, action, origin, now) or []
    return problems


def _notice(ticket: Ticket, action: dict[str, Any]) -> Message:
    """A notify action's text: the ticket's state, and with ``status_link`` the signed link to its public status
    page (runtime.tickets.status_links), which needs no sign-in."""
    base = state_message(ticket)
    if not action.get("status_link"):
        return base
    session = object_session(ticket)
    if session is not None and ticket.id is None:
        session.flush()  # a ticket being created gets its id now: the link carries it
    url = status_links.url_for_link(ticket.id)
    return lambda reader: texts.render(base, reader) + "\n" + texts.say("notify.status_link", reader.locale, url=url)


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
            # the source is said by this code (trusted), not in the body, which only staff may set: an automation
            # acts as the parent's requester, who may be a plain requester
            child, _ = create_ticket(session, actor, {"type": action["type"], "data": data, "requester": on_behalf},
                                     parent=parent, commit=False, source="api")
        record_event(session, parent, "child_created", actor_id=actor.id, details={"child": child.number, "by": origin})
    except (ValidationFailed, Forbidden) as error:
        record_event(session, parent, "action_failed", actor_id=actor.id, internal=True, details={
            "origin": origin, "action": "create_child", "type": action["type"],
            "error": error.message, "details": error.details, "type_exists": child_type is not None})
        return [f"create_child {action['type']}: {error.message}"]
    return []


def _webhook(session: Session, ticket: Ticket, action: dict[str, Any], actor_id: int | None, origin: str) -> list[str]:
    """Queue the definition's webhook in the outbox (delivered, signed and retried by jobs)."""
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
