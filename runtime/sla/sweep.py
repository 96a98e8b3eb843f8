"""The sweep: fire what is due now — SLA warnings, breaches and escalation levels, `elapsed`
automations and delayed surveys, and what other capabilities add through ``runtime.sla.hooks.due``
(approval deadlines) — each exactly once.

Its cost follows the due work, not the table: it reads ``ticket_sla.next_check_at <= now``
and ``ticket_timer.due_at <= now``, two index range scans.

SLA marks are fired in batches of up to ``BATCH`` tickets, one transaction each: one statement
claims the batch — the due clocks' tickets, locked ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
several sweepers (processes, hosts) each claim tickets the others do not hold and share the work
without waiting on each other or on user requests — and a few more load the batch's tickets,
people, clocks (re-read under the lock) and fired marks. Every mark that fires is inserted under a
unique key in the same transaction as its events, inbox rows and outbox messages, all written at
the batch's commit. If anything fails in a batch (another sweep fired a mark first, a user changed
a ticket, one ticket's escalation raises), the batch is rolled back — nothing of it is kept, its
clocks still say what is due — and its tickets are handled again one per transaction, so one
ticket's failure costs only that ticket: it is reported in ``errors`` (or ``skipped``, for a
conflict the next sweep resolves) and the sweep goes on. SQLite has one writer and no row locks:
there the claim takes the database's write lock (``BEGIN IMMEDIATE``), so sweepers take turns a
batch at a time, and the unique keys keep each mark to one whatever happens.

``now`` may be any instant (``gongdan sla sweep --at``): the sweep evaluates as if it were then.
"""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, defaultload, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from platform_core.auth.models import Team, User
from platform_core.db import defer_insert, get_session, sqlite_write_lock, utcnow
from runtime.automations.models import TicketTimer
from runtime.automations.timers import run_timer
from runtime.notify.inbox import batched
from runtime.rules.cache import compiled_for
from runtime.sla import clocks, hooks
from runtime.sla.models import SlaMark, TicketSla
from runtime.tickets.assignment import apply_assignment
from runtime.tickets.display import escalated_message, sla_warning_message
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket, TicketTypeVersion
from runtime.tickets.recipients import notify

log = logging.getLogger(__name__)

BATCH = 100  # tickets claimed, locked and committed together: the locks last one batch (~0.1-0.2 s)
MAX_PASSES = 5  # a ticket is handled at most this often per sweep (escalations can make more due)
_CONFLICTS = (IntegrityError, StaleDataError, OperationalError)  # another sweep or a user got there first


@dataclass
class SweepReport:
    at: datetime
    tickets: int = 0
    fired: list[dict[str, Any]] = field(default_factory=list)
    timers: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    ms: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "tickets": self.tickets, "fired": len(self.fired),
                "timers": self.timers, "skipped": self.skipped, "errors": self.errors, "ms": round(self.ms, 2)}


def sweep(session: Session, now: datetime | None = None, *, limit: int | None = None) -> SweepReport:
    """Fire everything due at ``now`` (default: the current instant)."""
    started = time.perf_counter()
    now = now or utcnow()
    report = SweepReport(at=now)
    session.rollback()  # claims see what is committed now, and nothing of the caller's is swept up in a batch
    session.info.pop("gongdan_calendars", None)  # read calendars afresh on every sweep
    passes: dict[int, int] = {}
    # The objects alive before the sweep (the application, its modules, the session's) are set aside from the
    # cyclic garbage collector while it runs: a storm's batches allocate so much that the collector would
    # otherwise go through all of them again and again (7-13% of a storm's time, measured). Set back after, so
    # whatever of them becomes garbage is collected as usual.
    gc.freeze()
    try:
        _fire_due(session, now, limit, report, passes)
    finally:
        gc.unfreeze()
    _timers(session, now, report)
    for fired in hooks.due.send(session, now):
        report.fired += fired or []
    report.ms = (time.perf_counter() - started) * 1000
    return report


def _fire_due(session: Session, now: datetime, limit: int | None, report: SweepReport,
              passes: dict[int, int]) -> None:
    """The SLA marks due at ``now``, a batch of tickets at a time; ``passes``: how often each ticket was handled."""
    while limit is None or report.tickets < limit:
        size = BATCH if limit is None else min(BATCH, limit - report.tickets)
        ids = _claim(session, now, size, report, done={tid for tid, n in passes.items() if n >= MAX_PASSES})
        if not ids:
            session.rollback()
            break
        for ticket_id in ids:
            passes[ticket_id] = passes.get(ticket_id, 0) + 1
        if not _fire_batch(session, ids, now, report):
            for ticket_id in ids:  # one by one, each in its own transaction: a failure costs only its ticket
                if _claim(session, now, 1, report, only=ticket_id) and not _fire_batch(session, [ticket_id], now, report):
                    passes[ticket_id] = MAX_PASSES  # not again in this sweep


def _claim(session: Session, now: datetime, size: int, report: SweepReport, *,
           done: set[int] | frozenset[int] = frozenset(), only: int | None = None) -> list[int]:
    """Up to ``size`` tickets with a due clock, in due order, locked for this transaction on PostgreSQL
    (those another sweep or a request holds are passed over, not waited for); ``done``: not these;
    ``only``: that ticket, if it is still due and free. None when the database cannot be had now (SQLite's
    writer held past the busy timeout, a lost connection): the next sweep goes on."""
    try:
        return _claimed(session, now, size, done, only)
    except OperationalError as error:
        session.rollback()
        report.errors.append(f"claiming due tickets: {type(error).__name__}: {error}")
        log.warning("sweep: could not claim due tickets: %s", error)
        return []


def _claimed(session: Session, now: datetime, size: int, done: set[int] | frozenset[int],
             only: int | None) -> list[int]:
    stmt = (select(TicketSla.ticket_id).where(TicketSla.next_check_at <= now)
            .order_by(TicketSla.next_check_at).limit(size))
    if done:
        stmt = stmt.where(TicketSla.ticket_id.not_in(done))
    if only is not None:
        stmt = stmt.where(TicketSla.ticket_id == only)
    sqlite_write_lock(session)  # SQLite has no row locks: sweepers there take turns, a batch each
    if session.get_bind().dialect.name == "postgresql":
        # the join brings the ticket row to lock; LIMIT counts only the rows locked, so a second sweeper
        # reading the same index range takes the next tickets instead of none
        stmt = stmt.join(Ticket, Ticket.id == TicketSla.ticket_id).with_for_update(of=Ticket, skip_locked=True)
    return list(dict.fromkeys(session.scalars(stmt)))  # a ticket with two due clocks comes twice


# The ticket's people come with it (joined), their roles with one query per kind of person for the
# whole batch; the team's members (a query per team) only when a recipient or a rule asks for them. Its
# definition version too (without the definition, compiled once per process): else the first ticket of each
# batch loads it again, the last batch's tickets that held it being gone.
_PEOPLE = (defaultload(Ticket.team).lazyload(Team.members),
           joinedload(Ticket.type_version).lazyload(TicketTypeVersion.published_by))


def _fire_batch(session: Session, ids: list[int], now: datetime, report: SweepReport) -> bool:
    """Fire the due marks of these claimed tickets and commit them together; False (nothing kept, all
    rolled back) when anything failed — with one ticket, the failure is reported."""
    label = str(ids[0])  # for a report: the ticket's number once it is read
    try:
        tickets = {t.id: t for t in session.scalars(
            select(Ticket).where(Ticket.id.in_(ids)).options(*_PEOPLE)
            .execution_options(populate_existing=True)).unique()}
        label = tickets[ids[0]].number if ids[0] in tickets else label
        # in a fixed order, by metric: one clock's escalation can retarget another (a raised priority), so the
        # order decides what fires
        by_ticket: dict[int, list[TicketSla]] = {ticket_id: [] for ticket_id in tickets}
        for clock in session.scalars(select(TicketSla).where(TicketSla.ticket_id.in_(list(tickets)))
                                     .order_by(TicketSla.ticket_id, TicketSla.metric)
                                     .execution_options(populate_existing=True)):
            by_ticket[clock.ticket_id].append(clock)
        due = [c for found in by_ticket.values() for c in found if c.next_check_at is not None and c.next_check_at <= now]
        fired_before: dict[tuple[int, int], set[str]] = {}
        if due:
            for sla_id, cycle, mark in session.execute(select(SlaMark.sla_id, SlaMark.cycle, SlaMark.mark)
                                                       .where(SlaMark.sla_id.in_([c.id for c in due]))):
                fired_before.setdefault((sla_id, cycle), set()).add(mark)
        fired: list[dict[str, Any]] = []
        # marks, clocks and events are written together at the commit; the notifications of the whole batch just
        # before it, with one read of their recipients' preferences and one INSERT per table
        with session.no_autoflush, batched(session):
            for ticket_id in ids:
                ticket = tickets.get(ticket_id)
                if ticket is None:
                    continue  # deleted since it was claimed
                ticket_clocks = by_ticket[ticket_id]
                set_committed_value(ticket, "sla_clocks", sorted(ticket_clocks, key=lambda c: c.id))
                for clock in ticket_clocks:
                    if clock.next_check_at is None or clock.next_check_at > now:
                        continue  # handled by someone else since we looked, or not this clock
                    _fire_due_marks(session, ticket, clock, now, fired,
                                    set(fired_before.get((clock.id, clock.cycle), ())))
        session.commit()  # the unique key: a mark another sweep already fired raises here, and none is kept
    except _CONFLICTS as error:
        # Another sweep fired the same mark, or a user changed a ticket under us: nothing of the batch is
        # kept; its clocks still say what is due, so its tickets are tried again (alone, then by the next sweep).
        session.rollback()
        if len(ids) == 1:
            report.skipped += 1
            log.info("sweep: ticket %s deferred: %s", label, type(error).__name__)
        return False
    except Exception as error:  # one ticket's bad escalation must not stop the others' marks
        session.rollback()
        if len(ids) == 1:
            report.skipped += 1
            report.errors.append(f"ticket {label}: {type(error).__name__}: {error}")
            log.exception("sweep: ticket %s failed", label)
        return False
    report.fired += fired
    report.tickets += len(tickets)
    return True


def _fire_due_marks(session: Session, ticket: Ticket, clock: TicketSla, now: datetime,
                    fired_now: list[dict[str, Any]], fired: set[str]) -> None:
    """Fire the clock's due marks; ``fired``: the marks of its cycle that fired before."""
    policy = clocks.policy_of(ticket, clock)
    cal, _ = clocks.calendar(session, clock.calendar)
    if policy is None:
        clock.next_check_at = None
        return
    shape, marks = _shape(clock), clocks.schedule(clock, policy, cal)
    for _ in range(len(policy.get("escalate", [])) + 10):  # bounded: raising priority reschedules
        if _shape(clock) != shape:  # a mark moved the clock (a raised priority): its marks are due anew
            shape, marks = _shape(clock), clocks.schedule(clock, policy, cal)
        due = [m for m in marks if m.at <= now and m.key not in fired]
        if not due:
            break
        mark = due[0]
        # a row written at the commit with the batch's other marks, in one INSERT: its unique key raises there
        defer_insert(session, SlaMark.__table__, {"sla_id": clock.id, "cycle": clock.cycle, "mark": mark.key,
                                                  "fired_at": now})
        fired.add(mark.key)
        _apply(session, ticket, clock, mark, now)
        fired_now.append({"ticket": ticket.number, "metric": clock.metric, "mark": mark.key})
    clocks.refresh(session, clock, policy, cal, fired, marks if _shape(clock) == shape else None)


def _shape(clock: TicketSla) -> tuple[Any, ...]:
    """What a clock's schedule is computed from, besides its policy and calendar (``clocks.schedule``)."""
    return clock.status, clock.cycle, clock.due_at, clock.running_since, clock.target_seconds, clock.elapsed_seconds


def _apply(session: Session, ticket: Ticket, clock: TicketSla, mark: clocks.Mark, now: datetime) -> None:
    base = {"metric": clock.metric, "policy": clock.policy, "cycle": clock.cycle,
            "due_at": clock.due_at.isoformat() if clock.due_at else None, "as_of": now.isoformat()}
    if mark.key.startswith("warn:"):
        to = ["assignee"] if ticket.assignee_id else ["team.supervisor", "team"]
        sent = notify(session, ticket, to, "sla_warning", sla_warning_message(ticket, clock.metric, clock.due_at),
                      actor_id=None, internal=True)
        record_event(session, ticket, "sla_warning", actor_id=None, internal=True,
                     details={**base, "mark": mark.key, "notified": sent})
    elif mark.key == "breach":
        clock.breached_at = clock.breached_at or clock.due_at
        record_event(session, ticket, "sla_breached", actor_id=None, internal=True, details=base)
    else:
        level = mark.spec or {}
        index = int(mark.key.split(":")[1])
        details: dict[str, Any] = {**base, "level": index, "after_breach": level.get("after_breach")}
        if level.get("notify"):
            details["notified"] = notify(
                session, ticket, level["notify"], "escalated", escalated_message(ticket, index + 1, clock.metric),
                actor_id=None, internal=True, channels=level.get("channels"))
        if level.get("reassign"):
            apply_assignment(session, ticket, level["reassign"], actor_id=None,
                             reason=f"SLA escalation level {index + 1}", now=now)
            ticket.updated_at = max(ticket.updated_at, now)
        if level.get("raise_priority"):
            details["priority"] = _raise_priority(session, ticket, now)
        record_event(session, ticket, "escalated", actor_id=None, internal=True, details=details)


def _raise_priority(session: Session, ticket: Ticket, now: datetime) -> list[str] | None:
    levels = compiled_for(ticket.type_version).levels
    position = levels.index(ticket.priority) if ticket.priority in levels else len(levels) - 1
    if position == 0:
        return None
    before, ticket.priority = ticket.priority, levels[position - 1]
    # raised by an escalation, it stays when the fields change (an agent may give it back to the rules)
    ticket.priority_set_at, ticket.priority_set_by_id, ticket.priority_reason = now, None, None
    ticket.updated_at = max(ticket.updated_at, now)
    record_event(session, ticket, "field_changed", actor_id=None,
                 details={"field": "priority", "old": before, "new": ticket.priority, "by": "SLA escalation"})
    clocks.priority_changed(session, ticket, now)
    return [before, ticket.priority]


# --------------------------------------------------------------------------- timers


# A timer's ticket comes with its people (one joined query); their roles and the team's members (a query
# each) only when a recipient or a rule asks for them.
_PEOPLE_ONLY = (defaultload(Ticket.requester).lazyload(User.roles),
                defaultload(Ticket.assignee).lazyload(User.roles),
                defaultload(Ticket.team).lazyload(Team.members),
                defaultload(Ticket.team).defaultload(Team.supervisor).lazyload(User.roles),
                defaultload(Ticket.team).defaultload(Team.manager).lazyload(User.roles))


def _lock_ticket(session: Session, ticket_id: int) -> Ticket | None:
    """The ticket, locked for this transaction; None when another sweep or request holds it."""
    stmt = (select(Ticket).where(Ticket.id == ticket_id).execution_options(populate_existing=True)
            .options(*_PEOPLE_ONLY))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Ticket, skip_locked=True)
    return session.scalar(stmt)


def _timers(session: Session, now: datetime, report: SweepReport) -> None:
    while True:
        due = list(session.execute(select(TicketTimer.id, TicketTimer.ticket_id).where(TicketTimer.due_at <= now)
                                   .order_by(TicketTimer.due_at).limit(BATCH)))
        session.rollback()
        if not due:
            return
        progressed = False
        for timer_id, ticket_id in due:
            try:
                ticket = _lock_ticket(session, ticket_id)
                timer = session.get(TicketTimer, timer_id, populate_existing=True)
                if ticket is None or timer is None:
                    session.rollback()
                    continue
                ref, kind = dict(timer.ref), timer.kind
                claimed = session.execute(delete(TicketTimer).where(TicketTimer.id == timer_id)).rowcount
                if claimed != 1:
                    session.rollback()
                    continue
                run_timer(session, ticket, kind, ref, now)
                session.commit()
                report.timers += 1
                progressed = True
            except (IntegrityError, StaleDataError, OperationalError) as error:
                session.rollback()
                report.skipped += 1
                log.info("sweep: timer %s deferred: %s", timer_id, type(error).__name__)
        if not progressed:
            return


# --------------------------------------------------------------------------- the periodic job


def health_report(session: Session) -> dict[str, Any]:
    """For /healthz and /metrics: what is due and not yet swept, and how late the sweep is on the most overdue
    of it (``lag_seconds``: 0 when the sweep keeps up). Two index range scans, like the sweep's own."""
    from flask import current_app
    from sqlalchemy import func

    now = utcnow()
    clocks_due, first_clock = session.execute(
        select(func.count(), func.min(TicketSla.next_check_at)).where(TicketSla.next_check_at <= now)).one()
    timers_due, first_timer = session.execute(
        select(func.count(), func.min(TicketTimer.due_at)).where(TicketTimer.due_at <= now)).one()
    firsts = [first for first in (first_clock, first_timer) if first is not None]
    lag = max(0.0, (now - min(firsts)).total_seconds()) if firsts else 0.0
    report: dict[str, Any] = {"due": int(clocks_due) + int(timers_due), "lag_seconds": round(lag, 1)}
    bound = current_app.config["HEALTH_MAX_SWEEP_LAG_SECONDS"]
    if lag > bound:
        report.update(ok=False, problem=f"due SLA marks or timers have waited {lag:.0f} s for the sweep (bound {bound} s)")
    return report


def periodic_sweep() -> dict[str, Any]:
    """The scheduler's entry point (every minute)."""
    return sweep(get_session()).as_dict()
