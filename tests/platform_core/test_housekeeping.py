"""The housekeeping job: prunes what is past its window in every capability, runs the database's own maintenance,
and leaves its figures on /healthz."""

from __future__ import annotations

import json
from datetime import timedelta

import time_machine
from sqlalchemy import func, select, update

from platform_core.auth.models import AuthSession, LoginFailure
from platform_core.db import get_session, utcnow
from runtime.notify.models import OutboxMessage
from runtime.notify.outbox import queue_webhook
from runtime.tickets.models import IdempotencyRecord
from tests.conftest import PASSWORD, Api

P1 = {"title": "Payroll system down", "category": "software", "urgency": "high", "impact": "company",
      "description": "Nobody can log in to payroll", "region": "north"}


def _count(app, model) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model))


def test_housekeeping_prunes_what_is_past_its_window_and_reports_it(app, admin, make_user):
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    make_user("rita@example.com", ["requester"], name="Rita")
    long_ago = utcnow() - timedelta(days=40)
    with time_machine.travel(long_ago, tick=False):
        old = Api(app.test_client())
        assert old.login("rita@example.com", PASSWORD).status_code == 200  # a session long expired
        assert Api(app.test_client()).login("ghost@example.com", "wrong").status_code == 401  # an old failure
        created = old.post("/api/v1/tickets", json={"type": "it-incident", "data": P1},
                           headers={"Idempotency-Key": "old-key"})
        assert created.status_code == 201
    with app.app_context():
        session = get_session()
        for n in range(2):  # one delivered long ago, one still waiting
            queue_webhook(session, None, url="https://example.com/hook", secret_name=None, event="test",
                          payload={"n": n}, actor_id=None)
        session.commit()
        first = session.scalar(select(func.min(OutboxMessage.id)))
        session.execute(update(OutboxMessage).where(OutboxMessage.id == first)
                        .values(status="sent", sent_at=long_ago, updated_at=long_ago))
        session.commit()
    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200
    assert rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1},
                     headers={"Idempotency-Key": "new-key"}).status_code == 201
    assert app.test_client().get("/healthz").json["housekeeping"] is None  # never ran

    done = app.test_cli_runner().invoke(args=["housekeeping"])
    assert done.exit_code == 0, done.output
    figures = json.loads(done.output)
    assert figures["pruned"]["idempotency_keys"] == 1
    assert figures["pruned"]["outbox_delivered"] == 1
    assert figures["pruned"]["auth.sessions"] == 1 and figures["pruned"]["auth.login_failures"] == 1
    assert figures["pruned_total"] >= 4
    assert figures["optimized"] == ("ANALYZE" if app.config["DATABASE_URL"].startswith("postgresql")
                                    else "PRAGMA optimize")
    # What is inside its window stays.
    with app.app_context():
        keys = get_session().scalars(select(IdempotencyRecord.key)).all()
    assert keys == ["new-key"] and _count(app, AuthSession) == 2 and _count(app, LoginFailure) == 0
    assert _count(app, OutboxMessage) >= 1
    assert rita.get("/api/v1/me").status_code == 200 and admin.get("/api/v1/me").status_code == 200

    health = app.test_client().get("/healthz").json
    assert health["housekeeping"]["pruned_total"] == figures["pruned_total"]
    assert health["housekeeping"]["last_run_at"] == figures["last_run_at"]
    job = next(job for job in health["periodic_jobs"] if job["name"] == "housekeeping")
    assert job["every_seconds"] == 86400
    # Twice is harmless.
    again = json.loads(app.test_cli_runner().invoke(args=["housekeeping"]).output)
    assert again["pruned_total"] == 0
