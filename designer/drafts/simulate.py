"""Test before publish: evaluate a rule, simulate form data against a draft, or replay the last N real
tickets and show every one the draft would route, prioritise or hold to an SLA differently."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, lazyload, load_only, selectinload

from designer.drafts.services import check, latest_document, resolve_document
from designer.format.document import upgrade
from platform_core.auth.models import User
from platform_core.db import utcnow
from platform_core.errors import ValidationFailed
from runtime.rules import texts
from runtime.rules.context import rule_context
from runtime.rules.definition import CompiledDefinition, PriorityOutcome, RoutingOutcome, compile_definition
from runtime.rules.i18n import DEFAULT_LOCALE, reader_locale
from runtime.rules.logic import compile_rule
from runtime.rules.values import RuleError
from runtime.tickets.access import visibility_filter
from runtime.tickets.facts import context_for, preload_children_counts
from runtime.tickets.models import Ticket, TicketType, TicketTypeVersion
from runtime.tickets.workflow import check_taking, explain_state, role_reason, state_reason

MAX_WALK = 100  # transitions in one simulated walk

# What a replay reads of each ticket (its rule context, runtime.tickets.facts): the ticket without its
# search text, with its type, team, assignee and requester (joined, as the model does), its version and
# its parent's number — each of those in one statement for all the tickets, whatever their number, so that
# no ticket costs a query of its own (a parent outside the replayed set was one per child ticket).
_REPLAY_LOADING = (
    defer(Ticket.search_text),
    selectinload(Ticket.type_version).options(load_only(TicketTypeVersion.number), lazyload("*")),
    selectinload(Ticket.parent).options(load_only(Ticket.number), lazyload("*")),
)


def evaluate_rule(rule: Any, data: Any, now: Any = None) -> Any:
    try:
        return compile_rule(rule)(data, now=now)
    except RuleError as error:
        raise ValidationFailed(error.message, code="rule_error",
                               details=[{"path": "/rule" + (error.pointer or ""), "location": "json",
                                         "message": error.message}]) from None


def _simulated_document(session: Session, ticket_type: TicketType, source: str | int,
                        locale: str = DEFAULT_LOCALE) -> tuple[dict[str, Any], str | int]:
    document, label = resolve_document(session, ticket_type, source)
    if label == "draft":
        problems = check(session, document, ticket_type, locale)
        if problems["errors"]:
            raise ValidationFailed(texts.say("definition.simulate_errors", locale), details=problems["errors"],
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
    document, label = _simulated_document(session, ticket_type, source, reader_locale(reader.locale))
    draft = compile_definition(document)
    published = compile_definition(latest_document(session, ticket_type))
    # the ids first (the index answers it alone), then those tickets with what the replay reads: one
    # statement with the eager joins and a LIMIT makes PostgreSQL join every ticket of the type first
    last = list(session.scalars(select(Ticket.id).where(Ticket.ticket_type_id == ticket_type.id)
                                .order_by(Ticket.id.desc()).limit(count)))
    recent = list(session.scalars(select(Ticket).options(*_REPLAY_LOADING)
                                  .where(Ticket.id.in_(last), visibility_filter(session, reader))
                                  .order_by(Ticket.id.desc()))) if last else []
    differences, replayed = [], 0
    preload_children_counts(session, recent)  # ticket.children for every replayed ticket in one statement
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
             locale: str = DEFAULT_LOCALE, walk: list[dict[str, Any]] | None = None,
             acting_as: list[str] | None = None) -> dict[str, Any]:
    """What the draft (or a version) would do with these form data: the runtime's own decisions, explained;
    form errors in `locale`, with the definition's texts in that language. With `walk` (transitions with what
    each asks for), the ticket is walked along the status graph too: see ``walk_graph``. Nothing is written."""
    document, label = _simulated_document(session, ticket_type, source, locale)
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
    matrix_level = priority.level
    if routing.rule and routing.rule.get("set_priority"):
        priority.level = routing.rule["set_priority"]
        priority.steps.append(f"routing rule '{routing.rule['name']}' sets {priority.level}")
        context["ticket"]["priority"] = priority.level
    sla = compiled.sla_policy(context, priority.level)
    result = {
        "source": label,
        "valid": not errors,
        "errors": errors,
        "fields": {"visible": fields.visible, "hidden": fields.hidden, "required": fields.required,
                   "readonly": fields.readonly},
        "priority": {"level": priority.level, "steps": priority.steps,
                     "decision": _priority_decision(priority, routing, matrix_level, locale)},
        "routing": {"matched": None if routing.index is None else {
            "index": routing.index, "name": routing.rule["name"], "assign": routing.rule.get("assign"),
            "notify": routing.rule.get("notify", [])}, "trace": routing.trace},
        "sla": {"policy": None if sla.index is None else {"index": sla.index, "name": sla.policy["name"],
                                                          "calendar": sla.policy.get("calendar", "24x7")},
                "targets": sla.targets, "trace": sla.trace},
    }
    if walk is not None:
        team = (routing.rule or {}).get("assign", {}).get("team") if routing.rule else None
        facts = {**context_ticket, "priority": priority.level, "team": team, "assignee": None}
        result["walk"] = walk_graph(compiled, cleaned, facts, walk,
                                    set(acting_as if acting_as is not None else ["agent"]), locale)
    return result


def _priority_decision(priority: PriorityOutcome, routing: RoutingOutcome, before_routing: str,
                       locale: str) -> dict[str, Any]:
    """What decided the priority, as data: the matrix cell (with the values it matched) or the default, every
    override (index, a label in `locale`, matched or not, the level before and after), a routing rule that set
    the level, and `decided_by`: the last of these that set it."""
    def label(entry: dict[str, Any]) -> str:
        if entry["effect"] == "set":
            return texts.say("priority.override_set", locale, n=entry["index"] + 1, level=entry["amount"])
        return texts.say(f"priority.override_{entry['effect']}", locale, n=entry["index"] + 1, count=entry["amount"])

    overrides = [{**entry, "label": label(entry)} for entry in priority.overrides]
    decided = overrides[priority.decided_by["index"]] if priority.decided_by.get("by") == "override" else priority.base
    by_routing = None
    if routing.rule and routing.rule.get("set_priority"):
        by_routing = decided = {"by": "routing", "index": routing.index, "name": routing.rule["name"],
                                "from": before_routing, "to": routing.rule["set_priority"]}
    return {"base": priority.base, "overrides": overrides, "routing": by_routing, "decided_by": decided}


def walk_graph(compiled: CompiledDefinition, data: dict[str, Any], facts: dict[str, Any], steps: list[dict[str, Any]],
               acting_as: set[str], locale: str) -> dict[str, Any]:
    """Walk a simulated ticket from the initial state along `steps` (each: a transition's key, and the fields,
    comment and checklist it is taken with), as someone acting as `acting_as`: after each step, the state, the
    form data and every transition out of it, allowed or not and why (the runtime's explainer). The walk stops at
    the first step the runtime would refuse, with every reason. Transitions' actions are not run."""
    document = compiled.document
    shown = compiled.labels(locale)
    states = compiled.states
    by_key = {t["key"]: t for t in document["workflow"]["transitions"]}
    status = compiled.initial_state or ""
    current = dict(data)
    now = utcnow().isoformat()
    times: dict[str, Any] = {"age_hours": 0, "hours_in_status": 0, "created_at": now, "updated_at": now}

    def ticket_facts(at: str) -> dict[str, Any]:
        return {**facts, **times, "status": at, "status_category": states.get(at, {}).get("category")}

    def entered(at: str) -> None:
        """The times a move sets, as runtime.tickets.workflow._move does (the walk takes no time)."""
        category = states.get(at, {}).get("category")
        if category == "resolved":
            times.update(resolved_at=now, days_since_resolved=0)
        if category == "closed":
            times.update(closed_at=now, days_since_closed=0)
        else:
            times.update(closed_at=None, days_since_closed=None)

    def view(transition: dict[str, Any] | None) -> dict[str, Any]:
        return {"transition": transition["key"] if transition else None,
                "name": shown.transition(transition["key"]) if transition else None,
                "actions": [a.get("do") for a in transition.get("actions", [])] if transition else [],
                "state": status, "state_name": shown.state(status),
                "category": states.get(status, {}).get("category"), "data": current,
                "transitions": explain_state(document, shown, status, rule_context(current, ticket_facts(status)),
                                             acting_as)}

    walked, refused = [view(None)], None
    for index, step in enumerate(steps):
        transition = by_key.get(step["transition"])
        if transition is None:
            reasons = [{"code": "unknown_transition", "message": texts.say(
                "transition.unknown", locale, type=shown.document.get("name", ""), key=step["transition"])}]
        else:
            reasons = [r for r in (state_reason(transition, status, states, shown),
                                   role_reason(acting_as, transition, shown)) if r]
        if not reasons and transition is not None:
            at = status
            reasons, new_data, extra, _ = check_taking(document, transition, current, step, shown,
                                                       lambda d, at=at: rule_context(d, ticket_facts(at)))
        if reasons:
            refused = {"index": index, "transition": step["transition"],
                       "name": shown.transition(step["transition"]) if transition else step["transition"],
                       "reasons": reasons}
            break
        current, status = {**new_data, **extra}, transition["to"]
        entered(status)
        walked.append(view(transition))
    return {"acting_as": sorted(acting_as), "steps": walked, "refused": refused}
