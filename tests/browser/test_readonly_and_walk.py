"""Read-only field rules and "walk it" in real Chromium (issues 15 and 16).

A requester files an IT incident: choosing a high urgency makes Impact read-only in the portal form, as the
server decides; the designer sees the rule as "Make read-only" in the field's rules. A designer walks the
after-sales draft through its graph on the server: a refused step says why, and the walk goes on once the
checklist is ticked.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.antd import press, tick
from tests.browser.test_designer_flow import (  # noqa: F401
    DESKTOP,
    PHONE,
    _choose,
    _login,
    _published_shop,
    _shoot,
    shop,
)
from tests.runtime.test_readonly_rules import definition


def _shoot_from_top(page, name):
    """A full-page screenshot taken from the top: scrolled, the sticky header would be drawn mid-page."""
    page.evaluate("window.scrollTo(0, 0)")
    _shoot(page, name)


@pytest.mark.parametrize(("locale", "viewport", "suffix"), [("en-US", PHONE, "en-375"), ("zh-CN", DESKTOP, "zh")])
def test_a_rule_makes_a_field_read_only_in_the_portal_and_the_designer_shows_it(
        browser, live_server, admin, make_user, locale, viewport, suffix):
    zh = locale == "zh-CN"
    make_user("rita@example.com", ["requester"], name="Rita", locale="zh-CN" if zh else "en")
    make_user("dora@example.com", ["designer"], name="Dora", locale="zh-CN" if zh else "en")
    assert admin.post("/api/v1/ticket-types/import", json=definition()).status_code == 201
    context, page = _login(browser, live_server, "rita@example.com", viewport, locale=locale,
                           path="/portal/new/it-incident")
    form = page.locator("form")
    impact = form.locator("#root_impact")
    expect(impact).to_be_visible(timeout=20000)
    expect(impact).to_be_enabled()
    _choose(page, page.locator("#root_urgency"), "high")
    expect(impact).to_be_disabled()  # read-only while the urgency is high, with its default
    expect(page.locator(".ant-select", has=page.locator("#root_impact"))).to_contain_text("person")
    _shoot_from_top(page, f"readonly-portal-{suffix}.png")
    _choose(page, page.locator("#root_urgency"), "low")
    expect(impact).to_be_enabled()
    assert page.page_errors == [] and page.csp_violations == []
    context.close()

    context, page = _login(browser, live_server, "dora@example.com", DESKTOP, locale=locale, path="/designer/it-incident")
    card = page.locator(".gd-canvas [data-field='impact']")
    expect(card).to_be_visible(timeout=20000)
    card.locator(".gd-field-main").click()
    rules = page.locator(".gd-field-rules")
    readonly = rules.get_by_label("设为只读" if zh else "Make read-only")
    expect(readonly).to_be_checked()
    rules.scroll_into_view_if_needed()
    _shoot(page, f"readonly-designer-rule-{'zh' if zh else 'en'}.png", full_page=False)
    assert page.page_errors == []
    context.close()


@pytest.mark.parametrize(("locale", "viewport", "suffix"), [("en-US", DESKTOP, "en"), ("zh-CN", PHONE, "zh-375")])
def test_walking_the_graph_on_the_server(browser, live_server, shop, admin, api, app, locale, viewport, suffix):  # noqa: F811
    _published_shop(admin, api, app)
    zh = locale == "zh-CN"
    email = "dong@example.com" if zh else "dora@example.com"
    context, page = _login(browser, live_server, email, viewport, locale=locale, path="/designer/after-sales/flow")
    expect(page.locator(".react-flow__node")).to_have_count(3, timeout=20000)
    page.locator("#gdf-walk-switch").click()
    panel = page.get_by_label("模拟走查" if zh else "Walk it", exact=True)
    panel.locator("#gdf-walk-title").fill("Phone screen")
    _choose(page, page.locator("#gdf-walk-product_line"), "phone")
    with page.expect_response(lambda r: r.url.endswith("/simulate") and r.request.method == "POST", timeout=45_000) as sent:
        panel.get_by_role("button", name="创建模拟工单" if zh else "Start the ticket").click()
    assert sent.value.request.post_data_json["walk"] == []
    expect(panel.locator(".gdf-walk-options [data-transition='repair'] .anticon-check-circle")).to_be_visible()
    panel.get_by_role("button", name=re.compile("Repair")).click()
    expect(panel.get_by_role("heading", name=re.compile("Repairing"))).to_be_visible()
    # closing asks for its checklist: left unticked, the server refuses and says why; nothing moves
    panel.get_by_role("button", name=re.compile("Close")).click()
    dialog = page.get_by_role("dialog")
    with page.expect_response(lambda r: r.url.endswith("/simulate"), timeout=45_000) as sent:
        press(dialog, "执行" if zh else "Take", exact=False)
    assert [s["transition"] for s in sent.value.request.post_data_json["walk"]] == ["repair", "close"]
    refused = panel.locator(".gdf-walk-refused")
    expect(refused).to_contain_text("Device tested")
    expect(dialog).to_be_hidden()
    expect(panel.get_by_role("heading", name=re.compile("Repairing"))).to_be_visible()
    _shoot_from_top(page, f"walk-refused-{suffix}.png")
    panel.get_by_role("button", name=re.compile("Close")).click()
    tick(dialog.get_by_label("Device tested"))
    press(dialog, "执行" if zh else "Take", exact=False)
    expect(panel.get_by_role("heading", name=re.compile("Closed"))).to_be_visible()
    expect(refused).to_have_count(0)
    expect(panel.locator(".gdf-walk-path li")).to_have_count(2)
    _shoot_from_top(page, f"walk-closed-{suffix}.png")
    assert page.page_errors == [] and page.csp_violations == []
    context.close()
