"""Knowledge categories in real Chromium: an agent builds a two-level tree on /knowledge/categories, names a
category in English and Chinese, drags one under another, is told (in the server's words) why a category cannot
move under its own child and why a non-empty one cannot be deleted; then filters the knowledge home by a category
(its subcategories included) and by a tag, and follows an article's category breadcrumb. A Chinese reader sees the
Chinese names, on a desktop and on a 375 px phone. Screenshots in test-artifacts/screenshots."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.antd import fits
from tests.browser.test_workspace import DESKTOP, PHONE, _login, _shoot
from tests.conftest import PASSWORD, Api

expect.set_options(timeout=15_000)

LAPTOP = {"locale": "en", "texts": {"en": {"title": "Laptop will not boot", "body": "Hold the power button."}},
          "tags": ["laptop"]}
VPN = {"locale": "en", "texts": {"en": {"title": "VPN drops every few minutes", "body": "Update the VPN client."},
                                 "zh-CN": {"title": "VPN 每隔几分钟断开", "body": "升级 VPN 客户端。"}},
       "tags": ["vpn", "network"]}
PRINTER = {"locale": "en", "texts": {"en": {"title": "Printer shows offline", "body": "Check the network cable."},
                                     "zh-CN": {"title": "打印机显示脱机", "body": "检查网线。"}},
           "tags": ["network", "printer"]}


def _client(app, email):
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


def _publish(client, body, **extra):
    created = client.post("/api/v1/knowledge/articles", json={**body, **extra})
    assert created.status_code == 201, created.json
    published = client.post(f"/api/v1/knowledge/articles/{created.json['id']}/publish")
    assert published.status_code == 200, published.json
    return published.json["id"]


@pytest.fixture
def kb(app, make_user):
    """Hardware (硬件) holds the laptop article; the VPN article has no category. Alice (agent) reads English,
    Wang (agent) and Li (requester) Chinese."""
    make_user("alice@example.com", ["agent"], name="Alice Agent")
    make_user("wang@example.com", ["agent"], name="王芳", locale="zh-CN")
    make_user("li@example.com", ["requester"], name="李雷", locale="zh-CN")
    alice = _client(app, "alice@example.com")
    hardware = alice.post("/api/v1/knowledge/categories", json={"name": "Hardware", "i18n": {"zh-CN": {"name": "硬件"}}})
    assert hardware.status_code == 201, hardware.json
    return {"alice": alice, "hardware": hardware.json["id"], "laptop": _publish(alice, LAPTOP, category_id=hardware.json["id"]),
            "vpn": _publish(alice, VPN)}


def _categories(client):
    return {c["name"]: c for c in client.get("/api/v1/knowledge/categories").json["items"]}



def _node(page, category_id):
    """A category's row in the management tree (the antd tree node around its title)."""
    return page.locator(".ant-tree-treenode", has=page.get_by_test_id(f"category-{category_id}"))


def _drag(page, source, target, height=0.7):
    """Drag `source` to `height` (0 top, 1 bottom) of `target` without moving sideways. antd's tree reads the lower
    half of a category as "inside it", the upper half of a category as "just after the one above it" (the first
    child when that one is its open parent)."""
    start, end = source.bounding_box(), target.bounding_box()
    x = start["x"] + 40
    page.mouse.move(x, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(x, start["y"] + start["height"] / 2 + 6, steps=3)
    for step in range(1, 9):
        page.mouse.move(x, (end["y"] + end["height"] * height) * step / 8 + (start["y"] + start["height"] / 2) * (8 - step) / 8)
    page.mouse.move(x, end["y"] + end["height"] * height, steps=3)
    page.mouse.up()


def _dialog(page):
    return page.locator(".ant-modal-content:visible")


def _pick_tree_option(page, select, text):
    """Open a TreeSelect and pick the node with this title."""
    select.click()
    page.locator(".ant-select-dropdown:visible .ant-select-tree-node-content-wrapper",
                 has_text=re.compile(f"^{re.escape(text)}$")).first.click()


def test_staff_arrange_categories_and_readers_browse_by_them(app, browser, live_server, kb):
    alice = kb["alice"]
    context, page = _login(browser, live_server, "alice@example.com", DESKTOP, path="/knowledge")
    page.get_by_role("link", name="Categories", exact=True).click()
    expect(page.get_by_role("heading", name="Knowledge categories")).to_be_visible()
    expect(page.get_by_test_id(f"category-{kb['hardware']}")).to_contain_text("Hardware · 硬件")

    # A two-level tree: IT at the top, Printers (打印机) under it, and Network at the top for now.
    for name in ("IT", "Network"):
        page.get_by_role("button", name="Add category").click()
        expect(_dialog(page).get_by_text("New category")).to_be_visible()
        _dialog(page).get_by_label("Name (English)").fill(name)
        _dialog(page).get_by_role("button", name="Save").click()
        expect(_dialog(page)).to_have_count(0)
    ids = {name: c["id"] for name, c in _categories(alice).items()}
    page.get_by_role("button", name="Add a subcategory to IT").click()
    expect(_dialog(page).get_by_text("New subcategory of “IT”")).to_be_visible()
    _dialog(page).get_by_role("button", name="Save").click()
    expect(_dialog(page).get_by_text("Enter the English name.")).to_be_visible()  # checked before it is sent
    _dialog(page).get_by_label("Name (English)").fill("Printers")
    _dialog(page).get_by_label("Name (Chinese)").fill("打印机")
    _dialog(page).get_by_role("button", name="Save").click()
    expect(_dialog(page)).to_have_count(0)
    ids = {name: c["id"] for name, c in _categories(alice).items()}
    expect(_node(page, ids["Printers"])).to_contain_text("Printers · 打印机")
    assert _categories(alice)["Printers"]["parent_id"] == ids["IT"]

    # Rename with an English and a Chinese name.
    page.get_by_role("button", name="Edit Network").click()
    expect(_dialog(page).get_by_text("Edit “Network”")).to_be_visible()
    _dialog(page).get_by_label("Name (English)").fill("Networking")
    _dialog(page).get_by_label("Name (Chinese)").fill("网络")
    _dialog(page).get_by_role("button", name="Save").click()
    expect(_dialog(page)).to_have_count(0)
    expect(page.get_by_test_id(f"category-{ids['Network']}")).to_contain_text("Networking · 网络")

    # Drag Networking onto IT: it moves inside (first), and the places of IT's categories stay 0, 1.
    _drag(page, page.get_by_test_id(f"category-{ids['Network']}"), page.get_by_test_id(f"category-{ids['IT']}"))
    expect(page.get_by_text("Category moved.")).to_be_visible()
    moved = _categories(alice)
    assert moved["Networking"]["parent_id"] == ids["IT"], moved
    under_it = sorted((c["position"], c["name"]) for c in moved.values() if c["parent_id"] == ids["IT"])
    assert [p for p, _ in under_it] == [0, 1] and {n for _, n in under_it} == {"Printers", "Networking"}
    assert sorted(c["position"] for c in moved.values() if c["parent_id"] is None) == [0, 1]
    expect(page.locator(".ant-tree-treenode", has_text="Networking").locator(".ant-tree-indent-unit")).to_have_count(1)

    # Reorder: Printers dragged above Networking becomes IT's first.
    assert moved["Networking"]["position"] == 0  # dropped inside: first
    _drag(page, page.get_by_test_id(f"category-{ids['Printers']}"), page.get_by_test_id(f"category-{ids['Network']}"),
          height=0.25)
    expect(page.locator(".gd-kb-cat-tree .gd-kb-cat-name")).to_have_text(
        ["Hardware · 硬件", "IT", "Printers · 打印机", "Networking · 网络"])
    reordered = _categories(alice)
    assert [reordered[n]["position"] for n in ("Printers", "Networking")] == [0, 1]
    assert reordered["Printers"]["parent_id"] == ids["IT"]
    _shoot(page, "knowledge-categories-en.png")

    # IT cannot go under its own child: the server's words, under the field.
    page.get_by_role("button", name="Edit IT").click()
    _pick_tree_option(page, _dialog(page).get_by_test_id("category-parent"), "Printers")
    _dialog(page).get_by_role("button", name="Save").click()
    expect(_dialog(page).get_by_text("A category cannot be inside itself.")).to_be_visible()
    _shoot(page, "knowledge-categories-cycle-en.png", full_page=False)
    _dialog(page).get_by_role("button", name="Cancel").click()
    assert _categories(alice)["IT"]["parent_id"] is None

    # Hardware still holds an article: asked first, then told why it stays.
    page.get_by_role("button", name="Delete Hardware").click()
    confirm = page.locator(".ant-popover:visible")
    expect(confirm.get_by_text("Delete “Hardware”?")).to_be_visible()
    confirm.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_test_id("category-error")).to_contain_text(
        "Category “Hardware” cannot be deleted: it still holds 1 article; move them elsewhere first.")
    expect(page.get_by_test_id(f"category-{kb['hardware']}")).to_be_visible()
    _shoot(page, "knowledge-categories-delete-refused-en.png")
    page.set_viewport_size(PHONE)
    expect(page.get_by_test_id("category-tree")).to_be_visible()
    fits(page, PHONE["width"])
    _shoot(page, "knowledge-categories-en-375.png", full_page=False)
    page.set_viewport_size(DESKTOP)

    # An empty category goes.
    page.get_by_role("button", name="Add category").click()
    _dialog(page).get_by_label("Name (English)").fill("Scratch")
    _dialog(page).get_by_role("button", name="Save").click()
    expect(_dialog(page)).to_have_count(0)
    page.get_by_role("button", name="Delete Scratch").click()
    page.locator(".ant-popover:visible").get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_text("Category deleted.")).to_be_visible()
    expect(page.locator(".ant-tree-treenode", has_text="Scratch")).to_have_count(0)

    # The printer article goes under Printers; the home filters by IT (Printers included) and by a tag.
    printer = _publish(alice, PRINTER, category_id=ids["Printers"])
    page.goto(f"{live_server}/knowledge")
    latest = page.get_by_test_id("kb-latest")
    expect(latest.locator(":scope > li")).to_have_count(3)
    side = page.get_by_test_id("kb-category-tree")
    expect(page.get_by_test_id("kb-category-select")).to_be_hidden()  # the tree beside the list on a desktop
    side.get_by_text("IT", exact=True).click()
    expect(page).to_have_url(re.compile(f"category={ids['IT']}"))
    expect(page.get_by_test_id("kb-filter-category")).to_have_text("Category: IT")
    expect(latest.locator(":scope > li")).to_have_count(1)
    expect(latest).to_contain_text("Printer shows offline")
    latest.get_by_role("link", name="network", exact=True).click()
    expect(page.get_by_test_id("kb-filter-tag")).to_have_text("Tag: network")
    expect(latest.locator(":scope > li")).to_have_count(1)
    _shoot(page, "knowledge-home-filtered-en.png")
    page.get_by_role("button", name="All categories").click()
    expect(page.get_by_test_id("kb-filter-category")).to_have_count(0)
    expect(latest.locator(":scope > li")).to_have_count(2)  # every article tagged network
    expect(latest).to_contain_text("VPN drops every few minutes")
    page.get_by_label("Remove filter network").click()
    expect(page.get_by_test_id("kb-filters")).to_have_count(0)
    expect(latest.locator(":scope > li")).to_have_count(3)

    # Search honours the category too.
    side.get_by_text("Hardware", exact=True).click()
    page.get_by_test_id("kb-search").fill("printer")
    page.get_by_test_id("kb-search").press("Enter")
    expect(page.get_by_text("No articles match these filters.")).to_be_visible()
    side.get_by_text("Printers", exact=True).click()
    expect(page.get_by_test_id("kb-results").locator(":scope > li")).to_have_count(1)

    # The article's category path, each a link to the home filtered by it.
    page.goto(f"{live_server}/knowledge/{printer}")
    crumbs = page.get_by_test_id("kb-breadcrumb")
    expect(crumbs).to_have_text(re.compile("Knowledge base\\s*/\\s*IT\\s*/\\s*Printers"))
    crumbs.get_by_role("link", name="IT").click()
    expect(page).to_have_url(re.compile(f"/knowledge\\?category={ids['IT']}$"))
    expect(page.get_by_test_id("kb-latest").locator(":scope > li")).to_have_count(1)

    # On a phone: a TreeSelect above the list instead of the tree.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/knowledge")
    expect(page.get_by_test_id("kb-category-tree")).to_be_hidden()
    _pick_tree_option(page, page.get_by_test_id("kb-category-select"), "Hardware")
    expect(page.get_by_test_id("kb-latest").locator(":scope > li")).to_have_count(1)
    expect(page.get_by_test_id("kb-latest")).to_contain_text("Laptop will not boot")
    fits(page, PHONE["width"])
    _shoot(page, "knowledge-home-filtered-en-375.png", full_page=False)
    context.close()

    # A Chinese agent is told in Chinese why Hardware stays (its Chinese name in the message).
    context, page = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN", path="/knowledge/categories")
    expect(page.get_by_role("heading", name="知识库分类")).to_be_visible()
    expect(page.get_by_test_id(f"category-{ids['Printers']}")).to_contain_text("打印机 · Printers")
    page.get_by_role("button", name="删除硬件").click()
    page.locator(".ant-popover:visible").get_by_role("button", name="删 除").or_(
        page.locator(".ant-popover:visible").get_by_role("button", name="删除")).click()
    expect(page.get_by_test_id("category-error")).to_contain_text(
        "分类“硬件”不能删除：其下仍有 1 篇文章，请先移走。")
    fits(page, PHONE["width"])
    _shoot(page, "knowledge-categories-zh-375.png", full_page=False)
    page.set_viewport_size(DESKTOP)
    _shoot(page, "knowledge-categories-zh.png")
    context.close()

    # A Chinese requester browses by the Chinese names, on a desktop and on a phone.
    context, page = _login(browser, live_server, "li@example.com", DESKTOP, locale="zh-CN", path="/knowledge")
    side = page.get_by_test_id("kb-category-tree")
    for name in ("硬件", "IT", "打印机", "网络"):
        expect(side.get_by_text(name, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="分类管理")).to_have_count(0)  # not for requesters
    side.get_by_text("打印机", exact=True).click()
    expect(page.get_by_test_id("kb-filter-category")).to_have_text("分类：打印机")
    expect(page.get_by_test_id("kb-latest")).to_contain_text("打印机显示脱机")
    _shoot(page, "knowledge-home-filtered-zh.png")
    page.get_by_role("link", name="打印机显示脱机").click()
    expect(page.get_by_test_id("kb-breadcrumb")).to_have_text(re.compile("知识库\\s*/\\s*IT\\s*/\\s*打印机"))
    _shoot(page, "knowledge-article-breadcrumb-zh.png")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/knowledge?tag=network")
    expect(page.get_by_test_id("kb-filter-tag")).to_have_text("标签：network")
    expect(page.get_by_test_id("kb-latest").locator(":scope > li")).to_have_count(2)
    _pick_tree_option(page, page.get_by_test_id("kb-category-select"), "网络")
    expect(page.get_by_text("没有符合筛选条件的文章。")).to_be_visible()
    fits(page, PHONE["width"])
    _shoot(page, "knowledge-home-filtered-zh-375.png", full_page=False)
    context.close()
