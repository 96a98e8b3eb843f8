"""Satisfaction surveys in real Chromium: the requester answers from the e-mailed link without signing in, gives
2 stars, and the follow-up task appears for the team's supervisor; a Chinese requester's link page speaks
Chinese; a requester rates from My tickets and from the ticket page. Desktop and 375 px, English and Chinese;
screenshots in test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_workspace import DESKTOP, PHONE, _login, _shoot
from tests.runtime import test_automations
from tests.runtime.test_surveys import closed_ticket, emailed_token, publish, sweep_after
from tests.support.mailing import mailing_app, mailing_smtp  # noqa: F401  (`app`, `smtp`: e-mail sent for real)

expect.set_options(timeout=20_000)

desk = test_automations.desk  # Sam works the service desk, Boss supervises it, Rita files tickets


def _emailed_path(app, email: str) -> str:
    """The e-mailed link, pointed at the live server (the e-mail names the configured BASE_URL)."""
    token = emailed_token(app, email)
    return f"/survey?token={token}"


@pytest.mark.smoke
def test_the_requester_answers_from_the_emailed_link_and_the_supervisor_gets_the_follow_up(
        browser, live_server, app, admin, desk, make_user):
    publish(admin, after="PT1H")
    make_user("lin@example.com", ["requester"], name="林晓", locale="zh-CN")
    tid, people = closed_ticket(app, "Printer offline on floor 3")
    assert sweep_after(app, timedelta(minutes=61)) == 1
    path = _emailed_path(app, "rita@example.com")

    # Rita, not signed in, at her desk: the link opens the survey; two stars and a comment
    context = browser.new_context(locale="en-US", viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server}{path}")
    expect(page.get_by_text("How satisfied are you with how INC\u2011000001 was handled?")).to_be_visible()
    expect(page.get_by_text("INC-000001 · Printer offline on floor 3")).to_be_visible()
    _shoot(page, "survey-link-en-desktop.png")
    page.get_by_role("button", name="Send my rating").click()  # no score yet: the page says so
    expect(page.get_by_text("Choose a score first.")).to_be_visible()
    page.get_by_role("radio", name="2 stars").click()
    expect(page.get_by_role("radio", name="2 stars")).to_have_attribute("aria-checked", "true")
    expect(page.get_by_text("Dissatisfied", exact=True)).to_be_visible()
    page.get_by_label("Anything to add? (optional)").fill("It took three days to get a reply.")
    page.get_by_role("button", name="Send my rating").click()
    expect(page.get_by_text("Thank you for your feedback!")).to_be_visible()
    expect(page.get_by_text("The team's supervisor will follow up with you.")).to_be_visible()
    _shoot(page, "survey-thanks-en-desktop.png")

    # the same link again keeps the first answer; a tampered one is refused; neither changes anything
    page.goto(f"{live_server}{path}")
    expect(page.get_by_text("You answered this survey already; your first answer is kept.")).to_be_visible()
    expect(page.get_by_text("You rated it 2 of 5.")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    page.goto(f"{live_server}{path[:-4]}AAAA")
    expect(page.get_by_role("alert")).to_contain_text("not valid")
    _shoot(page, "survey-link-invalid-en-desktop.png")
    context.close()
    survey = people["rita"].get(f"/api/v1/tickets/{tid}/surveys").json["items"][0]
    assert (survey["score"], survey["comment"], survey["answered_via"]) == (2, "It took three days to get a reply.", "link")

    # Boss, the team's supervisor: the follow-up task is there, linked to the ticket; he marks it done
    context, page = _login(browser, live_server, "boss@example.com", DESKTOP, path="/follow-ups")
    expect(page.get_by_role("heading", name="Survey follow-ups")).to_be_visible()
    item = page.locator(".gd-follow-up", has_text="INC-000001")
    expect(item).to_contain_text("Rated 2 of 5")
    expect(item).to_contain_text("It took three days to get a reply.")
    expect(item).to_contain_text("For Boss")
    _shoot(page, "survey-follow-ups-en-desktop.png")
    item.get_by_role("link", name="INC-000001").click()
    expect(page.locator(".gd-survey-card")).to_contain_text("The requester rated it 2 of 5.")
    expect(page.locator(".gd-timeline")).to_contain_text("A bad score: follow-up task for Boss")
    page.goto(f"{live_server}/follow-ups")
    page.get_by_role("button", name="Mark the follow-up of INC-000001 done").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("What was done? (optional)").fill("Called Rita; the printer driver is fixed.")
    dialog.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Follow-up of INC-000001 done.")).to_be_visible()
    expect(page.get_by_text("No follow-ups waiting.")).to_be_visible()
    assert page.csp_violations == []
    context.close()

    # Lin reads Chinese: her link's page speaks Chinese on a phone set to English, and thanks her in Chinese
    lin = test_automations.login(app, "lin@example.com")
    ticket = lin.post("/api/v1/tickets", json={"type": "it-incident", "data": {**test_automations.DATA,
                                                                                "title": "打印机连不上"}}).json["id"]
    sam = people["sam"]
    assert sam.post(f"/api/v1/tickets/{ticket}/transitions/start", json={}).status_code == 200
    assert sam.post(f"/api/v1/tickets/{ticket}/transitions/resolve", json={
        "fields": {"resolution": "重新安装驱动", "root_cause": "hardware_fault"},
        "checklist": ["Cause explained to the requester"]}).status_code == 200
    assert lin.post(f"/api/v1/tickets/{ticket}/transitions/confirm", json={}).status_code == 200
    assert sweep_after(app, timedelta(minutes=61)) == 1
    context = browser.new_context(locale="en-US", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}{_emailed_path(app, 'lin@example.com')}")
    expect(page.get_by_text("您对 INC\u2011000002 的处理满意吗？")).to_be_visible()
    _shoot(page, "survey-link-zh-375.png")
    page.get_by_role("radio", name="5 星").click()
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的反馈！")).to_be_visible()
    _shoot(page, "survey-thanks-zh-375.png")
    context.close()
    assert lin.get(f"/api/v1/tickets/{ticket}/surveys").json["items"][0]["score"] == 5


def test_a_requester_rates_in_my_tickets_and_on_the_ticket_page(browser, live_server, app, admin, desk):
    publish(admin, after=None)  # asked at closure
    first, people = closed_ticket(app, "Laptop will not charge")
    second, _ = closed_ticket(app, "VPN drops every hour")

    context, page = _login(browser, live_server, "rita@example.com", PHONE, path="/portal/tickets")
    card = page.locator(".gd-survey-card")
    expect(card.get_by_role("heading", name="Waiting for your rating")).to_be_visible()
    expect(card.locator(".gd-survey-item")).to_have_count(2)
    _shoot(page, "survey-my-tickets-en-375.png")
    item = card.locator(".gd-survey-item", has_text="VPN drops every hour")
    item.get_by_role("radio", name="4 stars").click()
    item.get_by_role("button", name="Send my rating").click()
    expect(item.get_by_text("You rated it 4 of 5.")).to_be_visible()

    page.goto(f"{live_server}/tickets/{first}")
    card = page.locator(".gd-survey-card")
    expect(card.get_by_role("heading", name="How did we do?")).to_be_visible()
    card.get_by_role("radio", name="1 star", exact=True).focus()
    page.keyboard.press("ArrowRight")  # the keyboard moves along the stars
    expect(card.get_by_role("radio", name="2 stars")).to_have_attribute("aria-checked", "true")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(card.get_by_role("radio", name="4 stars")).to_have_attribute("aria-checked", "true")
    page.keyboard.press("ArrowRight")
    card.get_by_role("button", name="Send my rating").click()
    expect(card.get_by_text("You rated it 5 of 5.")).to_be_visible()
    _shoot(page, "survey-ticket-en-375.png")
    context.close()

    # the agent sees the answer on the ticket, in Chinese (his profile's language) on a desktop
    assert admin.patch(f"/api/v1/users/{desk['sam']}", json={"locale": "zh-CN"}).status_code == 200
    context, page = _login(browser, live_server, "sam@example.com", DESKTOP, locale="zh-CN", path=f"/tickets/{second}")
    expect(page.locator(".gd-survey-card")).to_contain_text("提单人的评分：4 分（满分 5）。")
    _shoot(page, "survey-ticket-zh-desktop.png")
    context.close()
    scores = {t: people["rita"].get(f"/api/v1/tickets/{t}/surveys").json["items"][0]["score"] for t in (first, second)}
    assert scores == {first: 5, second: 4}
