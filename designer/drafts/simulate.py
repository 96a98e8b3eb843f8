"""Test before publish: evaluate a rule, simulate form data against a draft, or replay the last N real
tickets and show every one the draft would route, prioritise or hold to an SLA differently."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from designer.drafts.services import check, latest_document, resolve_document
from designer.format.document import upgrade
from platform_core.auth.models import User
from platform_core.errors import ValidationFailed
from runtime.rules.context import rule_context
from runtime.rules.definition import compile_definition
from runtime.rules.i18n import DEFAULT_LOCALE
from runtime.rules.logic import compile_rule
from runtime.rules.values import RuleError
from runtime.tickets.access import visibility_filter
from runtime.tickets.facts import context_for
from runtime.tickets.models import Ticket, TicketType


def evaluate_rule(rule: Any, data: Any, now: Any = None) -> Any:
    try:
        return compile_rule(rule)(data, now=now)
    except RuleError as error:
        raise ValidationFailed(error.message, code="rule_error",
                               details=[{"path": "/rule" + (error.pointer or ""), "location": "json",
                                         "message": error.message}]) from None


def _simulated_document(session: Session, ticket_type: TicketType, source: str | int) -> tuple[dict[str, Any], str | int]:
    document, label = resolve_document(session, ticket_type, source)
    if label == "draft":
        problems = check(session, document, ticket_type)
        if problems["errors"]:
            raise ValidationFailed("The draft has errors; fix them before simulating.", details=problems["errors"],
                                   code="definition_invalid")
        document = upgrade(document)
    return document, label


def _decide(compiled: Any, context: dict[str, Any]) -> dict[str, Any]:
    """Priority, routing rule and SLA policy for one rule context, as the runtime decides them."""
    priority = compiled.priority(context).level
    context = {**context, "ticket": {**context["ticket"], "priority": priority}}
    routing = compiled.route(context)
    if routing.rule and routing.rule.get("set_priority"):
        priority = routing.rule["set_priority"]
        context["ticket"]["priority"] = priority
    sla = compiled.sla_policy(context, priority)
    return {"priority": priority, "routing": routing.rule["name"] if routing.rule else None,
            "assign": routing.rule.get("assign") if routing.rule else None,
            "sla": sla.policy["name"] if sla.policy else None}


def replay(session: Session, ticket_type: TicketType, count: int, source: str | int, reader: User) -> dict[str, Any]:
    """Run the draft over the last ``count`` real tickets of the type and report every ticket that the
    latest published version and the draft would route, prioritise or hold to an SLA differently.

    Only the tickets `reader` may see are replayed (a draft rule could otherwise probe the contents of others);
    `left_out` counts the others among the last ``count``."""
    if ticket_type.latest_version is None:
        raise ValidationFailed.field("/replay", f"{ticket_type.key!r} has no published version to compare with.")
    document, label = _simulated_document(session, ticket_type, source)
    draft = compile_definition(document)
    published = compile_definition(latest_document(session, ticket_type))
    last = list(session.scalars(select(Ticket.id).where(Ticket.ticket_type_id == ticket_type.id)
                                .order_by(Ticket.id.desc()).limit(count)))
    recent = list(session.scalars(select(Ticket).where(Ticket.id.in_(last), visibility_filter(session, reader))
                                  .order_by(Ticket.id.desc()))) if last else []
    differences, replayed = [], 0
    for ticket in recent:
        replayed += 1
        context = context_for(ticket)
        before, after = _decide(published, context), _decide(draft, context)
        changed = {key: {"published": before[key], "draft": after[key]}
                   for key in ("priority", "routing", "assign", "sla") if before[key] != after[key]}
        if changed:
            differences.append({"ticket": ticket.number, "id": ticket.id, "title": ticket.title, "changes": changed})
    return {"source": label, "against": ticket_type.latest_version, "replayed": replayed,
            "left_out": len(last) - replayed, "differences": differences}


def simulate(session: Session, ticket_type: TicketType, data: Any, ticket: dict[str, Any], source: str | int,
             locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
    """What the draft (or a version) would do with these form data: the runtime's own decisions, explained;
    form errors in `locale`, with the definition's texts in that language."""
    document, label = _simulated_document(session, ticket_type, source)
    compiled = compile_definition(document)
    context_ticket = {"type": ticket_type.key, "status": compiled.initial_state,
                      "status_category": compiled.states.get(compiled.initial_state, {}).get("category"),
                      "source": "web", "requester": {"tags": [], "roles": ["requester"]}, **ticket}
    cleaned, errors = compiled.validate_data(data, context_ticket, locale=locale)
    context = rule_context(cleaned, context_ticket)
    fields = compiled.field_state(context)
    priority = compiled.priority(context)
    context["ticket"]["priority"] = priority.level
    routing = compiled.route(context)
    if routing.rule and routing.rule.get("set_priority"):
        priority.level = routing.rule["set_priority"]
        priority.steps.append(f"routing rule '{routing.rule['name']}' sets {priority.level}")
        context["ticket"]["priority"] = priority.level
    sla = compiled.sla_policy(context, priority.level)
    return {
        "source": label,
        "valid": not errors,
        "errors": errors,
        "fields": {"visible": fields.visible, "hidden": fields.hidden, "required": fields.required},
        "priority": {"level": priority.level, "steps": priority.steps},
        "routing": {"matched": None if routing.index is None else {
            "index": routing.index, "name": routing.rule["name"], "assign": routing.rule.get("assign"),
            "notify": routing.rule.get("notify", [])}, "trace": routing.trace},
        "sla": {"policy": None if sla.index is None else {"index": sla.index, "name": sla.policy["name"],
                                                          "calendar": sla.policy.get("calendar", "24x7")},
                "targets": sla.targets, "trace": sla.trace},
    }
