"""The after-sales template in real Chromium: a customer files a service request in the portal, in English on a
phone and in Chinese on a desktop; the on-site address appears only for an on-site visit, and the labels are in
the reader's language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_designer_flow import DESKTOP, PHONE, _login, _shoot


@pytest.mark.parametrize(("locale", "viewport", "suffix"), [("en-US", PHONE, "en-375"), ("zh-CN", DESKTOP, "zh")])
def test_a_customer_files_an_after_sales_request_in_the_portal(browser, live_server, admin, make_user, locale,
                                                               viewport, suffix):
    zh = locale == "zh-CN"
    assert admin.post("/api/v1/templates/after-sales/install").status_code == 201
    make_user("cora@example.com", ["requester"], name="Cora", locale="zh-CN" if zh else "en")
    context, page = _login(browser, live_server, "cora@example.com", viewport, locale=locale,
                           path="/portal/new/after-sales-service")
    form = page.locator("form")
    expect(form.locator("#root_serial_number")).to_be_visible(timeout=20000)
    expect(form).to_contain_text("序列号" if zh else "Serial number")
    expect(form.locator("#root_onsite_address")).to_have_count(0)  # only for an on-site visit
    expect(form.locator("#root_customer_signature")).to_have_count(0)  # only once resolved
    form.get_by_text("上门维修" if zh else "On-site visit", exact=True).click()
    expect(form.locator("#root_onsite_address")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    _shoot(page, f"after-sales-portal-{suffix}.png")
    assert page.page_errors == [] and page.csp_violations == []
    context.close()
