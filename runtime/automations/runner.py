"""Automations from the definition: a trigger, a JsonLogic condition, actions.

Triggers: ``created``, ``updated``, ``field_changed`` (one field), ``transitioned`` (one
transition or any), ``comment_added``, ``elapsed`` (time in a state, fired by the sweep
from a ``ticket_timer`` row written when the ticket enters that state), ``survey_answered`` and
``child_closed`` (fired on the parent when one of its children enters a state of category closed; rules
also read ``child.*``, see ``child_facts``).

Actions are the transition actions (runtime.tickets.actions.run_actions), run inside a savepoint:
a failing automation records its error and changes nothing, and the request that triggered
it still succeeds.

Loop protection: actions can trigger automations again (a ``set`` fires ``field_changed``, a
``comment`` fires ``comment_added``, a ``create_child`` fires the child's ``created``). A
chain carries its depth and the automations it has run; an automation never runs twice on
the same ticket in one chain, and a chain deeper than ``MAX_CHAIN_DEPTH`` stops. Both are
logged as runs with outcome ``loop_stopped`` and as events.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from platform_core.db import utcnow
from platform_core.errors import ApiError
from runtime.automations.models import AutomationRun, TicketTimer
from runtime.rules.cache import compiled_for
from runtime.rules.durations import parse_duration
from runtime.rules.values import RuleError, truthy
from runtime.tickets.actions import run_actions
from runtime.tickets.facts import context_for
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket

MAX_CHAIN_DEPTH = 5
TRIGGERS = ("created", "updated", "field_changed", "transitioned", "comment_added", "elapsed", "survey_answered",
            "child_closed")

# (depth, automations already run in this chain as (ticket id, automation index))
_chain: ContextVar[tuple[int, frozenset[tuple[int, int]]]] = ContextVar("automation_chain", default=(0, frozenset()))


def _automations(ticket: Ticket) -> list[tuple[Any, dict[str, Any]]]:
    return compiled_for(ticket.type_version).automations


def fire(session: Session, ticket: Ticket, trigger: str, *, fields: list[str] | None = None,
         transition: str | None = None, now: datetime | None = None, extra: dict[str, Any] | None = None) -> None:
    """Run every automation of the ticket's definition that listens to ``trigger`` and matches; ``extra`` is
    added to the rule context (``survey`` for ``survey_answered``)."""
    automations = _automations(ticket)
    if not automations:
        return
    for index, (rule, spec) in enumerate(automations):
        if spec["on"] != trigger or trigger == "elapsed":
            continue
        if trigger == "field_changed" and spec.get("field") not in (fields or []):
            continue
        if trigger == "transitioned" and spec.get("transition") not in (None, transition):
            continue
        _run_one(session, ticket, index, rule, spec, trigger, now or utcnow(), extra)


def _run_one(session: Session, ticket: Ticket, index: int, rule: Any, spec: dict[str, Any], trigger: str,
             now: datetime, extra: dict[str, Any] | None = None) -> None:
    try:
        matched = truthy(rule({**context_for(ticket, now=now), **(extra or {})}, now=now))
    except RuleError as error:
        _log(session, ticket, index, spec, trigger, "failed", f"condition: {error.message}", _chain.get()[0])
        return
    if not matched:
        return
    depth, seen = _chain.get()
    if (ticket.id, index) in seen or depth >= MAX_CHAIN_DEPTH:
        why = ("it already ran in this chain" if (ticket.id, index) in seen
               else f"the chain is deeper than {MAX_CHAIN_DEPTH}")
        _log(session, ticket, index, spec, trigger, "loop_stopped", f"not run again: {why}", depth)
        return
    token = _chain.set((depth + 1, seen | {(ticket.id, index)}))
    try:
        with session.begin_nested():
            problems = run_actions(session, None, ticket, spec["do"], origin=f"automation '{spec['name']}'")
        outcome, error_text = ("failed", "; ".join(problems)) if problems else ("succeeded", None)
    except (ApiError, RuleError) as error:
        outcome, error_text = "failed", error.message
    finally:
        _chain.reset(token)
    _log(session, ticket, index, spec, trigger, outcome, error_text, depth)


def _log(session: Session, ticket: Ticket, index: int, spec: dict[str, Any], trigger: str, outcome: str,
         error: str | None, depth: int) -> None:
    session.add(AutomationRun(ticket_id=ticket.id, ticket_type_id=ticket.ticket_type_id, automation_index=index,
                              automation=spec["name"], trigger=trigger, outcome=outcome, error=error, depth=depth))
    record_event(session, ticket, "automation_ran", actor_id=None, internal=True, details={
        "automation": spec["name"], "index": index, "trigger": trigger, "outcome": outcome, "depth": depth,
        **({"error": error} if error else {})})


# --------------------------------------------------------------------------- elapsed timers


def state_entered(session: Session, ticket: Ticket, now: datetime, *, new: bool = False) -> None:
    """Replace the ticket's `elapsed` timers with those of the state it has just entered."""
    if not new:
        session.execute(delete(TicketTimer).where(TicketTimer.ticket_id == ticket.id, TicketTimer.kind == "elapsed"))
    for index, (_rule, spec) in enumerate(_automations(ticket)):
        if spec["on"] == "elapsed" and spec["state"] == ticket.status:
            session.add(TicketTimer(ticket_id=ticket.id, kind="elapsed", due_at=now + parse_duration(spec["after"]),
                                    ref={"index": index, "name": spec["name"], "state": ticket.status,
                                         "entered_at": ticket.status_changed_at.isoformat()}))


def run_elapsed(session: Session, ticket: Ticket, ref: dict[str, Any], now: datetime) -> None:
    """Run a claimed `elapsed` timer's automation, if the ticket is still where the timer found it."""
    automations = _automations(ticket)
    index = ref.get("index", -1)
    if not (0 <= index < len(automations)) or automations[index][1]["name"] != ref.get("name"):
        return
    if ticket.status != ref.get("state") or ticket.status_changed_at.isoformat() != ref.get("entered_at"):
        return  # it left that state (and came back, perhaps) since the timer was set
    rule, spec = automations[index]
    _run_one(session, ticket, index, rule, spec, "elapsed", now)


# --------------------------------------------------------------------------- reacting to the ticket's life
# Receivers of runtime.tickets.hooks, connected by runtime.automations.capability.


def on_created(session: Session, ticket: Ticket, now: datetime) -> None:
    state_entered(session, ticket, now, new=True)
    fire(session, ticket, "created", now=now)


def on_changed(session: Session, ticket: Ticket, now: datetime, fields: list[str]) -> None:
    fire(session, ticket, "updated", now=now)
    if fields:
        fire(session, ticket, "field_changed", fields=fields, now=now)


def on_comment_added(session: Session, ticket: Ticket, comment: Any, now: datetime) -> None:
    fire(session, ticket, "comment_added", now=now)


def on_status_changed(session: Session, ticket: Ticket, before_category: str, now: datetime) -> None:
    state_entered(session, ticket, now)
    if ticket.parent_id is not None and ticket.status_category == "closed" and before_category != "closed":
        fire(session, ticket.parent, "child_closed", now=now, extra={"child": child_facts(ticket)})


def child_facts(child: Ticket) -> dict[str, Any]:
    """``child.*`` for a ``child_closed`` automation of the parent: which child closed, in which state, its form data."""
    return {"number": child.number, "type": child.ticket_type.key, "status": child.status,
            "status_category": child.status_category, "data": dict(child.data or {})}


def on_transitioned(session: Session, ticket: Ticket, key: str, now: datetime) -> None:
    fire(session, ticket, "transitioned", transition=key, now=now)
