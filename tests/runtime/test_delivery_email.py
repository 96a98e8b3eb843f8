"""Email notifications through a real SMTP server (aiosmtpd in its own process): written to the
outbox with the event, sent once, in the recipient's language, as the preferences allow."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)

from __future__ import annotations

from datetime import timedelta

import pytest

from platform_core.db import get_session
from runtime.notify.inbox import notify_user
from tests.support.notifications import (
    BASE_URL,
    file_ticket,
    login,
    make_app,
    notify,
    outbox_rows,
    outbox_settings,
    staff_the_desk,
    sweep,
)
from tests.support.servers import SmtpServer, html_of, text_of


@pytest.fixture
def smtp(tmp_path):
    with SmtpServer(tmp_path / "spool", reject=("gone@example.com",)) as server:
        yield server


@pytest.fixture
def app(database_url, tmp_path, smtp):
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port))
    yield app
    app.extensions["gongdan_db"].engine.dispose()


def test_filing_a_ticket_emails_assignee_and_supervisor_once_each_in_their_language(app, admin, make_user, smtp):
    staff_the_desk(app, admin, make_user)
    ticket = file_ticket(app)  # Ray files it: Olive is assigned (English), Bo is told it was routed (Chinese)
    link = f"{BASE_URL}/tickets/{ticket['id']}"

    by_recipient = {m["To"]: m for m in smtp.wait_for(2)}
    assert set(by_recipient) == {"olive@example.com", "bo@example.com"}

    olive = by_recipient["olive@example.com"]
    assert olive["Subject"] == "[INC-000001] Assigned to you: server down in Shanghai DC"
    assert olive["From"] == "desk@gongdan.test" and olive["Auto-Submitted"] == "auto-generated"
    assert olive["X-Gongdan-Ticket"] == "INC-000001" and olive["Content-Language"] == "en"
    text = text_of(olive)
    assert text.startswith("Hello Olive,\n\nINC-000001 was assigned to you: server down in Shanghai DC")
    assert "Ticket: INC-000001 — server down in Shanghai DC" in text
    assert "Status: New" in text and "Priority: P2" in text and "Team: East senior ops" in text
    assert f"Open it: {link}" in text
    assert f'<a href="{link}">' in html_of(olive)

    bo = by_recipient["bo@example.com"]
    assert bo["Subject"] == "[INC-000001] 新工单已分派：server down in Shanghai DC"
    assert bo["Content-Language"] == "zh-CN"
    text = text_of(bo)
    assert text.startswith("Bo，您好：")
    assert "工单：INC-000001 — server down in Shanghai DC" in text and "优先级：P2" in text
    assert f"查看工单：{link}" in text and "通知设置" in text

    rows = outbox_rows(app, channel="email")
    assert [(r["target"], r["event"], r["status"], r["attempts"], r["response_code"]) for r in rows] == [
        ("olive@example.com", "assigned", "sent", 1, 250), ("bo@example.com", "routed", "sent", 1, 250)]
    assert len({m["Message-ID"] for m in smtp.messages()}) == 2
    assert sweep(app, after=timedelta(hours=2)) == 0  # nothing left to do; nothing sent twice
    assert len(smtp.messages()) == 2


def test_preferences_turn_email_off_per_kind_or_altogether_but_never_the_inbox(app, admin, make_user, smtp):
    ids = staff_the_desk(app, admin, make_user)
    olive, bo = login(app, "olive@example.com"), login(app, "bo@example.com")
    assert olive.put("/api/v1/me/notification-preferences",
                     json={"kinds": {"assigned": ["in_app"]}}).status_code == 200
    assert bo.put("/api/v1/me/notification-preferences", json={"email": False}).status_code == 200

    file_ticket(app)
    assert outbox_rows(app) == []
    assert smtp.messages() == []
    assert [n["kind"] for n in olive.get("/api/v1/notifications").json["items"]] == ["assigned"]
    assert [n["kind"] for n in bo.get("/api/v1/notifications").json["items"]] == ["routed"]

    notify(app, ids["olive"], None, "mentioned", "Sam mentioned you")  # another kind still emails Olive
    assert [m["Subject"] for m in smtp.wait_for(1)] == ["You were mentioned: Sam mentioned you"]


def test_channels_limit_what_notify_user_sends(app, admin, make_user, smtp):
    ids = staff_the_desk(app, admin, make_user)
    ticket = file_ticket(app)
    smtp.wait_for(2)
    notify(app, ids["sam"], ticket["id"], "notice", "In-app only", channels=["in_app"])
    notify(app, ids["sam"], ticket["id"], "notice", "Both", channels=["in_app", "email", "wecom"])
    notify(app, ids["sam"], ticket["id"], "escalated", "By preference")
    subjects = sorted(m["Subject"] for m in smtp.wait_for(4) if m["To"] == "sam@example.com")
    assert subjects == ["[INC-000001] Ticket escalated: server down in Shanghai DC",
                        "[INC-000001] Ticket updated: server down in Shanghai DC"]
    assert len(login(app, "sam@example.com").get("/api/v1/notifications").json["items"]) == 3


def test_a_rolled_back_notification_queues_and_sends_nothing(app, make_user, smtp):
    ann = make_user("ann@example.com")
    with app.app_context():
        session = get_session()
        notify_user(session, ann, None, "notice", "Never happened")
        session.flush()
        session.rollback()
    notify(app, ann, None, "notice", "Happened")
    assert [m["Subject"] for m in smtp.wait_for(1)] == ["Ticket updated: Happened"]
    assert [r["payload"]["subject"] for r in outbox_rows(app)] == ["Ticket updated: Happened"]


def test_a_multi_line_message_keeps_its_lines_in_the_body_but_not_in_the_subject(app, make_user, smtp):
    ann = make_user("ann@example.com", locale="zh-CN")
    notify(app, ann, None, "mentioned", "Sam mentioned you:\nfirst line\r\nsecond line")
    [email] = smtp.wait_for(1)
    assert email["Subject"] == "有人提到了您：Sam mentioned you: first line second line"
    assert "Sam mentioned you:\nfirst line\nsecond line" in text_of(email)


def test_a_permanent_smtp_refusal_is_dead_at_once_and_not_retried(app, make_user, smtp):
    gone = make_user("gone@example.com")
    notify(app, gone, None, "notice", "Anyone there?")
    [row] = outbox_rows(app)
    assert row["status"] == "dead" and row["attempts"] == 1 and row["response_code"] == 550
    assert "No such user" in row["last_error"]
    assert sweep(app, after=timedelta(days=1)) == 0
    assert smtp.messages() == []


def test_no_smtp_host_means_no_email_rows(database_url, tmp_path):
    app = make_app(database_url, tmp_path, **outbox_settings(None))
    try:
        with app.app_context():
            from platform_core.auth import services

            user = services.create_user(get_session(), email="ann@example.com", name="Ann", roles=["requester"],
                                        password=None, actor_id=None)
        notify(app, user.id, None, "notice", "Inbox only")
        assert outbox_rows(app) == []
    finally:
        app.extensions["gongdan_db"].engine.dispose()


def test_a_batch_writes_its_notifications_together_each_in_its_reader_s_language_and_as_they_prefer(
        app, admin, make_user, smtp):
    """Inside ``batched`` (the SLA sweep's batches) notifications are staged and written at its end: one read of the
    recipients' preferences, one INSERT of e-mailed inbox rows and one of outbox messages for the whole batch (the
    other inbox rows at the commit), and one delivery job; each recipient still reads their own language and gets
    e-mail only as their preferences allow. A notification made in a savepoint is written at once, so that rolling
    the savepoint back takes it back."""
    from sqlalchemy import event, func, select

    from runtime.notify.inbox import batched, notify_users
    from runtime.notify.models import Notification
    from runtime.tickets.models import Ticket

    ids = staff_the_desk(app, admin, make_user)
    olive = login(app, "olive@example.com")
    assert olive.put("/api/v1/me/notification-preferences", json={"kinds": {"escalated": ["in_app"]}}).status_code == 200
    ticket_id = file_ticket(app)["id"]
    smtp.wait_for(2)

    def escalated(reader):
        return "工单已升级" if reader.locale == "zh-CN" else "Escalated"

    statements: list[str] = []
    with app.app_context():
        session = get_session()
        ticket = session.get(Ticket, ticket_id)
        before = session.scalar(select(func.count()).select_from(Notification))
        engine = session.get_bind()

        def count(_conn, _cursor, statement, _params, _context, _many):
            statements.append(" ".join(statement.split()[:3]))

        event.listen(engine, "before_cursor_execute", count)
        try:
            with batched(session):
                try:
                    with session.begin_nested():
                        notify_users(session, [ids["sam"]], ticket, "notice", "Never happened")
                        raise RuntimeError("rolled back")
                except RuntimeError:
                    pass
                del statements[:]
                notify_users(session, [ids["olive"], ids["bo"]], ticket, "escalated", escalated)
                notify_users(session, [ids["olive"], ids["sam"]], ticket, "notice", "Look at this")
                assert statements == []  # staged till the end of the batch
            session.commit()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert statements.count("SELECT notification_preference.user_id, notification_preference.email,") == 1
        if app.config["DATABASE_URL"].startswith("postgresql"):  # SQLite returns ids from one row per statement
            assert statements.count("INSERT INTO outbox_message") == 1
            assert statements.count("INSERT INTO notification") == 2  # e-mailed rows now, the others at the commit
        rows = session.execute(select(Notification.user_id, Notification.kind, Notification.message)
                               .order_by(Notification.id).offset(before)).all()
    assert sorted(rows) == sorted([(ids["olive"], "escalated", "Escalated"), (ids["bo"], "escalated", "工单已升级"),
                                   (ids["olive"], "notice", "Look at this"), (ids["sam"], "notice", "Look at this")])
    emails = {m["To"]: m for m in smtp.wait_for(5)[2:]}  # after the two of the filing
    assert sorted(emails) == ["bo@example.com", "olive@example.com", "sam@example.com"]
    assert "工单已升级" in text_of(emails["bo@example.com"]) and emails["bo@example.com"]["Content-Language"] == "zh-CN"
    assert emails["olive@example.com"]["Subject"] == "[INC-000001] Ticket updated: server down in Shanghai DC"
    assert "Never happened" not in text_of(emails["sam@example.com"])
