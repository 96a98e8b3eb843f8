"""The onboarding template's sequence in the designer (issue 17): its two ``child_closed`` automations are shown
with the trigger's name in English on a desktop and in Chinese on a phone. The sequence itself runs over HTTP in
tests/designer/test_industry_templates.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_workspace import DESKTOP, PHONE, _login, _shoot


@pytest.mark.parametrize(("locale", "viewport", "suffix"), [("en-US", DESKTOP, "en-desktop"), ("zh-CN", PHONE, "zh-375")])
def test_the_onboarding_automations_show_the_child_closed_trigger(browser, live_server, admin, make_user, locale,
                                                                 viewport, suffix):
    zh = locale == "zh-CN"
    assert admin.post("/api/v1/templates/employee-onboarding/install").status_code == 201
    make_user("olga@example.com", ["admin"], name="Olga", locale="zh-CN" if zh else "en")
    context, page = _login(browser, live_server, "olga@example.com", viewport, locale=locale,
                           path="/designer/employee-onboarding/automations")
    page.page_errors = []
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    trigger = "子工单关闭后" if zh else "a child ticket closed (child.status)"
    item = page.locator("[data-automation='Desk and badge once IT is finished']")  # the key is the English name
    expect(item).to_contain_text(trigger, timeout=30000)
    expect(page.locator("[data-automation]").filter(has_text=trigger)).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    _shoot(page, f"onboarding-automations-{suffix}.png")
    assert page.page_errors == [] and page.csp_violations == []
    context.close()
