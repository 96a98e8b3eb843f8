"""The admin console in real Chromium: the system page grades /healthz red/amber/green and switches the read-only
mode (audited); the audit log filters by who/what/when and exports what it shows as CSV; the notifications page
sends a test to chat endpoints (a real loopback receiver, and a dead address), replays from the delivery log and
shows a new or rotated webhook secret once; in English at desktop width and in Chinese at 375 px. Screenshots go
to test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.antd import choose, tick
from tests.conftest import PASSWORD, Api
from tests.support.servers import WebhookReceiver, free_port

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ("docs/screenshots" if os.environ.get("GONGDAN_SCREENSHOTS") else "test-artifacts/screenshots")


def _login(page, live_server: str, email: str, path: str, *, zh: bool = False) -> None:
    page.goto(f"{live_server}/login?next={path.replace('/', '%2F')}")
    page.get_by_label("邮箱" if zh else "Email").fill(email)
    page.get_by_label("密码" if zh else "Password").fill(PASSWORD)
    page.get_by_role("button", name="登录" if zh else "Log in").click()


def _confirm(page, opener, confirm_name: str, done) -> None:
    """Open a Popconfirm and press its button; again only while its effect has not happened (a lost click)."""
    for attempt in range(3):
        if not page.get_by_role("tooltip").get_by_role("button", name=confirm_name).is_visible():
            opener.click()
        try:
            page.get_by_role("tooltip").get_by_role("button", name=confirm_name).click(timeout=4000)
            expect(done).to_be_visible(timeout=8000 if attempt < 2 else 15000)
            return
        except AssertionError:
            if done.is_visible():
                return
        except Exception:
            if done.is_visible():
                return
    expect(done).to_be_visible()


def test_the_system_page_and_the_audit_log(page, browser, live_server, make_user, admin, app):
    make_user("root@example.com", ["admin"], name="Root")
    make_user("li@example.com", ["admin"], name="李伟", locale="zh-CN")
    assert admin.post("/api/v1/teams", json={"key": "desk", "name": "Service desk"}).status_code == 201
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # System health: every check graded, the scheduler not running (no job ever ran) is amber, not red.
    _login(page, live_server, "root@example.com", "/admin/system")
    expect(page.get_by_role("heading", name="System health")).to_be_visible()
    overall = page.get_by_test_id("overall")
    expect(overall).to_have_attribute("data-grade", "amber")
    expect(overall).to_contain_text("Overall: Needs a look")
    database = page.locator('[data-check="database"]')
    expect(database).to_have_attribute("data-grade", "green")
    expect(database).to_contain_text("DatabaseOKAnswers (sqlite" if "sqlite" in app.config["DATABASE_URL"]
                                     else "DatabaseOKAnswers (postgresql")
    sweep_job = page.locator('[data-check="job:sla_sweep"]')
    expect(sweep_job).to_have_attribute("data-grade", "amber")
    # What should have run it: `gongdan scheduler` with Redis, the web server's own loop without.
    expect(sweep_job).to_contain_text("Never ran: is `gongdan scheduler` running?" if app.config["REDIS_URL"]
                                      else "Not run yet: without Redis, `gongdan run` runs the jobs itself")
    expect(sweep_job).to_contain_text("Fire due SLA warnings, breaches and escalation levels")
    expect(page.locator('[data-check="outbox"]')).to_contain_text("message(s) to send; none late")
    page.screenshot(path=str(SCREENSHOTS / "admin-system.png"), full_page=True)

    # The read-only switch: on with a reason (everyone sees the banner), then off; both audited.
    page.get_by_label("Reason shown to people (optional)").fill("Upgrading to 2.0")
    state = page.get_by_test_id("read-only-state")
    _confirm(page, page.get_by_role("button", name="Make read-only"), "Make read-only",
             page.locator('[data-testid="read-only-state"][data-read-only="on"]'))
    expect(state).to_contain_text("Reason: Upgrading to 2.0")
    with app.app_context():
        assert app.test_client().get("/healthz").json["maintenance"]["read_only"] is True
    expect(page.locator('[data-check="maintenance"]')).to_contain_text("Maintenance modeNeeds a lookRead-only")
    page.screenshot(path=str(SCREENSHOTS / "admin-system-read-only.png"), full_page=True)
    page.get_by_role("button", name="Make writable again").click()
    expect(page.locator('[data-testid="read-only-state"][data-read-only="off"]')).to_be_visible()
    assert app.test_client().get("/healthz").json["maintenance"]["read_only"] is False

    # The audit log, reached from the navigation: everything, then filtered by what and by who.
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(page.get_by_role("cell", name="maintenance.read_only_on")).to_be_visible()
    expect(page.get_by_role("cell", name="team.created")).to_be_visible()
    page.get_by_label("What").fill("maintenance.")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("cell", name="team.created")).to_have_count(0)
    expect(page.get_by_role("cell", name=re.compile(r"^maintenance\."))).to_have_count(2)
    choose(page, page.get_by_label("Who"), "Root", typed="root")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("cell", name=re.compile(r"^maintenance\."))).to_have_count(2)
    page.screenshot(path=str(SCREENSHOTS / "admin-audit.png"), full_page=True)

    # The CSV export carries the same filters, with a BOM and no formulas.
    with page.expect_download() as download:
        page.get_by_test_id("audit-csv").click()
    body = Path(download.value.path()).read_bytes()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["action"] for row in rows] == ["maintenance.read_only_off", "maintenance.read_only_on"]
    assert {row["actor_email"] for row in rows} == {"root@example.com"}
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_role("cell", name="team.created")).to_be_visible()

    # In Chinese, on a phone.
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    phone = context.new_page()
    _login(phone, live_server, "li@example.com", "/admin/system", zh=True)
    expect(phone.get_by_role("heading", name="系统健康")).to_be_visible()
    expect(phone.get_by_test_id("overall")).to_contain_text("总体：需要关注")  # noqa: RUF001
    expect(phone.locator('[data-check="database"]')).to_contain_text("数据库正常有响应")
    expect(phone.locator('[data-check="job:sla_sweep"]')).to_contain_text("触发到期的 SLA 预警")  # the job's description too
    phone.screenshot(path=str(SCREENSHOTS / "admin-system-zh-375.png"), full_page=True)
    phone.goto(f"{live_server}/admin/audit")
    expect(phone.get_by_role("heading", name="审计日志")).to_be_visible()
    expect(phone.get_by_role("cell", name="maintenance.read_only_on")).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "admin-audit-zh-375.png"), full_page=True)
    context.close()


def test_the_console_pages_are_not_for_requesters(page, live_server, make_user):
    make_user("rita@example.com", ["requester"], name="Rita")
    _login(page, live_server, "rita@example.com", "/admin/system")
    expect(page.get_by_role("heading", name="System health")).to_have_count(0)
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)


def test_the_notifications_page(page, browser, live_server, make_user, admin, app):
    make_user("root@example.com", ["admin"], name="Root")
    make_user("li@example.com", ["admin"], name="李伟", locale="zh-CN")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with WebhookReceiver() as receiver:
        assert admin.post("/api/v1/chat-endpoints", json={
            "key": "it-wecom", "kind": "wecom", "url": receiver.url("/wecom?key=k1")}).status_code == 201
        assert admin.post("/api/v1/chat-endpoints", json={
            "key": "ops-slack", "kind": "slack", "url": f"http://127.0.0.1:{free_port()}/nobody-listens"}).status_code == 201

        _login(page, live_server, "root@example.com", "/admin/notifications")
        expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
        page.get_by_role("tab", name="Chat endpoints").click()
        page.get_by_role("button", name="Send a test it-wecom").click()
        expect(page.get_by_test_id("test-result-it-wecom")).to_contain_text("SentHTTP 200")
        assert [d["path"] for d in receiver.deliveries()] == ["/wecom"]
        page.get_by_role("button", name="Send a test ops-slack").click()
        expect(page.get_by_test_id("test-result-ops-slack")).to_contain_text("Dead (gave up)")
        page.screenshot(path=str(SCREENSHOTS / "admin-notifications-chat.png"), full_page=True)

        # The delivery log: both tests are there; the dead one's details, then replay it.
        page.get_by_role("tab", name="Delivery log").click()
        expect(page.get_by_role("cell", name="wecom", exact=True)).to_be_visible()
        choose(page, page.get_by_role("combobox", name="Status"), "Dead (gave up)")
        expect(page.get_by_role("cell", name="wecom", exact=True)).to_have_count(0)
        expect(page.get_by_role("cell", name="slack", exact=True)).to_be_visible()
        page.get_by_role("button", name=re.compile(r"^Details #")).click()
        drawer = page.get_by_role("dialog")
        expect(drawer.get_by_role("heading", name="Every attempt")).to_be_visible()
        expect(drawer.locator(".gd-attempt-log li")).to_have_count(1)
        page.screenshot(path=str(SCREENSHOTS / "admin-notifications-details.png"), full_page=True)
        drawer.get_by_role("button", name="Close").click()
        expect(drawer).to_be_hidden()
        tick(page.get_by_role("checkbox", name=re.compile(r"^#\d+$")))
        page.get_by_role("button", name="Replay selected (1)").click()
        page.get_by_role("dialog").get_by_role("button", name="Replay", exact=True).click()
        expect(page.get_by_text("Queued again: 1 message(s).")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "admin-notifications-outbox.png"), full_page=True)

    # Webhook secrets: a new one and a rotated one, each value shown once.
    page.get_by_role("tab", name="Webhook secrets").click()
    expect(page.get_by_text("No webhook secrets yet.")).to_be_visible()
    page.get_by_label("Name").fill("crm")
    page.get_by_role("button", name="Create").click()
    value_box = page.get_by_role("textbox", name="The value of “crm”")
    expect(value_box).to_have_value(re.compile(r"^whsec_"))
    first = value_box.input_value()
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_role("cell", name="crm", exact=True)).to_be_visible()
    value_box = page.get_by_role("textbox", name="The value of “crm”")
    _confirm(page, page.get_by_role("button", name="Rotate crm"), "Rotate", value_box)
    expect(value_box).not_to_have_value(first)
    page.screenshot(path=str(SCREENSHOTS / "admin-notifications-secret.png"), full_page=True)
    page.get_by_role("button", name="Done").click()
    actions = [e["action"] for e in admin.get("/api/v1/audit").json["items"]]
    assert {"webhook_secret.created", "webhook_secret.rotated", "chat_endpoint.tested", "outbox.replayed"} <= set(actions)

    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    phone = context.new_page()
    _login(phone, live_server, "li@example.com", "/admin/notifications", zh=True)
    expect(phone.get_by_role("heading", name="通知")).to_be_visible()
    expect(phone.get_by_role("cell", name="wecom", exact=True)).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "admin-notifications-zh-375.png"), full_page=True)
    phone.get_by_role("tab", name="聊天端点").click()
    expect(phone.get_by_role("button", name="发送测试 it-wecom")).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "admin-notifications-chat-zh-375.png"), full_page=True)
    context.close()


def test_a_user_sets_their_own_notification_preferences(page, browser, live_server, make_user, app):
    make_user("rita@example.com", ["requester"], name="Rita")
    make_user("li@example.com", ["agent"], name="李伟", locale="zh-CN")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _login(page, live_server, "rita@example.com", "/profile")
    card = page.get_by_test_id("notification-preferences")
    expect(card.get_by_role("checkbox", name="By email: Someone mentions me")).to_be_checked()
    card.get_by_role("checkbox", name="By email: Someone mentions me").uncheck()
    card.get_by_role("button", name="Save notification settings").click()
    expect(page.get_by_text("Notification settings saved.")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "profile-notification-preferences.png"), full_page=True)
    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200
    prefs = rita.get("/api/v1/me/notification-preferences").json
    assert prefs["email"] is True and prefs["kinds"]["mentioned"] == ["in_app"]
    assert prefs["kinds"]["assigned"] == ["in_app", "email"]
    page.reload()
    expect(card.get_by_role("checkbox", name="By email: Someone mentions me")).not_to_be_checked()
    # Email off altogether: every kind's email box is off and disabled.
    card.get_by_role("switch", name="Email me").click()
    expect(card.get_by_role("checkbox", name="By email: A ticket is assigned to me")).to_be_disabled()
    card.get_by_role("button", name="Save notification settings").click()
    expect(page.get_by_text("Notification settings saved.")).to_be_visible()
    assert rita.get("/api/v1/me/notification-preferences").json["email"] is False

    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    phone = context.new_page()
    _login(phone, live_server, "li@example.com", "/profile", zh=True)
    zh_card = phone.get_by_test_id("notification-preferences")
    expect(zh_card.get_by_role("heading", name="通知")).to_be_visible()
    expect(zh_card.get_by_role("checkbox", name="邮件: 有人提到我")).to_be_checked()
    phone.screenshot(path=str(SCREENSHOTS / "profile-notification-preferences-zh-375.png"), full_page=True)
    context.close()
