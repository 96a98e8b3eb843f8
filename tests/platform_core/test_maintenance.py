"""Read-only maintenance mode: writes answer 503 with Retry-After in the reader's language, reads, logging in and
out keep working, /healthz and /api/v1/me say so; periodic jobs that write pause and catch up afterwards."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from platform_core import maintenance, scheduler
from platform_core.db import get_session, utcnow
from tests.conftest import PASSWORD, Api, error_of
from tests.support.notifications import make_app, notify, outbox_rows, outbox_settings
from tests.support.servers import SmtpServer, free_port, wait_until

P1 = {"title": "Payroll system down", "category": "software", "urgency": "high", "impact": "company",
      "description": "Nobody can log in to payroll", "region": "north"}


def _login(app, email: str) -> Api:
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


def _read_only(app, switch: str) -> str:
    done = app.test_cli_runner().invoke(args=["maintenance", "read-only", switch, "--reason", "moving servers"])
    assert done.exit_code == 0, done.output
    return done.output


def test_writes_answer_503_with_retry_after_while_reads_and_logins_keep_working(app, admin, make_user):
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    make_user("rita@example.com", ["requester"], name="Rita")
    make_user("li@example.com", ["requester"], name="Li", locale="zh-CN")
    rita, li = _login(app, "rita@example.com"), _login(app, "li@example.com")
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1})
    assert ticket.status_code == 201

    assert "Read-only since" in _read_only(app, "on")
    assert "Read-only since" in _read_only(app, "status")
    refused = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1})
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "300"
    error = error_of(refused)
    assert error["code"] == "read_only" and "read-only for maintenance" in error["message"]
    assert {d["locale"] for d in error["details"]} == {"en", "zh-CN"}
    assert "维护" in error_of(li.post(f"/api/v1/tickets/{ticket.json['id']}/comments", json={"body": "hi"}))["message"]
    for method, path, body in (("PATCH", "/api/v1/me", {"name": "Rita R"}),
                               ("POST", f"/api/v1/tickets/{ticket.json['id']}/comments", {"body": "still there?"}),
                               ("DELETE", "/api/v1/auth/tokens/1", None),
                               ("PUT", "/api/v1/anything", {})):
        assert rita.request(method, path, json=body).status_code == 503, (method, path)
    # Nothing was written.
    assert len(rita.get("/api/v1/tickets").json["items"]) == 1

    # Reads work, and say so for the banner.
    assert rita.get(f"/api/v1/tickets/{ticket.json['id']}").status_code == 200
    me = rita.get("/api/v1/me").json["maintenance"]
    assert me["read_only"] is True and me["reason"] == "moving servers" and me["since"]
    assert set(me["message"]) == {"en", "zh-CN"}
    health = app.test_client().get("/healthz")
    assert health.status_code == 200 and health.json["maintenance"]["read_only"] is True
    # Logging out and in again still works.
    assert rita.post("/api/v1/auth/logout").status_code == 204
    assert rita.login("rita@example.com", PASSWORD).status_code == 200
    assert rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).status_code == 503

    assert "Writable again" in _read_only(app, "off")
    assert rita.get("/api/v1/me").json["maintenance"]["read_only"] is False
    assert rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).status_code == 201
    assert app.test_client().get("/healthz").json["maintenance"]["read_only"] is False


def test_another_process_switching_it_is_seen_within_the_cache_time(app, admin):
    """The switch written straight to the table, as `gongdan maintenance` in another process would."""
    assert admin.patch("/api/v1/me", json={"name": "Ada"}).status_code == 200  # cached now: writable
    with app.app_context():
        maintenance.set_state(get_session(), maintenance.READ_ONLY, {"since": utcnow().isoformat(), "by": "other"})
    wait_until(lambda: admin.patch("/api/v1/me", json={"name": "Ada"}).status_code == 503,
               timeout=maintenance.CACHE_SECONDS + 10, interval=0.2)
    with app.app_context():
        maintenance.set_state(get_session(), maintenance.READ_ONLY, None)
    wait_until(lambda: admin.patch("/api/v1/me", json={"name": "Ada"}).status_code == 200,
               timeout=maintenance.CACHE_SECONDS + 10, interval=0.2)


@pytest.fixture
def smtp(tmp_path):
    with SmtpServer(tmp_path / "spool") as server:
        yield server


def test_periodic_jobs_that_write_pause_and_catch_up_afterwards_with_nothing_lost(database_url, tmp_path, smtp,
                                                                                  make_user):
    # Redis configured but unreachable: every delivery job is lost, so only the periodic delivery sends.
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"))
    try:
        from runtime.tickets.models import TicketEvent

        make_user("admin@example.com", ["admin"], name="Ada")
        admin = _login(app, "admin@example.com")
        assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
        ann = make_user("ann@example.com", ["requester"], name="Ann")
        rita = _login(app, "ann@example.com")
        # A P1 whose response warning fell due while nothing ran the sweep; a notification waiting to be sent.
        with time_machine.travel(utcnow() - timedelta(hours=2), tick=False):
            ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).json
        notify(app, ann, None, "notice", "Sent after the maintenance")
        waiting = Counter(row["status"] for row in outbox_rows(app))
        assert waiting["pending"] >= 1 and set(waiting) == {"pending"}

        def warnings() -> int:
            with app.app_context():
                return len(get_session().scalars(select(TicketEvent).where(
                    TicketEvent.ticket_id == ticket["id"], TicketEvent.kind == "sla_warning")).all())

        with app.app_context():
            maintenance.set_read_only(app, True, by="test")
            assert scheduler.run_due_jobs(app) >= scheduler.PAUSED_SLEEP_SECONDS  # the loop waits, not spins
            from platform_core import jobs

            runs = jobs.last_runs(get_session())
        # Nothing that writes ran: no run claimed, nothing delivered, no warning fired.
        assert not {"sla_sweep", "deliver_outbox", "housekeeping", "purge_outbox"} & set(runs)
        assert smtp.messages() == [] and warnings() == 0
        assert Counter(row["status"] for row in outbox_rows(app)) == waiting
        # /healthz lists the sweep as behind (on purpose; the answer's status here is Redis's, which is away).
        health = app.test_client().get("/healthz")
        assert health.json["sla_sweep"]["lag_seconds"] > 3600, health.json
        assert any("sla_sweep" in problem for problem in health.json["problems"])

        with app.app_context():
            maintenance.set_read_only(app, False)
            scheduler.run_due_jobs(app)
        # Caught up at once: every message sent once, the warning fired once.
        assert Counter(row["status"] for row in outbox_rows(app)) == {"sent": sum(waiting.values())}
        assert len(smtp.wait_for(sum(waiting.values()))) == sum(waiting.values())
        assert warnings() == 1
        health = app.test_client().get("/healthz")
        assert health.json["sla_sweep"]["lag_seconds"] < 60 and "problems" not in health.json, health.json
        with app.app_context():
            scheduler.run_due_jobs(app)
        assert warnings() == 1
    finally:
        app.extensions["gongdan_db"].engine.dispose()


def test_healthz_is_503_when_the_sweep_falls_behind_its_bound(app, admin, make_user):
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    make_user("rita@example.com", ["requester"], name="Rita")
    rita = _login(app, "rita@example.com")
    with time_machine.travel(utcnow() - timedelta(hours=2), tick=False):
        assert rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).status_code == 201
    health = app.test_client().get("/healthz")
    assert health.status_code == 503 and health.json["status"] == "unavailable"
    assert health.json["sla_sweep"]["ok"] is False and "bound 600 s" in health.json["sla_sweep"]["problem"]
    # Read-only pauses the sweep on purpose: behind, but not a reason to take the instance out of service.
    maintenance.set_read_only(app, True)
    assert app.test_client().get("/healthz").status_code == 200
    maintenance.set_read_only(app, False)
    assert app.test_client().get("/healthz").status_code == 503
    with app.app_context():
        from runtime.sla.sweep import periodic_sweep

        periodic_sweep()
    health = app.test_client().get("/healthz")
    assert health.json["sla_sweep"]["lag_seconds"] < 60 and "problems" not in health.json, health.json
