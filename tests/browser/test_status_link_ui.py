"""The public status page in real Chromium: the requester opens the link from the notification sent when the
after-sales request was created, without signing in; it speaks her language (Chinese, 375 px) and English on a
desk; an internal note never shows; a tampered link shows a clear refusal in both languages. Screenshots in
test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.antd import choose
from tests.browser.test_workspace import DESKTOP, PHONE, _shoot
from tests.runtime.test_status_links import SECRET_NOTE, link_token, story  # noqa: F401  (story is a fixture)

expect.set_options(timeout=20_000)


def test_the_requester_follows_her_request_from_the_link_on_a_phone_and_a_desk(browser, live_server, story):  # noqa: F811
    token = link_token(story["cora"])
    number = story["number"]

    # Cora reads Chinese, on her phone, not signed in
    context = browser.new_context(locale="en-US", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/status?token={token}")
    expect(page.get_by_test_id("status-now")).to_contain_text("诊断中")
    expect(page.get_by_text(number)).to_be_visible()
    expect(page.get_by_text("LP23051234")).to_be_visible()
    expect(page.get_by_text("上门维修")).to_be_visible()
    expect(page.get_by_text("We will visit on Thursday morning.")).to_be_visible()
    expect(page.get_by_text("服务团队回复")).to_be_visible()
    expect(page.get_by_text(SECRET_NOTE)).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _shoot(page, "status-link-zh-375.png")
    context.close()

    # on a desk in English (she switched): the state's name follows
    context = browser.new_context(locale="en-US", viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server}/status?token={token}")
    expect(page.get_by_test_id("status-now")).to_contain_text("诊断中")
    choose(page, page.locator(".gd-login-footer .ant-select"), "English")
    expect(page.get_by_test_id("status-now")).to_contain_text("Diagnosing")
    expect(page.get_by_text("On-site visit")).to_be_visible()
    expect(page.get_by_text("Service team replied")).to_be_visible()
    expect(page.get_by_text(SECRET_NOTE)).to_have_count(0)
    _shoot(page, "status-link-en-desktop.png")

    # a tampered link: nothing of the ticket, a clear message
    page.goto(f"{live_server}/status?token={token[:-4]}AAAA")
    expect(page.get_by_role("alert")).to_contain_text("This status link is not valid")
    expect(page.get_by_text(number)).to_have_count(0)
    _shoot(page, "status-link-invalid-en-desktop.png")
    context.close()
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/status?token={token[:-4]}AAAA")
    expect(page.get_by_role("alert")).to_contain_text("此进度查询链接无效")
    _shoot(page, "status-link-invalid-zh-375.png")
    context.close()
