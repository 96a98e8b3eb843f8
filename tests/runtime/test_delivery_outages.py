"""Nothing is lost and nothing is sent twice when the SMTP server, the webhook receiver, Redis or
the worker is down: requests keep working, the outbox row is the truth, and the periodic sweep
(or a real rq worker, once it runs) delivers every message exactly once."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest

from platform_core import jobs
from platform_core.db import get_session
from runtime.notify.outbox import deliver, deliver_due
from tests.conftest import TEST_REDIS_URL, needs_redis
from tests.support.notifications import (
    ROOT,
    file_ticket,
    login,
    make_app,
    notify,
    outbox_rows,
    outbox_settings,
    staff_the_desk,
    sweep,
)
from tests.support.servers import SmtpServer, WebhookReceiver, free_port


@pytest.fixture
def smtp(tmp_path):
    """The SMTP server's address is known from the start; each test decides when it runs."""
    server = SmtpServer(tmp_path / "spool")
    yield server
    server.stop()


@pytest.fixture
def app(database_url, tmp_path, smtp):
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port))
    yield app
    app.extensions["gongdan_db"].engine.dispose()


def _environment(app, **extra):
    env = {**os.environ, "GONGDAN_DATABASE_URL": app.config["DATABASE_URL"], "GONGDAN_ENV": "development",
           "GONGDAN_SMTP_HOST": "127.0.0.1", "GONGDAN_SMTP_PORT": str(app.config["SMTP_PORT"]),
           "GONGDAN_BASE_URL": app.config["BASE_URL"], "GONGDAN_OUTBOUND_ALLOW": app.config["OUTBOUND_ALLOW"], **extra}
    if "GONGDAN_REDIS_URL" not in extra:
        env.pop("GONGDAN_REDIS_URL", None)
    return env


def test_smtp_down_requests_succeed_and_every_email_arrives_once_when_it_is_back(app, admin, make_user, smtp):
    ids = staff_the_desk(app, admin, make_user)
    numbers = [file_ticket(app)["number"] for _ in range(5)]  # each: Olive assigned, Bo told it was routed
    notify(app, ids["sam"], None, "notice", "Quarterly maintenance tonight")
    rows = outbox_rows(app)
    assert len(rows) == 11
    assert {(r["status"], r["attempts"]) for r in rows} == {("failed", 1)}  # tried inline right after each commit
    assert all("Connection refused" in r["last_error"] or "ConnectionRefused" in r["last_error"] for r in rows)
    backlog = app.test_client().get("/healthz").json["outbox"]  # what an operator sees meanwhile
    oldest = backlog.pop("oldest_age_seconds")
    assert backlog == {"pending": 0, "sending": 0, "failed": 11, "dead": 0, "overdue_seconds": 0,  # retry not due yet
                       "backlog": 11}
    assert 0 <= oldest < 600

    smtp.start()
    # The first retry waits 10 s after each failure; on a slow machine filing the tickets can take longer than
    # that, so the sweeps are placed relative to the last and the first failure, not to now.
    last_failure = max(r["next_attempt_at"] for r in rows) - timedelta(seconds=10)
    first_failure = min(r["next_attempt_at"] for r in rows) - timedelta(seconds=10)
    with app.app_context():
        assert deliver_due(first_failure + timedelta(seconds=9)) == 0
        assert deliver_due(last_failure + timedelta(seconds=11)) == 11
    received = smtp.wait_for(11)
    assert sweep(app, after=timedelta(hours=1)) == 0
    assert len(smtp.messages()) == len(received) == 11
    assert Counter(m["To"] for m in received) == {"olive@example.com": 5, "bo@example.com": 5, "sam@example.com": 1}
    olive_subjects = sorted(m["Subject"] for m in received if m["To"] == "olive@example.com")
    assert olive_subjects == [f"[{n}] Assigned to you: server down in Shanghai DC" for n in numbers]
    assert {(r["status"], r["attempts"]) for r in outbox_rows(app)} == {("sent", 2)}
    assert app.test_client().get("/healthz").json["outbox"] == {"pending": 0, "sending": 0, "failed": 0, "dead": 0,
                                                                "overdue_seconds": 0, "backlog": 0,
                                                                "oldest_age_seconds": 0}


def test_a_receiver_that_is_down_gets_the_webhook_once_it_is_up(app, admin, make_user):
    staff_the_desk(app, admin, make_user)
    ticket = file_ticket(app)
    admin.post("/api/v1/webhook-secrets", json={"name": "crm", "value": "whsec_0123456789abcdef"})
    receiver = WebhookReceiver()
    with app.app_context():
        from runtime.notify.outbox import queue_webhook
        from runtime.tickets.models import Ticket

        session = get_session()
        queue_webhook(session, session.get(Ticket, ticket["id"]), url=receiver.url("/crm"), secret_name="crm",
                      event="ticket.created", payload={}, actor_id=None)
        session.commit()
    [row] = outbox_rows(app, channel="webhook")
    assert row["status"] == "failed" and row["response_code"] is None and "ConnectError" in row["last_error"]
    with receiver:
        receiver.control(secret="whsec_0123456789abcdef")
        sweep(app, after=timedelta(seconds=11))  # the two emails of the ticket are retried too (SMTP is down)
        assert [(d["status"], d["signature_valid"]) for d in receiver.deliveries()] == [(200, True)]
    assert outbox_rows(app, channel="webhook")[0]["status"] == "sent"


def test_redis_unreachable_while_creating_loses_nothing_and_the_scheduler_delivers_later(
        database_url, tmp_path, make_user, smtp, caplog):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port, REDIS_URL=closed))
    try:
        ann = make_user("ann@example.com")
        caplog.set_level(logging.ERROR, logger="platform_core.jobs")
        for n in range(3):
            notify(app, ann, None, "notice", f"Message {n}")
        assert "could not reach Redis to enqueue runtime.notify.outbox.deliver" in caplog.text
        assert {(r["status"], r["attempts"]) for r in outbox_rows(app)} == {("pending", 0)}

        smtp.start()
        result = subprocess.run([sys.executable, "-m", "gongdan.cli", "scheduler", "--once"], cwd=ROOT,
                                env=_environment(app), capture_output=True, text=True, timeout=120)
        assert "deliver_outbox: succeeded" in result.stdout, result.stderr
        assert sorted(m["Subject"] for m in smtp.wait_for(3)) == [f"Ticket updated: Message {n}" for n in range(3)]
        assert {(r["status"], r["attempts"]) for r in outbox_rows(app)} == {("sent", 1)}
    finally:
        app.extensions["gongdan_db"].engine.dispose()


def test_the_http_api_keeps_answering_while_redis_is_unreachable(database_url, tmp_path, make_user, smtp):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port, REDIS_URL=closed))
    try:
        make_user("admin@example.com", ["admin"])
        staff_the_desk(app, login(app, "admin@example.com"), make_user)
        created = file_ticket(app)
        assert created["number"] == "INC-000001"
        assert {(r["status"], r["attempts"]) for r in outbox_rows(app)} == {("pending", 0)}
        smtp.start()
        assert sweep(app) == 2
        assert sorted(m["To"] for m in smtp.wait_for(2)) == ["bo@example.com", "olive@example.com"]
    finally:
        app.extensions["gongdan_db"].engine.dispose()


@needs_redis
def test_with_redis_jobs_wait_for_a_worker_which_delivers_each_message_once(database_url, tmp_path, make_user, smtp):
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port, REDIS_URL=TEST_REDIS_URL))
    try:
        ann, bob = make_user("ann@example.com"), make_user("bob@example.com", locale="zh-CN")
        for n in range(3):
            notify(app, ann, None, "notice", f"For Ann {n}")
            notify(app, bob, None, "notice", f"For Bob {n}")
        rows = outbox_rows(app)
        assert len(rows) == 6 and {(r["status"], r["attempts"]) for r in rows} == {("pending", 0)}
        queue = jobs.get_queue(app)
        assert queue.count == 6  # one deliver job per message, waiting: no worker runs yet
        with app.app_context():  # the same messages enqueued again, and a sweep: still one email each
            for row in rows:
                jobs.enqueue(deliver, row["id"])
            jobs.enqueue(jobs.run_periodic, "deliver_outbox")
        assert queue.count == 13

        smtp.start()
        result = subprocess.run([sys.executable, "-m", "gongdan.cli", "worker", "--burst"], cwd=ROOT,
                                env=_environment(app, GONGDAN_REDIS_URL=TEST_REDIS_URL),
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
        assert queue.count == 0 and queue.failed_job_registry.count == 0
        received = smtp.wait_for(6)
        assert Counter(m["To"] for m in received) == {"ann@example.com": 3, "bob@example.com": 3}
        assert sorted(m["Subject"] for m in received if m["To"] == "bob@example.com") == [
            f"工单有更新：For Bob {n}" for n in range(3)]  # noqa: RUF001
        assert {(r["status"], r["attempts"]) for r in outbox_rows(app)} == {("sent", 1)}
        assert len(smtp.messages()) == 6
    finally:
        app.extensions["gongdan_db"].engine.dispose()
