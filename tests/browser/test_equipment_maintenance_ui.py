"""The equipment-maintenance template in real Chromium: an operator's repair form in the portal (English on a phone,
Chinese on a desktop: the diagnosis, root-cause and signature fields are not asked yet), and a closed repair's page
as the engineer reads it, with its acceptance video, the line's signature and the root cause in his language."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from playwright.sync_api import expect

from designer.templates import library
from tests.browser.test_designer_flow import DESKTOP, PHONE, _login, _shoot
from tests.conftest import PASSWORD, Api

CLOSE_CHECKLIST = next(t for t in library.get_template("equipment-maintenance").ticket_types[0].document["workflow"]
                       ["transitions"] if t["key"] == "close")["checklist"]
CASES = [("en-US", PHONE, "en-375"), ("zh-CN", DESKTOP, "zh")]


@pytest.mark.parametrize(("locale", "viewport", "suffix"), CASES)
def test_an_operator_reports_a_machine_fault_in_the_portal(browser, live_server, admin, make_user, locale, viewport,
                                                           suffix):
    zh = locale == "zh-CN"
    assert admin.post("/api/v1/templates/equipment-maintenance/install").status_code == 201
    make_user("otto@example.com", ["requester"], name="Otto", locale="zh-CN" if zh else "en")
    context, page = _login(browser, live_server, "otto@example.com", viewport, locale=locale,
                           path="/portal/new/equipment-repair")
    form = page.locator("form")
    expect(form.locator("#root_machine_id")).to_be_visible(timeout=20000)
    expect(form).to_contain_text("设备编号" if zh else "Machine ID")
    expect(form).to_contain_text("产线停机" if zh else "Line stopped")
    for later in ("diagnosis", "external_support_needed", "root_cause_tag", "customer_signature"):
        expect(form.locator(f"#root_{later}")).to_have_count(0)  # asked at the diagnosis and at closure
    _shoot(page, f"equipment-repair-portal-{suffix}.png")
    assert page.page_errors == [] and page.csp_violations == []
    context.close()


def _signature_png(width: int = 160, height: int = 48) -> bytes:
    """A real PNG (a dark stroke on white), so that the page can show the signature's preview."""
    rows = b"".join(b"\x00" + bytes(0 if abs(y - height // 2 - (x % 40 - 20) // 3) < 2 else 255 for x in range(width))
                    for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _file(client: Api, name: str, content_type: str, head: bytes, body: bytes = b"0" * 256) -> str:
    response = client.post("/api/v1/attachments", data={"file": (io.BytesIO(head + body), name, content_type)},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    return response.json["id"]


@pytest.mark.parametrize(("locale", "viewport", "suffix"), CASES)
def test_a_closed_repair_shows_its_video_signature_and_root_cause(browser, live_server, app, admin, make_user, locale,
                                                                  viewport, suffix):
    zh = locale == "zh-CN"
    assert admin.post("/api/v1/templates/equipment-maintenance/install").status_code == 201
    ids = {name: make_user(f"{name}@example.com", roles, name=name.title(), locale="zh-CN" if zh else "en")
           for name, roles in (("eric", ["agent"]), ("lily", ["agent", "line-representative"]))}
    teams = {t["key"]: t["id"] for t in admin.get("/api/v1/teams").json["items"]}
    assert admin.patch(f"/api/v1/teams/{teams['maintenance']}", json={"member_ids": [ids["eric"]]}).status_code == 200
    eric, lily = Api(app.test_client()), Api(app.test_client())
    assert eric.login("eric@example.com", PASSWORD).status_code == 200
    assert lily.login("lily@example.com", PASSWORD).status_code == 200
    created = eric.post("/api/v1/tickets", json={"type": "equipment-repair", "data": {
        "title": "CNC-07: spindle drive fault (E-4021)", "machine_id": "CNC-07", "alarm_code": "E-4021",
        "production_line": "machining", "line_status": "running",
        "fault_description": "DC bus overvoltage alarm at braking, twice this shift."}})
    assert created.status_code == 201, created.json
    tid = created.json["id"]
    steps = [
        (eric, "start_diagnosis", {}),
        (eric, "repair_in_house", {"fields": {"diagnosis": "Braking resistor open; replaced from stock."}}),
        (eric, "repaired", {"fields": {"repair_summary": "Replaced the braking resistor; ran 20 parts.",
                                       "acceptance_video": _file(eric, "trial-run.mp4", "video/mp4",
                                                                 b"\x00\x00\x00\x18ftypmp42")}}),
        (lily, "accept", {"fields": {"customer_signature": _file(lily, "signature.png", "image/png", b"",
                                                                 _signature_png())}}),
        (eric, "close", {"fields": {"root_cause_summary": "Supply spikes from the welding line destroyed the resistor.",
                                    "root_cause_tag": "voltage_interference", "downtime_minutes": 95},
                         "checklist": CLOSE_CHECKLIST}),
    ]
    for client, key, body in steps:
        taken = client.post(f"/api/v1/tickets/{tid}/transitions/{key}", json=body)
        assert taken.status_code == 200, (key, taken.json)
    context, page = _login(browser, live_server, "eric@example.com", viewport, locale=locale, path=f"/tickets/{tid}")
    main = page.locator("main")
    expect(main).to_contain_text("电压干扰类" if zh else "Voltage interference", timeout=20000)
    expect(main).to_contain_text("已关闭" if zh else "Closed")
    expect(main).to_contain_text("trial-run.mp4")
    expect(main).to_contain_text("signature.png")
    # closing wrote the root-cause draft article (template version 2): the ticket lists it, written from it
    expect(main).to_contain_text("由本工单撰写" if zh else "Written from this ticket")
    expect(main).to_contain_text("已根据本工单起草知识文章" if zh else "Knowledge article drafted from this ticket")
    # the signature's preview is a lazily loaded image: shown (and decoded) before the screenshot
    signature = main.locator("img.gd-thumb").first
    signature.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=signature.element_handle())
    _shoot(page, f"equipment-repair-closed-{suffix}.png")
    assert page.page_errors == [] and page.csp_violations == []
    context.close()
