"""Keeping articles up to date, in real Chromium: the owner of an article whose review-by date has come gets a
notification (the hourly job, run here by hand); the bell opens the article, marked "review due"; staff list the
articles due for review; the editor lists the article's images and deletes one the saved text no longer shows, while
the one it shows cannot be deleted. In Chinese on a 375 px phone and in English on a desktop. Screenshots in
test-artifacts/screenshots."""

from __future__ import annotations

# ruff: noqa: RUF001  (Chinese punctuation is meant)
import io

import pytest
from playwright.sync_api import expect

from platform_core.db import utcnow
from tests.browser.antd import fits
from tests.browser.test_workspace import DESKTOP, PHONE, _login, _shoot
from tests.conftest import PASSWORD, Api
from tests.runtime.test_attachments import png_bytes

expect.set_options(timeout=15_000)


@pytest.fixture
def owned(app, admin, make_user):
    """王芳 (an agent reading Chinese) owns a published article with two images, one in its text, due today."""
    make_user("wang@example.com", ["agent"], name="王芳", locale="zh-CN")
    make_user("alice@example.com", ["agent"], name="Alice Agent")
    wang = Api(app.test_client())
    assert wang.login("wang@example.com", PASSWORD).status_code == 200
    created = wang.post("/api/v1/knowledge/articles", json={"locale": "zh-CN", "texts": {
        "zh-CN": {"title": "打印机无法连接网络", "body": "先检查网线。"}}})
    assert created.status_code == 201, created.json
    article_id = created.json["id"]
    images = []
    for name in ("网线.png", "旧截图.png"):
        uploaded = wang.post(f"/api/v1/knowledge/articles/{article_id}/images", content_type="multipart/form-data",
                             data={"file": (io.BytesIO(png_bytes()), name, "image/png")})
        assert uploaded.status_code == 201, uploaded.json
        images.append(uploaded.json)
    saved = wang.put(f"/api/v1/knowledge/articles/{article_id}", json={
        "locale": "zh-CN", "review_by": utcnow().date().isoformat(),
        "texts": {"zh-CN": {"title": "打印机无法连接网络", "body": f"先检查网线。\n\n{images[0]['markdown']}\n"}}})
    assert saved.status_code == 200, saved.json
    assert wang.post(f"/api/v1/knowledge/articles/{article_id}/publish").status_code == 200
    return article_id


def test_the_owner_is_reminded_and_tidies_the_articles_images(app, browser, live_server, owned):
    from runtime.knowledge.reviews import remind_article_reviews

    with app.app_context():
        assert remind_article_reviews() == {"reminded": 1, "nobody": 0}

    context, page = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN")
    page.get_by_role("button", name="通知，1 条未读").click()
    reminder = page.locator(".gd-bell-item", has_text="文章“打印机无法连接网络”已到复审日期")
    expect(reminder).to_be_visible()
    _shoot(page, "knowledge-review-bell-zh-375.png", full_page=False)
    reminder.locator("button").click()
    expect(page).to_have_url(f"{live_server}/knowledge/{owned}")
    expect(page.get_by_role("heading", name="打印机无法连接网络")).to_be_visible()
    expect(page.locator(".gd-kb-meta").get_by_text("待复审")).to_be_visible()
    fits(page)
    _shoot(page, "knowledge-review-article-zh-375.png")

    # The editor lists both images: the one the text shows cannot be deleted, the other can.
    page.goto(f"{live_server}/knowledge/{owned}/edit")
    images = page.get_by_test_id("kb-image")
    expect(images).to_have_count(2)
    shown, unused = images.nth(0), images.nth(1)
    expect(shown).to_contain_text("网线.png")
    expect(shown).to_contain_text("已保存的正文在用（简体中文）")
    expect(shown.get_by_role("button", name="删除")).to_be_disabled()
    expect(unused).to_contain_text("已保存的正文未用")
    fits(page)
    _shoot(page, "knowledge-images-editor-zh-375.png")
    unused.get_by_role("button", name="删除").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="删除").click()
    expect(page.get_by_text("图片已删除")).to_be_visible()
    expect(images).to_have_count(1)
    context.close()

    # On a desktop in English: "Due for review" lists it; an image inserted again from the list goes into the body.
    context, page = _login(browser, live_server, "alice@example.com", DESKTOP, path="/knowledge")
    page.get_by_test_id("kb-review-due").click()
    expect(page.get_by_test_id("kb-filter-review")).to_contain_text("Due for review")
    expect(page.get_by_test_id("kb-latest").get_by_role("link", name="打印机无法连接网络")).to_be_visible()
    expect(page.get_by_test_id("kb-latest").get_by_text("Review due")).to_be_visible()
    _shoot(page, "knowledge-review-due-en.png")
    page.goto(f"{live_server}/knowledge/{owned}/edit")
    expect(page.get_by_test_id("kb-image")).to_have_count(1)
    expect(page.get_by_test_id("kb-image")).to_contain_text("In the saved text (简体中文)")
    body = page.locator(".gd-kb-body-field textarea")
    before = body.input_value()
    page.get_by_test_id("kb-image").get_by_role("button", name="Insert").click()
    expect(body).not_to_have_value(before)
    assert body.input_value().count("/images/att_") == 2
    assert page.csp_violations == []
    _shoot(page, "knowledge-images-editor-en.png")
    context.close()
