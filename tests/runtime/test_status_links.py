"""The public status link (issue 17, after-sales): the requester gets a signed link in the notification sent when
the ticket is created (the notify action's ``status_link``), and the page behind it shows the state in their
language, the product and serial number, the service mode, and the public timeline — never internal notes,
e-mail addresses or other fields. Tampered and expired links answer 410 and show nothing."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select

from platform_core.db import get_session, utcnow
from runtime.tickets.models import TicketEvent
from tests.conftest import PASSWORD, Api, error_of
from tests.designer.test_industry_templates import REPAIR

SECRET_NOTE = "Customer is on the credit watch list; do not ship before payment"


def link_token(client: Api) -> str:
    """The status link's token from the requester's newest 'received' notification."""
    items = client.get("/api/v1/notifications").json["items"]
    received = [n for n in items if n["kind"] == "received"]
    assert received, items
    url = re.search(r"https?://\S+/status\?token=\S+", received[0]["message"])
    assert url, received[0]["message"]
    return parse_qs(urlparse(url.group(0)).query)["token"][0]


@pytest.fixture
def story(app, admin, make_user):
    """After-sales installed, Pete in printer service, Cora's on-site repair diagnosed, one public reply from Pete,
    one reply from Cora and one internal note."""
    assert admin.post("/api/v1/templates/after-sales/install").status_code == 201
    pete_id = make_user("pete@example.com", ["agent"], name="Pete Engineer")
    teams = {t["key"]: t["id"] for t in admin.get("/api/v1/teams").json["items"]}
    assert admin.patch(f"/api/v1/teams/{teams['printer-service']}", json={"member_ids": [pete_id]}).status_code == 200
    make_user("cora@example.com", ["requester"], name="Cora Customer", locale="zh-CN")
    cora, pete = Api(app.test_client()), Api(app.test_client())
    assert cora.login("cora@example.com", PASSWORD).status_code == 200
    assert pete.login("pete@example.com", PASSWORD).status_code == 200
    created = cora.post("/api/v1/tickets", json={"type": "after-sales-service",
                                                 "data": {**REPAIR, "preferred_visit_date": "2026-12-10"}})
    assert created.status_code == 201, created.json
    tid = created.json["id"]
    assert pete.post(f"/api/v1/tickets/{tid}/transitions/diagnose", json={}).status_code == 200
    assert pete.post(f"/api/v1/tickets/{tid}/comments", json={"body": "We will visit on Thursday morning."}).status_code == 201
    assert pete.post(f"/api/v1/tickets/{tid}/comments", json={"body": SECRET_NOTE, "internal": True}).status_code == 201
    assert cora.post(f"/api/v1/tickets/{tid}/comments", json={"body": "Thursday suits us."}).status_code == 201
    return {"tid": tid, "number": created.json["number"], "cora": cora, "pete": pete}


def test_the_requesters_link_shows_the_public_status_without_sign_in(app, story):
    token = link_token(story["cora"])
    anonymous = Api(app.test_client())
    shown = anonymous.get("/api/v1/status-links", query_string={"token": token})
    assert shown.status_code == 200, shown.json
    view = shown.json
    # Cora reads Chinese: the state's name comes from the definition's translation.
    assert view["locale"] == "zh-CN" and view["number"] == story["number"]
    assert (view["status"], view["status_name"], view["status_category"]) == ("diagnosing", "诊断中", "open")
    shown_fields = {f["name"]: f["value"] for f in view["fields"]}
    assert shown_fields["serial_number"] == "LP23051234"
    assert set(shown_fields) == {"product", "serial_number", "service_mode", "preferred_visit_date"}
    assert [(s["kind"], s["state"], s["text"], s["by"]) for s in view["timeline"]] == [
        ("created", None, None, None), ("status", "诊断中", None, None),
        ("reply", None, "We will visit on Thursday morning.", "staff"), ("reply", None, "Thursday suits us.", "you")]
    text = json.dumps(view, ensure_ascii=False)
    for private in (SECRET_NOTE, "pete@example.com", "cora@example.com", "Pete Engineer", "Building 3",
                    "+86 138", "printer-service"):
        assert private not in text, private

    english = anonymous.get("/api/v1/status-links", query_string={"token": token, "locale": "en"}).json
    assert english["status_name"] == "Diagnosing" and english["locale"] == "en"
    assert {f["name"]: f["value"] for f in english["fields"]}["service_mode"] == "On-site visit"


def test_tampered_cut_foreign_and_expired_links_are_refused_and_change_nothing(app, story):
    import time_machine

    token = link_token(story["cora"])
    with app.app_context():
        events = get_session().scalar(select(func.count()).select_from(TicketEvent))
    anonymous = Api(app.test_client())
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (tampered, token[: len(token) // 2], "not-a-token"):
        refused = anonymous.get("/api/v1/status-links", query_string={"token": bad})
        assert refused.status_code == 410, refused.json
        assert error_of(refused)["details"][0]["path"] == "/token" and "number" not in refused.json
    zh = anonymous.get("/api/v1/status-links", query_string={"token": tampered}, headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 410 and "无效" in error_of(zh)["message"]
    missing = anonymous.get("/api/v1/status-links")
    assert missing.status_code == 422 and "token" in json.dumps(error_of(missing))

    with time_machine.travel(utcnow() + timedelta(days=89), tick=False):
        assert anonymous.get("/api/v1/status-links", query_string={"token": token}).status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=91), tick=False):
        expired = anonymous.get("/api/v1/status-links", query_string={"token": token})
        assert expired.status_code == 410 and "expired" in error_of(expired)["message"]
        expired_zh = anonymous.get("/api/v1/status-links", query_string={"token": token},
                                   headers={"Accept-Language": "zh-CN"})
        assert expired_zh.status_code == 410 and "已过期" in error_of(expired_zh)["message"]
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(TicketEvent)) == events
