"""SLA clocks in business time: start, pause, resume, stop, retarget, and what the sweep fires.

A ticket gets one clock per metric its SLA policy targets (the first policy whose ``when``
matches at creation; targets by the ticket's priority). A clock counts business time on the
policy's calendar while it runs; it pauses in the policy's ``pause_in`` states (default: any
state of category ``pending``) and resumes when the ticket leaves them, so time spent
waiting on the requester pushes the due time by exactly that much business time.

- response: met when an agent first responds (public comment, or the first transition an
  agent takes).
- resolution: met when the ticket reaches a resolved or closed state; reopening resumes it
  with the business time already used.
- next_update: met by each public agent comment, which starts the next cycle.

The clock rows carry ``due_at`` and ``next_check_at`` (indexed), so the sweep reads only the
clocks that have something to fire now. Warnings, the breach and each escalation level are
"marks": a mark fires by inserting an ``SlaMark`` row under a unique key, in the same
transaction as its events and notifications, so it fires exactly once per ticket, metric
and cycle even with several sweeps running.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from platform_core.db import deferred_rows, insert_persistent
from runtime.calendars.services import UnknownCalendar, get_calendar
from runtime.rules.cache import compiled_for
from runtime.rules.durations import parse_duration
from runtime.sla.models import SlaMark, TicketSla
from runtime.tickets.facts import context_for
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket

METRICS = ("response", "resolution", "next_update")
DEFAULT_CALENDAR = "24x7"
DEFAULT_PAUSE_IN = ("pending",)



# --------------------------------------------------------------------------- calendars


def calendar(session: Session, key: str | None) -> tuple[Any, str | None]:
    """The business calendar named ``key`` and a problem sentence when it had to fall back to 24x7.

    Remembered for the life of the session (one request, command or job), so a page of
    tickets reads each calendar once.
    """
    memo = session.info.setdefault("gongdan_calendars", {})
    key = key or DEFAULT_CALENDAR
    if key not in memo:
        try:
            memo[key] = (get_calendar(session, key), None)
        except UnknownCalendar:
            memo[key] = (get_calendar(session, DEFAULT_CALENDAR), f"calendar {key!r} does not exist; 24x7 was used")
    return memo[key]


def _business_seconds(cal: Any, start: datetime, end: datetime) -> int:
    return int(cal.elapsed(start, end).total_seconds()) if end > start else 0


# --------------------------------------------------------------------------- policies


def policy_of(ticket: Ticket, clock: TicketSla) -> dict[str, Any] | None:
    """The policy a clock was started under, from the ticket's own definition version."""
    policies = compiled_for(ticket.type_version).document.get("sla", [])
    if clock.policy_index < len(policies) and policies[clock.policy_index]["name"] == clock.policy:
        return policies[clock.policy_index]
    return None


def _paused_here(policy: dict[str, Any], ticket: Ticket) -> bool:
    pause_in = policy.get("pause_in", DEFAULT_PAUSE_IN)
    return ticket.status in pause_in or ticket.status_category in pause_in


def _target(policy: dict[str, Any], level: str, metric: str) -> int | None:
    text = (policy["targets"].get(level) or {}).get(metric)
    return int(parse_duration(text).total_seconds()) if text else None


# --------------------------------------------------------------------------- clock arithmetic


@dataclass
class Mark:
    at: datetime
    key: str
    spec: dict[str, Any] | None


def _compute_due(clock: TicketSla, cal: Any) -> None:
    remaining = clock.target_seconds - clock.elapsed_seconds
    if remaining > 0:
        clock.due_at = cal.add(clock.running_since, timedelta(seconds=remaining))
    else:  # already over its target when it (re)started
        clock.due_at = clock.breached_at or clock.running_since


def schedule(clock: TicketSla, policy: dict[str, Any], cal: Any) -> list[Mark]:
    """Every warning, the breach and each escalation level of a running clock, in time order."""
    if clock.status != "running" or clock.due_at is None or clock.running_since is None:
        return []
    marks: list[Mark] = []
    remaining = clock.target_seconds - clock.elapsed_seconds
    if remaining > 0:
        for text in policy.get("warn_before", []):
            lead = parse_duration(text).total_seconds()
            marks.append(Mark(_at_remaining(clock, cal, remaining, lead), f"warn:before:{text}", None))
        for share in policy.get("warn_at", []):
            lead = clock.target_seconds * (1 - share)
            marks.append(Mark(_at_remaining(clock, cal, remaining, lead), f"warn:at:{share:g}", None))
    marks.append(Mark(clock.due_at, "breach", None))
    for index, level in enumerate(policy.get("escalate", [])):
        if level.get("metric", "any") not in ("any", clock.metric):
            continue
        after = parse_duration(level["after_breach"])
        at = clock.due_at if not after else cal.add(clock.due_at, after)
        marks.append(Mark(at, f"escalate:{index}", level))
    marks.sort(key=lambda m: m.at)
    return marks


def _at_remaining(clock: TicketSla, cal: Any, remaining: float, lead: float) -> datetime:
    """The instant when ``lead`` business seconds are left before the due time (now, if fewer are left)."""
    used = remaining - lead
    if used <= 0:
        return clock.running_since
    return cal.add(clock.running_since, timedelta(seconds=used))


def fired_marks(session: Session, clock: TicketSla) -> set[str]:
    """Marks of the clock's cycle that fired: written, or pending in this transaction (the sweep
    writes a ticket's marks at its commit)."""
    if clock.id is None:
        return set()
    pending = {row["mark"] for row in deferred_rows(session, SlaMark.__table__)
               if row["sla_id"] == clock.id and row["cycle"] == clock.cycle}
    with session.no_autoflush:
        return pending | set(session.scalars(select(SlaMark.mark).where(SlaMark.sla_id == clock.id,
                                                                          SlaMark.cycle == clock.cycle)))


def refresh(session: Session, clock: TicketSla, policy: dict[str, Any] | None, cal: Any,
            fired: set[str] | None = None, marks: list[Mark] | None = None) -> None:
    """Set ``next_check_at``: the earliest mark of this cycle that has not fired. ``marks``: the clock's
    ``schedule``, when the caller has it for the clock as it is now."""
    if clock.status != "running" or policy is None:
        clock.next_check_at = None
        return
    fired = fired_marks(session, clock) if fired is None else fired
    marks = schedule(clock, policy, cal) if marks is None else marks
    pending = [m.at for m in marks if m.key not in fired]
    clock.next_check_at = min(pending) if pending else None


def _sync_ticket_due(ticket: Ticket, clocks: list[TicketSla] | None = None) -> None:
    dues = [c.due_at for c in (ticket.sla_clocks if clocks is None else clocks)
            if c.status == "running" and c.due_at is not None]
    ticket.sla_due_at = min(dues) if dues else None


def _run(clock: TicketSla, cal: Any, now: datetime) -> None:
    if clock.status == "paused" and clock.paused_since is not None:
        clock.paused_seconds += _business_seconds(cal, clock.paused_since, now)
    clock.status, clock.running_since, clock.paused_since = "running", now, None
    _compute_due(clock, cal)


def _halt(clock: TicketSla, cal: Any, now: datetime, status: str) -> None:
    """Pause or stop a clock at ``now``, banking the business time it ran."""
    if clock.status == "running" and clock.running_since is not None:
        clock.elapsed_seconds += _business_seconds(cal, clock.running_since, now)
        if clock.due_at is not None and clock.due_at <= now and clock.breached_at is None:
            clock.breached_at = clock.due_at
    elif clock.status == "paused" and clock.paused_since is not None and status == "stopped":
        clock.paused_seconds += _business_seconds(cal, clock.paused_since, now)
    clock.running_since, clock.due_at = None, None
    clock.paused_since = now if status == "paused" else None
    clock.status = status
    if status == "stopped":
        clock.stopped_at = now
        clock.next_check_at = None


# --------------------------------------------------------------------------- lifecycle hooks


def start(session: Session, ticket: Ticket, now: datetime) -> tuple[dict[str, Any] | None, list[TicketSla]]:
    """The clocks of a new ticket, not yet written (see ``save_started``), and what the 'created'
    event records about the SLA. Sets the ticket's ``sla_due_at``."""
    compiled = compiled_for(ticket.type_version)
    outcome = compiled.sla_policy(context_for(ticket, now=now), ticket.priority, now)
    if outcome.policy is None:
        return ({"policy": None, "trace": outcome.trace} if outcome.trace else None), []
    policy = outcome.policy
    cal, problem = calendar(session, policy.get("calendar"))
    paused = _paused_here(policy, ticket)
    clocks = []
    for metric in METRICS:
        target = _target(policy, ticket.priority, metric)
        if target is None:
            continue
        clock = TicketSla(metric=metric, policy=policy["name"], policy_index=outcome.index,
                          calendar=policy.get("calendar", DEFAULT_CALENDAR), target_seconds=target,
                          status="paused" if paused else "running", cycle=1, started_at=now,
                          running_since=None if paused else now, paused_since=now if paused else None,
                          elapsed_seconds=0, paused_seconds=0, due_at=None)
        if not paused:
            _compute_due(clock, cal)
        refresh(session, clock, policy, cal, fired=set())
        clocks.append(clock)
    _sync_ticket_due(ticket, clocks)
    return {"policy": policy["name"], "calendar": policy.get("calendar", DEFAULT_CALENDAR),
            "due": {c.metric: c.due_at.isoformat() if c.due_at else None for c in clocks},
            **({"problem": problem} if problem else {})}, clocks


def save_started(session: Session, ticket: Ticket, clocks: list[TicketSla]) -> None:
    """Write a new (flushed) ticket's clocks in one statement and make them its ``sla_clocks``."""
    for clock in clocks:
        clock.ticket_id = ticket.id
    insert_persistent(session, clocks)
    set_committed_value(ticket, "sla_clocks", clocks)


def _each(session: Session, ticket: Ticket):
    for clock in ticket.sla_clocks:
        policy = policy_of(ticket, clock)
        if policy is None:
            continue
        cal, _ = calendar(session, clock.calendar)
        yield clock, policy, cal


def status_changed(session: Session, ticket: Ticket, before_category: str, now: datetime) -> None:
    """Pause, resume, stop or resume-after-reopen every clock for the ticket's new state."""
    done = ticket.status_category in ("resolved", "closed")
    reopened = before_category in ("resolved", "closed") and not done
    for clock, policy, cal in _each(session, ticket):
        if done:
            if clock.status != "stopped":
                _halt(clock, cal, now, "stopped")
            continue
        if clock.status == "stopped":
            if not reopened or clock.metric == "response":
                continue
            if clock.metric == "next_update":
                _new_cycle(clock, now)
            clock.stopped_at = None
            clock.status = "paused"  # resumed below unless the new state pauses it
            clock.paused_since = None
        if _paused_here(policy, ticket):
            if clock.status == "running":
                _halt(clock, cal, now, "paused")
            elif clock.paused_since is None:
                clock.paused_since = now
        elif clock.status == "paused":
            if clock.paused_since is None:
                clock.paused_since = now
            _run(clock, cal, now)
        refresh(session, clock, policy, cal)
    _sync_ticket_due(ticket)


def responded(session: Session, ticket: Ticket, now: datetime) -> None:
    """The first agent response: the response clock is met (or breached) and stops."""
    for clock, _policy, cal in _each(session, ticket):
        if clock.metric == "response" and clock.status != "stopped":
            _halt(clock, cal, now, "stopped")
    _sync_ticket_due(ticket)


def public_update(session: Session, ticket: Ticket, now: datetime) -> None:
    """A public agent comment: the next_update cycle ends (met or breached) and the next one starts."""
    for clock, policy, cal in _each(session, ticket):
        if clock.metric != "next_update" or clock.status == "stopped":
            continue
        _halt(clock, cal, now, "stopped")
        record_event(session, ticket, "sla_cycle_ended", actor_id=None, internal=True, details={
            "metric": clock.metric, "cycle": clock.cycle, "elapsed_seconds": clock.elapsed_seconds,
            "target_seconds": clock.target_seconds,
            "outcome": "breached" if clock.breached_at or clock.elapsed_seconds > clock.target_seconds else "met"})
        _new_cycle(clock, now)
        clock.stopped_at = None
        clock.status, clock.paused_since = "paused", now
        if not _paused_here(policy, ticket):
            _run(clock, cal, now)
        refresh(session, clock, policy, cal, fired=set())
    _sync_ticket_due(ticket)


def _new_cycle(clock: TicketSla, now: datetime) -> None:
    clock.cycle += 1
    clock.started_at, clock.elapsed_seconds, clock.paused_seconds = now, 0, 0
    clock.breached_at, clock.due_at, clock.running_since = None, None, None


def priority_changed(session: Session, ticket: Ticket, now: datetime) -> list[dict[str, Any]]:
    """New targets for the new priority, keeping the business time already used; returns the changes."""
    changes = []
    for clock, policy, cal in _each(session, ticket):
        if clock.status == "stopped":
            continue
        target = _target(policy, ticket.priority, clock.metric)
        if target is None or target == clock.target_seconds:
            continue
        changes.append({"metric": clock.metric, "target_seconds": [clock.target_seconds, target]})
        clock.target_seconds = target
        if clock.status == "running":
            # bank the time so far, so the new target applies from the same elapsed time
            clock.elapsed_seconds += _business_seconds(cal, clock.running_since, now)
            clock.running_since = now
            if clock.elapsed_seconds < target:
                clock.breached_at = None  # a longer target: no longer overdue
            _compute_due(clock, cal)
            if clock.elapsed_seconds >= target and clock.breached_at is None:
                clock.breached_at = clock.due_at = now
        refresh(session, clock, policy, cal)
    _sync_ticket_due(ticket)
    return changes


# --------------------------------------------------------------------------- reading


def state_of(clock: TicketSla, policy: dict[str, Any] | None, cal: Any, now: datetime) -> str:
    if clock.status == "stopped":
        return "breached" if clock.elapsed_seconds > clock.target_seconds or clock.breached_at else "met"
    if clock.status == "paused":
        return "paused"
    if clock.due_at is not None and now >= clock.due_at:
        return "breached"
    if policy is not None:
        first = first_warning(clock, policy, cal)
        if first is not None and now >= first:
            return "warning"
    return "running"


def first_warning(clock: TicketSla, policy: dict[str, Any], cal: Any) -> datetime | None:
    """The earliest warning mark of a running clock (the one with the longest lead): what ``schedule`` would put
    first among the warnings, at the cost of one calendar step instead of one per mark and escalation level — a
    page of tickets asks it for every clock."""
    remaining = clock.target_seconds - clock.elapsed_seconds
    if clock.status != "running" or clock.due_at is None or clock.running_since is None or remaining <= 0:
        return None
    leads = [parse_duration(text).total_seconds() for text in policy.get("warn_before", [])]
    leads += [clock.target_seconds * (1 - share) for share in policy.get("warn_at", [])]
    return _at_remaining(clock, cal, remaining, max(leads)) if leads else None


def view(session: Session, ticket: Ticket, now: datetime) -> list[dict[str, Any]]:
    """Each clock as the API shows it: due time, business time elapsed and paused, state."""
    out = []
    for clock in ticket.sla_clocks:
        policy = policy_of(ticket, clock)
        cal, _ = calendar(session, clock.calendar)
        elapsed, paused = clock.elapsed_seconds, clock.paused_seconds
        if clock.status == "running" and clock.running_since is not None:
            elapsed += _business_seconds(cal, clock.running_since, now)
        elif clock.status == "paused" and clock.paused_since is not None:
            paused += _business_seconds(cal, clock.paused_since, now)
        out.append({"metric": clock.metric, "policy": clock.policy, "calendar": clock.calendar,
                    "state": state_of(clock, policy, cal, now), "due_at": clock.due_at,
                    "target_seconds": clock.target_seconds, "elapsed_seconds": elapsed, "paused_seconds": paused,
                    "breached_at": clock.breached_at, "stopped_at": clock.stopped_at, "cycle": clock.cycle})
    return out


# --------------------------------------------------------------------------- reacting to the ticket's life
# Receivers of runtime.tickets.hooks, connected by runtime.sla.capability.


def on_creating(session: Session, ticket: Ticket, now: datetime) -> dict[str, Any] | None:
    """Start the new ticket's clocks and set its ``sla_due_at``; the clocks are written once the
    ticket's row is (``on_created``)."""
    started, clocks = start(session, ticket, now)
    session.info.setdefault("sla_new_clocks", weakref.WeakKeyDictionary())[ticket] = clocks
    return {"sla": started} if started else None


def on_created(session: Session, ticket: Ticket, now: datetime) -> None:
    pending = session.info.get("sla_new_clocks")
    save_started(session, ticket, pending.pop(ticket, []) if pending is not None else [])


def on_priority_changed(session: Session, ticket: Ticket, now: datetime, actor_id: int | None) -> None:
    retargeted = priority_changed(session, ticket, now)
    if retargeted:
        record_event(session, ticket, "sla_retargeted", actor_id=actor_id, internal=True,
                     details={"priority": ticket.priority, "clocks": retargeted})


def load_clocks(session: Session, tickets: list[Ticket]) -> None:
    """The clocks of a page of tickets in one query (instead of one per ticket)."""
    waiting = [t for t in tickets if "sla_clocks" not in t.__dict__]
    if not waiting:
        return
    found: dict[int, list[TicketSla]] = {t.id: [] for t in waiting}
    for clock in session.scalars(select(TicketSla).where(TicketSla.ticket_id.in_(found)).order_by(TicketSla.id)):
        found[clock.ticket_id].append(clock)
    for ticket in waiting:
        set_committed_value(ticket, "sla_clocks", found[ticket.id])
