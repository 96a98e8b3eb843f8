"""The requester portal and the agent workspace in real Chromium, in English on a phone and in Chinese.

A requester files an IT incident at 375 px: the asset-tag field appears when she chooses hardware (the
definition's field rule, evaluated in the browser) and the server's refusal lands on that field. An agent
finds the ticket in his team's queue, sees a blocked transition with its reason, takes the allowed ones
(filling what they require) and writes an internal comment that the requester's page never shows.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.antd import choose, tick
from tests.conftest import PASSWORD

# README screenshots: refreshed in docs/screenshots with GONGDAN_SCREENSHOTS=1, else kept out of the tree
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ("docs/screenshots" if os.environ.get("GONGDAN_SCREENSHOTS") else "test-artifacts/screenshots")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture
def desk(admin, make_user):
    """The IT service desk template installed; Sam and Nina work the service desk."""
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code in (200, 201)
    users = {
        "rita": make_user("rita@example.com", ["requester"], name="Rita Requester"),
        "sam": make_user("sam@example.com", ["agent"], name="Sam Agent"),
        "nina": make_user("nina@example.com", ["agent"], name="Nina Agent"),
        "li": make_user("li@example.com", ["requester"], name="李雷", locale="zh-CN"),
        "wang": make_user("wang@example.com", ["agent"], name="王芳", locale="zh-CN"),
    }
    teams = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}
    response = admin.patch(f"/api/v1/teams/{teams['service-desk']['id']}",
                           json={"member_ids": [users["sam"], users["nina"], users["wang"]]})
    assert response.status_code == 200, response.json
    return users


def _login(browser, live_server, email, viewport, locale="en-US", path="/"):
    context = browser.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.csp_violations = []  # the app runs under script-src 'self': nothing may need eval
    page.on("console", lambda message: "Content Security Policy" in message.text
            and page.csp_violations.append(message.text))
    page.goto(f"{live_server}{path}")
    page.get_by_label(re.compile("^(Email|电子邮箱)$")).fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    return context, page


def _choose(page, label, option):
    choose(page, page.locator(".ant-select", has=page.get_by_label(label, exact=True)), option)


def _shoot(page, name, full_page=True):
    """A README screenshot, taken from the top of the page once nothing is loading."""
    expect(page.locator(".ant-spin-spinning, .ant-skeleton, .ant-spin-blur")).to_have_count(0)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(400)  # let antd's fade-in transitions finish
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def _tighten_asset_tags(admin):
    """A designer publishes version 2 while the requester is filling in version 1: asset tags now start LT or PC."""
    draft = admin.get("/api/v1/ticket-types/it-incident/draft")
    definition = copy.deepcopy(draft.json["definition"])
    definition["form"]["schema"]["properties"]["asset_tag"]["pattern"] = "^(LT|PC)-\\d{4}$"
    saved = admin.put("/api/v1/ticket-types/it-incident/draft", json=definition, headers={"If-Match": draft.headers["ETag"]})
    assert saved.status_code == 200, saved.json
    published = admin.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "Asset tags start LT or PC"})
    assert published.status_code == 201, published.json


@pytest.mark.smoke
def test_requester_files_on_a_phone_and_an_agent_works_the_ticket(browser, live_server, desk, admin):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    rita_context, rita = _login(browser, live_server, "rita@example.com", PHONE, path="/portal")

    # Choose what to report: cards grouped by category, with search.
    expect(rita.get_by_role("heading", name="What do you need help with?")).to_be_visible()
    rita.get_by_label("Search ticket types").fill("incident")
    expect(rita.get_by_role("link", name="Software: IT incident")).to_be_visible()
    expect(rita.get_by_role("link", name=re.compile("IT service request"))).to_have_count(0)
    _shoot(rita, "portal-catalog-375.png")
    rita.get_by_role("link", name="Software: IT incident").click()

    # The generated form; the asset tag appears (and is required) only for hardware.
    expect(rita.get_by_role("heading", name="IT incident")).to_be_visible()
    expect(rita.get_by_label("Title")).to_be_visible()
    expect(rita.get_by_label("Asset tag")).to_have_count(0)
    _choose(rita, "Category", "Hardware")
    asset_tag = rita.get_by_label("Asset tag")
    expect(asset_tag).to_be_visible()
    rita.get_by_label("Title").fill("Laptop does not start")
    tick(rita.get_by_label("High: work has stopped"))
    tick(rita.get_by_label("Only me / one person"))
    _choose(rita, "Region", "East")
    rita.get_by_label("Description").fill("Black screen since this morning, the power light blinks.")
    rita.get_by_role("button", name="Submit").click()
    field = rita.locator(".ant-form-item", has=rita.locator("#root_asset_tag")).last
    expect(field).to_contain_text("Asset tag is required.")  # the field rule's requirement, checked in the browser
    asset_tag.fill("AB-1234")
    expect(field).not_to_contain_text("Asset tag is required.")
    _shoot(rita, "portal-form-375.png")

    _tighten_asset_tags(admin)
    rita.get_by_role("button", name="Submit").click()
    expect(field).to_contain_text("Asset tag does not have the expected format.")  # the server's 422, on its field
    expect(rita.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    asset_tag.fill("LT-0042")
    expect(field).not_to_contain_text("expected format")
    rita.get_by_role("button", name="Submit").click()
    expect(rita.get_by_role("heading", name=re.compile("INC-000001"))).to_be_visible()
    ticket_url = rita.url
    expect(rita.get_by_text("Laptop does not start").first).to_be_visible()

    # The agent finds it in his team's queue.
    sam_context, sam = _login(browser, live_server, "sam@example.com", DESKTOP, path="/workspace")
    expect(sam.get_by_role("heading", name="Agent workspace")).to_be_visible()
    expect(sam.get_by_role("heading", name="My teams")).to_be_visible()
    row = sam.get_by_role("row", name=re.compile("INC-000001"))
    expect(row).to_contain_text("Laptop does not start")
    _shoot(sam, "agent-workspace.png", full_page=False)
    row.get_by_role("link", name="INC-000001").click()

    # Transitions from the explainer: take the allowed ones, filling what they require.
    transitions = sam.locator(".gd-transitions")
    expect(transitions.get_by_role("button", name="Start work")).to_be_enabled()
    transitions.get_by_role("button", name="Start work").click()
    expect(sam.locator(".gd-ticket-header")).to_contain_text("In progress")
    transitions.get_by_role("button", name="Resolve").click()
    dialog = sam.get_by_role("dialog")
    expect(dialog.get_by_label("Resolution", exact=True)).to_be_visible()
    expect(dialog.get_by_label("Title")).to_have_count(0)  # only what the transition requires
    dialog.get_by_label("Resolution", exact=True).fill("Replaced the power supply.")
    _choose(sam, "Root cause", "Hardware fault")
    tick(dialog.get_by_label("The requester confirmed that it works again, or was told how to check"))
    dialog.get_by_role("button", name="Resolve").click()
    expect(dialog.get_by_text("Check every item first.")).to_be_visible()
    tick(dialog.get_by_label("The cause and the fix are explained in the resolution"))
    tick(dialog.get_by_label("A knowledge-base article was linked or written if this can happen again"))
    dialog.get_by_role("button", name="Resolve").click()
    expect(sam.locator(".gd-ticket-header")).to_contain_text("Resolved")

    # A blocked transition says why.
    reopen = transitions.get_by_role("button", name="Reopen")
    expect(reopen).to_be_disabled()
    expect(sam.locator("#blocked-reopen")).to_contain_text("Only requester may take 'Reopen'.")
    expect(transitions.get_by_role("button", name="Confirm the fix")).to_be_enabled()

    # An internal comment with an @mention picked from the autocomplete.
    box = sam.get_by_label("Add a comment")
    box.click()
    box.press_sequentially("Power supply swapped, old one to recycling. @Nin")
    sam.locator(".ant-mentions-dropdown:visible .ant-mentions-dropdown-menu-item", has_text="nina@example.com").click()
    expect(box).to_have_value(re.compile("@nina@example.com"))
    tick(sam.get_by_label("Internal comment (staff only)"))
    sam.get_by_role("button", name="Send").click()
    internal = sam.locator(".gd-entry-internal", has_text="Power supply swapped")
    expect(internal).to_contain_text("Internal")
    _shoot(sam, "agent-ticket.png")

    # The requester's page shows the public history, never the internal comment.
    rita.goto(ticket_url)
    expect(rita.get_by_role("heading", name=re.compile("INC-000001"))).to_be_visible()
    expect(rita.locator(".gd-ticket-header")).to_contain_text("Resolved")
    expect(rita.get_by_text("Resolve: In progress → Resolved")).to_be_visible()
    expect(rita.get_by_text("Power supply swapped")).to_have_count(0)
    expect(rita.get_by_role("button", name="Confirm the fix")).to_be_enabled()
    expect(rita.get_by_role("button", name="Reopen")).to_be_enabled()
    _shoot(rita, "portal-ticket-375.png")
    assert rita.csp_violations == [] and sam.csp_violations == []
    rita_context.close()
    sam_context.close()


def test_the_chinese_ui_renders_the_same_flow(browser, live_server, desk):
    li_context, li = _login(browser, live_server, "li@example.com", PHONE, locale="zh-CN", path="/portal")
    expect(li.get_by_role("heading", name="需要什么帮助？")).to_be_visible()  # noqa: RUF001
    li.get_by_role("link", name="软件: IT 故障").click()
    # The definition's texts are in Chinese too (the template ships both languages), like the UI around them.
    li.get_by_label("标题").fill("报表软件打不开")
    tick(li.get_by_label("中：工作受到影响"))  # noqa: RUF001
    tick(li.get_by_label("一个部门或站点"))
    _choose(li, "区域", "华北")
    li.get_by_label("问题描述").fill("从今天早上开始报表软件一直报错。")
    li.get_by_role("button", name="提交").click()
    expect(li.get_by_role("heading", name=re.compile("INC-000001"))).to_be_visible()
    expect(li.get_by_role("heading", name="历史与评论")).to_be_visible()
    _shoot(li, "portal-ticket-zh-375.png")

    wang_context, wang = _login(browser, live_server, "wang@example.com", DESKTOP, locale="zh-CN", path="/workspace?queue=all")
    expect(wang.get_by_role("heading", name="坐席工作台")).to_be_visible()
    wang.get_by_role("link", name="INC-000001").click()
    expect(wang.get_by_role("heading", name="下一步")).to_be_visible()
    wang.locator(".gd-transitions").get_by_role("button", name="开始处理").click()
    expect(wang.get_by_text("开始处理：工单现在为处理中。")).to_be_visible()  # noqa: RUF001
    wang.get_by_label("添加评论").fill("已联系网络组。")
    tick(wang.get_by_label("内部评论（仅员工可见）"))  # noqa: RUF001
    wang.get_by_role("button", name="发送").click()
    expect(wang.locator(".gd-entry-internal", has_text="已联系网络组")).to_contain_text("内部")
    _shoot(wang, "agent-ticket-zh.png")

    li.reload()
    expect(li.locator(".gd-ticket-header")).to_contain_text("处理中")
    expect(li.get_by_text("已联系网络组")).to_have_count(0)
    li.get_by_role("link", name="返回我的工单").click()
    expect(li.get_by_role("heading", name="我的工单")).to_be_visible()
    expect(li.get_by_role("link", name=re.compile("INC-000001"))).to_be_visible()
    _shoot(li, "portal-my-tickets-zh-375.png")
    li_context.close()
    wang_context.close()


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def test_photo_upload_stale_edit_saved_filter_and_the_bell(browser, live_server, desk, app):
    from tests.conftest import Api

    # A photo from the phone's camera goes up first; the form keeps its attachment id.
    rita_context, rita = _login(browser, live_server, "rita@example.com", PHONE,
                                path="/portal/new/it-incident?category=hardware")
    rita.get_by_label("Title").fill("Laptop does not start")
    tick(rita.get_by_label("High: work has stopped"))
    tick(rita.get_by_label("Only me / one person"))
    _choose(rita, "Region", "East")
    rita.get_by_label("Asset tag").fill("LT-0042")
    rita.get_by_label("Description").fill("Black screen since this morning.")
    rita.locator("input[type=file][data-field=Screenshots]").set_input_files(
        {"name": "screen.png", "mimeType": "image/png", "buffer": PNG})
    expect(rita.get_by_text("screen.png")).to_be_visible()
    rita.get_by_role("button", name="Submit").click()
    expect(rita.get_by_role("heading", name=re.compile("INC-000001"))).to_be_visible()
    expect(rita.locator(".gd-data").get_by_role("link", name=re.compile("screen.png"))).to_be_visible()
    rita_context.close()

    # The bell shows Sam's assignment and opens the ticket.
    sam_context, sam = _login(browser, live_server, "sam@example.com", DESKTOP, path="/workspace?queue=mine")
    bell = sam.get_by_role("button", name="Notifications, 1 unread")
    bell.click()
    sam.get_by_role("button", name=re.compile("INC-000001 was assigned to you")).click()
    expect(sam.get_by_role("heading", name=re.compile("INC-000001"))).to_be_visible()
    expect(sam.get_by_role("button", name="Notifications")).to_be_visible()

    # A stale edit shows who changed what instead of overwriting it.
    sam.get_by_role("button", name="Edit").click()
    sam.get_by_label("Title").fill("Laptop dead after the update")
    nina = Api(app.test_client())
    assert nina.login("nina@example.com", PASSWORD).status_code == 200
    current = nina.get("/api/v1/tickets/1")
    assert nina.patch("/api/v1/tickets/1", json={"data": {"region": "north"}},
                      headers={"If-Match": current.headers["ETag"]}).status_code == 200
    sam.get_by_role("button", name="Save", exact=True).click()
    stale = sam.get_by_role("alert").filter(has_text="Someone changed this ticket")
    expect(stale).to_contain_text("Nina Agent changed Region from East to North")
    stale.get_by_role("button", name="Apply my edits to the latest version").click()
    sam.get_by_role("button", name="Save", exact=True).click()
    details = sam.locator(".gd-data")
    expect(details).to_contain_text("Laptop dead after the update")
    expect(details).to_contain_text("North")

    # Search the queue and keep the view as a saved filter.
    sam.goto(f"{live_server}/workspace?queue=all")
    sam.get_by_label("Search tickets").fill("dead")
    sam.get_by_label("Search tickets").press("Enter")
    expect(sam.get_by_role("row", name=re.compile("INC-000001"))).to_be_visible()
    sam.get_by_role("button", name="Save filter").click()
    sam.get_by_role("dialog").get_by_label("Name").fill("Dead laptops")
    sam.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(sam.get_by_role("heading", name="Dead laptops")).to_be_visible()
    expect(sam.locator(".gd-queue-select")).to_contain_text("Dead laptops")
    sam_api = Api(app.test_client())
    assert sam_api.login("sam@example.com", PASSWORD).status_code == 200
    assert [(f["name"], f["query"]) for f in sam_api.get("/api/v1/me/saved-filters").json["items"]] == \
        [("Dead laptops", {"q": "dead", "sort": "-updated_at"})]
    sam_context.close()


def test_the_portal_works_from_the_keyboard_with_visible_focus(browser, live_server, desk):
    """Signed in, then no mouse: skip to the content, search, open a ticket type, type in its first field."""
    context, page = _login(browser, live_server, "rita@example.com", PHONE, path="/portal")
    expect(page.get_by_role("heading", name="What do you need help with?")).to_be_visible()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    search = page.get_by_label("Search ticket types")
    for _ in range(15):  # Tab from the main content to the search box
        if search.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(search).to_be_focused()
    page.keyboard.type("incident")
    card = page.get_by_role("link", name="Software: IT incident")
    for _ in range(15):
        page.keyboard.press("Tab")
        if card.evaluate("el => el === document.activeElement"):
            break
    expect(card).to_be_focused()
    outline = card.evaluate("el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
    assert outline.split()[0] != "none" and outline.split()[1] != "0px", outline  # focus is visible
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="IT incident")).to_be_visible()
    page.keyboard.press("Tab")
    for _ in range(30):  # onwards to the first form field, every control on the way reachable
        if page.get_by_label("Title").evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(page.get_by_label("Title")).to_be_focused()
    page.keyboard.type("Typed without a mouse")
    expect(page.get_by_label("Title")).to_have_value("Typed without a mouse")
    assert page.csp_violations == []
    context.close()


def test_an_agent_who_files_for_another_team_writes_as_its_requester(app, browser, live_server, desk, make_user):
    """Whether the page offers staff tools is the server's call for this ticket, not the role's:
    Omar is an agent, but not of the service desk his printer ticket goes to."""
    from tests.conftest import Api

    make_user("omar@example.com", ["agent"], name="Omar Agent")
    omar_api = Api(app.test_client())
    assert omar_api.login("omar@example.com", PASSWORD).status_code == 200
    filed = omar_api.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        "title": "Printer on floor 2 jams", "category": "software", "urgency": "low", "impact": "person",
        "region": "north", "description": "Every second page."}})
    assert filed.status_code == 201 and filed.json["team"]["key"] == "service-desk", filed.json

    context, omar = _login(browser, live_server, "omar@example.com", DESKTOP, path=f"/tickets/{filed.json['id']}")
    expect(omar.get_by_role("heading", name=re.compile(filed.json["number"]))).to_be_visible()
    expect(omar.get_by_role("button", name="Send")).to_be_visible()
    expect(omar.get_by_label("Internal comment (staff only)")).to_have_count(0)
    expect(omar.get_by_role("link", name=re.compile("Back to the workspace"))).to_be_visible()  # still an agent's home
    context.close()
