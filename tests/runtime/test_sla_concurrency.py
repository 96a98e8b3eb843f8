"""Two sweeps at the same moment, in two OS processes, over the same 500 due tickets: every warning,
breach and escalation level fires exactly once."""

from __future__ import annotations

import json
import multiprocessing
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from platform_core.db import get_session, utcnow
from tests.conftest import app_config

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "designer" / "format" / "examples" / "it-incident.json").read_text())
P1 = {"title": "Line 3 stopped", "category": "software", "urgency": "high", "impact": "company",
      "description": "MES unreachable", "region": "north"}
TICKETS = 500


def _service_desk(admin, make_user) -> tuple[int, int]:
    """Sam works the service desk, Boss supervises it and Mia manages it; the IT incident type is imported; Rita
    files. Returns Boss's and Mia's ids (the escalations' recipients)."""
    boss = make_user("boss@example.com", ["agent"], name="Boss")
    manager = make_user("mia@example.com", ["agent"], name="Mia")
    agent = make_user("sam@example.com", ["agent"], name="Sam")
    make_user("rita@example.com", ["requester"])
    assert admin.post("/api/v1/teams", json={"key": "service-desk", "name": "Service desk", "supervisor_id": boss,
                                             "manager_id": manager, "member_ids": [agent]}).status_code == 201
    assert admin.post("/api/v1/ticket-types/import", json=EXAMPLE).status_code == 201
    return boss, manager


def _sweep(database_url: str, instance: str, at: str, start, results) -> None:
    from datetime import datetime

    from gongdan import create_app
    from runtime.sla.sweep import sweep

    app = create_app(app_config(database_url, Path(instance)))
    with app.app_context():
        start.wait(timeout=120)  # both processes begin together
        report = sweep(get_session(), datetime.fromisoformat(at))
        results.put({"fired": len(report.fired), "tickets": report.tickets, "skipped": report.skipped})


@pytest.mark.long
def test_two_concurrent_sweeps_fire_every_escalation_exactly_once(app, admin, make_user, tmp_path):
    from platform_core.auth.models import User
    from runtime.notify.models import Notification
    from runtime.sla.models import SlaMark, TicketSla
    from runtime.sla.sweep import sweep
    from runtime.tickets.models import TicketEvent
    from runtime.tickets.services import create_ticket

    boss, manager = _service_desk(admin, make_user)
    with app.app_context():
        session = get_session()
        rita = session.scalar(select(User).where(User.email == "rita@example.com"))
        for _ in range(TICKETS):
            create_ticket(session, rita, {"type": "it-incident", "data": P1})
        assert session.scalar(select(func.count()).select_from(TicketSla)) == 2 * TICKETS

    # an hour on: the response target (15 min) is breached by 45 min — two warnings, the breach,
    # level 0 (at breach) and level 1 (30 min after); the resolution target (4 h) has nothing due yet
    at = (utcnow() + timedelta(hours=1)).isoformat()
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()  # both begin together, whichever was ready first
    workers = [context.Process(target=_sweep, args=(app.config["DATABASE_URL"], str(tmp_path / f"s{i}"), at,
                                                    start, results)) for i in range(2)]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    with app.app_context():
        session = get_session()
        from datetime import datetime

        leftover = sweep(session, datetime.fromisoformat(at))  # anything a sweep deferred is picked up, once
        per_ticket = 5
        assert sum(r["fired"] for r in reports) + len(leftover.fired) == per_ticket * TICKETS
        assert session.scalar(select(func.count()).select_from(SlaMark)) == per_ticket * TICKETS
        duplicates = session.execute(select(TicketEvent.ticket_id, func.count()).where(TicketEvent.kind == "escalated")
                                     .group_by(TicketEvent.ticket_id).having(func.count() != 2)).all()
        assert duplicates == []
        assert session.scalar(select(func.count()).where(TicketEvent.kind == "escalated")) == 2 * TICKETS
        assert session.scalar(select(func.count()).where(TicketEvent.kind == "sla_breached")) == TICKETS
        # level 0 tells the assignee and the supervisor, level 1 the manager: one inbox entry each
        for user_id in (boss, manager):
            assert session.scalar(select(func.count()).where(Notification.user_id == user_id,
                                                             Notification.kind == "escalated")) == TICKETS
        assert sweep(session, datetime.fromisoformat(at)).fired == []
    # on PostgreSQL both sweeps did real work: they split the tickets rather than one waiting for the other (SQLite
    # has one writer: there one sweep may keep it batch after batch while the other waits, and gives up)
    if app.config["DATABASE_URL"].startswith("postgresql"):
        assert all(r["tickets"] > 0 for r in reports), reports


SWEPT = 200  # tickets due for the sweepers below: two batches and more


def _due_tickets(app, make_user, admin, count: int):
    """``count`` P1 incidents; an hour after they were raised, each has five marks due on its response clock."""
    from platform_core.auth.models import User
    from runtime.tickets.services import create_ticket

    _service_desk(admin, make_user)
    app.config["SMTP_HOST"] = "127.0.0.1"  # escalations also queue emails in the outbox (nothing is sent here)
    with app.app_context():
        session = get_session()
        rita = session.scalar(select(User).where(User.email == "rita@example.com"))
        for _ in range(count):
            create_ticket(session, rita, {"type": "it-incident", "data": P1})
    return utcnow() + timedelta(hours=1)


def _assert_each_mark_once(session, tickets: int) -> None:
    from runtime.notify.models import Notification, OutboxMessage
    from runtime.sla.models import SlaMark
    from runtime.tickets.models import TicketEvent

    assert session.scalar(select(func.count()).select_from(SlaMark)) == 5 * tickets
    for kind, each in (("sla_warning", 2), ("sla_breached", 1), ("escalated", 2)):
        assert session.execute(select(TicketEvent.ticket_id, func.count()).where(TicketEvent.kind == kind)
                               .group_by(TicketEvent.ticket_id).having(func.count() != each)).all() == [], kind
        assert session.scalar(select(func.count()).where(TicketEvent.kind == kind)) == each * tickets, kind
    # inbox and outbox rows, per ticket, kind and person: two warnings each, one per escalation level
    for table, kind, who in ((Notification, Notification.kind, Notification.user_id),
                             (OutboxMessage, OutboxMessage.event, OutboxMessage.target)):
        per_ticket = session.execute(select(table.ticket_id, func.count()).group_by(table.ticket_id)).all()
        assert len(per_ticket) == tickets and len({n for _, n in per_ticket}) == 1, table.__name__
        counts = session.execute(select(kind, func.count()).where(kind.in_(("sla_warning", "escalated")))
                                 .group_by(table.ticket_id, kind, who)).all()
        assert {(k, n) for k, n in counts} == {("sla_warning", 2), ("escalated", 1)}, table.__name__
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) >= 2 * tickets  # the escalations' emails


def test_four_sweepers_in_threads_share_the_work_and_fire_every_mark_once(app, admin, make_user):
    """Four sweepers at once, each with its own session, over a few hundred due tickets: on PostgreSQL they
    claim different batches (FOR UPDATE SKIP LOCKED); on SQLite they queue for the one writer, and a batch
    that lost a race is rolled back whole and its tickets tried again. Either way each mark fires once."""
    import threading

    from platform_core.db import get_database
    from runtime.sla.sweep import sweep

    at = _due_tickets(app, make_user, admin, SWEPT)
    start, reports, failures = threading.Barrier(4), [], []

    def sweeper() -> None:
        with app.app_context():
            session = get_database().sessionmaker()
            try:
                start.wait(timeout=60)
                reports.append(sweep(session, at))
            except Exception as error:  # reported by the assertion below
                failures.append(error)
            finally:
                session.close()

    threads = [threading.Thread(target=sweeper) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert failures == [] and len(reports) == 4
    # on SQLite a sweeper that waited for the writer past the busy timeout stops and says so; nothing is lost
    errors = [error for report in reports for error in report.errors]
    assert all(error.startswith("claiming due tickets: OperationalError") for error in errors), errors
    if app.config["DATABASE_URL"].startswith("postgresql"):
        assert errors == []
    with app.app_context():
        session = get_session()
        leftover = sweep(session, at)  # what a sweep deferred after losing a race is picked up, once
        assert sum(len(r.fired) for r in reports) + len(leftover.fired) == 5 * SWEPT
        _assert_each_mark_once(session, SWEPT)
        assert sweep(session, at).fired == []
    if app.config["DATABASE_URL"].startswith("postgresql"):
        assert sum(r.skipped for r in reports) == 0  # they never collided
        assert sum(r.tickets > 0 for r in reports) >= 2, [r.tickets for r in reports]  # the work was shared


def test_a_ticket_that_fails_costs_only_its_own_marks(app, admin, make_user, monkeypatch):
    """One ticket's escalation raises in the middle of a batch: the batch is rolled back and its tickets are
    swept one by one, so every other ticket's marks fire (once) in the same sweep; the failing ticket is reported,
    keeps its clock due, and fires on the next sweep once it no longer fails."""
    from runtime.sla import sweep as sweeping
    from runtime.sla.models import SlaMark, TicketSla
    from runtime.tickets.models import Ticket

    at = _due_tickets(app, make_user, admin, 30)
    with app.app_context():
        session = get_session()
        broken = session.scalar(select(Ticket.number).order_by(Ticket.id).offset(12).limit(1))
    real = sweeping.escalated_message

    def escalated_message(ticket, level, metric):
        if ticket.number == broken:
            raise ValueError("a template that cannot be rendered")
        return real(ticket, level, metric)

    monkeypatch.setattr(sweeping, "escalated_message", escalated_message)
    with app.app_context():
        session = get_session()
        report = sweeping.sweep(session, at)
        assert len(report.errors) == 1 and broken in report.errors[0], report.errors
        assert report.tickets == 29 and len(report.fired) == 5 * 29
        assert {f["ticket"] for f in report.fired} == set(session.scalars(select(Ticket.number))) - {broken}
        assert session.scalar(select(func.count()).select_from(SlaMark)) == 5 * 29
        waiting = session.scalar(select(TicketSla.next_check_at).join(Ticket).where(
            Ticket.number == broken, TicketSla.metric == "response"))
        assert waiting is not None and waiting <= at  # still due: nothing of it was kept
    monkeypatch.setattr(sweeping, "escalated_message", real)
    with app.app_context():
        session = get_session()
        again = sweeping.sweep(session, at)
        assert again.errors == [] and {f["ticket"] for f in again.fired} == {broken} and len(again.fired) == 5
        _assert_each_mark_once(session, 30)


def test_a_batch_notifies_as_a_batch(app, admin, make_user, monkeypatch):
    """A batch's notifications cost the batch, not each ticket: one read of the recipients' notification
    preferences and one delivery job for its emails per batch (each recipient's language and preferences still
    count: test_delivery_email), and every inbox and outbox row is there once."""
    from sqlalchemy import event

    from platform_core import jobs
    from runtime.notify.models import OutboxMessage
    from runtime.sla.sweep import BATCH, sweep

    at = _due_tickets(app, make_user, admin, SWEPT)
    sent: list[tuple[str, tuple]] = []
    monkeypatch.setattr(jobs, "_dispatch", lambda func, args, _kwargs: sent.append((func.__name__, args)))
    statements: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many):
        statements.append(" ".join(statement.split()[:2]))

    with app.app_context():
        session = get_session()
        before = session.scalar(select(func.max(OutboxMessage.id)))  # the emails of the tickets' filing
        event.listen(session.get_bind(), "before_cursor_execute", count)
        try:
            report = sweep(session, at)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", count)
        batches = -(-SWEPT // BATCH)
        assert report.tickets == SWEPT and report.errors == []
        assert statements.count("SELECT notification_preference.user_id,") == batches
        assert [name for name, _ in sent] == ["deliver_many"] * batches
        queued = [message_id for _, (ids,) in sent for message_id in ids]
        assert sorted(queued) == list(session.scalars(select(OutboxMessage.id).where(OutboxMessage.id > before)
                                                      .order_by(OutboxMessage.id)))
        _assert_each_mark_once(session, SWEPT)
