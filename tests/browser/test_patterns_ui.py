"""Patterns in the browser (issue 13): the designer is told which patterns the server refuses and which are
checked only on submit; the portal form never runs a pattern that could freeze the tab, and shows the
server's verdict on the field instead."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.antd import tick
from tests.browser.test_designer_form import DESKTOP, PHONE, SCREENSHOTS, _card, _login, _shoot, designers  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
REQUEST = json.loads((ROOT / "templates_library" / "it_service_desk" / "it-request.json").read_text())


def _draft_with_patterns(admin):
    created = admin.post("/api/v1/ticket-types", json={"key": "repair", "name": "Repair", "number_prefix": "RP"})
    assert created.status_code == 201, created.json
    draft = admin.get("/api/v1/ticket-types/repair/draft")
    definition = draft.json["definition"]
    definition["form"] = {"schema": {"type": "object", "required": ["title"], "properties": {
        "title": {"type": "string", "title": "Title"},
        "alpha": {"type": "string", "title": "Alpha", "pattern": "^(?=.*\\d).+$"},
        "beta": {"type": "string", "title": "Beta", "pattern": "^(\\w+\\s?)*$"}}},
        "ui": {"ui:order": ["title", "alpha", "beta"]}}
    saved = admin.put("/api/v1/ticket-types/repair/draft", json=definition, headers={"If-Match": draft.headers["ETag"]})
    assert saved.status_code == 200, saved.json


# English at desktop width and Chinese on a phone: each language and each layout once (the phone's panes are
# switched by the segmented control).
@pytest.mark.parametrize(("viewport", "locale", "suffix"), [(DESKTOP, "en-US", "en"), (PHONE, "zh-CN", "zh-phone")])
def test_the_designer_says_which_patterns_the_server_refuses(browser, live_server, designers, admin, make_user,  # noqa: F811
                                                             viewport, locale, suffix):
    _draft_with_patterns(admin)
    make_user("zoe@example.com", ["designer"], name="周设计", locale="zh-CN")
    email = "zoe@example.com" if locale == "zh-CN" else "dora@example.com"
    context, page = _login(browser, live_server, email, viewport=viewport, locale=locale, path="/designer/repair")
    expect(page.locator(".gd-canvas")).to_be_visible(timeout=20000)
    _card(page, "alpha").locator(".gd-field-main").click()
    if viewport is PHONE:  # one pane at a time: Form, Properties, Preview
        page.locator(".ant-segmented-item").nth(1).click()
    refused = re.compile("The server refuses this pattern|服务器不接受此模式")
    expect(page.get_by_text(refused)).to_be_visible()
    page.locator("#gd-prop-pattern").evaluate("e => e.scrollIntoView({block: 'center'})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"designer-pattern-refused-{suffix}.png"))
    if viewport is PHONE:
        page.locator(".ant-segmented-item").nth(0).click()
    _card(page, "beta").locator(".gd-field-main").click()
    if viewport is PHONE:
        page.locator(".ant-segmented-item").nth(1).click()
    expect(page.get_by_text(re.compile("Checked when the form is sent|此模式在提交表单时校验"))).to_be_visible()
    expect(page.get_by_text(refused)).to_have_count(0)
    assert page.csp_violations == []
    context.close()


def test_the_portal_form_leaves_a_catastrophic_pattern_to_the_server(browser, live_server, admin, make_user):
    make_user("rita@example.com", ["requester"], name="Rita")
    document = json.loads(json.dumps(REQUEST))
    document["form"]["schema"]["properties"]["software_name"]["pattern"] = "^(a+)+$"
    assert admin.post("/api/v1/ticket-types/import", json=document).status_code == 201
    context, page = _login(browser, live_server, "rita@example.com", viewport=PHONE, path="/portal/new/it-request")
    form = page.locator("form")
    form.get_by_label("Title").fill("Visio for the new hire")
    tick(form.get_by_label("Software installation"))
    software = form.get_by_label("Software", exact=True)
    started = time.perf_counter()
    software.fill("a" * 40 + "!")  # a backtracking RegExp would hold the tab for hours
    form.get_by_label("Details and business reason").fill("The new hire in finance needs Visio to read the plans.")
    assert time.perf_counter() - started < 10
    with page.expect_response(lambda r: r.url.endswith("/api/v1/tickets") and r.request.method == "POST") as sent:
        page.get_by_role("button", name=re.compile("Submit")).click()  # the browser let it through: the server checks
    assert sent.value.status == 422
    expect(page.get_by_text("Software does not have the expected format.")).to_be_visible()
    _shoot(page, "portal-pattern-server-en-phone.png", full_page=True)
    context.close()
