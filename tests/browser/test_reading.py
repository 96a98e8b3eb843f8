"""What people read, in real Chromium: a requester with a Chinese profile files an IT incident on a phone and
reads Chinese labels, choices, errors, history and notification; an English reader reads labels and names,
never keys, e-mail addresses or attachment ids. Screenshots at 375 px and on a desktop, in both languages."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)

from __future__ import annotations

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from tests.browser.antd import tick
from tests.browser.test_workspace import DESKTOP, PHONE, _choose, _login, _shoot, _tighten_asset_tags

expect.set_options(timeout=15_000)  # the machines that run this are often busy


def _photo(width: int = 120, height: int = 80) -> bytes:
    """A real PNG of a dark laptop screen with a blinking-light dot, so that thumbnails show something."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            light = (x - width + 14) ** 2 + (y - height + 14) ** 2 < 36
            frame = x < 6 or y < 6 or x >= width - 6 or y >= height - 6
            row += bytes((250, 140, 20) if light else (120, 130, 150) if frame else (20, 24, 40))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))


PNG = _photo()


def _shows_an_image(image) -> None:
    expect(image).to_be_visible()
    # Loaded, with permission (an image refused by the server completes with naturalWidth 0, and this times out).
    image.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == 120


def _desk(admin, make_user, agent: str) -> dict[str, int]:
    """The IT template; `agent` alone works the service desk (so round robin picks them)."""
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code in (200, 201)
    users = {
        "mei": make_user("mei@example.com", ["requester"], name="王梅", locale="zh-CN", time_zone="Asia/Shanghai"),
        "ray": make_user("ray@example.com", ["requester"], name="Ray Requester"),
        "li": make_user("li@example.com", ["agent"], name="李工", locale="zh-CN", time_zone="Asia/Shanghai"),
        "ada": make_user("ada@example.com", ["agent"], name="Ada Agent"),
    }
    teams = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}
    assert admin.patch(f"/api/v1/teams/{teams['service-desk']['id']}",
                       json={"member_ids": [users[agent]]}).status_code == 200
    return users


@pytest.fixture
def chinese_desk(admin, make_user):
    return _desk(admin, make_user, "li")


@pytest.fixture
def english_desk(admin, make_user):
    return _desk(admin, make_user, "ada")


def test_a_chinese_requester_reads_everything_in_chinese(browser, live_server, chinese_desk, admin):
    mei_context, mei = _login(browser, live_server, "mei@example.com", PHONE, locale="zh-CN", path="/portal")

    # The catalogue: the type's name and its categories in Chinese.
    expect(mei.get_by_role("heading", name="需要什么帮助？")).to_be_visible()
    expect(mei.get_by_role("link", name="硬件: IT 故障")).to_be_visible()
    mei.get_by_role("link", name="软件: IT 故障").click()

    # The form: labels, help, placeholders and choices in Chinese; the field rule still works.
    expect(mei.get_by_role("heading", name="IT 故障")).to_be_visible()
    expect(mei.get_by_label("标题")).to_have_attribute("placeholder", "例如：邮件服务器宕机")
    expect(mei.get_by_label("资产编号")).to_have_count(0)
    _choose(mei, "类别", "硬件")
    expect(mei.get_by_label("资产编号")).to_be_visible()
    mei.get_by_label("标题").fill("笔记本电脑无法开机")
    tick(mei.get_by_label("高：工作已完全停止"))
    tick(mei.get_by_label("仅我本人 / 一个人"))
    _choose(mei, "区域", "华东")
    mei.get_by_label("问题描述").fill("今天早上开机后一直黑屏，电源灯在闪。")
    mei.locator("input[type=file][data-field=截图]").set_input_files(
        {"name": "屏幕.png", "mimeType": "image/png", "buffer": PNG})
    expect(mei.get_by_text("屏幕.png")).to_be_visible()
    mei.get_by_role("button", name="提交").click()
    field = mei.locator(".ant-form-item", has=mei.locator("#root_asset_tag")).last
    expect(field).to_contain_text("资产编号为必填项。")  # the browser's check, with the Chinese title
    _shoot(mei, "reading-form-zh-375.png")

    # The server's refusal, after a designer tightened the rule meanwhile: Chinese title and sentence.
    _tighten_asset_tags(admin)
    mei.get_by_label("资产编号").fill("AB-1234")
    mei.get_by_role("button", name="提交").click()
    expect(field).to_contain_text("资产编号的格式不正确。")
    expect(mei.get_by_text("Asset tag")).to_have_count(0)
    mei.get_by_label("资产编号").fill("LT-0042")
    mei.get_by_role("button", name="提交").click()
    expect(mei.get_by_role("heading", name=re.compile("INC-000001"))).to_be_visible()
    ticket_url = mei.url

    # The ticket: the state's name, labels for the values, a thumbnail for the photo, a readable history.
    header = mei.locator(".gd-ticket-header")
    expect(header).to_contain_text("已分派")  # routed to Li: it left New by itself
    details = mei.locator(".gd-data")
    expect(details).to_contain_text("类别")
    expect(details).to_contain_text("硬件")
    expect(details).to_contain_text("高：工作已完全停止")
    expect(details).to_contain_text("华东")
    _shows_an_image(details.get_by_role("img", name="屏幕.png 的预览"))
    expect(details).not_to_contain_text("att_")
    history = mei.locator(".gd-timeline")
    expect(history).to_contain_text("已分派给Service desk，李工")
    expect(history).not_to_contain_text("@example.com")

    # The agent (Chinese too) resolves it: the dialog asks in Chinese and offers labelled root causes.
    li_context, li = _login(browser, live_server, "li@example.com", DESKTOP, locale="zh-CN", path="/tickets/1")
    transitions = li.locator(".gd-transitions")
    transitions.get_by_role("button", name="开始处理").click()
    expect(li.get_by_text("开始处理：工单现在为处理中。")).to_be_visible()
    transitions.get_by_role("button", name="解决").click()
    dialog = li.get_by_role("dialog")
    expect(dialog).to_contain_text("解决 → 已解决")
    dialog.get_by_label("解决方案", exact=True).fill("更换了电源适配器，已开机验证。")
    _choose(li, "根本原因", "硬件故障")
    tick(dialog.get_by_label("提交人已确认恢复正常，或已告知其如何自行验证"))
    dialog.get_by_role("button", name="解决").click()
    expect(dialog.get_by_text("请先勾选所有项目。")).to_be_visible()
    tick(dialog.get_by_label("解决方案中已说明问题原因和处理方法"))
    tick(dialog.get_by_label("如果问题可能再次发生，已关联或编写知识库文章"))
    _shoot(li, "reading-resolve-dialog-zh.png", full_page=False)
    dialog.get_by_role("button", name="解决").click()
    expect(li.locator(".gd-ticket-header")).to_contain_text("已解决")
    expect(li.locator(".gd-timeline")).to_contain_text("将根本原因从 — 改为 硬件故障")
    _shoot(li, "reading-ticket-zh-desktop.png")

    # The requester's page and bell: what happened, in Chinese.
    mei.goto(ticket_url)
    expect(header).to_contain_text("已解决")
    expect(history).to_contain_text("解决：处理中 → 已解决")
    expect(history).to_contain_text("提交人已确认恢复正常，或已告知其如何自行验证")
    expect(details).to_contain_text("根本原因")
    expect(details).to_contain_text("硬件故障")
    expect(mei.get_by_text("hardware_fault")).to_have_count(0)
    expect(mei.get_by_role("button", name="确认已解决")).to_be_enabled()
    _shoot(mei, "reading-ticket-zh-375.png")
    bell = mei.get_by_role("button", name="通知，1 条未读")
    bell.click()
    notice = mei.get_by_role("button", name=re.compile("INC-000001 现在的状态是“已解决”"))
    expect(notice).to_be_visible()
    _shoot(mei, "reading-bell-zh-375.png", full_page=False)
    assert mei.csp_violations == [] and li.csp_violations == []
    mei_context.close()
    li_context.close()


def test_an_english_reader_reads_labels_and_names(browser, live_server, english_desk):
    ray_context, ray = _login(browser, live_server, "ray@example.com", PHONE, path="/portal/new/it-incident?category=hardware")
    ray.get_by_label("Title").fill("Laptop does not start")
    tick(ray.get_by_label("High: work has stopped"))
    tick(ray.get_by_label("The whole company"))
    _choose(ray, "Region", "North")
    ray.get_by_label("Asset tag").fill("LT-0042")
    ray.get_by_label("Description").fill("Black screen since this morning.")
    ray.locator("input[type=file][data-field=Screenshots]").set_input_files(
        {"name": "screen.png", "mimeType": "image/png", "buffer": PNG})
    expect(ray.get_by_text("screen.png")).to_be_visible()
    ray.get_by_role("button", name="Submit").click()
    expect(ray.get_by_role("heading", name=re.compile("INC-000001"))).to_be_visible()
    details = ray.locator(".gd-data")
    expect(details).to_contain_text("Hardware")
    expect(details).to_contain_text("The whole company")
    _shows_an_image(details.get_by_role("img", name="Preview of screen.png"))
    history = ray.locator(".gd-timeline")
    expect(history).to_contain_text("Assigned to Service desk, Ada Agent")
    expect(history).not_to_contain_text("ada@example.com")

    ada_context, ada = _login(browser, live_server, "ada@example.com", DESKTOP, path="/tickets/1")
    transitions = ada.locator(".gd-transitions")
    transitions.get_by_role("button", name="Start work").click()
    expect(ada.locator(".gd-ticket-header")).to_contain_text("In progress")
    transitions.get_by_role("button", name="Resolve").click()
    dialog = ada.get_by_role("dialog")
    dialog.get_by_label("Resolution", exact=True).fill("Replaced the power supply.")
    _choose(ada, "Root cause", "Hardware fault")
    for item in ("The requester confirmed that it works again, or was told how to check",
                 "The cause and the fix are explained in the resolution",
                 "A knowledge-base article was linked or written if this can happen again"):
        tick(dialog.get_by_label(item))
    _shoot(ada, "reading-resolve-dialog-en.png", full_page=False)
    dialog.get_by_role("button", name="Resolve").click()
    expect(ada.locator(".gd-ticket-header")).to_contain_text("Resolved")
    expect(ada.locator(".gd-timeline")).to_contain_text("Changed Root cause from — to Hardware fault")
    _shoot(ada, "reading-ticket-en-desktop.png")

    ray.reload()
    expect(ray.locator(".gd-ticket-header")).to_contain_text("Resolved")
    expect(history).to_contain_text("Resolve: In progress → Resolved")
    expect(details).to_contain_text("Hardware fault")
    _shoot(ray, "reading-ticket-en-375.png")
    ray.get_by_role("button", name="Notifications, 1 unread").click()
    expect(ray.get_by_role("button", name=re.compile("INC-000001 is now 'Resolved'"))).to_be_visible()
    ray_context.close()
    ada_context.close()
