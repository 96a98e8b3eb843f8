"""The intake page in real Chromium: an admin creates an endpoint (its secret shown once), tests the mapping on a
sample payload (a valid one, then one missing a required value), and reads the log after real calls; in English
at desktop width and in Chinese at 375 px. Screenshots go to test-artifacts/screenshots (docs/screenshots with
GONGDAN_SCREENSHOTS=1)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.antd import choose, tick
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ("docs/screenshots" if os.environ.get("GONGDAN_SCREENSHOTS") else "test-artifacts/screenshots")
EXAMPLE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text())
MAPPING = {"title": {"cat": ["Alarm ", {"var": "code"}, " on ", {"var": "machine"}]}, "category": "software",
           "urgency": "high", "impact": "department", "description": {"var": "message"}}


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login?next=%2Fadmin%2Fintake")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_admin_creates_an_endpoint_tests_its_mapping_and_reads_its_log(page, browser, live_server, make_user, admin, app):
    make_user("root@example.com", ["admin"], name="Root")
    make_user("li@example.com", ["admin"], name="Li Wei", locale="zh-CN")
    assert admin.post("/api/v1/ticket-types/import", json=EXAMPLE).status_code == 201
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    _login(page, live_server, "root@example.com")
    expect(page.get_by_role("heading", name="Intake endpoints")).to_be_visible()
    expect(page.get_by_text("No intake endpoints yet.")).to_be_visible()
    page.get_by_role("button", name="New endpoint").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Key", exact=True).fill("mes-alarms")
    dialog.get_by_label("Name", exact=True).fill("MES alarms")
    choose(page, dialog.get_by_label("Ticket type", exact=True), "it-incident")
    tick(dialog.get_by_label("Token"))
    dialog.get_by_label("Mapping", exact=True).fill(json.dumps(MAPPING, indent=2))
    dialog.get_by_label("Deduplication key", exact=True).fill('{"cat": [{"var": "machine"}, "|", {"var": "code"}]}')
    dialog.get_by_role("button", name="Create").click()

    secret_box = page.get_by_label("Secret")
    expect(secret_box).to_be_visible()
    secret = secret_box.input_value()
    assert secret.startswith("gdi_")
    page.screenshot(path=str(SCREENSHOTS / "intake-secret.png"))
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_role("cell", name="mes-alarms", exact=True)).to_be_visible()

    # Real calls for the log: one created, one repeat, one refused.
    client = app.test_client()
    alarm = {"machine": "CNC-07", "code": "E42", "message": "Spindle overheating"}
    for payload in (alarm, alarm, {"machine": "CNC-07"}):
        client.post("/api/v1/intake/mes-alarms", json=payload, headers={"Authorization": f"Bearer {secret}"})

    page.get_by_role("button", name="Test and log").click()
    drawer = page.get_by_role("dialog")
    drawer.get_by_role("button", name="Test", exact=True).click()
    expect(drawer.get_by_text("Valid: a call would count as a repeat on INC-000001.")).to_be_visible()
    expect(drawer.get_by_text('"title": "Alarm E42 on CNC-07"')).to_be_visible()
    drawer.get_by_label("Sample payload").fill('{"machine": "CNC-07", "code": "E42"}')
    drawer.get_by_role("button", name="Test", exact=True).click()
    expect(drawer.get_by_text("1 problem(s): a call would get 422 and change nothing.")).to_be_visible()
    expect(drawer.get_by_text("Description is required.")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "intake-mapping-test.png"), full_page=True)

    drawer.get_by_role("tab", name="Log").click()
    expect(drawer.get_by_text("created 201")).to_be_visible()
    expect(drawer.get_by_text("deduplicated 200")).to_be_visible()
    expect(drawer.get_by_text("rejected 422")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "intake-log.png"), full_page=True)

    # A new secret, shown once; the old one stops working.
    drawer.get_by_role("button", name="Replace secret").click()
    page.get_by_role("tooltip").get_by_role("button", name="Replace secret").click()
    expect(page.get_by_label("Secret")).to_be_visible()
    replaced = page.get_by_label("Secret").input_value()
    assert replaced.startswith("gdi_") and replaced != secret
    page.get_by_role("button", name="Done").click()
    old = client.post("/api/v1/intake/mes-alarms", json=alarm, headers={"Authorization": f"Bearer {secret}"})
    assert old.status_code == 401

    # In Chinese, on a phone.
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    phone = context.new_page()
    phone.goto(f"{live_server}/login?next=%2Fadmin%2Fintake")
    phone.get_by_label("邮箱").fill("li@example.com")  # her profile says zh-CN too
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", name="接入端点")).to_be_visible()
    expect(phone.get_by_role("cell", name="mes-alarms", exact=True)).to_be_visible()
    phone.get_by_role("button", name="测试与日志").click()
    phone.get_by_role("tab", name="日志").click()
    expect(phone.get_by_text("已去重 200")).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "intake-log-zh-375.png"), full_page=True)
    context.close()
