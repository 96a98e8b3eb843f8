"""The visual designer, part 1, in real Chromium: a business user builds a ticket type's form and
its field rules with the mouse, in two languages, with a live preview; undo/redo; two designers on
one draft; keyboard-only moving. Screenshots (desktop and 375 px, English and Chinese) go to
test-artifacts/screenshots, or docs/screenshots with GONGDAN_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.antd import choose, tick
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ("docs/screenshots" if os.environ.get("GONGDAN_SCREENSHOTS") else "test-artifacts/screenshots")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1440, "height": 900}


def _login(browser, live_server, email, viewport=DESKTOP, locale="en-US", path="/"):
    context = browser.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.csp_violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text))
    page.goto(f"{live_server}{path}")
    page.get_by_label(re.compile("^(Email|电子邮箱)$")).fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page.locator(".gd-shell")).to_be_visible()
    return context, page


def _shoot(page, name, full_page=False):
    expect(page.locator(".ant-spin-spinning, .ant-skeleton")).to_have_count(0)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(400)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def _saved(page):
    """Wait until the autosave has written everything."""
    expect(page.locator(".gd-save-state")).to_have_attribute("data-status", "saved", timeout=15000)


def _keep_mine(page, who, screenshot):
    """The autosave met someone else's save: the dialog says who and when; keep mine, knowingly."""
    dialog = page.get_by_role("dialog", name="Someone else saved this draft")
    expect(dialog).to_be_visible(timeout=15000)
    expect(dialog).to_contain_text(f"{who} saved this draft at")
    _shoot(page, screenshot)
    dialog.get_by_role("button", name="Keep mine").click()
    _saved(page)


def _card(page, key):
    return page.locator(f".gd-canvas [data-field='{key}']")


@pytest.fixture
def designers(admin, make_user):
    return {
        "dora": make_user("dora@example.com", ["designer"], name="Dora Designer"),
        "dan": make_user("dan@example.com", ["designer"], name="Dan Designer"),
        "li": make_user("li@example.com", ["requester"], name="李雷", locale="zh-CN"),
    }


def test_designer_home_in_the_navigation(browser, live_server, designers):
    context, page = _login(browser, live_server, "dora@example.com")
    page.get_by_role("link", name="Designer").click()
    expect(page.get_by_role("heading", name="Designer")).to_be_visible()
    page.get_by_role("button", name="New ticket type").click()
    page.get_by_label("Name").fill("After-sales repair")
    expect(page.get_by_label("Key")).to_have_value("after-sales-repair")
    expect(page.get_by_label("Number prefix")).to_have_value("ASR")
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".gd-canvas")).to_be_visible(timeout=20000)
    _shoot(page, "designer-first.png")
    assert page.csp_violations == []
    context.close()


# --------------------------------------------------------------------------- building a form by mouse

def _new_type(page, name):
    page.get_by_role("link", name="Designer").click()
    page.get_by_role("button", name="New ticket type").click()
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".gd-canvas")).to_be_visible(timeout=20000)


def _add(page, kind, label):
    """Click a palette item (adds after the selected field), then name the new field."""
    page.locator(f".gd-palette [data-kind='{kind}']").click()
    title = page.locator("#gd-prop-title")
    expect(title).to_have_value(re.compile("^New "))
    title.fill(label)


def _publish(page, note):
    """The publish dialog: the diff of a first version, a note, publish, close."""
    page.get_by_role("button", name="Publish…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("What this first version contains", timeout=20000)
    dialog.locator("#gdf-publish-note").fill(note)
    dialog.get_by_role("button", name="Publish", exact=True).click()
    expect(dialog).to_contain_text("Version 1 is published.")
    dialog.locator(".ant-modal-footer").get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)


def _choose(page, select, option):
    choose(page, select, option)


def _paste_options(page, lines):
    page.get_by_role("button", name="Paste a list").click()
    page.get_by_role("dialog").get_by_label("Paste options").fill(lines)
    page.get_by_role("button", name="Replace the options").click()
    expect(page.get_by_role("dialog")).to_have_count(0)


def _drag(page, source, target):
    """A real mouse drag, with intermediate moves (the drag starts after a few pixels)."""
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 10, box["y"] + box["height"] / 2 + 10, steps=5)
    expect(page.locator(".gd-slot-active").first).to_be_attached()
    to = target.bounding_box()
    page.mouse.move(to["x"] + to["width"] / 2, to["y"] + to["height"] / 2, steps=15)
    page.mouse.up()


ZH = {
    "After-sales repair": "售后维修", "Title": "标题", "Fault description": "故障描述", "Product": "产品",
    "Washing machine": "洗衣机", "Dryer": "烘干机", "Dishwasher": "洗碗机", "Serial number": "序列号",
    "Purchase date": "购买日期", "Under warranty": "在保修期内", "Photos": "照片", "Service mode": "服务方式",
    "On site": "上门", "Remote support": "远程支持", "Send to depot": "送修", "On-site address": "上门地址",
    "Starts with SN and six digits": "以 SN 开头, 后跟六位数字", "New": "新建", "In progress": "处理中",
    "Closed": "已关闭", "Start": "开始", "Close": "关闭",
}


def _build_repair_form(page, admin):
    """Build the after-sales repair form with the mouse only; checks the draft the server holds."""
    page.get_by_role("link", name="Designer").click()
    _new_type(page, "After-sales repair")

    # the skeleton's description becomes the fault description
    _card(page, "description").locator(".gd-field-main").click()
    page.locator("#gd-prop-title").fill("Fault description")

    _add(page, "select", "Product")
    _paste_options(page, "Washing machine\nDryer\nDishwasher")
    expect(page.get_by_label("Stored value of option 2")).to_have_value("dryer")

    _add(page, "text", "Serial number")
    _choose(page, page.locator(".ant-select", has=page.locator("#gd-prop-preset")), "Custom pattern")
    page.locator("#gd-prop-pattern").fill("^SN\\d{6}$")
    page.locator("#gd-prop-help").fill("Starts with SN and six digits")
    page.locator("#gd-prop-try").fill("SN12345")
    expect(page.get_by_text("Does not match.")).to_be_visible()
    page.locator("#gd-prop-try").fill("SN123456")
    expect(page.get_by_text("Matches.", exact=True)).to_be_visible()
    page.locator("#gd-prop-required").click()

    # a date dragged from the palette to just after the serial number
    slot_after_serial = _card(page, "serial_number").locator("xpath=following-sibling::div[contains(@class,'gd-slot')]")
    _drag(page, page.locator(".gd-palette [data-kind='date']"), slot_after_serial)
    date_title = page.locator("#gd-prop-title")
    expect(date_title).to_have_value("New Date")
    date_title.fill("Purchase date")

    _add(page, "yesno", "Under warranty")
    _add(page, "attachments", "Photos")
    page.locator("#gd-prop-photos").click()
    _add(page, "radio", "Service mode")
    _paste_options(page, "on_site | On site\nremote | Remote support\ndepot | Send to depot")
    page.locator("#gd-prop-required").click()

    _add(page, "textarea", "On-site address")
    page.get_by_role("button", name="Add a rule").click()
    rule = page.locator(".gd-field-rule").first
    tick(rule.get_by_label("Require"))
    rule.get_by_role("button", name="Add condition").click()
    _choose(page, rule.locator(".rule--field .ant-select"), "Service mode")
    _choose(page, rule.locator(".rule--value .ant-select"), "On site")
    _saved(page)

    assert _order(page) == ["title", "fault_description", "product", "serial_number", "purchase_date", "under_warranty", "photos",
                    "service_mode", "on_site_address"]
    draft = admin.get("/api/v1/ticket-types/after-sales-repair/draft").json
    form = draft["definition"]["form"]
    assert form["field_rules"] == [{"when": {"==": [{"var": "service_mode"}, "on_site"]},
                                    "show": ["on_site_address"], "require": ["on_site_address"]}]
    assert form["schema"]["properties"]["serial_number"]["pattern"] == "^SN\\d{6}$"
    assert form["schema"]["properties"]["photos"] == {"type": "array", "title": "Photos", "maxItems": 10,
                                                      "items": {"type": "string", "format": "attachment"}}
    assert form["ui"]["photos"] == {"ui:options": {"accept": "image/*"}}
    assert set(form["schema"]["required"]) == {"title", "serial_number", "service_mode"}

    # the preview shows the address only for on-site service
    preview = page.get_by_test_id("designer-preview")
    expect(preview.get_by_label("On-site address")).to_have_count(0)
    tick(preview.get_by_label("On site", exact=True))
    expect(preview.get_by_label("On-site address")).to_be_visible()
    _shoot(page, "designer-form-en.png")


@pytest.mark.smoke
def test_a_designer_builds_the_repair_form_with_the_mouse_and_publishes_it(browser, live_server, designers, admin):
    context, page = _login(browser, live_server, "dora@example.com")
    _build_repair_form(page, admin)
    _publish(page, "First version")
    expect(page.locator(".gd-designer-bar").get_by_text("Published v1")).to_be_visible()
    # a published field's key is frozen, and deleting it asks first
    _card(page, "serial_number").locator(".gd-field-main").click()
    expect(page.locator("#gd-prop-key")).to_be_disabled()
    _card(page, "serial_number").get_by_role("button", name="Delete Serial number").click()
    expect(page.get_by_text("Published versions have this field")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(_card(page, "serial_number")).to_be_visible()
    assert page.csp_violations == []
    context.close()

    # the requester's portal renders the published form; the server refuses on-site service without the address
    refused = admin.post("/api/v1/tickets", json={"type": "after-sales-repair", "data": {
        "title": "Drum noise", "serial_number": "SN123456", "service_mode": "on_site"}})
    assert refused.status_code == 422, refused.json
    assert any(d.get("path") == "/data/on_site_address" for d in refused.json["error"]["details"]), refused.json


def test_chinese_translations_are_published_and_a_chinese_requester_files_at_375_px(browser, live_server, designers, admin):
    context, page = _login(browser, live_server, "dora@example.com")
    _build_repair_form(page, admin)
    # Chinese translations of every text
    page.get_by_role("tab", name="Translations").click()
    inputs = page.locator(".gd-translation-table input")
    expect(inputs.first).to_be_visible()
    for i in range(inputs.count()):
        placeholder = inputs.nth(i).get_attribute("placeholder")
        if placeholder in ZH and not inputs.nth(i).input_value():
            inputs.nth(i).fill(ZH[placeholder])
    expect(page.get_by_text("Every text has its translation.")).to_be_visible()
    _shoot(page, "designer-translations-en.png")
    tick(page.get_by_label(re.compile("^Missing only")))
    expect(page.locator(".gd-translation-table input")).to_have_count(0)
    page.get_by_role("tab", name="Form").click()
    page.get_by_test_id("designer-preview").page.get_by_text("中文", exact=True).click()
    expect(page.get_by_test_id("designer-preview").get_by_text("服务方式")).to_be_visible()
    _saved(page)

    _publish(page, "First version, in two languages")
    expect(page.get_by_text("Published v1")).to_be_visible()
    assert page.csp_violations == []
    context.close()

    # A requester with a Chinese profile files one at 375 px.
    context, page = _login(browser, live_server, "li@example.com", viewport=PHONE, locale="zh-CN",
                           path="/portal/new/after-sales-repair")
    form = page.locator("form")
    expect(form.get_by_label("序列号")).to_be_visible()  # needs the server's localiser (lead's work)
    expect(form.get_by_label("上门地址")).to_have_count(0)
    form.get_by_label("标题").fill("洗衣机不脱水")
    form.get_by_label("序列号").fill("SN123456")
    tick(form.get_by_label("上门", exact=True))
    expect(form.get_by_label("上门地址")).to_be_visible()
    _shoot(page, "portal-repair-zh-phone.png", full_page=True)
    page.get_by_role("button", name=re.compile("提交|Submit")).click()
    expect(page.locator(".ant-form-item-explain-error, .ant-form-item-has-error").first).to_be_visible()
    context.close()

    # The server refuses the ticket without the address, whatever the browser does.
    refused = admin.post("/api/v1/tickets", json={"type": "after-sales-repair", "data": {
        "title": "Drum noise", "serial_number": "SN123456", "service_mode": "on_site"}})
    assert refused.status_code == 422, refused.json
    assert any(d.get("path") == "/data/on_site_address" for d in refused.json["error"]["details"]), refused.json


# --------------------------------------------------------------------------- never lose work

def _type_with_fields(admin, key="repair", fields=("alpha", "beta", "gamma")):
    created = admin.post("/api/v1/ticket-types", json={"key": key, "name": "Repair", "number_prefix": "RP"})
    assert created.status_code == 201, created.json
    draft = admin.get(f"/api/v1/ticket-types/{key}/draft")
    definition = draft.json["definition"]
    definition["form"] = {"schema": {"type": "object", "required": ["title"], "properties": {
        "title": {"type": "string", "title": "Title"}, **{f: {"type": "string", "title": f.capitalize()} for f in fields}}},
        "ui": {"ui:order": ["title", *fields]}}
    saved = admin.put(f"/api/v1/ticket-types/{key}/draft", json=definition, headers={"If-Match": draft.headers["ETag"]})
    assert saved.status_code == 200, saved.json


def _order(page):
    cards = page.locator(".gd-canvas [data-field]")
    return [cards.nth(i).get_attribute("data-field") for i in range(cards.count())]


def _server_order(admin, key="repair"):
    return admin.get(f"/api/v1/ticket-types/{key}/draft").json["definition"]["form"]["ui"]["ui:order"]


def test_undo_and_redo_of_add_move_delete_and_a_property_change(browser, live_server, designers, admin):
    _type_with_fields(admin)
    context, page = _login(browser, live_server, "dora@example.com", path="/designer/repair")
    expect(page.locator(".gd-canvas")).to_be_visible(timeout=20000)
    undo, redo = page.get_by_role("button", name="Undo"), page.get_by_role("button", name="Redo")
    start = ["title", "alpha", "beta", "gamma"]
    assert _order(page) == start

    _card(page, "alpha").locator(".gd-field-main").click()
    page.locator("#gd-prop-title").fill("Alpha renamed")            # a property change
    _card(page, "alpha_renamed").get_by_role("button", name="Move Alpha renamed down").click()     # a move
    page.locator(".gd-palette [data-kind='number']").click()         # an add (after the selected field)
    _card(page, "gamma").locator(".gd-field-main").click()
    _card(page, "gamma").get_by_role("button", name="Delete Gamma").click()   # a delete (never published: no question)
    assert _order(page) == ["title", "beta", "alpha_renamed", "new_number"]

    undo.click()
    assert _order(page) == ["title", "beta", "alpha_renamed", "new_number", "gamma"]
    undo.click()
    assert _order(page) == ["title", "beta", "alpha_renamed", "gamma"]
    undo.click()
    assert _order(page) == ["title", "alpha_renamed", "beta", "gamma"]
    page.keyboard.press("Control+z")                                  # the shortcut too
    assert _order(page) == start
    expect(_card(page, "alpha")).to_contain_text("Alpha")
    _saved(page)
    assert _server_order(admin) == start

    redo.click()
    page.keyboard.press("Control+Shift+z")
    assert _order(page) == ["title", "beta", "alpha_renamed", "gamma"]
    _saved(page)
    assert _server_order(admin) == ["title", "beta", "alpha_renamed", "gamma"]
    context.close()


def test_two_designers_on_one_draft_see_who_saved_and_lose_nothing(browser, live_server, designers, admin):
    _type_with_fields(admin)
    dora_context, dora = _login(browser, live_server, "dora@example.com", path="/designer/repair")
    dan_context, dan = _login(browser, live_server, "dan@example.com", path="/designer/repair")
    for page in (dora, dan):
        expect(page.locator(".gd-canvas")).to_be_visible(timeout=20000)

    _card(dora, "alpha").locator(".gd-field-main").click()
    dora.locator("#gd-prop-help").fill("Dora's help")
    _saved(dora)

    _card(dan, "beta").locator(".gd-field-main").click()
    dan.locator("#gd-prop-help").fill("Dan's help")
    _keep_mine(dan, "Dora Designer (dora@example.com)", "designer-conflict-en.png")
    ui = admin.get("/api/v1/ticket-types/repair/draft").json["definition"]["form"]["ui"]
    assert ui.get("beta") == {"ui:help": "Dan's help"}, ui  # Dan kept his, knowingly

    # Dora, behind now, gets the question too: she reloads Dan's version (his "keep mine" replaced her help,
    # knowingly) and types hers again.
    dora.locator("#gd-prop-help").fill("Dora's help, again")
    dialog = dora.get_by_role("dialog", name="Someone else saved this draft")
    expect(dialog).to_contain_text("Dan Designer (dan@example.com)")
    dialog.get_by_role("button", name="Reload theirs").click()
    expect(dora.locator("#gd-prop-help")).to_have_value("")
    dora.locator("#gd-prop-help").fill("Dora's help, again")
    _saved(dora)
    ui = admin.get("/api/v1/ticket-types/repair/draft").json["definition"]["form"]["ui"]
    assert ui["alpha"] == {"ui:help": "Dora's help, again"} and ui["beta"] == {"ui:help": "Dan's help"}
    dora_context.close()
    dan_context.close()


def test_keyboard_only_reordering_into_and_out_of_a_section(browser, live_server, designers, admin):
    _type_with_fields(admin)
    context, page = _login(browser, live_server, "dora@example.com", path="/designer/repair")
    expect(page.locator(".gd-canvas")).to_be_visible(timeout=20000)
    page.locator(".gd-palette [data-kind='section']").focus()
    page.keyboard.press("Enter")                      # a section at the end, selected and focused
    expect(page.locator(".gd-section-card")).to_have_count(1)
    _card(page, "alpha").locator(".gd-field-main").focus()
    page.keyboard.press("Alt+ArrowDown")
    assert _order(page) == ["title", "beta", "alpha", "gamma"]
    for _ in range(2):
        page.keyboard.press("Alt+ArrowDown")          # past gamma, then into the section
    assert page.locator(".gd-section-card [data-field='alpha']").count() == 1
    page.keyboard.press("Alt+ArrowUp")
    page.keyboard.press("Alt+ArrowUp")
    assert _order(page) == ["title", "beta", "alpha", "gamma"]
    assert page.evaluate("document.activeElement.closest('[data-field]').dataset.field") == "alpha"
    _saved(page)
    assert _server_order(admin) == ["title", "beta", "alpha", "gamma"]
    context.close()


@pytest.mark.parametrize(("locale", "suffix"), [("en-US", "en"), ("zh-CN", "zh")])
def test_screenshots_of_the_designer(browser, live_server, designers, admin, make_user, locale, suffix):
    """At desktop width, then on a phone in the same session (one login a language)."""
    _type_with_fields(admin)
    make_user("zoe@example.com", ["designer"], name="周设计", locale="zh-CN")
    email = "zoe@example.com" if locale == "zh-CN" else "dora@example.com"
    context, page = _login(browser, live_server, email, viewport=DESKTOP, locale=locale, path="/designer")
    for viewport, shot in ((DESKTOP, suffix), (PHONE, f"{suffix}-phone")):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server}/designer")
        expect(page.locator(".gd-designer-home")).to_be_visible(timeout=20000)
        _shoot(page, f"designer-home-{shot}.png")
        page.goto(f"{live_server}/designer/repair")
        expect(page.locator(".gd-canvas")).to_be_visible(timeout=20000)
        _card(page, "alpha").locator(".gd-field-main").click()
        _shoot(page, f"designer-builder-{shot}.png")
    context.close()
