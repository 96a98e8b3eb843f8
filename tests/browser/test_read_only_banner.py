# ruff: noqa: RUF001  (Chinese punctuation is meant)
"""The read-only maintenance banner in real Chromium: shown on every page while the instance is read-only, with
the create button disabled; in English at desktop width and in Chinese at 375 px. Screenshots go to
test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from platform_core import maintenance
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ("docs/screenshots" if os.environ.get("GONGDAN_SCREENSHOTS") else "test-artifacts/screenshots")


def _login(page, live_server: str, email: str, next_path: str) -> None:
    page.goto(f"{live_server}/login?next={next_path.replace('/', '%2F')}")
    page.get_by_label(re.compile("Email|邮箱")).fill(email)
    page.get_by_label(re.compile("Password|密码")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|登录")).click()


def test_the_banner_says_the_instance_is_read_only_and_the_create_button_is_disabled(
        page, browser, live_server, make_user, admin, app):
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    make_user("rita@example.com", ["requester"], name="Rita")
    make_user("li@example.com", ["requester"], name="Li Wei", locale="zh-CN")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    _login(page, live_server, "rita@example.com", "/portal/new/it-incident")
    submit = page.get_by_role("button", name="Submit")
    expect(submit).to_be_enabled()
    expect(page.get_by_text("Read-only for maintenance")).to_have_count(0)

    maintenance.set_read_only(app, True, by="test")
    page.reload()
    expect(page.get_by_text("Read-only for maintenance")).to_be_visible()
    expect(page.get_by_text("changes cannot be saved until the maintenance ends")).to_be_visible()
    expect(page.get_by_role("button", name="Submit")).to_be_disabled()
    page.screenshot(path=str(SCREENSHOTS / "read-only-banner.png"))

    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740})
    phone = context.new_page()
    try:
        _login(phone, live_server, "li@example.com", "/")
        expect(phone.get_by_text("系统维护中，暂时只读")).to_be_visible()
        expect(phone.locator(".ant-skeleton")).to_have_count(0)  # the catalog has loaded: reading works
        phone.screenshot(path=str(SCREENSHOTS / "read-only-banner-zh-375.png"))
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()

    maintenance.set_read_only(app, False)
    page.reload()
    expect(page.get_by_role("button", name="Submit")).to_be_enabled()
    expect(page.get_by_text("Read-only for maintenance")).to_have_count(0)
