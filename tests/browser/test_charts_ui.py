"""The IT incident template's declared charts in real Chromium: an agent opens the charts of the type and sees the
three figures the server built (two drawn by plotly.js, one as a table), with no CSP violation; in English and
Chinese (titles, and the measures' labels on the axis, in the legend and as the table's header), on a desktop and
at 375 px. Screenshots in test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.test_designer_flow import DESKTOP, PHONE, _login, _shoot

INCIDENT = {"title": "Mail is down", "urgency": "high", "impact": "department", "description": "Nothing arrives since 9"}


@pytest.fixture
def desk(admin, make_user):
    sam = make_user("sam@example.com", ["agent"], name="Sam")
    li = make_user("li@example.com", ["agent"], name="李工", locale="zh-CN")
    nina = make_user("nina@example.com", ["agent"], name="Nina")
    for key, name, members in (("service-desk", "Service desk", [sam, li]), ("network-ops", "Network ops", [nina, sam, li])):
        assert admin.post("/api/v1/teams", json={"key": key, "name": name, "member_ids": members}).status_code == 201
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    now = datetime.now(UTC)
    for category, region, count in (("software", "north", 3), ("network", "east", 2), ("access", "south", 1)):
        for n in range(count):
            with time_machine.travel(now - timedelta(hours=4 * (n + 1) + len(category)), tick=False):  # some age
                response = admin.post("/api/v1/tickets", json={"type": "it-incident", "data": {
                    **INCIDENT, "category": category, "region": region}})
            assert response.status_code == 201, response.json


@pytest.mark.parametrize(("email", "locale", "suffix"), [("sam@example.com", "en-US", "en"),
                                                     ("li@example.com", "zh-CN", "zh")])
def test_the_it_templates_declared_charts_appear_for_its_type(browser, live_server, desk, email, locale, suffix):
    """At desktop width, then at 375 px in the same session (one login a language)."""
    zh = locale == "zh-CN"
    context, page = _login(browser, live_server, email, DESKTOP, locale=locale, path="/reports/charts")
    try:
        expect(page).to_have_url(f"{live_server}/reports/charts/it-incident")
        cards = page.locator("[data-chart]")
        expect(cards).to_have_count(3)
        bar = page.locator('[data-chart="backlog_by_category"]')
        expect(bar).to_contain_text("各类别未关闭的故障" if zh else "Open incidents by category")
        expect(bar.locator(".main-svg").first).to_be_visible()  # plotly.js drew it
        expect(bar.locator("g.point")).to_have_count(3)  # software, network, access
        expect(bar.locator(".ytitle")).to_have_text("故障数" if zh else "Incidents")  # the measure's label, translated
        table = page.locator('[data-chart="open_by_priority_and_region"]')
        expect(table.locator("tbody tr.ant-table-row")).to_have_count(3)
        expect(table).to_contain_text("华北" if zh else "North")  # option labels in the reader's language
        expect(table.locator("thead th").last).to_have_text("故障数" if zh else "Incidents")
        age = page.locator('[data-chart="age_of_open_by_team"]')
        expect(age.locator(".main-svg").first).to_be_visible()
        expect(age).to_contain_text("团队" if zh else "Team")
        expect(age.locator(".legendtext")).to_have_text(["平均值", "第 90 百分位"] if zh else ["Average", "90th percentile"])
        _shoot(page, f"charts-{suffix}.png")
        page.set_viewport_size(PHONE)
        page.reload()
        expect(page.locator("[data-chart] .main-svg").first).to_be_visible(timeout=20000)
        expect(bar.locator("g.point")).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        _shoot(page, f"charts-{suffix}-375.png")
        assert page.csp_violations == [] and page.page_errors == []
    finally:
        context.close()
