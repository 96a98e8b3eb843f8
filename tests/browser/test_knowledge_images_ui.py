"""Images in knowledge articles, in real Chromium: an agent opens a draft in the editor, inserts an image (antd
Upload, the Markdown goes where the caret is), saves and publishes; requesters read the article on a 375 px phone in
Chinese and on a desktop, and the image is displayed, scaled to the column. A new article is saved as a draft
before its first image (it says so). Screenshots in test-artifacts/screenshots."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from tests.browser.test_workspace import DESKTOP, PHONE, _login, _shoot
from tests.conftest import PASSWORD, Api
from tests.runtime.test_attachments import _chunk

expect.set_options(timeout=15_000)


def wide_png(width: int = 1200, height: int = 240) -> bytes:
    """A PNG wider than any article column: blue and orange bands with a grey frame."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            edge = x < 6 or y < 6 or x >= width - 6 or y >= height - 6
            row += b"\x80\x80\x80" if edge else (b"\x16\x77\xff" if (x // 100) % 2 == 0 else b"\xfa\x8c\x16")
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + _chunk(b"IEND", b""))


@pytest.fixture
def draft(app, admin, make_user):
    make_user("alice@example.com", ["agent"], name="Alice Agent")
    make_user("wang@example.com", ["agent"], name="王芳", locale="zh-CN")
    make_user("li@example.com", ["requester"], name="李雷", locale="zh-CN")
    make_user("rita@example.com", ["requester"], name="Rita Requester")
    alice = Api(app.test_client())
    assert alice.login("alice@example.com", PASSWORD).status_code == 200
    created = alice.post("/api/v1/knowledge/articles", json={"locale": "en", "texts": {
        "en": {"title": "Printer offline: find its address", "body": "Open the printer's menu.\n\nThen restart it."}}})
    assert created.status_code == 201, created.json
    return created.json["id"]


def _image_shown(page, scope):
    image = scope.locator("img")
    expect(image).to_have_count(1)
    expect(image).to_have_attribute("src", re.compile(r"^/api/v1/knowledge/articles/\d+/images/att_"))
    image.evaluate("img => img.decode()")  # wait until it is decoded
    natural, shown = image.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
    assert natural == 1200, natural
    return shown


def test_an_agent_inserts_an_image_and_requesters_see_it(browser, live_server, draft, tmp_path):
    picture = tmp_path / "printer-menu.png"
    picture.write_bytes(wide_png())

    # A new article is saved as a draft before its first image (test_knowledge_editor_ui.py inserts one so).
    context, page = _login(browser, live_server, "alice@example.com", DESKTOP, path="/knowledge/new")
    expect(page.get_by_test_id("kb-insert-image")).to_be_enabled()
    expect(page.get_by_test_id("kb-insert-image")).to_have_text("Insert image")
    expect(page.get_by_text("The article is saved as a draft first (it needs a title)")).to_be_visible()

    page.goto(f"{live_server}/knowledge/{draft}/edit")
    body = page.get_by_label("Body (Markdown)")
    expect(body).to_have_value(re.compile("Then restart it"))
    # The caret after the first paragraph: the image goes there, between the two.
    body.evaluate("area => { area.focus(); area.setSelectionRange(24, 24); }")
    expect(page.get_by_test_id("kb-insert-image")).to_be_enabled()
    page.locator(".gd-kb-image-tools input[type=file]").set_input_files(str(picture))
    expect(body).to_have_value(re.compile(
        r"^Open the printer's menu\.\n\n!\[printer-menu\]\(/api/v1/knowledge/articles/\d+/images/att_[\w-]+\)\n\nThen"))
    expect(page.get_by_text("Image inserted.")).to_be_visible()
    _shoot(page, "knowledge-image-editor-en.png")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("heading", name="Printer offline: find its address")).to_be_visible()
    shown = _image_shown(page, page.locator(".gd-kb-body"))
    assert shown <= 760  # scaled to the column
    assert page.csp_violations == []
    _shoot(page, "knowledge-image-article-en.png")
    context.close()

    # A Chinese-speaking agent's editor on a phone: the button and its help in Chinese, nothing wider than 375 px.
    context, page = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN",
                           path=f"/knowledge/{draft}/edit")
    expect(page.get_by_test_id("kb-insert-image")).to_be_enabled()
    expect(page.get_by_test_id("kb-insert-image")).to_have_text("插入图片")
    expect(page.get_by_text("支持 PNG、JPEG、GIF 或 WebP")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _shoot(page, "knowledge-image-editor-zh-375.png")
    context.close()

    # Requesters read it: 李雷 on a phone in Chinese (the article is only in English), Rita on a desktop.
    context, page = _login(browser, live_server, "li@example.com", PHONE, locale="zh-CN", path=f"/knowledge/{draft}")
    expect(page.get_by_role("heading", name="Printer offline: find its address")).to_be_visible()
    expect(page.get_by_role("button", name="编辑")).to_have_count(0)
    shown = _image_shown(page, page.locator(".gd-kb-body"))
    assert shown <= 375 - 16, shown
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.csp_violations == []
    _shoot(page, "knowledge-image-article-zh-375.png")
    context.close()

    context, page = _login(browser, live_server, "rita@example.com", DESKTOP, path=f"/knowledge/{draft}")
    expect(page.get_by_role("heading", name="Printer offline: find its address")).to_be_visible()
    _image_shown(page, page.locator(".gd-kb-body"))
    assert page.csp_violations == []
    context.close()
