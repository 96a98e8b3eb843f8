"""The article editor in real Chromium: an agent writes an English article with a Chinese translation (a title is
needed in each language), a category, visibility for one team, a review date and a related ticket type, previews the
body as the server renders it (a heading and a table; the script is text), and publishes; a Chinese-reading
requester of that team reads the Chinese text; the editor, opened again by a Chinese-reading agent on a phone and by
the author, shows every field as saved; a translation can be removed. A new article takes an image before its first
save: it is saved as a draft and the address becomes its editor's. Screenshots in test-artifacts/screenshots."""


from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.antd import choose, fits
from tests.browser.test_knowledge_images_ui import wide_png
from tests.browser.test_workspace import DESKTOP, PHONE, _login, _shoot
from tests.conftest import PASSWORD, Api
from tests.runtime.test_tickets import EXAMPLE

expect.set_options(timeout=15_000)

BODY_EN = ("## Steps\n\n| step | what |\n|---|---|\n| 1 | Restart the printer |\n| 2 | Check its cable |\n\n"
           "<script>window.__xss = 1</script>\n\n<img src=x onerror=\"window.__xss = 2\">")
BODY_ZH = "## 步骤\n\n| 步骤 | 做什么 |\n|---|---|\n| 1 | 重启打印机 |\n| 2 | 检查网线 |"


@pytest.fixture
def office(app, admin, make_user):
    """Alice (agent) and 王芳 (agent, Chinese) write; they and 李雷 (requester, Chinese) are on the plant floor, Rita
    is not (a team-restricted article is read by its teams' members, staff included, and by its owner). A
    published ticket type; two categories with Chinese names; two teams."""
    ids = {
        "alice": make_user("alice@example.com", ["agent"], name="Alice Agent"),
        "wang": make_user("wang@example.com", ["agent"], name="王芳", locale="zh-CN"),
        "li": make_user("li@example.com", ["requester"], name="李雷", locale="zh-CN"),
        "rita": make_user("rita@example.com", ["requester"], name="Rita Requester"),
    }
    ids["team"] = admin.post("/api/v1/teams", json={"key": "plant-floor", "name": "Plant floor",
                                                    "member_ids": [ids["li"], ids["alice"], ids["wang"]]}).json["id"]
    admin.post("/api/v1/teams", json={"key": "lab", "name": "Lab"})
    assert admin.post("/api/v1/ticket-types/import", json=EXAMPLE).status_code == 201
    hardware = admin.post("/api/v1/knowledge/categories", json={"name": "Hardware", "i18n": {"zh-CN": {"name": "硬件"}}})
    ids["printers"] = admin.post("/api/v1/knowledge/categories", json={
        "name": "Printers", "parent_id": hardware.json["id"], "i18n": {"zh-CN": {"name": "打印机"}}}).json["id"]
    return ids



def _field(page, label):
    """The form item whose label is ``label``."""
    return page.locator(".ant-form-item", has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$")))


def _tree_choose(page, label, option):
    """Pick ``option`` in the TreeSelect labelled ``label`` (its tree is already expanded)."""
    _field(page, label).locator(".ant-select").click()
    page.locator(".ant-select-dropdown:visible .ant-select-tree-title", has_text=re.compile(f"^{option}$")).click()
    expect(_field(page, label).locator(".ant-select-selection-item")).to_have_text(option)


def test_an_agent_writes_in_two_languages_with_every_property(app, browser, live_server, office, admin):
    context, page = _login(browser, live_server, "alice@example.com", DESKTOP, path="/knowledge/new")
    expect(page.get_by_test_id("kb-lang-en")).to_contain_text("English")
    page.get_by_label("Title").fill("Printer offline on floor 3")
    page.get_by_label("Body (Markdown)").fill(BODY_EN)

    # A translation: its own title and body; a title is needed in every language shown.
    page.get_by_test_id("kb-add-translation").click()
    expect(page.get_by_test_id("kb-add-translation")).to_have_count(0)  # only two languages
    expect(page.get_by_role("tab", name="简体中文")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label("Title")).to_have_value("")
    page.get_by_label("Body (Markdown)").fill(BODY_ZH)
    page.get_by_role("tab", name=re.compile("^English")).click()
    expect(page.get_by_label("Title")).to_have_value("Printer offline on floor 3")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("tab", name="简体中文")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("Give the article a title in 简体中文.")).to_be_visible()
    expect(page).to_have_url(re.compile("/knowledge/new$"))  # nothing was saved
    page.get_by_label("Title").fill("三楼打印机脱机")
    expect(page.get_by_test_id("kb-lang-zh-CN")).not_to_have_class(re.compile("gd-kb-lang-error"))
    expect(page.get_by_label("Body (Markdown)")).to_have_value(BODY_ZH)

    # The properties.
    _tree_choose(page, "Category", "Printers")
    choose(page, _field(page, "Visible to").locator(".ant-select"), "Chosen teams")
    choose(page, _field(page, "Teams").locator(".ant-select"), "Plant floor")
    review = _field(page, "Review by").locator("input")
    review.click()
    review.fill("2027-03-01")
    review.press("Enter")
    expect(review).to_have_value("2027-03-01")
    choose(page, _field(page, "Related ticket types").locator(".ant-select"), "IT incident")

    # The preview: the server's rendering of the open language's body; the script and the handler are inert.
    page.get_by_role("tab", name=re.compile("^English")).click()
    page.get_by_test_id("kb-body-mode").get_by_text("Preview").click()
    preview = page.get_by_test_id("kb-preview")
    expect(preview.get_by_role("heading", name="Steps")).to_be_visible()
    expect(preview.locator("table tbody tr")).to_have_count(2)
    expect(preview.locator("script, img")).to_have_count(0)
    expect(preview).to_contain_text("<script>window.__xss = 1</script>")  # shown as text
    expect(page.get_by_label("Body (Markdown)")).to_be_hidden()
    assert page.evaluate("window.__xss") is None
    _shoot(page, "knowledge-editor-preview-en.png")
    page.get_by_role("tab", name="简体中文").click()
    expect(preview.get_by_role("heading", name="步骤")).to_be_visible()
    page.get_by_test_id("kb-body-mode").get_by_text("Write").click()
    expect(page.get_by_label("Body (Markdown)")).to_have_value(BODY_ZH)
    _shoot(page, "knowledge-editor-full-en.png")

    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("heading", name="Printer offline on floor 3")).to_be_visible()
    article_id = int(re.search(r"/knowledge/(\d+)$", page.url).group(1))
    assert page.evaluate("window.__xss") is None
    assert page.csp_violations == []
    context.close()

    saved = admin.get(f"/api/v1/knowledge/articles/{article_id}").json
    assert saved["status"] == "published" and saved["locale"] == "en"
    assert {k: (v["title"], v["body"]) for k, v in saved["texts"].items()} == {
        "en": ("Printer offline on floor 3", BODY_EN), "zh-CN": ("三楼打印机脱机", BODY_ZH)}
    assert saved["category_id"] == office["printers"] and saved["visibility"] == "teams"
    assert saved["team_ids"] == [office["team"]] and saved["review_by"] == "2027-03-01"
    assert saved["ticket_types"] == ["it-incident"] and saved["owner_id"] == office["alice"]

    # 李雷 (plant floor, reads Chinese) gets the Chinese text; Rita (not in the team) does not get the article.
    context, page = _login(browser, live_server, "li@example.com", PHONE, locale="zh-CN", path=f"/knowledge/{article_id}")
    expect(page.get_by_role("heading", name="三楼打印机脱机")).to_be_visible()
    expect(page.locator(".gd-kb-body table tbody tr")).to_have_count(2)
    fits(page)
    context.close()
    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200
    assert rita.get(f"/api/v1/knowledge/articles/{article_id}").status_code == 404

    # 王芳 opens the editor on a phone in Chinese: every field as saved, the category in Chinese.
    context, page = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN",
                           path=f"/knowledge/{article_id}/edit")
    expect(page.get_by_label("标题")).to_have_value("Printer offline on floor 3")
    expect(page.get_by_test_id("kb-lang-en")).to_contain_text("原文")
    expect(_field(page, "分类").locator(".ant-select-selection-item")).to_have_text("打印机")
    expect(_field(page, "可见范围").locator(".ant-select-selection-item")).to_have_text("指定团队")
    expect(_field(page, "团队").locator(".ant-select-selection-item")).to_have_text("Plant floor")
    expect(_field(page, "负责人").locator(".ant-select-selection-item")).to_contain_text("Alice Agent")
    expect(_field(page, "复审日期").locator("input")).to_have_value("2027-03-01")
    expect(_field(page, "相关工单类型").locator(".ant-select-selection-item")).to_have_count(1)
    page.get_by_role("tab", name="简体中文").click()
    expect(page.get_by_label("标题")).to_have_value("三楼打印机脱机")
    fits(page)
    _shoot(page, "knowledge-editor-zh-375.png")
    page.get_by_test_id("kb-body-mode").get_by_text("预览").click()
    expect(page.get_by_test_id("kb-preview").get_by_role("heading", name="步骤")).to_be_visible()
    fits(page)
    _shoot(page, "knowledge-editor-preview-zh-375.png", full_page=False)
    page.set_viewport_size(DESKTOP)
    _shoot(page, "knowledge-editor-preview-zh.png")
    context.close()

    # The author reopens it: everything kept; she removes the translation (after confirming) and saves.
    context, page = _login(browser, live_server, "alice@example.com", DESKTOP, path=f"/knowledge/{article_id}/edit")
    expect(page.get_by_label("Title")).to_have_value("Printer offline on floor 3")
    expect(page.get_by_label("Body (Markdown)")).to_have_value(BODY_EN)
    expect(_field(page, "Category").locator(".ant-select-selection-item")).to_have_text("Printers")
    expect(_field(page, "Teams").locator(".ant-select-selection-item")).to_have_text("Plant floor")
    expect(_field(page, "Related ticket types").locator(".ant-select-selection-item")).to_have_text("IT incident")
    expect(page.get_by_test_id("kb-remove-en")).to_have_count(0)  # the original language stays
    page.get_by_role("tab", name="简体中文").click()
    page.get_by_test_id("kb-remove-zh-CN").click()
    dialog = page.locator(".ant-modal-confirm")
    expect(dialog).to_contain_text("Remove the 简体中文 translation?")
    dialog.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("tab", name="简体中文")).to_have_count(0)
    expect(page.get_by_test_id("kb-add-translation")).to_be_visible()
    _shoot(page, "knowledge-editor-reopened-en.png")
    page.set_viewport_size(PHONE)
    fits(page)
    _shoot(page, "knowledge-editor-reopened-en-375.png")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Printer offline on floor 3")).to_be_visible()
    context.close()
    after = admin.get(f"/api/v1/knowledge/articles/{article_id}").json
    assert after["translations"] == ["en"] and after["team_ids"] == [office["team"]]
    assert after["category_id"] == office["printers"] and after["review_by"] == "2027-03-01"


def test_a_new_article_takes_an_image_after_a_draft_save(browser, live_server, office, tmp_path, admin):
    picture = tmp_path / "floor-plan.png"
    picture.write_bytes(wide_png())
    context, page = _login(browser, live_server, "alice@example.com", DESKTOP, path="/knowledge/new")
    button = page.get_by_test_id("kb-insert-image")
    expect(button).to_be_enabled()
    upload = page.locator(".gd-kb-image-tools input[type=file]")
    # No title yet: nothing is saved, and the editor says why.
    upload.set_input_files(str(picture))
    expect(page.get_by_text("Give the article a title first")).to_be_visible()
    expect(page).to_have_url(re.compile("/knowledge/new$"))
    page.get_by_label("Title").fill("Where the printers are")
    body = page.get_by_label("Body (Markdown)")
    body.fill("The plan:")
    upload.set_input_files(str(picture))
    expect(page).to_have_url(re.compile(r"/knowledge/\d+/edit$"))
    expect(body).to_have_value(
        re.compile(r"^The plan:\n\n!\[floor-plan\]\(/api/v1/knowledge/articles/\d+/images/att_[\w-]+\)\n$"))
    article_id = int(re.search(r"/knowledge/(\d+)/edit$", page.url).group(1))
    _shoot(page, "knowledge-editor-image-new-en.png")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Where the printers are")).to_be_visible()
    expect(page.locator(".gd-kb-body img")).to_have_count(1)
    # A reload of the editor goes on editing the same article (one article, not two).
    page.goto(f"{live_server}/knowledge/{article_id}/edit")
    expect(page.get_by_label("Title")).to_have_value("Where the printers are")
    expect(page.get_by_label("Body (Markdown)")).to_have_value(re.compile(r"!\[floor-plan\]"))
    assert page.csp_violations == []
    context.close()
    listed = admin.get("/api/v1/knowledge/articles?status=draft").json["items"]
    assert [a["id"] for a in listed] == [article_id]


def test_the_servers_refusal_shows_on_the_field_it_names(browser, live_server, office, admin):
    """A category deleted while 王芳 writes: the server's message, in Chinese, on the category; nothing saved."""
    context, page = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN", path="/knowledge/new")
    page.get_by_label("标题").fill("打印机卡纸")
    _tree_choose(page, "分类", "打印机")
    assert admin.delete(f"/api/v1/knowledge/categories/{office['printers']}").status_code == 204
    page.get_by_role("button", name=re.compile("^保 ?存$")).click()
    category = _field(page, "分类")
    expect(category.locator(".ant-form-item-explain-error")).to_have_text(f"分类 {office['printers']} 不存在。")
    expect(page.get_by_test_id("kb-editor-error")).to_contain_text("不存在")
    expect(page).to_have_url(re.compile("/knowledge/new$"))
    fits(page)
    _shoot(page, "knowledge-editor-refused-zh-375.png", full_page=False)
    context.close()
    assert admin.get("/api/v1/knowledge/articles?status=draft").json["items"] == []
