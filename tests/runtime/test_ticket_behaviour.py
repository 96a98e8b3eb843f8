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


# --------------------------------------------------------------------------- transitions taken on assignment


def _it_desk(admin, make_user, members):
    """The IT service desk template installed; `members` work the service desk."""
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code in (200, 201)
    teams = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}
    assert admin.patch(f"/api/v1/teams/{teams['service-desk']['id']}", json={"member_ids": members}).status_code == 200
    return teams


def _file(client, **data):
    body = {"title": "Reports app will not open", "category": "software", "urgency": "medium", "impact": "person",
            "region": "north", "description": "Since this morning the reports app shows an error.", **data}
    created = client.post("/api/v1/tickets", json={"type": "it-incident", "data": body})
    assert created.status_code == 201, created.json
    return created.json


def test_a_routed_ticket_leaves_new_by_itself_and_is_not_offered_assign(app, admin, make_user):
    sam = make_user("sam@example.com", ["agent"], name="Sam Agent")
    make_user("rita@example.com", ["requester"], name="Rita Requester")
    _it_desk(admin, make_user, [sam])
    rita, agent = login(app, "rita@example.com"), login(app, "sam@example.com")

    ticket = _file(rita)
    assert ticket["assignee"]["email"] == "sam@example.com" and ticket["status"] == "assigned"
    assert ticket["first_response_at"] is None  # the system moved it, not a person
    events = agent.get(f"/api/v1/tickets/{ticket['id']}/events").json["items"]
    moved = [e for e in events if e["kind"] == "transitioned"]
    assert [(e["details"]["transition"], e["details"]["from"], e["details"]["to"], e["actor"]) for e in moved] == [
        ("assign", "new", "assigned", None)]
    assert moved[0]["details"]["automatic"] == "assigned"
    assert [e["kind"] for e in events][:3] == ["created", "assigned", "transitioned"]

    offered = [t["key"] for t in agent.get(f"/api/v1/tickets/{ticket['id']}/transitions").json["items"]]
    assert offered == ["start"]  # nobody is asked to assign what is already assigned
    assert agent.post(f"/api/v1/tickets/{ticket['id']}/transitions/assign", json={}).status_code == 409

    # Until an agent responds, the requester may still correct what she filed.
    assert rita.patch(f"/api/v1/tickets/{ticket['id']}", json={"data": {"urgency": "high"}}).status_code == 200
    started = agent.post(f"/api/v1/tickets/{ticket['id']}/transitions/start", json={})
    assert started.status_code == 200 and started.json["first_response_at"] is not None  # the agent's first step
    assert rita.patch(f"/api/v1/tickets/{ticket['id']}", json={"data": {"urgency": "low"}}).status_code == 403


def test_assigning_a_queued_ticket_by_hand_moves_it_on(app, admin, make_user):
    sam = make_user("sam@example.com", ["agent"], name="Sam Agent")
    make_user("rita@example.com", ["requester"], name="Rita Requester", locale="zh-CN")
    teams = _it_desk(admin, make_user, [])
    rita = login(app, "rita@example.com")
    ticket = _file(rita)  # the service desk has nobody yet: it waits in the team's queue
    assert ticket["assignee"] is None and ticket["status"] == "new"
    admin.patch(f"/api/v1/teams/{teams['service-desk']['id']}", json={"member_ids": [sam]})
    agent = login(app, "sam@example.com")
    assert [t["key"] for t in agent.get(f"/api/v1/tickets/{ticket['id']}/transitions").json["items"]] == ["start"]
    refused = agent.post(f"/api/v1/tickets/{ticket['id']}/transitions/assign", json={})  # not a button: assign it
    assert refused.status_code == 409 and error_of(refused)["details"][0]["code"] == "automatic"
    assert "assign it instead" in error_of(refused)["message"]

    # Choosing a team alone changes nothing; an assignee takes the transition.
    queued = agent.patch(f"/api/v1/tickets/{ticket['id']}", json={"team": "service-desk", "assignee": None})
    assert queued.status_code == 200 and queued.json["status"] == "new"
    assigned = agent.patch(f"/api/v1/tickets/{ticket['id']}", json={"team": "service-desk",
                                                                     "assignee": "sam@example.com"})
    assert assigned.status_code == 200 and assigned.json["status"] == "assigned"
    moved = [e for e in rita.get(f"/api/v1/tickets/{ticket['id']}/events").json["items"] if e["kind"] == "transitioned"]
    assert moved[0]["display"] == {"name": "分派", "from": "新建", "to": "已分派", "checklist": []}
    # Reassigning later takes nothing more: no transition on assignment leaves "assigned".
    again = agent.patch(f"/api/v1/tickets/{ticket['id']}", json={"team": "service-desk", "assignee": None})
    assert again.json["status"] == "assigned"


def test_publishing_refuses_an_automatic_transition_that_asks_for_something():
    from designer.validation import validate_definition
    from tests.runtime.test_tickets import EXAMPLE

    document = {**EXAMPLE, "workflow": {**EXAMPLE["workflow"], "transitions": [
        {**t, "on": "assigned", "require": ["comment"]} if t["key"] == "assign" else t
        for t in EXAMPLE["workflow"]["transitions"]]}}
    errors = [(p.pointer, p.code) for p in validate_definition(document).errors]
    assert errors == [("/workflow/transitions/0/require", "workflow.automatic_asks")]
    twice = {**EXAMPLE, "workflow": {**EXAMPLE["workflow"], "transitions": [
        {**t, "on": "assigned"} if t["key"] in ("assign", "start") else t for t in EXAMPLE["workflow"]["transitions"]]}}
    report = validate_definition(twice)
    assert report.errors == [] and [(p.pointer, p.code) for p in report.warnings] == [
        ("/workflow/transitions/1/on", "workflow.automatic_twice")]
    wrong = {**EXAMPLE, "workflow": {**EXAMPLE["workflow"], "transitions": [
        {**t, "on": "created"} if t["key"] == "assign" else t for t in EXAMPLE["workflow"]["transitions"]]}}
    assert [p.pointer for p in validate_definition(wrong).errors] == ["/workflow/transitions/0/on"]
