"""One designer for a ticket type (issues 15 and 16): the form builder and the flow editors are tabs of one
page over one draft — one undo history across them, one autosave with its conflicts, the tab in the URL.

A designer edits the form, switches to the status graph and renames a state there; meanwhile a second
designer saves the same draft: the first designer's next save shows who saved and when, and "keep mine"
saves hers knowingly. Ctrl+Z then undoes the state's name (typed letter by letter: one step) and then
the form's edit, in that order, each showing its tab; Ctrl+Shift+Z redoes both. A dragged state's move
is undone and redone too. Screenshots of the tabs at 375 px.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.antd import choose
from tests.browser.test_designer_flow import _settled
from tests.browser.test_designer_form import PHONE, _card, _keep_mine, _login, _saved, _shoot, _type_with_fields, designers  # noqa: F401
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("designers")  # Dora and Dan, designers


def _draft(admin):
    return admin.get("/api/v1/ticket-types/repair/draft")


def _state_name(admin, key="in_progress"):
    return next(s["name"] for s in _draft(admin).json["definition"]["workflow"]["states"] if s["key"] == key)


def test_one_history_and_one_autosave_across_the_form_and_the_status_graph(app, browser, live_server, admin, api):
    _type_with_fields(admin)
    context, page = _login(browser, live_server, "dora@example.com", path="/designer/repair")
    expect(page.locator(".gd-canvas")).to_be_visible(timeout=20000)

    # 1. the form: a help text for Alpha
    _card(page, "alpha").locator(".gd-field-main").click()
    page.locator("#gd-prop-help").fill("Dora's help")
    _saved(page)

    # 2. another designer saves the same draft in between (through the API, as his own browser would)
    dan = type(api)(app.test_client())
    assert dan.login("dan@example.com", PASSWORD).status_code == 200
    draft = dan.get("/api/v1/ticket-types/repair/draft")
    theirs = draft.json["definition"]
    theirs["form"]["ui"]["beta"] = {"ui:help": "Dan's help"}
    assert dan.put("/api/v1/ticket-types/repair/draft", json=theirs,
                   headers={"If-Match": draft.headers["ETag"]}).status_code == 200

    # 3. the status graph, a tab of the same page (and of the URL): rename a state, typed letter by letter
    page.get_by_role("tab", name="Status graph").click()
    expect(page).to_have_url(re.compile("/designer/repair/workflow$"))
    page.locator(".react-flow__node[data-id='in_progress']").click()
    name = page.locator("#gdf-state-name")
    expect(name).to_have_value("In progress")
    name.press("End")
    name.press_sequentially(" at the bench")
    expect(page.locator(".react-flow__node[data-id='in_progress']")).to_contain_text("In progress at the bench")

    # the autosave meets Dan's save: who and when, and the choice — never a silent overwrite
    _keep_mine(page, "Dan Designer (dan@example.com)", "designer-conflict-workflow-en.png")
    assert _state_name(admin) == "In progress at the bench"
    ui = _draft(admin).json["definition"]["form"]["ui"]
    assert ui["alpha"] == {"ui:help": "Dora's help"} and "beta" not in ui  # Dora kept hers, knowingly

    # 4. Ctrl+Z undoes the graph's edit (the whole typed name: one step), then the form's, in that order
    page.locator(".react-flow__pane").click()
    page.keyboard.press("Control+z")
    expect(page.locator(".react-flow__node[data-id='in_progress']")).not_to_contain_text("at the bench")
    _saved(page)
    assert _state_name(admin) == "In progress"
    assert _draft(admin).json["definition"]["form"]["ui"]["alpha"] == {"ui:help": "Dora's help"}
    page.keyboard.press("Control+z")
    # the undo shows what it changed: the form's tab opens
    expect(page).to_have_url(re.compile("/designer/repair$"))
    expect(page.get_by_role("tab", name="Form", selected=True)).to_be_visible()
    _saved(page)
    assert "alpha" not in _draft(admin).json["definition"]["form"]["ui"]
    assert _state_name(admin) == "In progress"
    _card(page, "alpha").locator(".gd-field-main").click()
    expect(page.locator("#gd-prop-help")).to_have_value("")

    # 5. Ctrl+Shift+Z redoes both, in order
    page.keyboard.press("Control+Shift+z")
    expect(page.locator("#gd-prop-help")).to_have_value("Dora's help")
    page.keyboard.press("Control+Shift+z")
    expect(page).to_have_url(re.compile("/designer/repair/workflow$"))
    expect(page.locator(".react-flow__node[data-id='in_progress']")).to_contain_text("In progress at the bench")
    _saved(page)
    assert _state_name(admin) == "In progress at the bench"
    assert _draft(admin).json["definition"]["form"]["ui"]["alpha"] == {"ui:help": "Dora's help"}
    context.close()


def _eventually(check, timeout=15.0):
    """Wait until a check holds (the autosave runs a moment after an edit; the layout runs in a worker)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.2)


def test_the_undo_button_takes_back_a_moved_state(browser, live_server, admin):
    """Positions dragged on the graph (layout.workflow) are part of the draft, and undoable."""
    _type_with_fields(admin)
    context, page = _login(browser, live_server, "dora@example.com", path="/designer/repair/workflow")
    node = page.locator(".react-flow__node[data-id='closed']")
    expect(node).to_be_visible(timeout=20000)
    _eventually(lambda: page.evaluate("performance.getEntriesByName('graph.layout-end').length") > 0)  # laid out
    _settled(page)  # and its fit
    before = node.bounding_box()
    where = node.evaluate("e => e.style.transform")  # its place on the graph, whatever the zoom
    undo, redo = page.get_by_role("button", name="Undo"), page.get_by_role("button", name="Redo")
    page.mouse.move(before["x"] + 20, before["y"] + before["height"] / 2)
    page.mouse.down()
    page.mouse.move(before["x"] + 20, before["y"] + 160, steps=10)
    page.mouse.up()
    expect(undo).to_be_enabled()
    assert abs(node.bounding_box()["y"] - before["y"]) > 60
    _eventually(lambda: "layout" in _draft(admin).json["definition"])
    moved = _draft(admin).json["definition"]["layout"]["workflow"]["closed"]

    undo.click()
    expect(redo).to_be_enabled()
    _eventually(lambda: "layout" not in _draft(admin).json["definition"])  # the first move undone: no positions
    expect(node).to_have_attribute("style", re.compile(re.escape(where)))  # laid out again: where it was

    redo.click()
    _eventually(lambda: _draft(admin).json["definition"].get("layout", {}).get("workflow", {}).get("closed") == moved)
    _saved(page)
    context.close()


@pytest.mark.parametrize(("locale", "suffix"), [("en-US", "en-phone"), ("zh-CN", "zh-phone")])
def test_the_tabs_on_a_phone(browser, live_server, admin, make_user, locale, suffix):
    _type_with_fields(admin)
    make_user("zoe@example.com", ["designer"], name="周设计", locale="zh-CN")
    email = "zoe@example.com" if locale == "zh-CN" else "dora@example.com"
    context, page = _login(browser, live_server, email, viewport=PHONE, locale=locale, path="/designer/repair")
    expect(page.locator(".gd-canvas")).to_be_visible(timeout=20000)
    parts = page.locator(".gd-designer-tab-select")
    expect(parts).to_be_visible()
    _shoot(page, f"designer-tabs-{suffix}.png")
    parts.click()
    options = page.locator(".ant-select-dropdown:visible .ant-select-item-option")
    expect(options).to_have_count(9)
    _shoot(page, f"designer-tabs-open-{suffix}.png")
    choose(page, parts, "状态图" if locale == "zh-CN" else "Status graph")
    expect(page).to_have_url(re.compile("/designer/repair/workflow$"))
    expect(page.locator(".react-flow__node")).to_have_count(3)
    layout = page.get_by_role("button", name=re.compile("^(Auto layout|自动排列)$"))
    expect(layout).not_to_have_class(re.compile("ant-btn-loading"), timeout=20000)
    _settled(page)  # laid out top to bottom on a phone, and fitted
    _shoot(page, f"designer-workflow-{suffix}.png")
    context.close()


def test_a_problem_in_the_panel_opens_the_tab_and_the_widget_that_causes_it(browser, live_server, admin):
    _type_with_fields(admin)
    draft = admin.get("/api/v1/ticket-types/repair/draft")
    definition = draft.json["definition"]
    definition["routing"] = [{"name": "Nowhere", "when": {"==": [{"var": "alpha"}, "x"]}, "assign": {"team": "ghosts"}}]
    assert admin.put("/api/v1/ticket-types/repair/draft", json=definition,
                     headers={"If-Match": draft.headers["ETag"]}).status_code == 200
    context, page = _login(browser, live_server, "dora@example.com", path="/designer/repair")
    expect(page.locator(".gd-canvas")).to_be_visible(timeout=20000)
    page.get_by_role("button", name="Problems: 0 errors, 1 warnings").click()
    page.locator(".gd-problem", has_text="Team 'ghosts' does not exist yet").click()
    expect(page).to_have_url(re.compile("/designer/repair/routing$"))
    expect(page.get_by_label("Name of rule 1")).to_be_focused()
    expect(page.get_by_label("Name of rule 1")).to_have_value("Nowhere")
    context.close()
