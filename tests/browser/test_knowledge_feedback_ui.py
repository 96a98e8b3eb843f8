""""Did this help?" and unlinking in real Chromium: Rita says an article did not help and why, and sees the thanks;
李雷 says it helped on a 375 px phone in Chinese; staff see the counts and the comment on the article page (English
desktop, Chinese phone); the agent working a ticket unlinks an article from its Knowledge articles card, after
confirming (English desktop, Chinese phone). Screenshots in test-artifacts/screenshots (docs/screenshots with
GONGDAN_SCREENSHOTS=1)."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.antd import fits
from tests.browser.test_workspace import (  # noqa: F401  (desk: a fixture)
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    _login,
    _shoot,
    desk,
)
from tests.conftest import PASSWORD, Api

expect.set_options(timeout=15_000)

PRINTER = "Printer cannot connect to the network"
COMMENT = "The steps do not say what to do with a Wi-Fi printer that shows an IP address starting with 169.254."



def _seeded(admin):
    """The IT template's two published articles (printer, password reset), by English title."""
    items = admin.get("/api/v1/knowledge/articles?limit=100", headers={"Accept-Language": "en"}).json["items"]
    return {a["title"]: a["id"] for a in items}


@pytest.mark.usefixtures("desk")
def test_readers_answer_did_this_help_and_staff_see_the_counts(browser, live_server, admin):
    printer = _seeded(admin)[PRINTER]

    context, page = _login(browser, live_server, "rita@example.com", DESKTOP, path=f"/knowledge/{printer}")
    feedback = page.get_by_test_id("article-feedback")
    expect(feedback.get_by_role("heading", name="Did this help?")).to_be_visible()
    expect(page.get_by_test_id("article-feedback-counts")).to_have_count(0)  # a requester sees no counts
    feedback.get_by_role("button", name="No", exact=True).click()
    box = feedback.get_by_label("Thanks. What was missing or wrong? (optional)")
    box.fill(COMMENT)
    _shoot(page, "knowledge-feedback-comment-en.png")
    feedback.get_by_role("button", name="Send").click()
    expect(feedback.get_by_role("status")).to_have_text(re.compile("^Thanks for your feedback."))
    _shoot(page, "knowledge-feedback-thanks-en.png")
    page.reload()
    expect(feedback.get_by_role("status")).to_contain_text("You found this article not helpful.")
    expect(feedback.get_by_role("button", name="Change answer")).to_be_visible()
    context.close()

    context, page = _login(browser, live_server, "li@example.com", PHONE, locale="zh-CN", path=f"/knowledge/{printer}")
    feedback = page.get_by_test_id("article-feedback")
    expect(feedback.get_by_role("heading", name="这篇文章对你有帮助吗？")).to_be_visible()
    feedback.get_by_role("button", name="有帮助", exact=True).click()
    expect(feedback.get_by_role("status")).to_contain_text("感谢你的反馈。")
    fits(page)
    _shoot(page, "knowledge-feedback-thanks-zh-375.png")
    context.close()

    mine = admin.get(f"/api/v1/knowledge/articles/{printer}").json["feedback"]
    assert mine["mine"] is None and (mine["counts"]["helpful"], mine["counts"]["not_helpful"]) == (1, 1)

    context, page = _login(browser, live_server, "sam@example.com", DESKTOP, path=f"/knowledge/{printer}")
    counts = page.get_by_test_id("article-feedback-counts")
    expect(counts).to_contain_text("1 found it helpful · 1 did not")
    expect(counts).to_contain_text(COMMENT)
    expect(counts).not_to_contain_text("Rita")
    _shoot(page, "knowledge-feedback-staff-en.png")
    context.close()

    context, page = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN", path=f"/knowledge/{printer}")
    counts = page.get_by_test_id("article-feedback-counts")
    expect(counts).to_contain_text("1 人认为有帮助 · 1 人认为没有帮助")
    expect(counts.get_by_text("没有帮助", exact=True)).to_be_visible()
    fits(page)
    _shoot(page, "knowledge-feedback-staff-zh-375.png")
    context.close()


@pytest.mark.usefixtures("desk")
def test_the_agent_unlinks_an_article_from_the_ticket(browser, live_server, app, admin):
    seeded = _seeded(admin)
    printer, password = seeded[PRINTER], next(aid for title, aid in seeded.items() if title != PRINTER)
    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        "title": "Printer on floor 3 is offline", "category": "hardware", "asset_tag": "LT-0042", "urgency": "medium",
        "impact": "person", "region": "east", "description": "The printer says offline since this morning."}})
    assert ticket.status_code == 201, ticket.json
    tid, agent_email = ticket.json["id"], ticket.json["assignee"]["email"]
    agent = Api(app.test_client())
    assert agent.login(agent_email, PASSWORD).status_code == 200
    linked = agent.post(f"/api/v1/tickets/{tid}/knowledge", json={"article_ids": [printer, password]})
    assert linked.status_code == 200, linked.json

    def linked_ids():
        return {i["article_id"] for i in admin.get(f"/api/v1/tickets/{tid}/knowledge").json["items"]
                if i["kind"] == "linked"}

    # The requester sees the linked articles but cannot unlink them.
    context, page = _login(browser, live_server, "rita@example.com", DESKTOP, path=f"/tickets/{tid}")
    card = page.get_by_test_id("ticket-articles")
    expect(card.get_by_role("link", name=PRINTER)).to_be_visible()
    expect(card.get_by_role("button", name=re.compile("^Unlink"))).to_have_count(0)
    context.close()

    context, page = _login(browser, live_server, agent_email, DESKTOP, path=f"/tickets/{tid}")
    card = page.get_by_test_id("ticket-articles")
    card.get_by_role("button", name=f"Unlink {PRINTER}").click()
    confirm = page.locator(".ant-popconfirm")
    expect(confirm).to_contain_text(f"Unlink “{PRINTER}” from this ticket?")
    page.screenshot(path=str(SCREENSHOTS / "knowledge-unlink-confirm-en.png"))  # where the card is, not the top
    confirm.get_by_role("button", name="Unlink").click()
    expect(page.get_by_text("Unlinked.")).to_be_visible()
    expect(card.get_by_role("button", name=f"Unlink {PRINTER}")).to_have_count(0)
    assert linked_ids() == {password}
    _shoot(page, "knowledge-unlink-done-en.png")
    context.close()

    # The same agent reads Chinese now (the profile's language wins over the browser's).
    assert admin.patch(f"/api/v1/users/{ticket.json['assignee']['id']}", json={"locale": "zh-CN"}).status_code == 200
    context, page = _login(browser, live_server, agent_email, PHONE, locale="zh-CN", path=f"/tickets/{tid}")
    card = page.get_by_test_id("ticket-articles")
    unlink = card.get_by_role("button", name=re.compile("^取消关联 "))
    expect(unlink).to_have_count(1)
    unlink.scroll_into_view_if_needed()
    unlink.click()
    confirm = page.locator(".ant-popconfirm")
    expect(confirm).to_contain_text("与此工单的关联吗？")
    fits(page)
    page.screenshot(path=str(SCREENSHOTS / "knowledge-unlink-confirm-zh-375.png"))
    confirm.get_by_role("button", name=re.compile("取消关联")).click()
    expect(page.get_by_text("已取消关联。")).to_be_visible()
    expect(card.get_by_role("button", name=re.compile("^取消关联 "))).to_have_count(0)
    assert linked_ids() == set()
    fits(page)
    context.close()

