"""The template upgrade page in real Chromium (issue 17): the admin sees the template's changes, the local ones and
the one conflict, chooses, and writes the drafts, with links to the designer; in English and Chinese, on a desktop
and at 375 px. Screenshots in test-artifacts/screenshots (docs/screenshots with GONGDAN_SCREENSHOTS=1)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_designer_flow import DESKTOP, PHONE, _login, _shoot
from tests.designer.test_template_upgrade import KEY, LABEL, TYPE, change_locally, library_root, ship

__all__ = ["library_root"]  # the fixture, used by name

CATALOGS = Path(__file__).resolve().parents[2] / "frontend/src/pages/admin/templateUpgrade/i18n"


def texts(locale: str):
    """The page's own catalog, so the test reads what the reader reads: text("conflicts", count=1)."""
    catalog = json.loads((CATALOGS / f"{locale}.json").read_text(encoding="utf-8"))

    def text(key: str, **values) -> str:
        node = catalog
        for part in key.split("."):
            node = node[part]
        return re.sub(r"\{\{(\w+)\}\}", lambda m: str(values[m[1]]), node)

    return text


# Each language and each width once: English at desktop width, Chinese at 375 px.
@pytest.mark.parametrize(("locale", "viewport", "suffix"), [("en-US", DESKTOP, "en"), ("zh-CN", PHONE, "zh-375")])
def test_the_admin_chooses_per_conflict_and_writes_drafts(browser, live_server, admin, library_root, locale,
                                                          viewport, suffix):
    zh = locale == "zh-CN"
    text = texts("zh-CN" if zh else "en")
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    change_locally(admin)
    ship(library_root, 2)
    assert admin.patch("/api/v1/me", json={"locale": "zh-CN" if zh else "en"}).status_code == 200
    context, page = _login(browser, live_server, "admin@example.com", viewport, locale=locale,
                           path=f"/admin/templates/{KEY}/upgrade")
    card = page.locator(f".gd-upgrade-type[data-type='{TYPE}']")
    expect(card).to_be_visible(timeout=20000)
    expect(page.locator("h1")).to_have_text(text("title", name="Field visits"))
    expect(card).to_contain_text(text("conflicts", count=1))
    expect(card).to_contain_text(text("theirs", count=2))
    expect(card).to_contain_text(text("mine", count=1))
    conflict = card.locator(f".gd-upgrade-conflict[data-pointer='{LABEL}']")
    expect(conflict).to_contain_text("Site address")
    expect(conflict).to_contain_text("Site")
    write = page.get_by_role("button", name=text("write"))
    expect(write).to_be_disabled()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide at {viewport['width']} px"
    _shoot(page, f"template-upgrade-{suffix}.png")

    conflict.get_by_text(text("takeTheirs"), exact=True).click()
    expect(write).to_be_enabled()
    write.click()
    expect(page.locator(".ant-result-title")).to_have_text(text("written"))
    expect(page.locator(".ant-result")).to_contain_text(text("draftLine", errors=0, warnings=0))
    link = page.get_by_role("link", name=text("openDesigner"))
    expect(link).to_have_attribute("href", f"/designer/{TYPE}")
    _shoot(page, f"template-upgrade-written-{suffix}.png")

    draft = admin.get(f"/api/v1/ticket-types/{TYPE}/draft").json
    assert draft["definition"]["form"]["schema"]["properties"]["location"]["title"] == "Site address"
    assert draft["errors"] == []
    assert admin.get(f"/api/v1/ticket-types/{TYPE}").json["latest_version"] == 2  # nothing published
    assert page.page_errors == [] and page.csp_violations == []
    context.close()
