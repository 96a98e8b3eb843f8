"""How tickets behave as people use them (issue 14): blank text is not content, priority follows its fields,
assignment moves the workflow on, replies reach the people who should hear them."""

from __future__ import annotations

from tests.conftest import error_of
from tests.runtime.test_tickets import INCIDENT, login


def test_whitespace_is_not_content_on_create_update_and_transitions(app, desk):
    rita = login(app, "rita@example.com")
    blank = rita.post("/api/v1/tickets", json={"type": "it-incident",
                                               "data": {**INCIDENT, "title": "   ", "description": " " * 10}})
    assert blank.status_code == 422
    details = {d["path"]: d["message"] for d in error_of(blank)["details"]}
    assert set(details) == {"/data/title", "/data/description"}
    assert "Title" in details["/data/title"]
    short = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {**INCIDENT, "title": "  ab \n"}})
    assert short.status_code == 422 and error_of(short)["details"][0]["path"] == "/data/title"
    assert rita.get("/api/v1/tickets").json["items"] == []  # nothing was written

    padded = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **INCIDENT, "title": "  Printer jam \t", "asset_tag": "   ", "description": "\n Paper stuck \n"}})
    assert padded.status_code == 201, padded.json
    ticket = padded.json
    assert ticket["title"] == "Printer jam" and ticket["data"]["title"] == "Printer jam"
    assert ticket["data"]["description"] == "Paper stuck" and "asset_tag" not in ticket["data"]

    cleared = rita.patch(f"/api/v1/tickets/{ticket['id']}", json={"data": {"title": "    "}})
    assert cleared.status_code == 422 and error_of(cleared)["details"][0]["path"] == "/data/title"
    assert rita.get(f"/api/v1/tickets/{ticket['id']}").json["title"] == "Printer jam"

    agent = login(app, ticket["assignee"]["email"])
    assert agent.post(f"/api/v1/tickets/{ticket['id']}/transitions/start", json={}).status_code == 200
    blank_resolution = agent.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={
        "fields": {"resolution": "      ", "root_cause": "unknown"}, "checklist": ["Cause explained to the requester"]})
    assert blank_resolution.status_code == 422
    reasons = error_of(blank_resolution)["details"]
    assert [(r["code"], r["path"]) for r in reasons] == [("field_missing", "/fields/resolution")]
    resolved = agent.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={
        "fields": {"resolution": "  Cleared the paper  ", "root_cause": "unknown"},
        "checklist": ["Cause explained to the requester"]})
    assert resolved.status_code == 200 and resolved.json["data"]["resolution"] == "Cleared the paper"


def _targets(ticket):
    return {clock["metric"]: clock["target_seconds"] for clock in ticket["sla"]}


def test_priority_follows_its_fields_until_an_agent_sets_it_by_hand(app, desk):
    rita = login(app, "rita@example.com")
    low = {**INCIDENT, "title": "Mouse broken", "category": "software", "region": "north", "urgency": "low",
           "impact": "person"}
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": low}).json
    tid = ticket["id"]
    assert ticket["priority"] == "P4" and _targets(ticket)["resolution"] == 5 * 86400

    # The requester corrects urgency and impact: by the matrix it is P1 now, and the SLA clocks follow.
    edited = rita.patch(f"/api/v1/tickets/{tid}", json={"data": {"urgency": "high", "impact": "company"}})
    assert edited.status_code == 200, edited.json
    assert edited.json["priority"] == "P1" and _targets(edited.json) == {"response": 15 * 60, "resolution": 4 * 3600}
    assert rita.get(f"/api/v1/tickets/{tid}").json["priority_set"] is None
    agent = login(app, ticket["assignee"]["email"])
    events = agent.get(f"/api/v1/tickets/{tid}/events").json["items"]
    recomputed = [e for e in events if e["kind"] == "field_changed" and e["details"]["field"] == "priority"]
    assert [(e["details"]["old"], e["details"]["new"], e["details"]["automatic"]) for e in recomputed] == [("P4", "P1", True)]
    assert recomputed[0]["details"]["because"] == ["impact", "urgency"]
    assert any(e["kind"] == "sla_retargeted" for e in events)

    # Only agents set it by hand; a reason alone or an unknown level is refused, naming the field.
    assert rita.patch(f"/api/v1/tickets/{tid}", json={"priority": "P2", "priority_reason": "x"}).status_code == 403
    alone = agent.patch(f"/api/v1/tickets/{tid}", json={"priority_reason": "customer is down"})
    assert alone.status_code == 422 and error_of(alone)["details"][0]["path"] == "/priority"
    unknown = agent.patch(f"/api/v1/tickets/{tid}", json={"priority": "P9", "priority_reason": "why not"})
    assert unknown.status_code == 422 and error_of(unknown)["details"][0]["path"] == "/priority"

    by_hand = agent.patch(f"/api/v1/tickets/{tid}", json={"priority": "P2", "priority_reason": "  customer is down "})
    assert by_hand.status_code == 200 and by_hand.json["priority"] == "P2"
    pinned = rita.get(f"/api/v1/tickets/{tid}").json["priority_set"]
    assert pinned["by"]["email"] == ticket["assignee"]["email"] and pinned["reason"] == "customer is down"
    assert _targets(by_hand.json) == {"response": 30 * 60, "resolution": 8 * 3600}
    shown = [e for e in agent.get(f"/api/v1/tickets/{tid}/events").json["items"]
             if e["kind"] == "field_changed" and e["details"].get("manual")]
    assert shown[0]["details"]["reason"] == "customer is down" and shown[0]["actor"]["email"] == ticket["assignee"]["email"]
    assert shown[0]["display"]["field"] == "Priority"

    # Set by hand, it stays when the fields change.
    kept = agent.patch(f"/api/v1/tickets/{tid}", json={"data": {"urgency": "low", "impact": "person"}})
    assert kept.status_code == 200 and kept.json["priority"] == "P2"

    # Back to automatic: recomputed from the fields as they are now, and followed again.
    auto = agent.patch(f"/api/v1/tickets/{tid}", json={"priority": None})
    assert auto.status_code == 200 and auto.json["priority"] == "P4"
    assert agent.get(f"/api/v1/tickets/{tid}").json["priority_set"] is None
    assert _targets(auto.json)["resolution"] == 5 * 86400
    again = agent.patch(f"/api/v1/tickets/{tid}", json={"data": {"urgency": "high", "impact": "department"}})
    assert again.json["priority"] == "P2"


def test_a_transition_that_changes_the_fields_reprioritizes(app, desk, admin):
    from tests.runtime.test_tickets import EXAMPLE

    document = {**EXAMPLE, "key": "it-incident-2", "number_prefix": "IN2"}
    workflow = document["workflow"]
    document["workflow"] = {**workflow, "transitions": [*workflow["transitions"], {
        "key": "triage", "name": "Triage", "from": ["new"], "to": "new", "roles": ["agent"],
        "require": ["urgency"]}]}
    assert admin.post("/api/v1/ticket-types/import", json=document).status_code == 201, document
    rita = login(app, "rita@example.com")
    low = {**INCIDENT, "title": "Mouse broken", "category": "software", "region": "north", "urgency": "low",
           "impact": "company"}
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident-2", "data": low}).json
    assert ticket["priority"] == "P3"
    agent = login(app, ticket["assignee"]["email"])
    taken = agent.post(f"/api/v1/tickets/{ticket['id']}/transitions/triage", json={"fields": {"urgency": "high"}})
    assert taken.status_code == 200, taken.json
    assert taken.json["priority"] == "P1" and _targets(taken.json)["response"] == 15 * 60
