"""Approval deadlines, enforced by the SLA sweep (a receiver of ``runtime.sla.hooks.due``): the warning to
approvers who have not decided, then at the deadline the approval's ``on_timeout`` — ``reject`` takes its
``on_reject`` transition, ``escalate`` asks ``escalate_to`` (whose decision then settles it), and without
``on_timeout`` the approvers are told it is overdue.

Each fires once: ``approval.next_check_at <= now`` is one index range scan; each approval is handled in its own
transaction with its ticket's row locked first (``SKIP LOCKED`` on PostgreSQL, as the SLA sweep does), and
``warned_at`` / ``timed_out_at`` are claimed by conditional UPDATEs, so a second sweep finds nothing to claim.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from runtime.approvals import services
from runtime.approvals.models import Approval, ApprovalApprover
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket

log = logging.getLogger(__name__)

BATCH = 200


def sweep_due(session: Session, now: datetime) -> list[dict[str, Any]]:
    """Receiver of runtime.sla.hooks.due: every approval warning and deadline due at ``now``, each once."""
    fired: list[dict[str, Any]] = []
    seen: set[int] = set()
    while True:
        due = [row for row in session.execute(
            select(Approval.id, Approval.ticket_id).where(Approval.status == "pending", Approval.next_check_at <= now)
            .order_by(Approval.next_check_at, Approval.id).limit(BATCH)) if row.id not in seen]
        session.rollback()
        if not due:
            return fired
        for approval_id, ticket_id in due:
            seen.add(approval_id)
            _one(session, approval_id, ticket_id, now, fired)


def _lock(session: Session, ticket_id: int) -> Ticket | None:
    stmt = select(Ticket).where(Ticket.id == ticket_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Ticket, skip_locked=True)
    return session.scalar(stmt)


def _claim(session: Session, approval: Approval, column: str, now: datetime) -> bool:
    attribute = getattr(Approval, column)
    claimed = session.execute(update(Approval).where(Approval.id == approval.id, Approval.status == "pending",
                                                     attribute.is_(None)).values({column: now})
                              .execution_options(synchronize_session=False)).rowcount == 1
    if claimed:
        setattr(approval, column, now)
    return claimed


def _one(session: Session, approval_id: int, ticket_id: int, now: datetime, fired: list[dict[str, Any]]) -> None:
    try:
        ticket = _lock(session, ticket_id)
        approval = session.get(Approval, approval_id, populate_existing=True)
        if ticket is None or approval is None or approval.status != "pending":
            session.rollback()
            return
        spec = services.spec_of(ticket, approval.state) or {}
        undecided = [row.user_id for row in approval.approvers if row.decision is None]
        if approval.warn_at and approval.warn_at <= now and _claim(session, approval, "warned_at", now):
            services.ask(session, approval, undecided, "approval_warning", spec, now)
            record_event(session, ticket, "approval_warning", actor_id=None, internal=True, details={
                "approval_id": approval.id, "state": approval.state, "due_at": _iso(approval.due_at),
                "as_of": now.isoformat()})
            fired.append({"ticket": ticket.number, "metric": "approval", "mark": "warning"})
        if approval.due_at and approval.due_at <= now and _claim(session, approval, "timed_out_at", now):
            _time_out(session, ticket, approval, spec, undecided, now)
            fired.append({"ticket": ticket.number, "metric": "approval", "mark": f"timeout:{spec.get('on_timeout', 'notify')}"})
        approval.next_check_at = _next_check(approval)
        session.commit()
    except (IntegrityError, StaleDataError, OperationalError) as error:
        session.rollback()  # someone changed the ticket under us: the approval still says what is due
        log.info("approval sweep: approval %s deferred: %s", approval_id, type(error).__name__)


def _time_out(session: Session, ticket: Ticket, approval: Approval, spec: dict[str, Any], undecided: list[int],
              now: datetime) -> None:
    on_timeout = spec.get("on_timeout")
    base = {"approval_id": approval.id, "state": approval.state, "due_at": _iso(approval.due_at),
            "as_of": now.isoformat(), "on_timeout": on_timeout}
    if on_timeout == "reject":
        record_event(session, ticket, "approval_timed_out", actor_id=None, details=base)
        services.complete(session, None, approval, "rejected", "timeout", now)
    elif on_timeout == "escalate":
        asked = {row.user_id for row in approval.approvers}
        people = [(user, source) for user, source in services.resolve(session, ticket, spec.get("escalate_to") or {},
                                                                       "escalation") if user.id not in asked]
        session.add_all([ApprovalApprover(approval_id=approval.id, user_id=user.id, source=source)
                         for user, source in people])
        session.flush()
        session.refresh(approval, ["approvers"])
        services.watch(session, ticket, [user.id for user, _ in people])
        record_event(session, ticket, "approval_escalated", actor_id=None,
                     details={**base, "escalated_to": [user.email for user, _ in people]})
        services.ask(session, approval, [user.id for user, _ in people], "approval_escalated", spec, now)
    else:
        record_event(session, ticket, "approval_timed_out", actor_id=None, details=base)
        services.ask(session, approval, undecided, "approval_warning", spec, now)


def _next_check(approval: Approval) -> datetime | None:
    if approval.status != "pending":
        return None
    if approval.warn_at and approval.warned_at is None:
        return approval.warn_at
    if approval.due_at and approval.timed_out_at is None:
        return approval.due_at
    return None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
