"""The designer API end to end: drafts, publishing, versions, diff, import/export, playground, simulation."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, Api, error_of

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "designer" / "format" / "examples" / "it-incident.json").read_text())


@pytest.fixture
def designer(app, make_user):
    make_user("dee@example.com", ["designer"], name="Dee Designer")
    client = Api(app.test_client())
    assert client.login("dee@example.com", PASSWORD).status_code == 200
    return client


def _client(app, make_user, email, roles):
    make_user(email, roles)
    client = Api(app.test_client())
    client.login(email, PASSWORD)
    return client


def _create_incident(designer, document=None):
    response = designer.post("/api/v1/ticket-types", json={"key": "it-incident", "name": "IT incident",
                                                           "number_prefix": "INC", "definition": document or EXAMPLE})
    assert response.status_code == 201, response.json
    return response.json


def test_create_edit_publish_and_read_immutable_versions(designer):
    created = designer.post("/api/v1/ticket-types", json={"key": "it-request", "name": "IT request",
                                                          "number_prefix": "REQ"})
    assert created.status_code == 201 and created.json["latest_version"] is None
    draft = designer.get("/api/v1/ticket-types/it-request/draft")
    assert draft.json["errors"] == [] and draft.headers["ETag"] == '"1"'
    first = designer.post("/api/v1/ticket-types/it-request/publish", json={"changelog": "First"})
    assert first.status_code == 201 and first.json["number"] == 1
    assert first.json["published_by"]["name"] == "Dee Designer"

    document = draft.json["definition"]
    document["form"]["schema"]["properties"]["location"] = {"type": "string", "title": "Location"}
    saved = designer.put("/api/v1/ticket-types/it-request/draft", json=document, headers={"If-Match": '"1"'})
    assert saved.status_code == 200 and saved.json["revision"] == 2 and saved.headers["ETag"] == '"2"'
    assert designer.post("/api/v1/ticket-types/it-request/publish", json={"changelog": "Location"}).json["number"] == 2

    v1 = designer.get("/api/v1/ticket-types/it-request/versions/1").json
    assert "location" not in v1["definition"]["form"]["schema"]["properties"]
    assert [v["number"] for v in designer.get("/api/v1/ticket-types/it-request/versions").json["items"]] == [2, 1]
    assert designer.get("/api/v1/ticket-types/it-request").json["latest_version"] == 2
    again = designer.post("/api/v1/ticket-types/it-request/publish", json={"changelog": "Nothing"})
    assert again.status_code == 409  # the draft equals version 2


def test_an_invalid_draft_is_saved_with_its_errors_and_publish_refuses_it(designer):
    _create_incident(designer)
    broken = copy.deepcopy(EXAMPLE)
    broken["workflow"]["transitions"][0]["to"] = "nowhere"
    broken["workflow"]["states"][0]["colour"] = "red"
    broken["sla"][0]["targets"]["P1"]["response"] = "15 minutes"
    saved = designer.put("/api/v1/ticket-types/it-incident/draft", json=broken)
    assert saved.status_code == 200
    paths = {e["path"] for e in saved.json["errors"]}
    assert {"/workflow/transitions/0/to", "/workflow/states/0/colour", "/sla/0/targets/P1/response"} <= paths
    refused = designer.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "Broken"})
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["code"] == "definition_invalid" and paths <= {d["path"] for d in error["details"]}
    assert designer.get("/api/v1/ticket-types/it-incident/versions").json["items"] == []


@pytest.mark.parametrize("where", ["routing", "guard", "sla", "chart", "automation", "field_rule", "override"])
def test_method_anywhere_is_reported_never_evaluated_and_never_published(designer, where):
    _create_incident(designer)
    evil = {"method": [{"var": "title"}, "__class__"]}
    document = copy.deepcopy(EXAMPLE)
    place = {
        "routing": ("/routing/1/when", lambda d: d["routing"][1].__setitem__("when", {"and": [True, evil]})),
        "guard": ("/workflow/transitions/6/guard", lambda d: d["workflow"]["transitions"][6].__setitem__("guard", evil)),
        "sla": ("/sla/0/when", lambda d: d["sla"][0].__setitem__("when", {"!": evil})),
        "chart": ("/charts/0/filter", lambda d: d["charts"][0].__setitem__("filter", evil)),
        "automation": ("/automations/0/when", lambda d: d["automations"][0].__setitem__("when", evil)),
        "field_rule": ("/form/field_rules/0/when", lambda d: d["form"]["field_rules"][0].__setitem__("when", evil)),
        "override": ("/priority/overrides/0/when", lambda d: d["priority"]["overrides"][0].__setitem__("when", evil)),
    }[where]
    place[1](document)
    saved = designer.put("/api/v1/ticket-types/it-incident/draft", json=document).json
    method_errors = [e for e in saved["errors"] if e["path"].startswith(place[0]) and "method" in e["message"]]
    assert method_errors, saved["errors"]
    assert designer.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "x"}).status_code == 422
    simulated = designer.post("/api/v1/ticket-types/it-incident/simulate", json={"data": {"title": "a"}})
    assert simulated.status_code == 422
    document["key"], document["number_prefix"] = "evil", "EVL"
    imported = designer.post("/api/v1/ticket-types/import", json=document)
    assert imported.status_code == 422
    assert [t["key"] for t in designer.get("/api/v1/ticket-types").json["items"]] == ["it-incident"]


def test_the_playground_evaluates_with_the_server_engine_and_refuses_unsafe_rules(designer):
    ok = designer.post("/api/v1/logic/evaluate", json={"rule": {"in": ["down", {"var": "title"}]},
                                                       "data": {"title": "server down"}})
    assert ok.status_code == 200 and ok.json == {"result": True}
    refused = designer.post("/api/v1/logic/evaluate", json={"rule": {"or": [False, {"method": ["x", "upper"]}]}})
    assert refused.status_code == 422
    detail = error_of(refused)["details"][0]
    assert detail["path"] == "/rule/or/1/method" and "method" in detail["message"]


def test_stale_draft_saves_get_412_naming_who_saved(designer, app, make_user):
    _create_incident(designer)
    other = _client(app, make_user, "olly@example.com", ["designer"])
    assert other.put("/api/v1/ticket-types/it-incident/draft", json=EXAMPLE, headers={"If-Match": '"1"'}).status_code == 200
    stale = designer.put("/api/v1/ticket-types/it-incident/draft", json=EXAMPLE, headers={"If-Match": '"1"'})
    assert stale.status_code == 412 and "Olly" in error_of(stale)["message"]


def test_draft_bodies_must_be_json_objects_of_bounded_size(designer, app):
    _create_incident(designer)
    url = "/api/v1/ticket-types/it-incident/draft"
    assert designer.put(url, json=[1, 2]).status_code == 422
    assert error_of(designer.put(url, data="{oops", content_type="application/json"))["code"] == "invalid_json"
    assert designer.put(url, data=b'{"a": "\xff"}', content_type="application/json").status_code == 400
    app.config["DEFINITION_MAX_BYTES"] = 2000
    assert designer.put(url, json={**EXAMPLE, "description": "x" * 3000}).status_code == 413
    assert designer.get(url).json["revision"] == 1  # nothing was saved


def test_diff_marks_breaking_changes(designer):
    _create_incident(designer)
    assert designer.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "v1"}).status_code == 201
    document = copy.deepcopy(EXAMPLE)
    props = document["form"]["schema"]["properties"]
    props["cost_center"] = {"type": "string", "title": "Cost center"}
    document["form"]["schema"]["required"].append("cost_center")
    props["urgency"]["enum"] = ["high", "low"]
    props["region"]["enum"].append("central")
    del props["screenshots"]
    document["form"]["ui"]["ui:order"].remove("screenshots")
    document["workflow"]["transitions"][0]["roles"] = ["agent", "admin"]
    designer.put("/api/v1/ticket-types/it-incident/draft", json=document)
    diff = designer.get("/api/v1/ticket-types/it-incident/diff?from=1&to=draft").json
    kinds = {(c["kind"], c.get("field") or c.get("transition")): c for c in diff["changes"]}
    assert diff["breaking"] is True
    assert kinds[("field_added", "cost_center")]["breaking"] is True
    assert kinds[("field_changed", "urgency")]["breaking"] is True
    assert kinds[("field_changed", "region")]["breaking"] is False  # only a value added
    assert kinds[("field_removed", "screenshots")]["breaking"] is False
    assert kinds[("transition_changed", "assign")]["changed"] == ["roles"]
    assert all(c["summary"].endswith(".") for c in diff["changes"])
    assert designer.get("/api/v1/ticket-types/it-incident/diff?from=9&to=draft").status_code == 404
    assert designer.get("/api/v1/ticket-types/it-incident/diff?from=one").status_code == 422


def test_export_and_import_round_trip_and_a_bad_file_creates_nothing(designer):
    _create_incident(designer)
    designer.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "v1"})
    exported = designer.get("/api/v1/ticket-types/it-incident/export")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"] == 'attachment; filename="it-incident-1.json"'
    document = json.loads(exported.data)
    assert document == designer.get("/api/v1/ticket-types/it-incident/versions/1").json["definition"]

    assert designer.post("/api/v1/ticket-types/import", json=document).status_code == 409  # same key
    document["key"], document["number_prefix"], document["name"] = "it-incident-eu", "INCEU", "IT incident (EU)"
    imported = designer.post("/api/v1/ticket-types/import", json=document)
    assert imported.status_code == 201 and imported.json["latest_version"] == 1

    bad = copy.deepcopy(document)
    bad["key"], bad["number_prefix"] = "broken", "BRK"
    bad["workflow"]["states"].append({"key": "new", "name": "Again", "category": "new", "initial": True})
    bad["priority"]["matrix"]["cells"]["high|planet"] = "P1"
    response = designer.post("/api/v1/ticket-types/import", json=bad)
    assert response.status_code == 422
    assert len(error_of(response)["details"]) >= 3
    keys = [t["key"] for t in designer.get("/api/v1/ticket-types?include_archived=true").json["items"]]
    assert keys == ["it-incident", "it-incident-eu"]


def test_simulation_explains_fields_priority_routing_and_sla(designer):
    _create_incident(designer)
    data = {"title": "server down in Shanghai DC", "category": "network", "urgency": "medium",
            "impact": "company", "description": "All of it", "region": "east"}
    result = designer.post("/api/v1/ticket-types/it-incident/simulate", json={"data": data}).json
    assert result["valid"] is True and result["fields"]["hidden"] == ["asset_tag"]
    assert result["priority"]["level"] == "P2"
    assert result["routing"]["matched"]["name"] == "Server down in the east"
    assert result["routing"]["matched"]["assign"] == {"team": "east-senior-ops", "strategy": "on_duty"}
    assert result["sla"]["targets"] == {"response": "PT30M", "resolution": "PT8H"}

    vip = designer.post("/api/v1/ticket-types/it-incident/simulate",
                        json={"data": {**data, "region": "north"}, "ticket": {"requester": {"tags": ["vip"]}}}).json
    assert vip["priority"]["level"] == "P1" and len(vip["priority"]["steps"]) == 2
    assert [t["matched"] for t in vip["routing"]["trace"]] == [False, True]

    hardware = designer.post("/api/v1/ticket-types/it-incident/simulate",
                             json={"data": {**data, "category": "hardware", "asset_tag": "bad"}}).json
    assert hardware["valid"] is False and hardware["fields"]["required"][0] == "asset_tag"
    assert [e["path"] for e in hardware["errors"]] == ["/asset_tag"]


def test_simulation_says_what_decided_the_priority_as_data(designer):
    _create_incident(designer)
    data = {"title": "Printer", "category": "hardware", "asset_tag": "PR-0001", "urgency": "medium",
            "impact": "company", "description": "Jammed", "region": "north"}
    plain = designer.post("/api/v1/ticket-types/it-incident/simulate", json={"data": data}).json["priority"]
    cell = {"by": "matrix", "cell": "medium|company", "fields": ["urgency", "impact"], "values": ["medium", "company"],
            "level": "P2"}
    assert plain["decision"] == {"base": cell, "routing": None, "decided_by": cell, "overrides": [
        {"by": "override", "index": 0, "effect": "raise_by", "amount": 1, "matched": False,
         "label": "Override 1: 1 level(s) up"}]}
    vip = designer.post("/api/v1/ticket-types/it-incident/simulate", json={
        "data": data, "ticket": {"requester": {"tags": ["vip"]}}, "locale": "zh-CN"}).json["priority"]
    assert vip["level"] == "P1"
    assert vip["decision"]["decided_by"] == {"by": "override", "index": 0, "effect": "raise_by", "amount": 1,
                                             "matched": True, "from": "P2", "to": "P1", "label": "调整规则 1：提高 1 级"}
    odd = designer.post("/api/v1/ticket-types/it-incident/simulate", json={"data": {**data, "urgency": None}}).json
    assert odd["priority"]["decision"]["decided_by"] == {"by": "default", "level": "P3"}


def test_walking_a_draft_through_its_status_graph_writes_nothing(app, designer):
    from sqlalchemy import func, select

    from platform_core.db import get_session
    from runtime.tickets.models import Ticket, TicketEvent

    _create_incident(designer)
    data = {"title": "Printer", "category": "software", "urgency": "low", "impact": "person", "description": "x"}

    def walk(steps, **extra):
        response = designer.post("/api/v1/ticket-types/it-incident/simulate", json={"data": data, "walk": steps, **extra})
        assert response.status_code == 200, response.json
        return response.json["walk"]

    start = walk([])
    assert start["refused"] is None and start["acting_as"] == ["agent"]
    [first] = start["steps"]
    assert (first["state"], first["state_name"], first["transition"]) == ("new", "New", None)
    assert {t["key"]: t["allowed"] for t in first["transitions"]} == {"assign": True, "start": True}
    resolve = {"transition": "resolve", "fields": {"resolution": "Cleared the jam", "root_cause": "user_error"},
               "checklist": ["Cause explained to the requester"]}
    done = walk([{"transition": "start"}, resolve, {"transition": "confirm"}])
    assert [(s["transition"], s["state"]) for s in done["steps"]] == [
        (None, "new"), ("start", "in_progress"), ("resolve", "resolved"), ("confirm", "closed")]
    assert done["steps"][2]["actions"] == ["notify"] and done["steps"][2]["data"]["root_cause"] == "user_error"
    assert done["refused"] is None
    assert [(t["key"], t["allowed"], t["reasons"][0]["code"]) for t in done["steps"][3]["transitions"]] == [
        ("reopen", False, "role_missing")]  # a requester's
    # the walk stops at the first step the runtime would refuse, with every reason
    short = walk([{"transition": "start"}, {"transition": "resolve", "fields": {"resolution": "ok"}}])
    assert len(short["steps"]) == 2
    assert short["refused"]["index"] == 1 and short["refused"]["name"] == "Resolve"
    assert {r["code"] for r in short["refused"]["reasons"]} == {"invalid_field", "field_missing", "checklist_unchecked"}
    wrong = walk([{"transition": "confirm"}])["refused"]
    assert wrong["reasons"][0]["code"] == "wrong_state" and "New" in wrong["reasons"][0]["message"]
    assert walk([{"transition": "nope"}])["refused"]["reasons"][0]["code"] == "unknown_transition"
    # as a requester: the agents' transitions are blocked, and why
    as_requester = walk([], acting_as=["requester"], locale="zh-CN")["steps"][0]["transitions"]
    assert {t["key"]: t["allowed"] for t in as_requester} == {"assign": False, "start": False}
    assert as_requester[0]["reasons"][0]["code"] == "role_missing"
    # guards see the ticket as it would be: reopen needs days_since_resolved < 14, which holds right after resolving
    both = walk([{"transition": "start"}, resolve, {"transition": "reopen", "comment": "Not fixed"}],
                acting_as=["requester", "agent"])
    assert [s["state"] for s in both["steps"]] == ["new", "in_progress", "resolved", "in_progress"]
    assert walk([{"transition": "reopen"}], acting_as=["requester"])["refused"]["reasons"][0]["code"] == "wrong_state"
    with app.app_context():
        session = get_session()
        assert session.scalar(select(func.count()).select_from(Ticket)) == 0
        assert session.scalar(select(func.count()).select_from(TicketEvent)) == 0
    for bad in ({"walk": [{"fields": {}}]}, {"walk": "start"}, {"walk": [{"transition": "x"}] * 101},
                {"replay": 5, "walk": [], "data": None}):
        response = designer.post("/api/v1/ticket-types/it-incident/simulate", json={"data": data, **bad})
        assert response.status_code == 422, bad


def test_who_may_see_and_change_what(designer, app, make_user):
    _create_incident(designer)
    designer.post("/api/v1/ticket-types", json={"key": "drafty", "name": "Drafty", "number_prefix": "DRF"})
    designer.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "v1"})
    agent = _client(app, make_user, "agent@example.com", ["agent"])
    requester = _client(app, make_user, "req@example.com", ["requester"])
    assert [t["key"] for t in agent.get("/api/v1/ticket-types").json["items"]] == ["it-incident"]
    assert agent.get("/api/v1/ticket-types/drafty").status_code == 404
    assert agent.get("/api/v1/ticket-types/it-incident/versions/1").status_code == 200
    assert agent.get("/api/v1/ticket-types/it-incident/draft").status_code == 403
    assert agent.put("/api/v1/ticket-types/it-incident/draft", json=EXAMPLE).status_code == 403
    assert agent.post("/api/v1/logic/evaluate", json={"rule": True}).status_code == 403
    assert [t["key"] for t in requester.get("/api/v1/ticket-types").json["items"]] == ["it-incident"]
    assert requester.get("/api/v1/ticket-types/it-incident/versions/1").status_code == 403

    assert designer.delete("/api/v1/ticket-types/it-incident").status_code == 409
    assert designer.patch("/api/v1/ticket-types/it-incident", json={"archived": True}).json["archived"] is True
    assert agent.get("/api/v1/ticket-types").json["items"] == []
    assert designer.delete("/api/v1/ticket-types/drafty").status_code == 204


def test_the_designer_home_sees_each_draft_and_whether_it_is_ahead(app, api, make_user):
    make_user("dora@example.com", ["designer"], name="Dora Designer")
    make_user("rita@example.com", ["requester"])
    assert api.login("dora@example.com", PASSWORD).status_code == 200
    assert api.post("/api/v1/ticket-types", json={"key": "it-incident", "name": "IT incident", "number_prefix": "INC",
                                                  "definition": EXAMPLE}).status_code == 201
    listed = api.get("/api/v1/ticket-types").json["items"][0]
    assert listed["latest_version"] is None
    assert listed["draft"]["revision"] == 1 and listed["draft"]["updated_by"]["name"] == "Dora Designer"
    assert listed["draft"]["differs_from_published"] is True
    assert api.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "first"}).status_code == 201
    one = api.get("/api/v1/ticket-types/it-incident").json
    assert one["latest_version"] == 1 and one["draft"]["differs_from_published"] is False
    changed = {**EXAMPLE, "name": "IT incident (new)"}
    assert api.put("/api/v1/ticket-types/it-incident/draft", json=changed,
                   headers={"If-Match": '"1"'}).status_code == 200
    listed = api.get("/api/v1/ticket-types").json["items"][0]
    assert listed["draft"]["revision"] == 2 and listed["draft"]["differs_from_published"] is True
    requester = Api(app.test_client())
    assert requester.login("rita@example.com", PASSWORD).status_code == 200
    assert requester.get("/api/v1/ticket-types").json["items"][0]["draft"] is None


def test_the_graph_layout_is_kept_with_the_draft_checked_and_left_out_of_diffs_and_publishing(designer):
    """`layout` holds where the designer drew the states: saved, bounded, but never a change to publish."""
    _create_incident(designer)
    assert designer.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "First"}).status_code == 201
    draft = designer.get("/api/v1/ticket-types/it-incident/draft")
    document = draft.json["definition"]
    document["layout"] = {"workflow": {"new": {"x": 10, "y": 20.5}, "*": {"x": -40, "y": 0}}}
    saved = designer.put("/api/v1/ticket-types/it-incident/draft", json=document,
                         headers={"If-Match": draft.headers["ETag"]})
    assert saved.status_code == 200 and saved.json["errors"] == [], saved.json
    again = designer.get("/api/v1/ticket-types/it-incident/draft").json
    assert again["definition"]["layout"]["workflow"]["new"] == {"x": 10, "y": 20.5}

    assert designer.get("/api/v1/ticket-types/it-incident").json["draft"]["differs_from_published"] is False
    diff = designer.get("/api/v1/ticket-types/it-incident/diff?from=1&to=draft")
    assert diff.status_code == 200 and diff.json["changes"] == [], diff.json
    refused = designer.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "Moved a box"})
    assert refused.status_code == 409

    document["layout"] = {"workflow": {"new": {"x": "left", "y": 0}}}
    bad = designer.put("/api/v1/ticket-types/it-incident/draft", json=document,
                       headers={"If-Match": saved.headers["ETag"]})
    assert any(e["path"] == "/layout/workflow/new/x" for e in bad.json["errors"]), bad.json


def test_layout_problems_are_on_the_draft_in_the_designers_language(app, designer, make_user):
    _create_incident(designer)
    document = copy.deepcopy(EXAMPLE)
    document["form"]["ui"]["ui:layout"] = ["title", {"columns": [["title"], ["nope"]]}]
    saved = designer.put("/api/v1/ticket-types/it-incident/draft", json=document, headers={"If-Match": '"1"'})
    assert saved.status_code == 200, saved.json
    found = {e["path"]: e["message"] for e in saved.json["errors"]}
    assert found["/form/ui/ui:layout/1/columns/0/0"].startswith("The layout places 'title' twice")
    assert "/form/ui/ui:layout/1/columns/1/0" in found
    li = _client(app, make_user, "li@example.com", ["designer"])
    assert li.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    draft = li.get("/api/v1/ticket-types/it-incident/draft").json
    assert {e["path"]: e["message"] for e in draft["errors"]}["/form/ui/ui:layout/1/columns/1/0"] == \
        "布局中放置了“nope”，但它不是表单字段。"
    refused = li.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "Layout"})
    assert refused.status_code == 422
    assert "/form/ui/ui:layout/1/columns/1/0" in {d["path"] for d in error_of(refused)["details"]}


def test_every_problem_of_a_draft_is_in_the_readers_language_on_save_publish_simulate_and_import(app, designer,
                                                                                                  make_user):
    _create_incident(designer)
    broken = copy.deepcopy(EXAMPLE)
    broken["workflow"]["transitions"][0]["to"] = "nowhere"
    broken["sla"][0]["targets"]["P1"]["response"] = "15 minutes"
    broken["sla"][0]["calendar"] = "holidays-cn"
    saved = designer.put("/api/v1/ticket-types/it-incident/draft", json=broken)
    assert saved.status_code == 200
    english = {e["path"]: e["message"] for e in saved.json["errors"] + saved.json["warnings"]}
    assert english["/workflow/transitions/0/to"] == "Transition 'assign' goes to state 'nowhere', which does not exist."
    li = _client(app, make_user, "li@example.com", ["designer"])
    assert li.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    draft = li.get("/api/v1/ticket-types/it-incident/draft").json
    chinese = {e["path"]: e["message"] for e in draft["errors"] + draft["warnings"]}
    assert set(chinese) == set(english)
    assert chinese["/workflow/transitions/0/to"] == "流转“assign”流转到状态“nowhere”，但该状态不存在。"
    assert chinese["/sla/0/calendar"].startswith("不存在工作日历“holidays-cn”")
    assert chinese["/sla/0/targets/P1/response"].startswith("服务级别(SLA)策略“Standard”：")
    refused = li.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "Broken"})
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["message"] == "草稿有 3 个错误；请先修正再发布。"
    assert {d["path"]: d["message"] for d in error["details"]} == {p: chinese[p] for p in (
        "/workflow/transitions/0/to", "/workflow/states/1", "/sla/0/targets/P1/response")}
    simulated = li.post("/api/v1/ticket-types/it-incident/simulate", json={"data": {"title": "x"}})
    assert simulated.status_code == 422
    assert error_of(simulated)["message"] == "草稿有错误；请先修正再进行模拟。"
    assert chinese["/workflow/transitions/0/to"] in {d["message"] for d in error_of(simulated)["details"]}
    imported = li.post("/api/v1/ticket-types/import", json={**broken, "key": "it-incident-2", "number_prefix": "INB"})
    assert imported.status_code == 422
    assert error_of(imported)["message"] == "文件有 3 个错误；未导入任何内容。"
    assert designer.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "Broken"}).json["error"][
        "message"] == "The draft has 3 error(s); fix them before publishing."


def test_a_measure_label_s_translations_are_checked_on_save_and_publish_and_a_chinese_reader_charts_with_them(
        app, designer, make_user):
    """A chart measure's `i18n` is held to the same rules as a chart title's: a language Gongdan has, a text, and
    an authored label to translate; what is refused names its JSON pointer, in the reader's language too."""
    _create_incident(designer)
    broken = copy.deepcopy(EXAMPLE)
    measures = broken["charts"][0]["measures"]
    measures[0].update({"label": "Incidents", "i18n": {"fr": {"label": "Incidents"}}})
    measures.append({"agg": "max", "field": "ticket.age_hours", "label": "Oldest", "i18n": {"zh-CN": {"label": 3}}})
    measures.append({"agg": "p90", "field": "ticket.age_hours", "i18n": {"zh-CN": {"label": "第 90 百分位"}}})
    saved = designer.put("/api/v1/ticket-types/it-incident/draft", json=broken)
    assert saved.status_code == 200
    found = {e["path"]: (e["code"], e["message"]) for e in saved.json["errors"]}
    assert {path: code for path, (code, _) in found.items()} == {
        "/charts/0/measures/0/i18n/fr": "schema.unknown_key",
        "/charts/0/measures/1/i18n/zh-CN/label": "schema.type",
        "/charts/0/measures/2/i18n/zh-CN/label": "i18n.nothing_to_translate"}
    assert found["/charts/0/measures/1/i18n/zh-CN/label"][1] == (
        "Chart 'backlog_by_category', measure 2: 'label' must be text, not a number.")
    refused = designer.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "Broken"})
    assert refused.status_code == 422
    assert {d["path"] for d in error_of(refused)["details"]} == set(found)
    li = _client(app, make_user, "li@example.com", ["designer", "agent"])
    assert li.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    chinese = {e["path"]: e["message"] for e in li.get("/api/v1/ticket-types/it-incident/draft").json["errors"]}
    assert set(chinese) == set(found)
    assert chinese["/charts/0/measures/2/i18n/zh-CN/label"].startswith("图表“backlog_by_category”的第 3 个指标：")

    fixed = copy.deepcopy(EXAMPLE)
    fixed["charts"][0]["type"] = "table"
    fixed["charts"][0]["measures"] = [
        {"agg": "count", "label": "Incidents", "i18n": {"zh-CN": {"label": "故障数"}}},
        {"agg": "max", "field": "ticket.age_hours", "label": "Oldest"},
        {"agg": "p90", "field": "ticket.age_hours"}]
    saved = designer.put("/api/v1/ticket-types/it-incident/draft", json=fixed)
    assert saved.status_code == 200 and saved.json["errors"] == [], saved.json
    assert designer.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "Labels"}).status_code == 201
    agent = _client(app, make_user, "ann@example.com", ["agent"])
    english = agent.get("/api/v1/ticket-types/it-incident/charts")
    assert english.status_code == 200, english.json
    header = english.json["items"][0]["figure"]["data"][0]["header"]["values"]
    assert header[-3:] == ["Incidents", "Oldest", "90th percentile of Age (hours)"]
    figure = li.get("/api/v1/ticket-types/it-incident/charts").json["items"][0]["figure"]
    # translated, else as authored, else what the measure computes in the reader's language
    assert figure["data"][0]["header"]["values"][-3:] == ["故障数", "Oldest", "已持续时长（小时）第 90 百分位"]
