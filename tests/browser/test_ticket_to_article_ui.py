"""Ticket -> article in real Chromium: the agent resolves a ticket, turns it into an article, sees the requester's
e-mail address and phone number highlighted, redacts them, saves the draft, publishes it, and the article shows its
source ticket; a Chinese colleague sees the same on a 375 px phone. Screenshots in test-artifacts/screenshots
(docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.antd import tick
from tests.browser.test_workspace import DESKTOP, PHONE, _choose, _login, _shoot, desk  # noqa: F401  (desk: a fixture)
from tests.conftest import PASSWORD, Api

expect.set_options(timeout=15_000)

CHECKLIST = ("The requester confirmed that it works again, or was told how to check",
             "The cause and the fix are explained in the resolution",
             "A knowledge-base article was linked or written if this can happen again")


@pytest.mark.usefixtures("desk")
def test_an_agent_turns_a_resolved_ticket_into_a_redacted_article(browser, live_server, app):
    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        "title": "Outlook crashes on start", "category": "software", "urgency": "medium", "impact": "person",
        "region": "east",
        "description": "Outlook closes right after it opens. Call me on 13812345678 or mail rita.requester@example.com"}})
    assert ticket.status_code == 201, ticket.json
    tid, number = ticket.json["id"], ticket.json["number"]
    agent = ticket.json["assignee"]["email"]

    context, page = _login(browser, live_server, agent, DESKTOP, path=f"/tickets/{tid}")
    transitions = page.locator(".gd-transitions")
    transitions.get_by_role("button", name="Start work").click()
    expect(page.locator(".gd-ticket-header")).to_contain_text("In progress")
    expect(page.get_by_role("button", name="Turn into an article")).to_have_count(0)  # not resolved yet
    transitions.get_by_role("button", name="Resolve").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Resolution", exact=True).fill("Rebuilt the Outlook profile; it opens again.")
    _choose(page, "Root cause", "Configuration")
    for item in CHECKLIST:
        tick(dialog.get_by_label(item))
    dialog.get_by_role("button", name="Resolve").click()
    expect(page.locator(".gd-ticket-header")).to_contain_text("Resolved")

    page.get_by_role("button", name="Turn into an article").click()
    panel = page.get_by_test_id("redaction-panel")
    expect(panel.get_by_role("link", name=re.compile(number))).to_be_visible()
    preview = page.get_by_test_id("redaction-preview")
    expect(preview.locator("mark[data-kind=phone]")).to_have_text("13812345678")
    expect(preview.locator("mark[data-kind=email]")).to_have_text("rita.requester@example.com")
    body = page.get_by_label("Body (Markdown)")
    expect(body).to_have_value(re.compile("## Symptom"))
    expect(body).to_have_value(re.compile("Rebuilt the Outlook profile"))
    _shoot(page, "ticket-to-article-redact-en.png")
    panel.get_by_role("button", name="Redact").click()
    expect(page.get_by_test_id("redaction-done")).to_be_visible()
    expect(body).to_have_value(re.compile(r"Call me on \[phone\] or mail \[email\]"))
    expect(body).not_to_have_value(re.compile("13812345678|example\\.com"))
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("heading", name="Outlook crashes on start")).to_be_visible()
    expect(page.locator(".gd-kb-meta")).to_contain_text("Draft")
    source = page.get_by_test_id("article-source")
    expect(source).to_contain_text(number)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    expect(page.locator(".gd-kb-meta")).not_to_contain_text("Draft")
    expect(page.locator(".gd-kb-body")).to_contain_text("[phone]")
    _shoot(page, "ticket-to-article-published-en.png")
    source.get_by_role("link").click()
    card = page.get_by_test_id("ticket-articles")
    expect(card.get_by_text("Written from this ticket")).to_be_visible()
    # Insert into reply: a related article's title and link go into the public reply box.
    related = card.get_by_test_id("related-articles").locator("li").first
    title = related.get_by_role("link").first.inner_text()
    related.get_by_role("button", name="Insert into reply").click()
    reply = page.get_by_label("Add a comment")
    expect(reply).to_have_value(re.compile(re.escape(title) + r"\n.*/knowledge/\d+"))
    _shoot(page, "ticket-to-article-ticket-en.png")
    assert page.csp_violations == []
    context.close()

    # A Chinese colleague of the service desk, on a phone: the same draft, in Chinese, highlighted; redacted.
    context, page = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN",
                           path=f"/knowledge/new?from_ticket={tid}")
    preview = page.get_by_test_id("redaction-preview")
    expect(preview.locator("mark[data-kind=phone]")).to_have_text("13812345678")
    expect(page.get_by_label("正文（Markdown）")).to_have_value(re.compile("## 现象"))
    _shoot(page, "ticket-to-article-redact-zh-375.png")
    page.get_by_test_id("redaction-panel").get_by_role("button", name=re.compile("^脱 ?敏$")).click()
    expect(page.get_by_test_id("redaction-done")).to_be_visible()
    expect(page.get_by_label("正文（Markdown）")).to_have_value(re.compile(r"\[电话\]"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(f"{live_server}/tickets/{tid}")
    expect(page.get_by_test_id("ticket-articles").get_by_text("由本工单撰写")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _shoot(page, "ticket-to-article-ticket-zh-375.png")
    context.close()


def _client(app, email):
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


@pytest.mark.usefixtures("desk")
def test_the_third_restart_ticket_is_offered_the_root_cause_article_first(browser, live_server, app):
    """The 72-hour case: a closed ticket about a production line restarting was linked to the voltage article
    (电压干扰类); the next such ticket shows that article first, says why, lists the similar ticket, and one
    click puts the article into the reply."""
    rita = _client(app, "rita@example.com")
    restart = {"category": "software", "urgency": "high", "impact": "department", "region": "east"}
    first = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **restart, "title": "产线设备频繁重启", "description": "三号产线控制器每天重启好几次"}}).json
    agent = _client(app, first["assignee"]["email"])
    agent.post(f"/api/v1/tickets/{first['id']}/transitions/start", json={})
    resolved = agent.post(f"/api/v1/tickets/{first['id']}/transitions/resolve", json={
        "fields": {"resolution": "加装稳压电源后恢复正常", "root_cause": "hardware_fault"}, "checklist": list(CHECKLIST)})
    assert resolved.status_code == 200, resolved.json
    voltage = agent.post("/api/v1/knowledge/articles", json={"locale": "zh-CN", "tags": ["电压干扰类"], "texts": {
        "zh-CN": {"title": "产线设备频繁重启：电压干扰排查", "body": "大功率设备启动时电压跌落，导致控制器重启。加装稳压电源。"},
        "en": {"title": "Production line restarts: voltage interference", "body": "Voltage dips restart the controller."}}}).json
    assert agent.post(f"/api/v1/knowledge/articles/{voltage['id']}/publish").status_code == 200
    assert agent.post(f"/api/v1/tickets/{first['id']}/knowledge", json={"article_ids": [voltage["id"]]}).status_code == 200
    third = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **restart, "title": "产线又重启了", "description": "三号产线控制器今天又重启"}}).json

    context, page = _login(browser, live_server, "wang@example.com", DESKTOP, locale="zh-CN", path=f"/tickets/{third['id']}")
    related = page.get_by_test_id("related-articles").locator("li").first
    expect(related.get_by_role("link").first).to_have_text("产线设备频繁重启：电压干扰排查")
    expect(related).to_contain_text(f"关联于相似的已解决工单 {first['number']}")
    expect(related).to_contain_text("电压干扰类")
    similar = page.get_by_test_id("similar-tickets")
    expect(similar.get_by_role("link", name=re.compile(first["number"]))).to_be_visible()
    expect(similar).to_contain_text("同一类型")
    expect(similar).to_contain_text("分类 软件")  # the option's label
    related.get_by_role("button", name="插入回复").click()
    expect(page.get_by_label("添加评论")).to_have_value(re.compile(f"产线设备频繁重启：电压干扰排查\\n.*/knowledge/{voltage['id']}"))
    _shoot(page, "ticket-similar-zh-desktop.png")
    context.close()

    context, page = _login(browser, live_server, "sam@example.com", PHONE, path=f"/tickets/{third['id']}")
    related = page.get_by_test_id("related-articles").locator("li").first
    expect(related.get_by_role("link").first).to_have_text("Production line restarts: voltage interference")
    expect(related).to_contain_text(f"Linked to similar resolved ticket {first['number']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_test_id("similar-tickets").scroll_into_view_if_needed()
    _shoot(page, "ticket-similar-en-375.png")
    context.close()

    # The requester's page has none of it.
    context, page = _login(browser, live_server, "rita@example.com", DESKTOP, path=f"/tickets/{third['id']}")
    expect(page.locator(".gd-ticket-header")).to_be_visible()
    expect(page.get_by_test_id("similar-tickets")).to_have_count(0)
    expect(page.get_by_role("button", name="Turn into an article")).to_have_count(0)
    context.close()
