"""The knowledge base in real Chromium: an agent writes and publishes an article in the staff editor (with
script-laden Markdown that must stay inert), a requester searches 打印 in Chinese on a 375 px phone and reads
it, and a staff-only article never shows to her. Screenshots in test-artifacts/screenshots (docs/screenshots
with GONGDAN_SCREENSHOTS=1)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.antd import choose, tick
from tests.browser.test_workspace import DESKTOP, PHONE, _choose, _login, _shoot, desk  # noqa: F401  (desk: a fixture)
from tests.conftest import PASSWORD, Api

expect.set_options(timeout=15_000)

BODY = """检查打印机的 **网线** 和 IP 地址。

1. 打开打印机菜单
2. 重启打印服务

<img src=x onerror="window.__xss = 1">
[点我](javascript:window.__xss=1)
<script>window.__xss = 1</script>
"""


@pytest.fixture
def people(app, admin, make_user):
    make_user("alice@example.com", ["agent"], name="Alice Agent")
    make_user("li@example.com", ["requester"], name="李雷", locale="zh-CN")
    make_user("rita@example.com", ["requester"], name="Rita Requester")  # (the desk fixture makes them too)
    alice = Api(app.test_client())
    assert alice.login("alice@example.com", PASSWORD).status_code == 200
    hidden = alice.post("/api/v1/knowledge/articles", json={
        "texts": {"en": {"title": "打印机 admin passwords (staff only)", "body": "internal"}}, "visibility": "staff"})
    assert alice.post(f"/api/v1/knowledge/articles/{hidden.json['id']}/publish").status_code == 200
    other = alice.post("/api/v1/knowledge/articles", json={
        "locale": "en", "texts": {"en": {"title": "VPN disconnects every few minutes", "body": "Update the client."}}})
    assert alice.post(f"/api/v1/knowledge/articles/{other.json['id']}/publish").status_code == 200
    return alice


@pytest.mark.smoke
def test_an_agent_writes_and_a_requester_finds_it_in_chinese(browser, live_server, people):
    context, page = _login(browser, live_server, "alice@example.com", DESKTOP, path="/knowledge")
    expect(page.get_by_role("heading", name="Knowledge base")).to_be_visible()
    page.get_by_role("button", name="New article").click()
    _choose_language(page)
    page.get_by_label("Title").fill("打印机无法连接网络")
    page.get_by_label("Body (Markdown)").fill(BODY)
    tags = page.get_by_label("Tags")
    tags.fill("打印机")
    tags.press("Enter")
    _shoot(page, "knowledge-editor-en.png")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("heading", name="打印机无法连接网络")).to_be_visible()
    body = page.locator(".gd-kb-body")
    expect(body.locator("strong")).to_have_text("网线")
    expect(body.locator("li")).to_have_count(2)
    # The payloads are text on the page, not elements: no image, no javascript: link, nothing ran.
    expect(body.locator("img, script")).to_have_count(0)
    expect(body.locator("a[href^='javascript']")).to_have_count(0)
    assert page.evaluate("window.__xss") is None
    assert page.csp_violations == []
    _shoot(page, "knowledge-article-en.png")
    context.close()

    context, page = _login(browser, live_server, "li@example.com", PHONE, locale="zh-CN", path="/knowledge")
    expect(page.get_by_role("heading", name="知识库")).to_be_visible()
    search = page.get_by_label("搜索知识库")
    search.fill("打印")
    search.press("Enter")
    results = page.get_by_test_id("kb-results")
    expect(results.locator("li")).to_have_count(1)  # the staff-only 打印机 article is not hers
    expect(results.locator("mark").first).to_have_text(re.compile("打印"))
    _shoot(page, "knowledge-search-zh-375.png")
    results.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="打印机无法连接网络")).to_be_visible()
    expect(page.get_by_role("button", name="编辑")).to_have_count(0)
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _shoot(page, "knowledge-article-zh-375.png")
    context.close()

    context, page = _login(browser, live_server, "rita@example.com", DESKTOP, path="/knowledge")
    expect(page.get_by_test_id("kb-latest").locator("li")).to_have_count(2)
    search = page.get_by_label("Search the knowledge base")
    search.fill("vpn disconnecting")
    search.press("Enter")
    expect(page.get_by_test_id("kb-results").locator("li")).to_have_count(1)
    _shoot(page, "knowledge-search-en.png")
    context.close()


def _choose_language(page):
    """The editor starts in the reader's language (English); the article is written in Chinese."""
    choose(page, page.locator(".ant-select", has=page.get_by_label("Language", exact=True)), "简体中文")


@pytest.mark.usefixtures("desk")
def test_suggestions_while_typing_deflect_or_are_recorded_on_the_ticket(browser, live_server, admin):
    """李雷 types 打印机连不上 on his phone, sees the printer article and says it solved it: no ticket, one
    deflection. Rita files anyway: the ticket records the article she was shown."""
    # The printer article is the one the IT template publishes when it is installed (its seed articles).
    articles = admin.get("/api/v1/knowledge/articles?limit=100", headers={"Accept-Language": "en"}).json["items"]
    printer_id = next(a["id"] for a in articles if a["title"] == "Printer cannot connect to the network")

    context, page = _login(browser, live_server, "li@example.com", PHONE, locale="zh-CN",
                           path="/portal/new/it-incident?category=hardware")
    page.locator("#root_title").fill("打印机连不上")
    panel = page.get_by_test_id("kb-suggestions")
    expect(panel.get_by_role("link", name="打印机无法连接网络")).to_be_visible()
    expect(panel.locator("mark").first).to_be_visible()
    _shoot(page, "knowledge-suggest-zh-375.png")
    panel.get_by_role("button", name="问题已解决").click()
    expect(page).to_have_url(re.compile("/portal$"))
    context.close()
    assert admin.get("/api/v1/knowledge/deflections").json["items"] == [{"type": "it-incident", "count": 1}]
    assert admin.get("/api/v1/tickets").json["items"] == []

    context, page = _login(browser, live_server, "rita@example.com", DESKTOP,
                           path="/portal/new/it-incident?category=hardware")
    page.get_by_label("Title").fill("Printer cannot print")
    suggested = page.get_by_test_id("kb-suggestions").get_by_role("link", name="Printer cannot connect to the network")
    expect(suggested).to_be_visible()
    tick(page.get_by_label("High: work has stopped"))
    tick(page.get_by_label("Only me / one person"))
    _choose(page, "Region", "East")
    page.get_by_label("Asset tag").fill("LT-0042")
    page.get_by_label("Description").fill("The printer on floor 3 says offline.")
    _shoot(page, "knowledge-suggest-en.png")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name=re.compile("INC-000001"))).to_be_visible()
    context.close()
    ticket = admin.get("/api/v1/tickets").json["items"][0]
    links = admin.get(f"/api/v1/tickets/{ticket['id']}/knowledge").json["items"]
    assert [(link["article_id"], link["kind"]) for link in links] == [(printer_id, "shown")]

    # The agent side: the ticket shows the article Rita was shown, suggests it with why, and links it in a click.
    context, page = _login(browser, live_server, "admin@example.com", DESKTOP, path=f"/tickets/{ticket['id']}")
    card = page.get_by_test_id("ticket-articles")
    expect(card.get_by_text("Shown while filing")).to_be_visible()
    expect(card.get_by_text(re.compile("Matches: .*printer"))).to_be_visible()
    card.get_by_role("button", name="Link to this ticket").click()
    expect(card.get_by_text("Linked", exact=True)).to_be_visible()
    _shoot(page, "knowledge-ticket-agent-en.png")
    context.close()
    kinds = {link["kind"] for link in admin.get(f"/api/v1/tickets/{ticket['id']}/knowledge").json["items"]}
    assert kinds == {"shown", "linked"}
