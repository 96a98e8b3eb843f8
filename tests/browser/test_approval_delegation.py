"""Delegation while away, in real Chromium with the mouse: Ann delegates her approvals to Dan on her profile page,
Dan finds the waiting approval in "Awaiting my approval" and decides it for her; Ann revokes, and the rest leaves
Dan's queue. Wang, in Chinese on a 375 px phone, meets a refusal of the API in his language and plans a leave.
Screenshots in test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.antd import choose, confirm
from tests.browser.test_approvals import purchasing  # noqa: F401  (the fixture)
from tests.browser.test_workspace import DESKTOP, PHONE, _choose, _login, _shoot
from tests.conftest import PASSWORD, Api

DAY = "%Y-%m-%d"


def _pick_person(page, label: str, typed: str, option: str) -> None:
    """Search the person picker and choose one of its answers."""
    choose(page, page.get_by_label(label, exact=True), option, typed=typed)


def _day(page, label: str, day: date) -> None:
    field = page.get_by_label(label, exact=True)
    field.click()
    field.fill(day.strftime(DAY))
    field.press("Tab")  # Enter would submit the form once it is complete
    expect(page.locator(".ant-picker-dropdown:visible")).to_have_count(0)


def test_a_delegate_decides_while_the_approver_is_away_and_revoking_ends_it(browser, live_server, purchasing,  # noqa: F811
                                                                           make_user):
    make_user("dan@example.com", ["agent"], name="Dan Delegate")
    purchasing["ask"]("Laptop for the new designer")
    purchasing["ask"]("Ergonomic chair")
    today = date.today()  # the browser and the users count days in UTC here; a day either side keeps it robust

    # Ann, at her desk: the profile page's section; she is away from yesterday to next week
    ann, page = _login(browser, live_server, "ann@example.com", DESKTOP, path="/profile")
    card = page.locator(".gd-delegation-card")
    expect(card.get_by_role("heading", name="Delegate my approvals while I'm away")).to_be_visible()
    _pick_person(page, "Who decides for me", "Dan", "Dan Delegate")
    _day(page, "Away from", today - timedelta(days=1))
    _day(page, "Until (included)", today + timedelta(days=7))
    page.get_by_label("Note (optional)").fill("Skiing; call me for anything over 5,000")
    card.get_by_role("button", name="Delegate", exact=True).click()
    expect(page.get_by_text("Dan Delegate will decide your approvals while you are away.")).to_be_visible()
    expect(card.locator(".gd-delegation-now")).to_contain_text("Dan Delegate is deciding for you until")
    item = card.locator(".gd-delegation")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("In force")
    expect(item).to_contain_text("Skiing; call me for anything over 5,000")
    _shoot(page, "approvals-delegation-en-desktop.png")
    assert page.csp_violations == []

    # Dan: the approvals waiting for Ann are in his queue, marked as hers; he approves one
    dan, dan_page = _login(browser, live_server, "dan@example.com", DESKTOP, path="/workspace")
    _choose(dan_page, "Queues", "Awaiting my approval")
    laptop = dan_page.locator(".gd-approval-item", has_text="Laptop for the new designer")
    expect(laptop).to_contain_text("for Ann Approver (away)")
    expect(dan_page.locator(".gd-approval-item", has_text="Ergonomic chair")).to_be_visible()
    laptop.get_by_role("button", name="Approve PUR-000001").click()
    dialog = dan_page.get_by_role("dialog")
    expect(dialog).to_contain_text("Approve PUR-000001?")
    dialog.get_by_role("button", name="Approve").click()
    expect(dan_page.get_by_text("You approved PUR-000001.")).to_be_visible()
    expect(dan_page.locator(".gd-approval-item", has_text="Laptop for the new designer")).to_have_count(0)

    # Ann revokes (after a confirmation): the delegation is gone, and so is the chair from Dan's queue
    item.get_by_role("button", name="Revoke the delegation to Dan Delegate").click()
    expect(page.locator(".ant-popover:visible")).to_contain_text("Revoke the delegation to Dan Delegate?")
    confirm(page, "Revoke")
    expect(page.get_by_text("Dan Delegate no longer decides for you.")).to_be_visible()
    expect(card.locator(".gd-delegation")).to_have_count(0)
    expect(card.locator(".gd-delegation-now")).to_have_count(0)
    ann.close()

    dan_page.reload()
    _choose(dan_page, "Queues", "Awaiting my approval")
    expect(dan_page.get_by_text("Nothing awaits your approval.")).to_be_visible()
    dan.close()

    rita = purchasing["rita"]
    first, second = (rita.get(f"/api/v1/tickets/{n}").json for n in (1, 2))
    assert (first["status"], second["status"]) == ("ordered", "approval")
    decided = rita.get("/api/v1/tickets/1/approvals").json["items"][0]["approvers"]
    assert [(a["user"]["email"], a["decided_by"]["email"]) for a in decided if a["decision"]] == [
        ("ann@example.com", "dan@example.com")]


def test_a_refusal_speaks_the_readers_language_on_a_phone(browser, live_server, purchasing, make_user, app):  # noqa: F811
    make_user("dan@example.com", ["agent"], name="Dan Delegate")
    today = date.today()
    ann = Api(app.test_client())  # Ann is away this week, and Wang decides for her (made over the API)
    assert ann.login("ann@example.com", PASSWORD).status_code == 200
    made = ann.post("/api/v1/approvals/delegations", json={
        "delegate_id": purchasing["users"]["wang"], "starts_on": (today - timedelta(days=1)).strftime(DAY),
        "ends_on": (today + timedelta(days=4)).strftime(DAY)})
    assert made.status_code == 201, made.json
    context, page = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN", path="/profile")
    card = page.locator(".gd-delegation-card")
    expect(card.get_by_role("heading", name="外出期间委托审批")).to_be_visible()
    expect(card).to_contain_text("Ann Approver 外出期间由您代为审批，至")

    # days already past: the API refuses, in Chinese, on the field; nothing is made
    _pick_person(page, "代我审批的人", "Dan", "Dan Delegate")
    _day(page, "外出开始", today - timedelta(days=9))
    _day(page, "结束（含当天）", today - timedelta(days=3))
    card.get_by_role("button", name=re.compile(r"^委 ?托$")).click()
    expect(card.locator(".ant-form-item-explain-error")).to_contain_text("结束日期已经过去。")
    expect(card.locator(".gd-delegation")).to_have_count(0)

    # a leave to come: listed as upcoming; nobody decides for him yet
    _day(page, "外出开始", today + timedelta(days=10))
    _day(page, "结束（含当天）", today + timedelta(days=12))
    card.get_by_role("button", name=re.compile(r"^委 ?托$")).click()
    expect(card.locator(".gd-delegation")).to_contain_text("未开始")
    expect(card.locator(".gd-delegation")).to_contain_text("Dan Delegate")
    expect(card.locator(".gd-delegation-now")).to_have_count(0)  # Ann's delegation is to him, not his
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing runs off the phone's screen
    expect(page.locator(".ant-message-notice")).to_have_count(0, timeout=30_000)  # the toasts have gone
    _shoot(page, "approvals-delegation-zh-375.png")
    context.close()
