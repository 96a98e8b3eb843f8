"""Approvals in real Chromium, with the mouse: an approver approves from the "Awaiting my approval" queue of the
workspace, and another from the one-click link of an e-mail (no sign-in). English and Chinese, desktop and
375 px; screenshots in test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)

from __future__ import annotations

import copy

import pytest
from playwright.sync_api import expect

from tests.browser.test_workspace import DESKTOP, PHONE, _choose, _login, _shoot
from tests.conftest import PASSWORD, Api
from tests.runtime.test_approvals import PURCHASE

expect.set_options(timeout=15_000)


@pytest.fixture
def purchasing(app, admin, make_user):
    """The purchase type; Ann (English) and Wang (Chinese) approve; Rita files requests and asks for approval."""
    assert admin.post("/api/v1/roles", json={"name": "approver", "description": "Approves purchases"}).status_code == 201
    users = {"rita": make_user("rita@example.com", ["requester"], name="Rita Requester"),
             "ann": make_user("ann@example.com", ["agent", "approver"], name="Ann Approver"),
             "wang": make_user("wang@example.com", ["agent", "approver"], name="王芳", locale="zh-CN")}
    definition = copy.deepcopy(PURCHASE)
    definition["workflow"]["states"][1]["approval"]["deadline"] = "P2D"
    definition["workflow"]["states"][1]["approval"]["warn_before"] = "P1D"
    assert admin.post("/api/v1/ticket-types/import", json=definition).status_code == 201
    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200

    def ask(title: str) -> int:
        created = rita.post("/api/v1/tickets", json={"type": "purchase", "data": {"title": title, "amount": 1200}})
        assert created.status_code == 201, created.json
        assert rita.post(f"/api/v1/tickets/{created.json['id']}/transitions/ask", json={}).status_code == 200
        return created.json["id"]

    return {"users": users, "rita": rita, "ask": ask}


def test_an_approver_approves_from_the_queue(browser, live_server, purchasing):
    first = purchasing["ask"]("Laptop for the new designer")
    purchasing["ask"]("Second monitor")

    context, page = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN", path="/workspace?queue=approvals")
    expect(page.get_by_role("heading", name="待我审批")).to_be_visible()
    expect(page.locator(".gd-approval-item")).to_have_count(2)
    expect(page.locator(".gd-approval-item").first).to_contain_text("Laptop for the new designer")
    _shoot(page, "approvals-queue-zh-375.png")
    context.close()

    context, page = _login(browser, live_server, "ann@example.com", DESKTOP, path="/workspace")
    _choose(page, "Queues", "Awaiting my approval")  # 1280 px: the queues are a select
    item = page.locator(".gd-approval-item", has_text="Laptop for the new designer")
    expect(item).to_contain_text("Any one of them decides")
    _shoot(page, "approvals-queue-en-desktop.png")
    item.get_by_role("button", name="Approve PUR-000001").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Approve PUR-000001?")
    dialog.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("You approved PUR-000001.")).to_be_visible()
    expect(page.locator(".gd-approval-item", has_text="Laptop for the new designer")).to_have_count(0)
    expect(page.locator(".gd-approval-item", has_text="Second monitor")).to_be_visible()

    # the ticket page: the approval card says who decided, and the ticket moved on
    page.get_by_role("link", name="PUR-000002").click()
    card = page.locator(".gd-approval-card")
    expect(card).to_contain_text("Awaiting approval")
    expect(card.get_by_role("button", name="Approve PUR-000002")).to_be_visible()
    page.goto(f"{live_server}/tickets/{first}")
    card = page.locator(".gd-approval-card")
    expect(card).to_contain_text("Approved")
    expect(card).to_contain_text("Ann Approver")
    expect(page.locator(".gd-ticket-header")).to_contain_text("Ordered")
    expect(page.locator(".gd-timeline")).to_contain_text("Approved in “Awaiting approval”")
    _shoot(page, "approvals-ticket-en-desktop.png")
    assert page.csp_violations == []
    context.close()

    assert purchasing["rita"].get(f"/api/v1/tickets/{first}").json["status"] == "ordered"


def _link(app, approval_id: int, user_id: int, decision: str) -> str:
    """The link the approval e-mail carries (the same signing; the e-mail itself is tested over HTTP)."""
    from runtime.approvals.links import url_for_link

    with app.test_request_context():
        url = url_for_link(approval_id, decision, user_id=user_id, for_id=user_id)
    return url.split("/approval-link", 1)[1]


def test_an_approver_decides_from_the_one_click_link(browser, live_server, purchasing, app):
    first = purchasing["ask"]("Standing desk")
    second = purchasing["ask"]("Conference speaker")
    rita = purchasing["rita"]
    approval = rita.get(f"/api/v1/tickets/{first}/approvals").json["items"][0]
    other = rita.get(f"/api/v1/tickets/{second}/approvals").json["items"][0]

    # Wang, on the phone, in Chinese: the page confirms; opening it decided nothing
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/approval-link{_link(app, other['id'], purchasing['users']['wang'], 'reject')}")
    expect(page.get_by_text("Conference speaker")).to_be_visible()
    expect(page.get_by_role("button", name="驳回")).to_be_visible()
    _shoot(page, "approvals-link-zh-375.png")
    page.get_by_role("button", name="驳回").click()  # a rejection needs a reason: the page says so
    expect(page.get_by_text("请说明驳回原因：驳回时必须填写意见。")).to_be_visible()
    context.close()
    assert rita.get(f"/api/v1/tickets/{second}/approvals").json["items"][0]["status"] == "pending"

    # Ann, at her desk, in English: one click on the link's button approves
    context = browser.new_context(locale="en-US", viewport=DESKTOP)
    page = context.new_page()
    url = f"{live_server}/approval-link{_link(app, approval['id'], purchasing['users']['ann'], 'approve')}"
    page.goto(url)
    expect(page.get_by_text("Standing desk")).to_be_visible()
    expect(page.get_by_text("Ann Approver")).to_be_visible()
    _shoot(page, "approvals-link-en-desktop.png")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("You approved PUR\u2011000001.")).to_be_visible()  # the number does not break
    _shoot(page, "approvals-link-done-en-desktop.png")

    # the same link again: the decision is recorded, nothing more to do; a tampered one says so
    page.goto(url)
    expect(page.get_by_text("This approval is no longer open.")).to_be_visible()
    page.goto(url[:-4] + "AAAA")
    expect(page.get_by_role("alert")).to_contain_text("not valid")
    context.close()
    assert rita.get(f"/api/v1/tickets/{first}").json["status"] == "ordered"
    decided = rita.get(f"/api/v1/tickets/{first}/approvals").json["items"][0]["approvers"]
    assert [(a["user"]["email"], a["decision"], a["via"]) for a in decided if a["decision"]] == [
        ("ann@example.com", "approve", "link")]

