"""How tickets behave, in real Chromium (issue 14): a title of spaces is refused in the browser before it reaches
the server; an agent sets a priority by hand with a reason, reads who set it and why, and gives it back to the
rules; a ticket routed to a person is not offered "Assign". English and Chinese, desktop and 375 px; screenshots
in test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.antd import tick
from tests.browser.test_workspace import DESKTOP, PHONE, _choose, _login, _shoot

expect.set_options(timeout=15_000)


@pytest.fixture
def service_desk(admin, make_user):
    """The IT template; Sam (English) and Wang (Chinese) work the service desk, Rita and Li file tickets."""
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code in (200, 201)
    users = {
        "rita": make_user("rita@example.com", ["requester"], name="Rita Requester"),
        "li": make_user("li@example.com", ["requester"], name="李雷", locale="zh-CN"),
        "sam": make_user("sam@example.com", ["agent"], name="Sam Agent"),
        "wang": make_user("wang@example.com", ["agent"], name="王芳", locale="zh-CN"),
    }
    teams = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}
    assert admin.patch(f"/api/v1/teams/{teams['service-desk']['id']}",
                       json={"member_ids": [users["sam"]]}).status_code == 200
    return users


def test_a_title_of_spaces_is_refused_in_the_browser(browser, live_server, service_desk, admin):
    for locale, viewport, email, texts in (
        ("en-US", PHONE, "rita@example.com",
         {"link": "Software: IT incident", "title": "Title", "description": "Description", "submit": "Submit",
          "required": "Title is required.",
          "required_description": "Description is required.", "region": ("Region", "North"), "urgency": "High: work has stopped",
          "impact": "Only me / one person", "short": "Use at least 10 characters.", "shot": "en-375"}),
        ("zh-CN", DESKTOP, "li@example.com",
         {"link": "软件: IT 故障", "title": "标题", "description": "问题描述", "submit": "提交",
          "required": "标题为必填项。",
          "required_description": "问题描述为必填项。", "region": ("区域", "华北"), "urgency": "高：工作已完全停止",
          "impact": "仅我本人 / 一个人", "short": "至少输入 10 个字符。", "shot": "zh-desktop"}),
    ):
        context, page = _login(browser, live_server, email, viewport, locale=locale, path="/portal")
        page.get_by_role("link", name=texts["link"]).click()
        page.get_by_label(texts["title"], exact=True).fill("   ")
        page.get_by_label(texts["description"]).fill("   " + "  " * 5)
        tick(page.get_by_label(texts["urgency"]))
        tick(page.get_by_label(texts["impact"]))
        _choose(page, *texts["region"])
        page.get_by_role("button", name=texts["submit"]).click()
        title = page.locator(".ant-form-item", has=page.locator("#root_title")).last
        expect(title).to_contain_text(texts["required"])
        description = page.locator(".ant-form-item", has=page.locator("#root_description")).last
        expect(description).to_contain_text(texts["required_description"])
        page.get_by_label(texts["description"]).fill("   short   ")  # 5 characters once trimmed
        page.get_by_role("button", name=texts["submit"]).click()
        expect(description).to_contain_text(texts["short"])
        _shoot(page, f"behaviour-blank-title-{texts['shot']}.png")
        context.close()
    assert admin.get("/api/v1/tickets").json["items"] == []  # nothing reached the server as a ticket


def test_an_agent_sets_the_priority_by_hand_and_gives_it_back(browser, live_server, service_desk, admin, app):
    from tests.conftest import PASSWORD, Api

    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200
    data = {"title": "Reports app will not open", "category": "software", "urgency": "low", "impact": "person",
            "region": "north", "description": "Since this morning the reports app shows an error."}
    created = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": data})
    assert created.status_code == 201 and created.json["priority"] == "P4", created.json
    tid = created.json["id"]

    context, sam = _login(browser, live_server, "sam@example.com", DESKTOP, path=f"/tickets/{tid}")
    # Routed to Sam, it left New by itself: nobody is offered "Assign" for what is already assigned.
    transitions = sam.locator(".gd-transitions")
    expect(transitions.get_by_role("button", name="Start work")).to_be_enabled()
    expect(transitions.get_by_role("button", name="Assign")).to_have_count(0)
    expect(sam.locator(".gd-ticket-header")).to_contain_text("Assigned")
    card = sam.locator(".gd-priority-form")
    expect(card.get_by_test_id("priority-source")).to_contain_text("Set by the ticket type's rules")
    _choose(sam, "Priority", "P1")
    card.get_by_role("button", name="Set by hand").click()
    expect(card.get_by_text("Say why you set the priority by hand.")).to_be_visible()
    card.get_by_label("Reason").fill("customer is down")
    card.get_by_role("button", name="Set by hand").click()
    header = sam.locator(".gd-ticket-header")
    expect(header.get_by_test_id("priority-set")).to_have_text("Set by Sam Agent: customer is down")
    expect(header).to_contain_text("P1")
    expect(sam.locator(".gd-timeline")).to_contain_text("Set the priority from P4 to P1 by hand: customer is down")
    _shoot(sam, "behaviour-priority-by-hand-en.png")

    # The requester's page says who set it and why.
    rita_context, rita_page = _login(browser, live_server, "rita@example.com", PHONE, path=f"/tickets/{tid}")
    expect(rita_page.get_by_test_id("priority-set")).to_have_text("Set by Sam Agent: customer is down")
    expect(rita_page.locator(".gd-priority-form")).to_have_count(0)  # only staff change it
    _shoot(rita_page, "behaviour-priority-requester-en-375.png")
    rita_context.close()

    card.get_by_role("button", name="Back to automatic").click()
    expect(header.get_by_test_id("priority-set")).to_have_count(0)
    expect(header).to_contain_text("P4")
    expect(sam.locator(".gd-timeline")).to_contain_text("The priority follows the rules again: P1 → P4")
    context.close()

    # In Chinese, on a phone.
    teams = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}
    admin.post(f"/api/v1/teams/{teams['service-desk']['id']}/members", json={"user_id": service_desk["wang"]})
    wang_context, wang = _login(browser, live_server, "wang@example.com", PHONE, locale="zh-CN", path=f"/tickets/{tid}")
    card = wang.locator(".gd-priority-form")
    expect(card.get_by_test_id("priority-source")).to_contain_text("由工单类型的规则确定")
    _choose(wang, "优先级", "P2")
    card.get_by_label("原因").fill("影响财务月结")
    card.get_by_role("button", name="手动设置").click()
    expect(wang.get_by_test_id("priority-set")).to_have_text("由 王芳 手动设置：影响财务月结")
    expect(wang.locator(".gd-timeline")).to_contain_text("手动将优先级从 P4 改为 P2：影响财务月结")
    _shoot(wang, "behaviour-priority-by-hand-zh-375.png")
    assert wang.csp_violations == []
    wang_context.close()


def test_an_invited_user_sets_a_password_and_anyone_can_ask_for_a_reset(browser, live_server, admin, make_user):
    from urllib.parse import urlparse

    make_user("newbie@example.com", ["requester"], password=None, name="Nina Newbie")
    make_user("li@example.com", ["requester"], password=None, name="李雷", locale="zh-CN")

    # Without SMTP the admin is shown the link to hand over.
    context, ada = _login(browser, live_server, "admin@example.com", DESKTOP, path="/admin/users")
    ada.get_by_role("button", name="Send a password link to newbie@example.com").click()
    dialog = ada.get_by_role("dialog")
    expect(dialog).to_contain_text("Invitation for newbie@example.com")
    expect(dialog).to_contain_text("E-mail is not set up, so nothing was sent.")
    link = dialog.get_by_test_id("password-link").inner_text().strip()
    _shoot(ada, "behaviour-invite-link-en.png", full_page=False)
    dialog.get_by_role("button", name="Close").last.click()
    expect(dialog).to_be_hidden()
    ada.get_by_role("button", name="Send a password link to li@example.com").click()
    expect(ada.get_by_role("dialog")).to_contain_text("Invitation for li@example.com")
    link_zh = ada.get_by_role("dialog").get_by_test_id("password-link").inner_text().strip()
    context.close()

    # The invited user, on a phone: chooses a password once; the link is spent after that.
    path = urlparse(link)._replace(scheme="", netloc="").geturl()
    context = browser.new_context(locale="en-US", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}{path}")
    expect(page.get_by_role("heading", name="Welcome, Nina Newbie")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("a much longer secret 42")
    page.get_by_label("Repeat the password").fill("a much longer secret 4")
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    page.get_by_label("Repeat the password").fill("a much longer secret 42")
    _shoot(page, "behaviour-set-password-en-375.png")
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    page.goto(f"{live_server}{path}")
    expect(page.get_by_text("This link does not work any more.")).to_be_visible()

    # Forgot password, from the login page: the same answer for any address.
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("Check your e-mail.")).to_be_visible()
    _shoot(page, "behaviour-forgot-password-en-375.png")
    context.close()

    # In Chinese on a desktop: the login page's link, and the invitation.
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    expect(page.get_by_role("link", name="忘记密码？")).to_be_visible()
    _shoot(page, "behaviour-login-forgot-zh.png", full_page=False)
    page.goto(f"{live_server}{urlparse(link_zh)._replace(scheme='', netloc='').geturl()}")
    expect(page.get_by_role("heading", name="欢迎，李雷")).to_be_visible()
    page.get_by_label("新密码").fill("另一个很长的密码 2026")
    page.get_by_label("再次输入密码").fill("另一个很长的密码 2026")
    _shoot(page, "behaviour-set-password-zh.png", full_page=False)
    page.get_by_role("button", name="保存密码").click()
    expect(page.get_by_text("密码已设置。")).to_be_visible()
    context.close()
