"""The outbox itself: rows written with their event and dispatched only after the commit, claims
that are exactly-once under concurrency, leases that expire, backoff, dead letters, retention."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from platform_core.db import get_session, utcnow
from runtime.notify import endpoints, outbox
from runtime.notify.channels import Outcome
from runtime.notify.inbox import notify_user
from runtime.notify.models import DeliveryAttempt, Notification, OutboxMessage
from runtime.notify.outbox import claim, deliver_due, queue_webhook, retry_delay
from tests.support.notifications import attempt_log, make_app, notify, outbox_rows, outbox_settings, sweep
from tests.support.servers import SmtpServer, WebhookReceiver, free_port

SECRET = "whsec_load-test-shared-secret"


@pytest.fixture
def smtp(tmp_path):
    with SmtpServer(tmp_path / "spool") as server:
        yield server


@pytest.fixture
def app(database_url, tmp_path, smtp):
    """Redis configured but unreachable: every delivery job is lost, so only the sweep delivers."""
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"))
    yield app
    app.extensions["gongdan_db"].engine.dispose()


def test_the_delivery_job_waits_for_the_commit(database_url, tmp_path, smtp, make_user):
    inline = make_app(database_url, tmp_path / "inline", **outbox_settings(smtp.port))
    try:
        ann = make_user("ann@example.com")
        with inline.app_context():
            session = get_session()
            notify_user(session, ann, None, "notice", "After the commit")
            session.flush()
            assert session.scalar(select(OutboxMessage.status)) == "pending"
            inbox = session.scalar(select(Notification.id).where(Notification.user_id == ann))
            assert inbox is not None and session.scalar(select(OutboxMessage.notification_id)) == inbox
            assert smtp.messages() == []  # the row is not committed yet, so its job has not run
            session.commit()
            assert [m["Subject"] for m in smtp.wait_for(1)] == ["Ticket updated: After the commit"]
    finally:
        inline.extensions["gongdan_db"].engine.dispose()


def test_a_claim_is_taken_once_and_a_stuck_one_is_taken_again_after_its_lease(app, make_user, smtp, caplog):
    ann = make_user("ann@example.com")
    notify(app, ann, None, "notice", "Claim me")
    [row] = outbox_rows(app)
    with app.app_context():
        session = get_session()
        assert claim(session, row["id"]) == 1  # a worker claims it, then dies before sending
        assert claim(session, row["id"]) is None  # nobody else gets it while the lease runs
    assert sweep(app) == 0
    assert sweep(app, after=timedelta(seconds=299)) == 0
    assert sweep(app, after=timedelta(seconds=301)) == 1
    assert len(smtp.wait_for(1)) == 1
    [row] = outbox_rows(app)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, None)

    caplog.set_level(logging.WARNING, logger="runtime.notify.outbox")
    with app.app_context():  # the first worker comes back and reports: it cannot overwrite attempt 2
        session = get_session()
        message = session.get(OutboxMessage, row["id"])
        assert outbox._record(session, message, 1, Outcome(False, None, "late"), utcnow(), 5, None) == "failed"
    assert outbox_rows(app)[0]["status"] == "sent"
    assert "finished after its claim expired" in caplog.text
    assert attempt_log(app, row["id"]) == [(2, "sent", 250), (1, "failed", None)]


def test_backoff_doubles_up_to_the_cap(app):
    with app.app_context():
        assert [retry_delay(n).total_seconds() for n in range(1, 7)] == [10, 20, 40, 60, 60, 60]


def test_two_sweeps_over_the_same_200_messages_deliver_each_exactly_once(app):
    with WebhookReceiver() as receiver:
        receiver.control(secret=SECRET, delay=0.003)
        with app.app_context():
            session = get_session()
            endpoints.create_webhook_secret(session, "crm", SECRET, actor_id=None)
            for n in range(200):
                queue_webhook(session, None, url=receiver.url("/crm"), secret_name="crm", event="load.test",
                              payload={"n": n}, actor_id=None)
            session.commit()
        assert Counter(r["status"] for r in outbox_rows(app)) == {"pending": 200}

        barrier = threading.Barrier(2)
        handled, errors = [0, 0], []

        def sweeper(index: int) -> None:
            try:
                with app.app_context():
                    barrier.wait()
                    handled[index] = deliver_due()
            except Exception as error:  # reported below, not lost in the thread
                errors.append(error)

        threads = [threading.Thread(target=sweeper, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert sum(handled) == 200 and min(handled) > 0, handled  # both sweeps did part of the work

        deliveries = receiver.deliveries()
        assert len(deliveries) == 200 and all(d["status"] == 200 and d["signature_valid"] for d in deliveries)
        assert sorted(d["json"]["data"]["n"] for d in deliveries) == list(range(200))
        assert len({d["headers"]["x-gongdan-delivery"] for d in deliveries}) == 200
    rows = outbox_rows(app)
    assert {(r["status"], r["attempts"]) for r in rows} == {("sent", 1)}
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(DeliveryAttempt)) == 200


def test_retention_deletes_old_sent_and_dead_messages_only(app, make_user):
    ann = make_user("ann@example.com")
    for n in range(4):
        notify(app, ann, None, "notice", f"Message {n}")
    sweep(app)
    ids = [r["id"] for r in outbox_rows(app)]
    long_ago = utcnow() - timedelta(days=31)
    with app.app_context():
        session = get_session()
        session.execute(update(OutboxMessage).where(OutboxMessage.id == ids[0]).values(sent_at=long_ago))
        session.execute(update(OutboxMessage).where(OutboxMessage.id == ids[1])
                        .values(status="dead", updated_at=long_ago))
        session.execute(update(OutboxMessage).where(OutboxMessage.id == ids[2])
                        .values(status="failed", updated_at=long_ago, sent_at=None))
        session.commit()
        assert outbox.purge_delivered() == 2
    assert [r["id"] for r in outbox_rows(app)] == ids[2:]
    assert attempt_log(app, ids[0]) == []
