"""The web workspace's API: the portal catalogue and forms, @mention candidates, my teams, saved filters."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, Api, error_of

INCIDENT = {"title": "Laptop does not start", "category": "software", "urgency": "high", "impact": "person",
            "description": "Black screen since this morning", "region": "north"}


def login(app, email):
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


@pytest.fixture
def desk(app, admin, make_user):
    """The IT service desk template installed; Sam and Nina in the service desk, Olive elsewhere."""
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code in (200, 201)
    ids = {name: make_user(f"{name}@example.com", roles, name=name.title())
           for name, roles in [("sam", ["agent"]), ("nina", ["agent"]), ("olive", ["agent"]),
                               ("rita", ["requester"]), ("ron", ["requester"])]}
    teams = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}
    admin.patch(f"/api/v1/teams/{teams['service-desk']['id']}", json={"member_ids": [ids["sam"], ids["nina"]]})
    admin.patch(f"/api/v1/teams/{teams['network-ops']['id']}", json={"member_ids": [ids["olive"]]})
    admin.patch(f"/api/v1/users/{ids['rita']}", json={"tags": ["vip"]})
    return ids


def test_requesters_see_the_published_types_and_their_forms(app, desk):
    rita = login(app, "rita@example.com")
    types = {t["key"]: t for t in rita.get("/api/v1/portal/ticket-types").json["items"]}
    assert set(types) == {"it-incident", "it-request"}
    incident = types["it-incident"]
    assert incident["name"] == "IT incident" and incident["version"] == 1
    assert {"key": "access", "label": "Access and accounts"} in incident["categories"]
    # Requesters cannot read definitions, but they can read the form they fill.
    assert rita.get("/api/v1/ticket-types/it-incident/versions/1").status_code == 403
    form = rita.get("/api/v1/portal/ticket-types/it-incident/form")
    assert form.status_code == 200
    body = form.json
    assert body["form"]["schema"]["properties"]["asset_tag"]["pattern"]
    assert body["form"]["field_rules"][0]["show"] == ["asset_tag"]
    assert body["form"]["ui"]["ui:order"][0] == "title"
    assert [s["key"] for s in body["states"]][:2] == ["new", "assigned"] and body["states"][0]["initial"] is True
    assert body["priority_levels"] == ["P1", "P2", "P3", "P4"]
    assert body["transition_fields"]["resolution"] == {"title": "Resolution", "type": "string"}
    context = body["context"]
    assert context["status"] == "new" and context["source"] == "web"
    assert context["requester"]["email"] == "rita@example.com" and context["requester"]["tags"] == ["vip"]
    # Definitions carry no secrets the form needs, but routing and automations stay out of the answer.
    assert "routing" not in body and "workflow" not in body
    missing = rita.get("/api/v1/portal/ticket-types/nope/form")
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"


def test_archived_types_are_not_offered(app, desk, admin):
    assert admin.patch("/api/v1/ticket-types/it-request", json={"archived": True}).status_code == 200
    rita = login(app, "rita@example.com")
    assert [t["key"] for t in rita.get("/api/v1/portal/ticket-types").json["items"]] == ["it-incident"]
    assert rita.get("/api/v1/portal/ticket-types/it-request/form").status_code == 404


def test_mentionable_lists_staff_who_can_see_the_ticket(app, desk, admin):
    rita = login(app, "rita@example.com")
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json
    assert ticket["team"]["key"] == "service-desk"
    sam = login(app, "sam@example.com")
    found = sam.get(f"/api/v1/tickets/{ticket['id']}/mentionable").json["items"]
    emails = {u["email"] for u in found}
    # Nina shares the team, the admin sees everything; Olive (another team), requesters and Sam himself do not appear.
    assert emails == {"nina@example.com", "admin@example.com"}
    assert [u["email"] for u in sam.get(f"/api/v1/tickets/{ticket['id']}/mentionable?q=NIN").json["items"]] == \
        ["nina@example.com"]
    # Requesters may not look staff up; a ticket you cannot see does not exist.
    refused = rita.get(f"/api/v1/tickets/{ticket['id']}/mentionable")
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
    olive = login(app, "olive@example.com")
    assert olive.get(f"/api/v1/tickets/{ticket['id']}/mentionable").status_code == 404
    ron = login(app, "ron@example.com")
    assert ron.get(f"/api/v1/tickets/{ticket['id']}/mentionable").status_code == 404


def test_my_teams_and_the_team_queue(app, desk):
    rita = login(app, "rita@example.com")
    first = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json
    network = rita.post("/api/v1/tickets", json={"type": "it-incident",
                                                  "data": {**INCIDENT, "category": "network"}}).json
    assert network["team"]["key"] == "network-ops"
    sam = login(app, "sam@example.com")
    assert [t["key"] for t in sam.get("/api/v1/me/teams").json["items"]] == ["service-desk"]
    assert [t["id"] for t in sam.get("/api/v1/tickets?team=mine").json["items"]] == [first["id"]]
    assert rita.get("/api/v1/me/teams").json["items"] == []
    assert rita.get("/api/v1/tickets?team=mine").json["items"] == []


def test_saved_filters_belong_to_their_owner(app, desk):
    sam = login(app, "sam@example.com")
    assert sam.get("/api/v1/me/saved-filters").json == {"items": []}
    created = sam.post("/api/v1/me/saved-filters", json={"name": "Urgent in my teams",
                                                         "query": {"team": "mine", "priority": "P1", "q": ""}})
    assert created.status_code == 201, created.json
    saved = created.json
    assert saved["query"] == {"team": "mine", "priority": "P1"}
    duplicate = sam.post("/api/v1/me/saved-filters", json={"name": "Urgent in my teams", "query": {}})
    assert duplicate.status_code == 409 and error_of(duplicate)["details"][0]["path"] == "/name"
    bad = sam.post("/api/v1/me/saved-filters", json={"name": "Bad", "query": {"drop": "table", "q": 3}})
    assert bad.status_code == 422 and error_of(bad)["details"][0]["path"] == "/query/drop"
    assert sam.post("/api/v1/me/saved-filters", json={"query": {}}).status_code == 422

    renamed = sam.patch(f"/api/v1/me/saved-filters/{saved['id']}", json={"name": "P1 of mine",
                                                                         "query": {"priority": "P1"}})
    assert renamed.status_code == 200 and renamed.json["name"] == "P1 of mine"
    assert renamed.json["query"] == {"priority": "P1"}

    nina = login(app, "nina@example.com")
    assert nina.get("/api/v1/me/saved-filters").json["items"] == []
    assert nina.patch(f"/api/v1/me/saved-filters/{saved['id']}", json={"name": "Mine now"}).status_code == 404
    assert nina.delete(f"/api/v1/me/saved-filters/{saved['id']}").status_code == 404

    assert sam.delete(f"/api/v1/me/saved-filters/{saved['id']}").status_code == 204
    assert sam.get("/api/v1/me/saved-filters").json["items"] == []


def test_the_workspace_endpoints_are_documented_and_need_a_login(app, api):
    spec = api.get("/api/v1/openapi.json").json
    for path in ("/api/v1/portal/ticket-types", "/api/v1/portal/ticket-types/{key}/form",
                 "/api/v1/tickets/{ticket_id}/mentionable", "/api/v1/me/teams", "/api/v1/me/saved-filters",
                 "/api/v1/me/saved-filters/{filter_id}"):
        assert path in spec["paths"], path
    response = api.get("/api/v1/portal/ticket-types")
    assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"
