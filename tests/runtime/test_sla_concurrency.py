"""Two sweeps at the same moment, in two OS processes, over the same 500 due tickets: every warning,
breach and escalation level fires exactly once."""

from __future__ import annotations

import json
import multiprocessing
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from platform_core.db import get_session, utcnow
from tests.conftest import app_config

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "designer" / "format" / "examples" / "it-incident.json").read_text())
P1 = {"title": "Line 3 stopped", "category": "software", "urgency": "high", "impact": "company",
      "description": "MES unreachable", "region": "north"}
TICKETS = 500


def _sweep(database_url: str, instance: str, at: str, start, results) -> None:
    from datetime import datetime

    from gongdan import create_app
    from runtime.sla.sweep import sweep

    app = create_app(app_config(database_url, Path(instance)))
    with app.app_context():
        start.wait(timeout=60)  # both processes begin together
        report = sweep(get_session(), datetime.fromisoformat(at))
        results.put({"fired": len(report.fired), "tickets": report.tickets, "skipped": report.skipped})


def test_two_concurrent_sweeps_fire_every_escalation_exactly_once(app, admin, make_user, tmp_path):
    from platform_core.auth.models import User
    from runtime.notify.models import Notification
    from runtime.sla.models import SlaMark, TicketSla
    from runtime.sla.sweep import sweep
    from runtime.tickets.models import TicketEvent
    from runtime.tickets.services import create_ticket

    boss = make_user("boss@example.com", ["agent"], name="Boss")
    manager = make_user("mia@example.com", ["agent"], name="Mia")
    agent = make_user("sam@example.com", ["agent"], name="Sam")
    make_user("rita@example.com", ["requester"])
    assert admin.post("/api/v1/teams", json={"key": "service-desk", "name": "Service desk", "supervisor_id": boss,
                                             "manager_id": manager, "member_ids": [agent]}).status_code == 201
    assert admin.post("/api/v1/ticket-types/import", json=EXAMPLE).status_code == 201
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
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_sweep, args=(app.config["DATABASE_URL"], str(tmp_path / f"s{i}"), at,
                                                    start, results)) for i in range(2)]
    for worker in workers:
        worker.start()
    start.set()
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
    # both sweeps did real work: they split the tickets rather than one waiting for the other
    assert all(r["tickets"] > 0 for r in reports), reports
