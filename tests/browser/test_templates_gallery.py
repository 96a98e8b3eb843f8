"""The templates page in real Chromium: an admin finds it in the navigation, reads the cards (what installing would
create, what exists here), previews a ticket type's form (the portal's renderer, disabled) and status graph (the
designer's, read-only: nothing moves, connects or deletes), installs a template from the page after a confirmation,
and sees a clear message when an install is refused; in English at desktop width and in Chinese at 375 px.
Screenshots go to test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_designer_flow import DESKTOP, PHONE, _login, _shoot

KEYS = ("after-sales", "employee-onboarding", "it-service-desk", "production-work-order")


def _open_templates(page, phone: bool, label: str) -> None:
    if phone:
        page.get_by_role("button", name=re.compile("Open navigation|打开导航")).click()
    page.get_by_role("link", name=label, exact=True).click()
    expect(page).to_have_url(re.compile("/admin/templates$"))
    for key in KEYS:
        expect(page.locator(f".gd-template-card[data-template='{key}']")).to_be_visible(timeout=20000)


def _settled_boxes(page, *locators):
    """The bounding boxes once the automatic layout (ELK in a worker) and the fit have stopped moving them."""
    boxes = [locator.bounding_box() for locator in locators]
    for _ in range(60):
        page.wait_for_timeout(250)
        again = [locator.bounding_box() for locator in locators]
        if again == boxes:
            return boxes
        boxes = again
    raise AssertionError("the graph kept moving")


LAID_OUT = "performance.getEntriesByName('graph.layout-end').length"


def _graph_is_read_only(page, drawer, tab: str, shot: str) -> None:
    """Show the first type's status graph, wait for its automatic layout, and check that nothing can change it."""
    laid_out = page.evaluate(LAID_OUT)
    drawer.locator(".gd-template-type").first.get_by_text(tab, exact=True).click()
    page.wait_for_function(f"(before) => {LAID_OUT} > before", arg=laid_out, timeout=30000)
    graph = drawer.locator(".gd-template-graph")
    nodes = graph.locator(".react-flow__node")
    expect(nodes.first).to_be_visible(timeout=20000)
    assert nodes.count() >= 4
    expect(graph.locator(".react-flow__edge").first).to_be_attached()
    # No editing controls, and a node does not move when dragged.
    expect(graph.get_by_role("button", name=re.compile("Add a state|添加状态"))).to_have_count(0)
    expect(graph.locator(".gdf-panel")).to_have_count(0)
    expect(graph.locator(".react-flow__node.draggable")).to_have_count(0)
    node, other = nodes.nth(1), nodes.nth(0)
    node.scroll_into_view_if_needed()
    before, other_before = _settled_boxes(page, node, other)
    drawer.locator(".gd-template-view").first.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    _shoot(page, shot, full_page=False)
    before, other_before = _settled_boxes(page, node, other)
    page.mouse.move(before["x"] + before["width"] / 2, before["y"] + before["height"] / 2)
    page.mouse.down()
    page.mouse.move(before["x"] + before["width"] / 2 + 80, before["y"] + before["height"] / 2 + 60, steps=5)
    page.mouse.up()
    after, other_after = node.bounding_box(), other.bounding_box()
    # The pane may pan with the drag; the node keeps its place relative to the others.
    assert abs((after["x"] - other_after["x"]) - (before["x"] - other_before["x"])) < 2
    assert abs((after["y"] - other_after["y"]) - (before["y"] - other_before["y"])) < 2
    count = nodes.count()
    box = node.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # nodes take no clicks: the pane does
    page.keyboard.press("Delete")
    expect(nodes).to_have_count(count)
    expect(page.locator(".ant-modal-confirm")).to_have_count(0)


def test_an_admin_previews_and_installs_a_template_in_english(browser, live_server, admin, make_user):
    make_user("root@example.com", ["admin"], name="Root")
    # A type that takes the after-sales template's number prefix: installing that template must be refused.
    assert admin.post("/api/v1/ticket-types", json={"key": "service", "name": "Service",
                                                    "number_prefix": "SRV"}).status_code == 201
    context, page = _login(browser, live_server, "root@example.com", DESKTOP)
    _open_templates(page, False, "Templates")
    card = page.locator(".gd-template-card[data-template='it-service-desk']")
    expect(card).to_contain_text("IT service desk")
    expect(card).to_contain_text("Not installed")
    expect(card).to_contain_text("IT incident")
    expect(card).to_contain_text("2 ticket types, 3 teams, 1 role, 2 knowledge-base articles")
    _shoot(page, "templates-gallery-en.png")

    # The preview: the plan, the form (disabled) and the graph (read-only).
    card.get_by_role("button", name="Preview IT service desk").click()
    drawer = page.locator(".gd-template-drawer")
    expect(drawer.locator("table.gd-template-plan-table")).to_contain_text("Service desk")
    expect(drawer.locator("tr[data-kind='teams']")).to_contain_text("Network operations")
    expect(drawer.locator("tr[data-kind='knowledge_articles']")).to_contain_text("Printer cannot connect to the network")
    form = drawer.locator(".gd-template-form").first
    title = form.locator("#preview-it-incident_title")
    expect(title).to_be_visible(timeout=20000)
    expect(title).to_be_disabled()
    expect(form.get_by_role("button", name=re.compile("Submit|Try it"))).to_have_count(0)
    drawer.locator(".gd-template-view").first.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    _shoot(page, "templates-preview-form-en.png", full_page=False)
    _graph_is_read_only(page, drawer, "Status graph", "templates-preview-graph-en.png")
    drawer.locator(".ant-drawer-close").click()
    expect(drawer).to_be_hidden()

    # Install from the card, after a confirmation that says what it creates.
    card.get_by_role("button", name="Install IT service desk").click()
    confirm = page.locator(".ant-modal-confirm")
    expect(confirm).to_contain_text("Install IT service desk?")
    expect(confirm).to_contain_text("Network operations")
    confirm.get_by_role("button", name="Install", exact=True).click()
    outcome = page.locator(".gd-template-outcome")
    expect(outcome).to_contain_text("IT service desk is installed.", timeout=30000)
    expect(outcome).to_contain_text("2 ticket types")
    expect(card).to_contain_text("Installed (version 4)")
    expect(card.get_by_role("button", name="Installed: IT service desk")).to_be_disabled()
    assert admin.get("/api/v1/templates/it-service-desk").json["installed_version"] == 4
    assert admin.get("/api/v1/ticket-types/it-incident").json["latest_version"] == 1
    _shoot(page, "templates-installed-en.png")

    # A refused install says why, and nothing changes.
    sales = page.locator(".gd-template-card[data-template='after-sales']")
    sales.get_by_role("button", name="Install After-sales service").click()
    page.locator(".ant-modal-confirm").get_by_role("button", name="Install", exact=True).click()
    expect(outcome).to_contain_text("After-sales service could not be installed; nothing was changed.", timeout=30000)
    expect(outcome).to_contain_text("SRV")
    assert admin.get("/api/v1/templates/after-sales").json["installed_version"] is None
    _shoot(page, "templates-refused-en.png", full_page=False)
    assert page.page_errors == [] and page.csp_violations == []
    context.close()


def test_an_admin_previews_and_installs_a_template_in_chinese_on_a_phone(browser, live_server, admin, make_user):
    make_user("li@example.com", ["admin"], name="Li Wei", locale="zh-CN")
    context, page = _login(browser, live_server, "li@example.com", PHONE, locale="zh-CN")
    _open_templates(page, True, "模板")
    expect(page.get_by_role("heading", name="模板")).to_be_visible()
    card = page.locator(".gd-template-card[data-template='after-sales']")
    expect(card).to_contain_text("售后服务")
    expect(card).to_contain_text("未安装")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # nothing wider than the phone
    _shoot(page, "templates-gallery-zh-375.png")

    card.get_by_role("button", name="预览售后服务").click()
    drawer = page.locator(".gd-template-drawer")
    expect(drawer.locator("tr[data-kind='calendars']")).to_contain_text("售后服务时间")
    expect(drawer.locator("tr[data-kind='knowledge_articles']")).to_contain_text("如何找到产品序列号")
    _shoot(page, "templates-preview-plan-zh-375.png", full_page=False)
    form = drawer.locator(".gd-template-form").first
    serial = form.locator("#preview-after-sales-service_serial_number")
    expect(serial).to_be_visible(timeout=20000)
    expect(serial).to_be_disabled()
    expect(form).to_contain_text("序列号")
    drawer.locator(".gd-template-view").first.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    _shoot(page, "templates-preview-form-zh-375.png", full_page=False)
    _graph_is_read_only(page, drawer, "状态图", "templates-preview-graph-zh-375.png")

    # Install from the drawer.
    drawer.get_by_role("button", name="安装", exact=True).click()
    confirm = page.locator(".ant-modal-confirm")
    expect(confirm).to_contain_text("安装售后服务？")
    confirm.get_by_role("button", name="安装", exact=True).click()
    expect(drawer.get_by_role("button", name="已安装", exact=True)).to_be_disabled(timeout=30000)
    drawer.locator(".ant-drawer-close").click()
    expect(drawer).to_be_hidden()
    expect(page.locator(".gd-template-outcome")).to_contain_text("售后服务已安装。")
    expect(card.locator(".ant-card-extra")).to_have_text("已安装（版本 2）")
    assert admin.get("/api/v1/templates/after-sales").json["installed_version"] == 2
    _shoot(page, "templates-installed-zh-375.png")
    assert page.page_errors == [] and page.csp_violations == []
    context.close()


@pytest.mark.parametrize(("locale", "viewport", "suffix"), [("en-US", PHONE, "en-375"), ("zh-CN", DESKTOP, "zh")])
def test_the_gallery_and_a_preview_in_the_other_language_and_width(browser, live_server, make_user, locale, viewport,
                                                                   suffix):
    zh = locale == "zh-CN"
    make_user("kim@example.com", ["admin"], name="Kim", locale="zh-CN" if zh else "en")
    context, page = _login(browser, live_server, "kim@example.com", viewport, locale=locale)
    _open_templates(page, not zh, "模板" if zh else "Templates")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    _shoot(page, f"templates-gallery-{suffix}.png")
    card = page.locator(".gd-template-card[data-template='production-work-order']")
    card.get_by_role("button", name="预览生产工单" if zh else "Preview Production work orders").click()
    drawer = page.locator(".gd-template-drawer")
    expect(drawer.locator("tr[data-kind='roles']")).to_contain_text("qa-inspector")
    form = drawer.locator(".gd-template-form").first
    expect(form.locator("input, textarea").first).to_be_disabled(timeout=20000)
    drawer.locator(".gd-template-view").first.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    _shoot(page, f"templates-preview-form-{suffix}.png", full_page=False)
    _graph_is_read_only(page, drawer, "状态图" if zh else "Status graph", f"templates-preview-graph-{suffix}.png")
    assert page.page_errors == [] and page.csp_violations == []
    context.close()
