"""The front-end shell in real Chromium: an admin logs in, creates a user and a team, logs out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.antd import choose
from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD


def _pick(page, scope, label, typed, option_text):
    choose(page, scope.get_by_label(label, exact=True), option_text, typed=typed)


@pytest.mark.smoke
def test_admin_logs_in_creates_a_user_and_a_team_and_logs_out(page, live_server, make_user, api):
    make_user("admin@example.com", ["admin"], name="Ada Admin")
    make_user("bob@example.com", ["agent"], name="Bob Agent")

    page.goto(f"{live_server}/admin/teams")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fadmin%2Fteams$"))
    page.get_by_label("Email").fill("admin@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong email or password")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(f"{live_server}/admin/teams")

    # A user, with a server-side error placed on its field first.
    page.get_by_role("link", name="Users").click()
    page.get_by_role("button", name="New user").click()
    drawer = page.get_by_role("dialog")
    drawer.get_by_label("Email").fill("bob@example.com")
    drawer.get_by_label("Name").fill("Bob Again")
    page.get_by_role("button", name="Save").click()
    expect(drawer.get_by_text("Already in use.")).to_be_visible()
    drawer.get_by_label("Email").fill("carol@example.com")
    drawer.get_by_label("Name").fill("Carol Chen")
    _pick(page, drawer, "Roles", "agent", "agent")  # a multiple select: `choose` closes its list
    drawer.get_by_label("Password").fill("carol's long password")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="carol@example.com", exact=True)).to_be_visible()

    # A team with a supervisor and members.
    page.get_by_role("link", name="Teams").click()
    page.get_by_role("button", name="New team").click()
    page.get_by_label("Key").fill("network-ops")
    page.get_by_label("Name", exact=True).fill("Network operations")
    _pick(page, page, "Supervisor", "bob", "bob@example.com")
    _pick(page, page, "Members", "carol", "carol@example.com")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Team: Network operations")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-team.png"), full_page=True)
    page.get_by_role("link", name="Back to teams").click()
    expect(page.get_by_role("cell", name="network-ops", exact=True)).to_be_visible()

    # What the browser did is what the server holds.
    assert api.login("admin@example.com", PASSWORD).status_code == 200
    team = api.get("/api/v1/teams").json["items"][0]
    assert team["supervisor"]["email"] == "bob@example.com"
    assert [m["email"] for m in team["members"]] == ["carol@example.com"]
    carol = next(u for u in api.get("/api/v1/users").json["items"] if u["email"] == "carol@example.com")
    assert carol["roles"] == ["agent"]

    page.get_by_role("button", name="User menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.goto(f"{live_server}/admin/users")
    expect(page).to_have_url(re.compile(r"/login"))


def test_non_admins_see_no_admin_pages_and_the_ui_speaks_chinese(page, live_server, make_user):
    make_user("bob@example.com", ["agent"], name="Bob Agent", locale="zh-CN")
    page.goto(live_server)
    page.get_by_label("Email").fill("bob@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Bob's profile says zh-CN, so the app switches language once he is known.
    expect(page.get_by_role("button", name="用户菜单")).to_be_visible()
    expect(page.get_by_role("link", name="用户")).to_have_count(0)
    page.goto(f"{live_server}/admin/users")
    expect(page.get_by_text("无权访问")).to_be_visible()  # "Access denied"
    page.set_viewport_size({"width": 375, "height": 740})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "agent-home-zh-375.png"))
