"""Dashboards in real Chromium: a team manager builds a dashboard of four tiles in the tile panel, drags one beside
another, filters a tile to one team, saves, reloads (it persists) and clicks a bar to land on the ticket list with
the bar's filters; the built-in "Everything" dashboard in English and Chinese, on a desktop and at 375 px.
Screenshots in test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.antd import choose, press
from tests.browser.test_designer_flow import DESKTOP, PHONE, _login, _shoot

INCIDENT = {"title": "Mail is down", "urgency": "high", "impact": "department", "description": "Nothing arrives since 9"}


@pytest.fixture
def floor(admin, make_user):
    """Two teams, each with a manager (one reads Chinese); six incidents: network ones go to network ops, the
    others to the service desk."""
    mia = make_user("mia@example.com", ["agent"], name="Mia")
    mei = make_user("mei@example.com", ["agent"], name="梅经理", locale="zh-CN")
    sam = make_user("sam@example.com", ["agent"], name="Sam")
    nina = make_user("nina@example.com", ["agent"], name="Nina")
    for key, name, manager, members in (("service-desk", "Service desk", mia, [sam, mia]),
                                        ("network-ops", "Network ops", mei, [nina, mei])):
        created = admin.post("/api/v1/teams", json={"key": key, "name": name, "manager_id": manager, "member_ids": members})
        assert created.status_code == 201, created.json
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    now = datetime.now(UTC)
    for category, count in (("software", 3), ("network", 2), ("access", 1)):
        for n in range(count):
            with time_machine.travel(now - timedelta(hours=3 * (n + 1) + len(category)), tick=False):
                response = admin.post("/api/v1/tickets", json={"type": "it-incident", "data": {
                    **INCIDENT, "category": category, "region": "north"}})
            assert response.status_code == 201, response.json


def _drawer(page):
    return page.locator(".ant-drawer-content:visible")


def _pick(page, container, label, option):
    choose(page, container.locator(".ant-select", has=page.get_by_label(label, exact=True)).first, option)


def _add_tile(page, kind=None, metric=None, by=None):
    page.get_by_role("button", name="Add tile").click()
    drawer = _drawer(page)
    expect(drawer).to_be_visible()
    if kind:
        _pick(page, drawer, "Chart", kind)
    if metric:
        _pick(page, drawer, "Metric", metric)
    if by:
        _pick(page, drawer, "Breakdown", by)
    press(page.locator(".ant-drawer:visible"), "Apply")


def _box(page, tile_id):
    style = page.locator(f'[data-tile="{tile_id}"]').get_attribute("style") or ""
    return {k: int(v) for k, v in re.findall(r"--([xywh]):\s*(\d+)", style)}


def test_a_manager_builds_a_dashboard_and_drills_into_a_bar(browser, live_server, floor):
    context, page = _login(browser, live_server, "mia@example.com", DESKTOP, path="/reports/dashboards")
    try:
        expect(page.locator("[data-tile]")).to_have_count(8)  # the built-in "Everything" of a team's manager
        page.get_by_role("button", name="New dashboard").click()
        dialog = page.locator(".ant-modal:visible")
        dialog.get_by_label("Name").fill("Ops wall")
        press(dialog, "Create")
        expect(page.get_by_text("No tiles yet. Add one to start.")).to_be_visible()

        _add_tile(page)  # the panel's defaults: bars of volume by priority
        _add_tile(page, kind="Number (KPI)", metric="Backlog", by="None")
        _add_tile(page, kind="Pie", by="Type")
        _add_tile(page, kind="Table", metric="Load", by="Assignee")
        expect(page.locator("[data-tile]")).to_have_count(4)
        assert _box(page, "backlog-1") == {"x": 1, "y": 5, "w": 3, "h": 2}  # below the bars (CSS lines start at 1)

        # drag the KPI up beside the bars: six columns right, four rows up, in small mouse steps
        handle = page.locator('[data-tile="backlog-1"] .gd-dash-handle')
        grid = page.locator(".gd-dash-grid").bounding_box()
        start = handle.bounding_box()
        column, row = (grid["width"] + 12) / 12, 90 + 12
        x, y = start["x"] + 20, start["y"] + start["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 10, y, steps=3)
        page.mouse.move(x + 6 * column, y - 4 * row, steps=12)
        page.mouse.up()
        expect(page.locator('[data-tile="backlog-1"]')).to_have_attribute("style", re.compile(r"--x: 7;.*--y: 1;"))

        # filter the bars to one team
        page.get_by_role("button", name="Edit Volume").first.click()
        drawer = _drawer(page)
        _pick(page, drawer, "Team", "Service desk")
        press(page.locator(".ant-drawer:visible"), "Apply")
        expect(page.get_by_text("Unsaved changes")).to_be_visible()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Dashboard saved.")).to_be_visible()

        page.reload()
        expect(page.locator("[data-tile]")).to_have_count(4)
        assert _box(page, "backlog-1") == {"x": 7, "y": 1, "w": 3, "h": 2}
        bars = page.locator('[data-tile="volume-1"]')
        expect(bars.locator("g.point")).to_have_count(1)  # the service desk's incidents: all of one priority
        _shoot(page, "dashboards-built-en.png")
        dashboard = re.search(r"id=(\d+)", page.url).group(1)
        data = page.evaluate(f"fetch('/api/v1/reports/dashboards/{dashboard}/tiles/volume-1').then(r => r.json())")
        assert data["tile"]["filters"] == {"team": "service-desk"}
        row = data["rows"][0]
        assert row["count"] == 4 and row["drill"]["exact"] is True
        bar = bars.locator("g.point path").first.bounding_box()  # plotly takes clicks on its drag layer, above the bar
        page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
        expect(page).to_have_url(re.compile(r"/workspace\?"))
        for key in row["drill"]["filters"]:
            assert re.search(rf"[?&]{key}=", page.url), (key, page.url)
        assert "team=service-desk" in page.url and f"priority={row['group']}" in page.url
        expect(page.locator("tbody tr.ant-table-row")).to_have_count(4)
        expect(page.get_by_text(re.compile("Also filtered by Team: service-desk"))).to_be_visible()
        assert page.csp_violations == [] and page.page_errors == []
    finally:
        context.close()


@pytest.mark.parametrize(("email", "locale", "suffix"), [
    ("mia@example.com", "en-US", "en"), ("mei@example.com", "zh-CN", "zh")])
def test_the_built_in_everything_dashboard(browser, live_server, floor, email, locale, suffix):
    """At desktop width, then at 375 px in the same session (one login a language)."""
    zh = locale == "zh-CN"
    context, page = _login(browser, live_server, email, DESKTOP, locale=locale, path="/reports/dashboards")
    try:
        for viewport in (DESKTOP, PHONE):
            if viewport is PHONE:
                page.set_viewport_size(PHONE)
                page.reload()
            expect(page.locator("[data-tile]")).to_have_count(8)
            expect(page.locator(".ant-select-selection-item").first).to_contain_text("全局概览" if zh else "Everything")
            expect(page.locator('[data-tile="by-priority"] .main-svg').first).to_be_visible()
            expect(page.locator('[data-tile="load"] tbody tr.ant-table-row').first).to_be_visible()
            # each manager counts only what they may see: the service desk's four incidents, network ops' two
            expect(page.locator('[data-tile="backlog"]')).to_contain_text("2" if zh else "4")
            if viewport is PHONE:  # one column: every tile as wide as the grid
                widths = page.evaluate(
                    "[...document.querySelectorAll('[data-tile]')].map(e => e.getBoundingClientRect().width)")
                assert max(widths) - min(widths) < 2 and max(widths) < 375
            _shoot(page, f"dashboards-{suffix}{'-375' if viewport is PHONE else ''}.png")
        assert page.csp_violations == [] and page.page_errors == []
    finally:
        context.close()
