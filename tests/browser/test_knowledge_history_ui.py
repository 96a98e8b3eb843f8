"""An article's version history in real Chromium: an agent who edited an article twice (through the API) opens
History, compares the first version with the current one (changed words marked), restores version 1 and reads
the old text again; a Chinese-reading agent on a 375 px phone sees the history in Chinese and the API's message
when someone saved meanwhile. Screenshots at desktop and 375 px, English and Chinese, in test-artifacts/screenshots."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.antd import choose, fits
from tests.browser.test_workspace import DESKTOP, PHONE, _login, _shoot
from tests.conftest import PASSWORD, Api

expect.set_options(timeout=15_000)

V1 = {"en": {"title": "Printer offline", "body": "Restart the printer.\n\nCheck the network cable."},
      "zh-CN": {"title": "打印机脱机", "body": "重启打印机。\n\n检查网线。"}}
V2 = {"en": {"title": "Printer offline", "body": "Restart the printer.\n\nCheck the network cable and the IP address."},
      "zh-CN": {"title": "打印机脱机", "body": "重启打印机。\n\n检查网线和 IP 地址。"}}
V3 = {"en": {"title": "Printer shows offline",
             "body": "Restart the printer.\n\nCheck the network cable and the IP address.\n\n"
                     "Call the service desk if it stays offline."},
      "zh-CN": {"title": "打印机显示脱机",
                "body": "重启打印机。\n\n检查网线和 IP 地址。\n\n如果仍然脱机，请联系服务台。"}}


@pytest.fixture
def edited(app, make_user):
    """Alice writes the article and edits it twice: three versions."""
    alice_id = make_user("alice@example.com", ["agent"], name="Alice Agent")
    make_user("wang@example.com", ["agent"], name="王芳", locale="zh-CN")
    alice = Api(app.test_client())
    assert alice.login("alice@example.com", PASSWORD).status_code == 200
    created = alice.post("/api/v1/knowledge/articles", json={"locale": "en", "texts": V1})
    assert created.status_code == 201, created.json
    article_id = created.json["id"]
    for texts, note in ((V2, "IP address step"), (V3, "Call the desk")):
        saved = alice.put(f"/api/v1/knowledge/articles/{article_id}",
                          json={"locale": "en", "texts": texts, "owner_id": alice_id, "note": note})
        assert saved.status_code == 200, saved.json
    return alice, article_id, alice_id


def _drawer(page):
    return page.locator(".gd-kb-history .ant-drawer-content")


def _fits(page, width):
    """Nothing wider than the screen: not the page (antd.fits), not the drawer's body."""
    fits(page, width)
    body = page.locator(".gd-kb-history .ant-drawer-body")
    assert body.evaluate("e => e.scrollWidth <= e.clientWidth")


def test_compare_and_restore_an_old_version(browser, live_server, edited):
    alice, article_id, alice_id = edited
    context, page = _login(browser, live_server, "alice@example.com", DESKTOP, path=f"/knowledge/{article_id}")
    expect(page.get_by_role("heading", name="Printer shows offline")).to_be_visible()
    page.get_by_role("button", name="History").click()
    drawer = _drawer(page)
    expect(drawer.get_by_text("Version history")).to_be_visible()
    versions = drawer.get_by_test_id("kb-versions").locator(":scope > li")
    expect(versions).to_have_count(3)
    newest = drawer.get_by_test_id("kb-version-3")
    expect(newest.get_by_text("Current")).to_be_visible()
    expect(newest.get_by_text("Call the desk")).to_be_visible()
    expect(newest.get_by_text(re.compile("^Alice Agent, "))).to_be_visible()
    expect(newest.get_by_role("button", name="Restore this version")).to_have_count(0)

    # Version 1 against the current one: the titles, and the body with the added words marked.
    drawer.get_by_test_id("kb-version-1").get_by_role("button", name="Compare with current").click()
    diff = drawer.get_by_test_id("kb-diff")
    expect(diff.get_by_text("Removed: in version 1, not in version 3")).to_be_visible()
    expect(diff.locator(".gd-kb-change").first).to_have_attribute("data-path", "texts/en/title")
    expect(diff.locator("[data-path='owner_id']")).to_have_count(0)
    title = diff.locator("[data-path='texts/en/title']")
    expect(title.get_by_role("heading", name="Title (English)")).to_be_visible()
    expect(title.locator("ins")).to_have_text("shows ")
    body = diff.locator("[data-path='texts/en/body']")
    expect(body.locator(".is-del")).to_have_text(re.compile("Check the network cable\\."))
    expect(body.locator(".is-add ins").first).to_have_text(re.compile("and the IP address"))
    expect(body.locator(".is-add").last).to_have_text(re.compile("Call the service desk if it stays offline."))
    expect(diff.locator("[data-path='texts/zh-CN/body']").get_by_role("heading", name="Body (Chinese)")).to_be_visible()
    _shoot(page, "knowledge-history-en.png")
    page.set_viewport_size(PHONE)
    expect(diff).to_be_visible()
    _fits(page, PHONE["width"])
    _shoot(page, "knowledge-history-en-375.png", full_page=False)
    page.set_viewport_size(DESKTOP)

    # Restore version 1: asked first, then a fourth version that says what the first said.
    drawer.get_by_test_id("kb-version-1").get_by_role("button", name="Restore this version").click()
    confirm = page.locator(".ant-popover:visible")
    expect(confirm.get_by_text("Restore version 1?")).to_be_visible()
    expect(confirm.get_by_text(re.compile("saved as a new version, 4: nothing is lost"))).to_be_visible()
    _shoot(page, "knowledge-history-restore-en.png", full_page=False)
    confirm.get_by_role("button", name="Restore", exact=True).click()
    expect(page.get_by_text("Version 1 restored as version 4.")).to_be_visible()
    expect(versions).to_have_count(4)
    expect(drawer.get_by_test_id("kb-version-4").get_by_text("Restored version 1")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", name="Printer offline")).to_be_visible()
    expect(page.locator(".gd-kb-body")).to_have_text(re.compile("Check the network cable\\.\\s*$"))
    expect(page.locator(".gd-kb-body")).not_to_contain_text("IP address")
    context.close()
    article = alice.get(f"/api/v1/knowledge/articles/{article_id}").json
    assert article["version"] == 4 and article["texts"]["en"]["body"] == V1["en"]["body"]

    # In Chinese on a phone: the restore is in the history, the last change compared by default.
    context, page = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN",
                           path=f"/knowledge/{article_id}")
    expect(page.get_by_role("heading", name="打印机脱机")).to_be_visible()
    page.get_by_role("button", name="历史版本").click()
    drawer = _drawer(page)
    expect(drawer.get_by_text("版本历史")).to_be_visible()
    expect(drawer.get_by_test_id("kb-version-4").get_by_text("恢复自版本 1")).to_be_visible()
    expect(drawer.get_by_test_id("kb-version-4").get_by_text("当前版本")).to_be_visible()
    diff = drawer.get_by_test_id("kb-diff")
    expect(diff.get_by_text("删除：版本 3 有，版本 4 没有")).to_be_visible()
    zh_body = diff.locator("[data-path='texts/zh-CN/body']")
    expect(zh_body.get_by_role("heading", name="正文（中文）")).to_be_visible()
    expect(zh_body.locator(".is-del del").first).to_have_text(re.compile("和 IP 地址"))
    _fits(page, PHONE["width"])
    _shoot(page, "knowledge-history-zh-375.png", full_page=False)
    drawer.get_by_test_id("kb-diff").scroll_into_view_if_needed()
    _shoot(page, "knowledge-history-diff-zh-375.png", full_page=False)
    # Any two versions: version 1 and the current one (its restore) say the same.
    choose(page, drawer.locator(".ant-select", has=page.get_by_label("从版本", exact=True)), "版本 1")
    expect(drawer.get_by_text("这两个版本的内容相同。")).to_be_visible()

    # Someone saves meanwhile: restoring now is refused, with the API's message, and nothing changes.
    saved = alice.put(f"/api/v1/knowledge/articles/{article_id}", json={"locale": "en", "texts": V2, "owner_id": alice_id})
    assert saved.status_code == 200, saved.json
    row = drawer.get_by_test_id("kb-version-2")
    row.get_by_role("button", name="恢复此版本").click()
    confirm = page.locator(".ant-popover:visible")
    expect(confirm.get_by_text(re.compile("另存为新版本（版本 5）：不会丢失任何内容"))).to_be_visible()
    confirm.get_by_role("button", name="恢 复").or_(confirm.get_by_role("button", name="恢复", exact=True)).click()
    expect(row.get_by_role("alert")).to_contain_text("文章已被他人修改")
    _fits(page, PHONE["width"])
    page.set_viewport_size(DESKTOP)
    _shoot(page, "knowledge-history-zh.png", full_page=False)
    context.close()
    assert alice.get(f"/api/v1/knowledge/articles/{article_id}").json["version"] == 5
