"""The notification API and command line: preferences (validation names the field), the delivery
log with filters and cursor pagination, replay, and `gongdan outbox list / retry / replay`."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from sqlalchemy import select

from platform_core.db import get_session, utcnow
from runtime.notify.preferences import KNOWN_KINDS
from tests.conftest import error_of
from tests.support.notifications import (
    file_ticket,
    login,
    make_app,
    notify,
    outbox_rows,
    outbox_settings,
    staff_the_desk,
    sweep,
)
from tests.support.servers import SmtpServer


@pytest.fixture
def smtp(tmp_path):
    """Known address, not running: messages fail until a test starts it."""
    server = SmtpServer(tmp_path / "spool")
    yield server
    server.stop()


@pytest.fixture
def app(database_url, tmp_path, smtp):
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port))
    yield app
    app.extensions["gongdan_db"].engine.dispose()


def test_preferences_default_to_everything_and_are_replaced_by_put(app, make_user):
    make_user("ann@example.com")
    ann = login(app, "ann@example.com")
    defaults = ann.get("/api/v1/me/notification-preferences")
    assert defaults.status_code == 200
    assert defaults.json == {"in_app": True, "email": True, "kinds": {k: ["in_app", "email"] for k in KNOWN_KINDS}}

    saved = ann.put("/api/v1/me/notification-preferences", json={
        "kinds": {"mentioned": ["in_app"], "sla_warning": ["email"], "my-template": ["email", "in_app", "email"]}})
    assert saved.status_code == 200
    assert saved.json["email"] is True
    assert saved.json["kinds"]["mentioned"] == ["in_app"]
    assert saved.json["kinds"]["sla_warning"] == ["in_app", "email"]  # in-app is always on
    assert saved.json["kinds"]["my-template"] == ["in_app", "email"]
    assert saved.json["kinds"]["assigned"] == ["in_app", "email"]
    assert ann.get("/api/v1/me/notification-preferences").json == saved.json
    assert ann.put("/api/v1/me/notification-preferences", json={"email": False}).json["kinds"]["mentioned"] == [
        "in_app", "email"]  # PUT replaces the whole document


def test_preference_errors_name_the_field_and_change_nothing(app, make_user):
    make_user("ann@example.com")
    ann = login(app, "ann@example.com")
    bad = ann.put("/api/v1/me/notification-preferences", json={
        "in_app": False, "kinds": {"mentioned": ["email", "sms"], "Bad Kind": ["email"], "routed": "email"}})
    assert bad.status_code == 422
    assert {d["path"] for d in error_of(bad)["details"]} == {"/in_app", "/kinds/mentioned/1", "/kinds/Bad Kind",
                                                             "/kinds/routed"}
    assert error_of(bad)["message"].startswith("/in_app: ")
    typed = ann.put("/api/v1/me/notification-preferences", json={"email": "sometimes", "sms": True})
    assert typed.status_code == 422 and {d["path"] for d in error_of(typed)["details"]} == {"/email", "/sms"}
    assert ann.get("/api/v1/me/notification-preferences").json["email"] is True
    assert app.test_client().get("/api/v1/me/notification-preferences").status_code == 401


def test_the_delivery_log_filters_pages_and_shows_every_attempt(app, admin, make_user, smtp):
    ids = staff_the_desk(app, admin, make_user)
    first, second = file_ticket(app), file_ticket(app)  # two emails each, failing: SMTP is down
    notify(app, ids["sam"], None, "notice", "No ticket")
    assert len(outbox_rows(app)) == 5

    page = admin.get("/api/v1/outbox?limit=2")
    assert page.status_code == 200 and len(page.json["items"]) == 2 and page.json["next_cursor"]
    seen = [m["id"] for m in page.json["items"]]
    while page.json["next_cursor"]:
        page = admin.get(f"/api/v1/outbox?limit=2&cursor={page.json['next_cursor']}")
        seen += [m["id"] for m in page.json["items"]]
    assert seen == sorted(seen, reverse=True) and len(seen) == 5  # newest first, each once

    mine = admin.get(f"/api/v1/outbox?ticket_id={first['id']}").json["items"]
    assert {(m["ticket_id"], m["channel"], m["status"]) for m in mine} == {(first["id"], "email", "failed")}
    assert len(admin.get(f"/api/v1/outbox?ticket_id={second['id']}&status=failed&channel=email").json["items"]) == 2
    assert admin.get("/api/v1/outbox?status=sent").json["items"] == []
    bad = admin.get("/api/v1/outbox?status=lost&channel=pigeon")
    assert bad.status_code == 422 and {d["path"] for d in error_of(bad)["details"]} == {"/status", "/channel"}
    assert login(app, "olive@example.com").get("/api/v1/outbox").status_code == 403

    detail = admin.get(f"/api/v1/outbox/{mine[0]['id']}").json
    assert detail["payload"]["subject"].startswith(f"[{first['number']}]")
    [attempt] = detail["attempt_log"]
    assert attempt["number"] == 1 and attempt["outcome"] == "failed" and "refused" in attempt["error"].lower()

    smtp.start()
    replayed = admin.post(f"/api/v1/outbox/{mine[0]['id']}/replay")  # "retry now" for a failed message
    assert (replayed.json["status"], replayed.json["attempts"]) == ("sent", 2)
    assert [a["outcome"] for a in replayed.json["attempt_log"]] == ["failed", "sent"]
    assert len(smtp.wait_for(1)) == 1


def test_the_outbox_command_lists_retries_and_replays(app, make_user, smtp):
    ann = make_user("ann@example.com")
    for n in range(3):
        notify(app, ann, None, "notice", f"Message {n}")
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["outbox", "list", "--status", "failed"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.strip().splitlines()
    assert len(lines) == 3 and all("\tfailed\temail\tnotice\t1/4\tann@example.com\tnext " in line for line in lines)

    smtp.start()
    first = outbox_rows(app)[0]["id"]
    retried = runner.invoke(args=["outbox", "retry", "--id", str(first)])
    assert retried.exit_code == 0 and "Queued 1 message(s)" in retried.output
    assert [r["status"] for r in outbox_rows(app)] == ["sent", "failed", "failed"]
    retried = runner.invoke(args=["outbox", "retry"])
    assert "Queued 2 message(s)" in retried.output
    assert len(smtp.wait_for(3)) == 3

    replayed = runner.invoke(args=["outbox", "replay", str(first), "999999"])
    assert replayed.exit_code == 1
    assert f"{first}: sent after 3 attempt(s)" in replayed.output
    assert "999999: Outbox message 999999 does not exist." in replayed.output
    assert len(smtp.wait_for(4)) == 4
    assert runner.invoke(args=["outbox", "list", "--status", "sent"]).output.count("\tsent\t") == 3
    with app.app_context():
        from platform_core.audit import AuditEntry

        actions = list(get_session().scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions.count("outbox.retried") == 2 and actions.count("outbox.replayed") == 1


def test_outbox_deliver_runs_the_sweep_as_of_a_given_instant(app, make_user, smtp):
    ann = make_user("ann@example.com")
    notify(app, ann, None, "notice", "Later")  # failed: SMTP is down; next attempt in 10 s
    smtp.start()
    runner = app.test_cli_runner()
    early = runner.invoke(args=["outbox", "deliver"])
    assert early.exit_code == 0 and early.output.startswith("Tried 0 message(s). Now: 0 pending, 0 sending, 0 sent, 1 failed")
    later = (utcnow() + timedelta(seconds=11)).astimezone(timezone(timedelta(hours=8))).isoformat()
    done = runner.invoke(args=["outbox", "deliver", "--at", later])
    assert done.exit_code == 0 and done.output.startswith("Tried 1 message(s). Now: 0 pending, 0 sending, 1 sent")
    assert len(smtp.wait_for(1)) == 1
    assert runner.invoke(args=["outbox", "deliver", "--at", "2026-11-23T09:05:00"]).exit_code == 2  # no offset


def test_a_dead_message_needs_retry_dead_to_go_again(app, make_user, smtp):
    ann = make_user("ann@example.com")
    notify(app, ann, None, "notice", "Persistent")
    for hours in (1, 2, 3):
        sweep(app, after=timedelta(hours=hours))
    assert outbox_rows(app)[0]["status"] == "dead"
    runner = app.test_cli_runner()
    assert "Queued 0 message(s)" in runner.invoke(args=["outbox", "retry"]).output
    smtp.start()
    assert "Queued 1 message(s)" in runner.invoke(args=["outbox", "retry", "--dead", "--channel", "email"]).output
    assert len(smtp.wait_for(1)) == 1
    [row] = outbox_rows(app)
    assert (row["status"], row["attempts"]) == ("sent", 5)
