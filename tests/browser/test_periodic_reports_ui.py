"""Periodic reports in real Chromium: an admin runs last month's root-cause report and exports it as CSV; the same
page in English on a desktop and in Chinese at 375 px (with the subscriptions an admin manages).
Screenshots in test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.test_designer_flow import DESKTOP, PHONE, _login, _shoot
from tests.runtime.test_sla import CHECKLIST, bearer

INCIDENT = {"title": "Mail is down", "category": "software", "urgency": "high", "impact": "department",
            "description": "Nothing arrives since 9", "region": "north"}


@pytest.fixture
def last_month(app, admin, make_user):
    """Five incidents resolved on the 10th of last month (UTC): software_bug 3, configuration 2."""
    sam = make_user("sam@example.com", ["agent"], name="Sam")
    make_user("mei@example.com", ["admin"], name="梅经理", locale="zh-CN")
    assert admin.post("/api/v1/teams", json={"key": "service-desk", "name": "Service desk", "member_ids": [sam]}
                      ).status_code == 201
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    agent = bearer(app, "sam@example.com")
    first = datetime.now(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    day = (first - timedelta(days=1)).replace(day=10, hour=3)
    for n, cause in enumerate(["software_bug"] * 3 + ["configuration"] * 2):
        with time_machine.travel(day + timedelta(minutes=10 * n), tick=False):
            tid = admin.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json["id"]
            assert agent.post(f"/api/v1/tickets/{tid}/transitions/start", json={}).status_code == 200
            resolved = agent.post(f"/api/v1/tickets/{tid}/transitions/resolve", json={
                "fields": {"resolution": "Restarted the mail relay", "root_cause": cause}, "checklist": CHECKLIST})
            assert resolved.status_code == 200, resolved.json
    return (first - timedelta(days=1)).strftime("%Y-%m")


def test_an_admin_runs_last_months_root_causes_and_exports_csv(browser, live_server, last_month):
    context, page = _login(browser, live_server, "admin@example.com", DESKTOP, path="/reports/periodic")
    try:
        expect(page.locator("#gd-periodic-period")).to_have_value(last_month)
        page.get_by_role("button", name="Run").click()
        top = page.get_by_test_id("gd-report-table-top")
        expect(top.locator("tbody tr.ant-table-row")).to_have_count(2)
        expect(top.locator("tbody tr.ant-table-row").first).to_contain_text("Software bug")
        expect(top.locator("tbody tr.ant-table-row").first).to_contain_text("60.0%")
        expect(top.locator("thead")).not_to_contain_text("Stored value")  # the stored value is for the CSV
        expect(page.get_by_text("E-mail subscriptions")).to_be_visible()
        _shoot(page, "periodic-reports-en.png")
        with page.expect_download() as download:
            page.get_by_role("link", name="Export CSV").click()
        body = Path(download.value.path()).read_bytes()
        assert body.startswith("\ufeff".encode())
        lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert lines[0] == ["Resolved tickets"] and lines[2] == ["5", "5", "0"]
        assert lines[6][:4] == ["1", "Software bug", "3", "0.6"]
        assert lines[5][-1] == "Stored value" and lines[6][-1] == "software_bug"
        assert page.csp_violations == [] and page.page_errors == []
    finally:
        context.close()


def test_the_page_in_chinese_at_375_px(browser, live_server, last_month):
    context, page = _login(browser, live_server, "mei@example.com", PHONE, locale="zh-CN", path="/reports/periodic")
    try:
        expect(page.locator("#gd-periodic-period")).to_have_value(last_month)
        page.get_by_role("button", name=re.compile(r"^运\s*行$")).click()  # antd spaces two CJK characters
        top = page.get_by_test_id("gd-report-table-top")
        expect(top.locator("tbody tr.ant-table-row").first).to_contain_text("软件缺陷")
        expect(page.get_by_text("邮件订阅")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, width  # the tables scroll inside their cards, the page does not
        _shoot(page, "periodic-reports-zh-375.png")
        assert page.csp_violations == [] and page.page_errors == []
    finally:
        context.close()
