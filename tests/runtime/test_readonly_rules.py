"""Field rules that make fields read-only: the engine's field state, creating and editing tickets (422 naming the
field, in the reader's language). The designer's validation of the rule: tests/designer/test_validation.py."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from runtime.rules.definition import CompiledDefinition
from tests.conftest import PASSWORD, Api, error_of

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "designer" / "format" / "examples" / "it-incident.json").read_text())
DATA = {"title": "Printer jammed", "category": "software", "urgency": "low", "impact": "person",
        "description": "Paper everywhere"}


def definition() -> dict:
    """The IT incident with two read-only rules: the category once the ticket is past 'new', and the impact (which
    has a default) while the urgency is high."""
    document = copy.deepcopy(EXAMPLE)
    document["form"]["schema"]["properties"]["impact"]["default"] = "person"
    document["form"]["field_rules"] += [
        {"when": {"!=": [{"var": "ticket.status"}, "new"]}, "readonly": ["category"]},
        {"when": {"==": [{"var": "urgency"}, "high"]}, "readonly": ["impact"]},
    ]
    return document


def test_the_engine_reports_read_only_fields_and_the_changes_they_refuse():
    compiled = CompiledDefinition(definition())
    new, started = {"status": "new"}, {"status": "in_progress"}
    assert compiled.field_state({**DATA, "ticket": new}).readonly == []
    assert compiled.field_state({**DATA, "urgency": "high", "ticket": started}).readonly == ["category", "impact"]
    # creation: a read-only field may be left out or keep its default
    assert compiled.validate_data({**DATA, "urgency": "high"}, new)[1] == []
    errors = compiled.validate_data({**DATA, "urgency": "high", "impact": "company"}, new)[1]
    assert errors == [{"path": "/impact", "message": "Impact is read-only here and cannot be filled in or changed."}]
    # an edit: read-only as the ticket stood before, or as it would be after
    before = {**DATA, "urgency": "high", "impact": "person"}
    unlocking = {**before, "urgency": "low", "impact": "company"}
    assert compiled.validate_data(unlocking, new, before=before)[1][0]["path"] == "/impact"
    assert compiled.validate_data({**DATA, "urgency": "high", "impact": "company"}, new, before=DATA)[1][0]["path"] == "/impact"
    assert compiled.validate_data({**DATA, "impact": "company"}, new, before=DATA)[1] == []
    assert compiled.validate_data({**DATA, "category": "network"}, started, before=DATA)[1][0]["path"] == "/category"
    zh = compiled.validate_data({**DATA, "category": "network"}, started, before=DATA, locale="zh-CN")[1]
    assert zh[0]["message"] == "Category在此为只读，不能填写或修改。"


@pytest.fixture
def desk(app, admin, make_user):
    ids = {name: make_user(f"{name}@example.com", roles, name=name.title(), **extra)
           for name, roles, extra in [("sam", ["agent"], {}), ("rita", ["requester"], {}),
                                      ("li", ["requester"], {"locale": "zh-CN"})]}
    assert admin.post("/api/v1/teams", json={"key": "service-desk", "name": "Service desk",
                                             "member_ids": [ids["sam"]]}).status_code == 201
    assert admin.post("/api/v1/ticket-types/import", json=definition()).status_code == 201
    return ids


def login(app, email: str) -> Api:
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


def patch(client: Api, tid: int, data: dict):
    etag = client.get(f"/api/v1/tickets/{tid}").headers["ETag"]
    return client.patch(f"/api/v1/tickets/{tid}", json={"data": data}, headers={"If-Match": etag})


def test_the_api_refuses_changes_to_read_only_fields(app, desk):
    rita, sam, li = login(app, "rita@example.com"), login(app, "sam@example.com"), login(app, "li@example.com")
    refused = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {**DATA, "urgency": "high",
                                                                                  "impact": "company"}})
    assert refused.status_code == 422
    assert [d["path"] for d in error_of(refused)["details"]] == ["/data/impact"]
    created = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {**DATA, "urgency": "high"}})
    assert created.status_code == 201, created.json
    tid = created.json["id"]
    # while new, the category may change, the impact may not (urgency is high)
    assert patch(rita, tid, {"category": "network"}).status_code == 200
    response = patch(rita, tid, {"impact": "company", "urgency": "low"})  # unlocking in the same edit does not count
    assert response.status_code == 422 and error_of(response)["details"][0]["path"] == "/data/impact"
    assert "Impact" in error_of(response)["details"][0]["message"]
    assert patch(rita, tid, {"urgency": "low"}).status_code == 200
    assert patch(rita, tid, {"impact": "company"}).status_code == 200
    # once work started, the category is read-only for everyone, and nothing changes
    assert sam.post(f"/api/v1/tickets/{tid}/transitions/start", json={}).status_code == 200
    response = patch(sam, tid, {"category": "access", "title": "Printer jammed again"})
    assert response.status_code == 422
    assert [d["path"] for d in error_of(response)["details"]] == ["/data/category"]
    ticket = sam.get(f"/api/v1/tickets/{tid}").json
    assert (ticket["data"]["category"], ticket["data"]["title"]) == ("network", "Printer jammed")
    assert patch(sam, tid, {"title": "Printer jammed again"}).status_code == 200
    # the reader's language
    other = li.post("/api/v1/tickets", json={"type": "it-incident", "data": {**DATA, "urgency": "high", "impact": "company"}})
    assert error_of(other)["details"][0]["message"].endswith("在此为只读，不能填写或修改。")
