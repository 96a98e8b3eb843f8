"""Input the parsers accept but the code could not use answers 4xx, never 500 (issue 13, "500s to turn into 4xx")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, Api, error_of

ROOT = Path(__file__).resolve().parents[2]
INCIDENT_TYPE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text())
LATE = "9999-12-31T23:59:59-23:59"
EARLY = "0001-01-01T00:00:00+23:59"


def login(app, email):
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


@pytest.fixture
def people(app, admin, make_user):
    ids = {name: make_user(f"{name}@example.com", roles) for name, roles in
           [("rita", ["requester"]), ("olive", ["agent"]), ("dana", ["designer"])]}
    team = admin.post("/api/v1/teams", json={"key": "desk", "name": "Desk", "member_ids": [ids["olive"]]}).json
    return {**ids, "team": team["id"]}


@pytest.mark.parametrize("query", [f"created_after={LATE}", f"created_before={EARLY}", f"sla_due_before={LATE}"])
def test_extreme_utc_offsets_in_ticket_queries_are_422(app, people, query):
    response = login(app, "olive@example.com").get("/api/v1/tickets?" + query.replace("+", "%2B"))
    assert response.status_code == 422
    detail = error_of(response)["details"][0]
    assert detail["location"] == "query" and detail["path"] == "/" + query.split("=")[0]


def test_extreme_utc_offsets_in_roster_and_on_duty_are_422(app, admin, people):
    team = people["team"]
    for path, name in [(f"/api/v1/teams/{team}/roster?from={LATE}", "/from"), (f"/api/v1/teams/{team}/roster?to={LATE}", "/to"),
                       (f"/api/v1/teams/{team}/on-duty?at={LATE}", "/at")]:
        response = admin.get(path)
        assert response.status_code == 422, path
        assert error_of(response)["details"][0]["path"] == name
    shift = admin.post(f"/api/v1/teams/{team}/roster", json={"user_id": people["olive"], "starts_at": EARLY,
                                                           "ends_at": LATE})
    assert shift.status_code == 422


@pytest.mark.parametrize("rule", [{"<": [LATE, "2020-01-01"]}, {"datetime==": [LATE, "2020-01-01"]},
                                  {"date_add": [EARLY, 1, "day"]}, {"datetime_truncate": [LATE, "day"]}])
def test_extreme_dates_in_rules_are_rule_errors(app, people, rule):
    dana = login(app, "dana@example.com")
    response = dana.post("/api/v1/logic/evaluate", json={"rule": rule, "data": {}})
    assert response.status_code == 422
    assert "outside the years 1 to 9999" in error_of(response)["message"] + json.dumps(error_of(response)["details"])


def test_an_extreme_date_feeding_a_priority_rule_is_a_rule_error(app, admin, people):
    document = json.loads(json.dumps(INCIDENT_TYPE))
    document["form"]["schema"]["properties"]["seen_at"] = {"type": "string", "format": "date-time", "title": "Seen at"}
    document["priority"]["overrides"] = [{"when": {"<": [{"var": "seen_at"}, "2000-01-01T00:00:00Z"]}, "set": "P1"}]
    imported = admin.post("/api/v1/ticket-types/import", json=document)
    assert imported.status_code == 201, imported.json
    rita = login(app, "rita@example.com")
    data = {"title": "Printer on fire", "category": "hardware", "urgency": "high", "impact": "department",
            "description": "Smoke", "region": "east", "seen_at": LATE, "asset_tag": "LT-0042"}
    created = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": data})
    assert created.status_code == 201, created.json
    assert created.json["priority"] != "P1"
    assert rita.get(f"/api/v1/tickets/{created.json['id']}").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/tickets/2147483648", "/api/v1/tickets/9223372036854775808",
                                  "/api/v1/users/2147483648", "/api/v1/teams/99999999999999999999",
                                  "/api/v1/tickets/2147483648/events", "/api/v1/ticket-types/x/versions/2147483648"])
def test_ids_beyond_the_column_are_404(admin, path):
    response = admin.get(path)
    assert response.status_code == 404
    error_of(response)


def test_ids_beyond_the_column_in_bodies_and_queries_are_422(app, admin, people):
    big = 2**31
    team = people["team"]
    for method, path, body, pointer in [
        ("post", "/api/v1/teams", {"key": "t2", "name": "T2", "member_ids": [big]}, "/member_ids/0"),
        ("post", "/api/v1/teams", {"key": "t2", "name": "T2", "supervisor_id": big}, "/supervisor_id"),
        ("post", f"/api/v1/teams/{team}/members", {"user_id": big}, "/user_id"),
        ("post", f"/api/v1/teams/{team}/roster", {"user_id": big, "starts_at": "2026-01-01T00:00:00Z",
                                                 "ends_at": "2026-01-02T00:00:00Z"}, "/user_id"),
        ("get", f"/api/v1/outbox?ticket_id={big}", None, "/ticket_id"),
        ("get", f"/api/v1/automation-runs?ticket_id={big}", None, "/ticket_id"),
    ]:
        response = admin.request(method.upper(), path, json=body)
        assert response.status_code == 422, (path, response.status_code)
        assert error_of(response)["details"][0]["path"] == pointer
    admin.post("/api/v1/ticket-types/import", json=INCIDENT_TYPE)
    for path in ["/api/v1/ticket-types/it-incident/diff?from=2147483648",
                 "/api/v1/ticket-types/it-incident/diff?to=99999999999999999999",
                 "/api/v1/ticket-types/it-incident/export?version=2147483648"]:
        assert admin.get(path).status_code == 422, path
    response = admin.post("/api/v1/ticket-types/it-incident/simulate", json={"data": {}, "source": "2147483648"})
    assert response.status_code == 422


def test_a_huge_integer_literal_is_400_before_authentication(api):
    body = '{"email": 1' + "0" * 5000 + ', "password": "x"}'
    response = api.client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


@pytest.mark.parametrize("text", ["\\ud800x", "a\\u0000b", "\\udfff"])
def test_lone_surrogates_and_nul_in_json_are_400(app, admin, people, text):
    body = '{"email": "' + text + '", "password": "x"}'
    response = Api(app.test_client()).client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert response.status_code == 400 and error_of(response)["details"][0]["path"] == "/email"
    rita = login(app, "rita@example.com")
    for method, path, raw in [("PATCH", "/api/v1/me", '{"name": "' + text + '"}'),
                              ("POST", "/api/v1/me/saved-filters", '{"name": "x", "query": {"q": "' + text + '"}}'),
                              ("POST", "/api/v1/tickets", '{"type": "x", "data": {"' + text + '": 1}}')]:
        response = rita.request(method, path, data=raw, content_type="application/json")
        assert response.status_code == 400, (path, response.status_code)
        assert error_of(response)["code"] == "invalid_text"


@pytest.mark.parametrize("name", ["q", "type", "status", "team", "requester"])
def test_nul_in_the_query_is_400(app, people, name):
    response = login(app, "olive@example.com").get(f"/api/v1/tickets?{name}=a%00b")
    assert response.status_code == 400
    assert error_of(response)["details"][0] == {"path": f"/{name}", "location": "query",
                                                "message": "Text may not contain the NUL character (\\u0000)."}


def test_nul_in_a_path_is_400(admin):
    response = admin.get("/api/v1/ticket-types/it%00incident")
    assert response.status_code == 400
    error_of(response)


INCIDENT = {"title": "Printer on fire", "category": "hardware", "urgency": "high", "impact": "department",
            "description": "Smoke", "region": "east", "asset_tag": "LT-0042"}


def test_a_form_refuses_fields_it_does_not_declare(app, admin, people):
    assert admin.post("/api/v1/ticket-types/import", json=INCIDENT_TYPE).status_code == 201
    rita = login(app, "rita@example.com")
    response = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {**INCIDENT, "extra": "x" * 5_000_000}})
    assert response.status_code == 422
    assert [d["path"] for d in error_of(response)["details"]] == ["/data/extra"]
    created = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json
    patched = rita.patch(f"/api/v1/tickets/{created['id']}", json={"data": {"extra": 1}})
    assert patched.status_code == 422 and error_of(patched)["details"][0]["path"] == "/data/extra"


def test_a_designer_may_allow_undeclared_fields_and_the_data_is_bounded(app, admin, people):
    document = json.loads(json.dumps(INCIDENT_TYPE))
    document["form"]["schema"]["additionalProperties"] = True
    assert admin.post("/api/v1/ticket-types/import", json=document).status_code == 201
    rita = login(app, "rita@example.com")
    assert rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {**INCIDENT, "extra": "x"}}).status_code == 201
    huge = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {**INCIDENT, "extra": "x" * 300_000}})
    assert huge.status_code == 422
    assert error_of(huge)["details"] == [{"path": "/data", "location": "json",
                                          "message": error_of(huge)["message"]}]
    assert "at most 262,144" in error_of(huge)["message"]
    items = rita.get("/api/v1/tickets").json["items"]
    assert len(items) == 1


def test_the_data_bound_is_configurable(app, database_url, tmp_path):
    from gongdan import create_app
    from tests.conftest import app_config
    small = create_app(app_config(database_url, tmp_path, TICKET_DATA_MAX_BYTES=300))  # `app` emptied the database
    with small.app_context():
        from platform_core.auth import services
        from platform_core.db import get_session
        services.create_user(get_session(), email="a@example.com", name="A", roles=["admin"], password=PASSWORD,
                             actor_id=None)
    client = login(small, "a@example.com")
    assert client.post("/api/v1/ticket-types/import", json=INCIDENT_TYPE).status_code == 201
    response = client.post("/api/v1/tickets", json={"type": "it-incident", "data": {**INCIDENT, "description": "y" * 400}})
    assert response.status_code == 422 and error_of(response)["details"][0]["path"] == "/data"
    small.extensions["gongdan_db"].engine.dispose()
