"""Automations: every trigger, conditions, actions, failures logged, loops stopped, timed runs once."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from platform_core.db import get_session, utcnow
from tests.conftest import PASSWORD, Api, error_of

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "designer" / "format" / "examples" / "it-incident.json").read_text())
DATA = {"title": "Printer jammed", "category": "hardware", "asset_tag": "PR-0042", "urgency": "low",
        "impact": "person", "description": "Paper everywhere", "region": "north"}


def login(app, email: str) -> Api:
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


def install(admin: Api, automations: list[dict], **changes) -> None:
    definition = copy.deepcopy(EXAMPLE)
    definition["automations"] = automations
    definition.update(changes)
    response = admin.post("/api/v1/ticket-types/import", json=definition)
    assert response.status_code == 201, response.json


@pytest.fixture
def desk(app, admin, make_user):
    ids = {name: make_user(f"{name}@example.com", roles, name=name.title())
           for name, roles in [("sam", ["agent"]), ("boss", ["agent"]), ("rita", ["requester"])]}
    assert admin.post("/api/v1/teams", json={"key": "service-desk", "name": "Service desk", "supervisor_id": ids["boss"],
                                             "member_ids": [ids["sam"]]}).status_code == 201
    return ids


def runs(client: Api, ticket_id: int) -> list[tuple[str, str, str]]:
    response = client.get(f"/api/v1/automation-runs?ticket_id={ticket_id}&limit=200")
    assert response.status_code == 200, response.json
    return [(r["automation"], r["trigger"], r["outcome"]) for r in reversed(response.json["items"])]


def test_created_and_transitioned_triggers_run_their_actions(app, admin, desk):
    install(admin, [
        {"name": "Hardware gets a note", "on": "created", "when": {"==": [{"var": "category"}, "hardware"]},
         "do": [{"do": "comment", "internal": True, "text": "Check the spare-parts shelf first."},
                {"do": "notify", "to": ["team.supervisor"], "channels": ["in_app"]}]},
        {"name": "Software is ignored", "on": "created", "when": {"==": [{"var": "category"}, "software"]},
         "do": [{"do": "comment", "text": "never"}]},
        {"name": "Tell the boss on start", "on": "transitioned", "transition": "start",
         "do": [{"do": "notify", "to": ["team.supervisor"]}]},
        {"name": "Any transition", "on": "transitioned", "do": [{"do": "set", "fields": {"touched": True}}]},
    ], form=_with_field(EXAMPLE["form"], "touched", {"type": "boolean"}))
    rita, sam, boss = login(app, "rita@example.com"), login(app, "sam@example.com"), login(app, "boss@example.com")
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA}).json
    tid = ticket["id"]
    comments = sam.get(f"/api/v1/tickets/{tid}/comments").json["items"]
    assert [(c["body"], c["internal"], c["author"]) for c in comments] == [("Check the spare-parts shelf first.", True, None)]
    assert rita.get(f"/api/v1/tickets/{tid}/comments").json["items"] == []  # internal: never to the requester
    assert sam.post(f"/api/v1/tickets/{tid}/transitions/start", json={}).status_code == 200
    assert sam.get(f"/api/v1/tickets/{tid}").json["data"]["touched"] is True
    assert runs(sam, tid) == [("Hardware gets a note", "created", "succeeded"),
                              ("Tell the boss on start", "transitioned", "succeeded"),
                              ("Any transition", "transitioned", "succeeded")]
    kinds = [n["kind"] for n in boss.get("/api/v1/notifications").json["items"]]
    assert len(kinds) == 2
    assert rita.get(f"/api/v1/automation-runs?ticket_id={tid}").status_code == 403
    events = [e["kind"] for e in sam.get(f"/api/v1/tickets/{tid}/events").json["items"]]
    assert events.count("automation_ran") == 3
    assert "automation_ran" not in [e["kind"] for e in rita.get(f"/api/v1/tickets/{tid}/events").json["items"]]


def _with_field(form: dict, name: str, schema: dict) -> dict:
    form = copy.deepcopy(form)
    form["schema"]["properties"][name] = schema
    return form


def test_updates_field_changes_and_comments_trigger(app, admin, desk):
    install(admin, [
        {"name": "Urgency raised", "on": "field_changed", "field": "urgency",
         "when": {"==": [{"var": "urgency"}, "high"]}, "do": [{"do": "comment", "internal": True, "text": "Urgency up"}]},
        {"name": "Any update", "on": "updated",
         "do": [{"do": "set", "fields": {"counter": {"+": [{"var": ["counter", 0]}, 1]}}}]},
        {"name": "Comment on a new ticket", "on": "comment_added",
         "when": {"==": [{"var": "ticket.status"}, "new"]}, "do": [{"do": "notify", "to": ["assignee"]}]},
    ], form=_with_field(EXAMPLE["form"], "counter", {"type": "integer"}))
    rita, sam = login(app, "rita@example.com"), login(app, "sam@example.com")
    tid = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA}).json["id"]
    etag = sam.get(f"/api/v1/tickets/{tid}").headers["ETag"]
    changed = sam.patch(f"/api/v1/tickets/{tid}", json={"data": {"urgency": "high"}}, headers={"If-Match": etag})
    assert changed.status_code == 200, changed.json
    assert changed.json["data"]["counter"] == 1  # "Any update" ran once; its own set did not retrigger it
    assert [c["body"] for c in sam.get(f"/api/v1/tickets/{tid}/comments").json["items"]] == ["Urgency up"]
    rita.post(f"/api/v1/tickets/{tid}/comments", json={"body": "Any news?"})
    # a run is logged when it ends, so one that ran inside another comes first
    assert runs(sam, tid) == [
        ("Any update", "updated", "loop_stopped"),  # its own set would retrigger it: stopped
        ("Any update", "updated", "succeeded"),
        ("Comment on a new ticket", "comment_added", "succeeded"),  # the comment "Urgency raised" wrote
        ("Urgency raised", "field_changed", "succeeded"),
        ("Comment on a new ticket", "comment_added", "succeeded")]  # Rita's comment


def test_a_self_retriggering_chain_stops_and_says_so(app, admin, desk):
    """Two automations that flip a field back and forth: each runs once per chain, then the loop is stopped."""
    install(admin, [
        {"name": "Ping", "on": "field_changed", "field": "flag", "when": {"==": [{"var": "flag"}, "a"]},
         "do": [{"do": "set", "fields": {"flag": "b"}}]},
        {"name": "Pong", "on": "field_changed", "field": "flag", "when": {"==": [{"var": "flag"}, "b"]},
         "do": [{"do": "set", "fields": {"flag": "a"}}]},
    ], form=_with_field(EXAMPLE["form"], "flag", {"type": "string", "enum": ["a", "b"]}))
    rita, sam = login(app, "rita@example.com"), login(app, "sam@example.com")
    tid = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA}).json["id"]
    etag = sam.get(f"/api/v1/tickets/{tid}").headers["ETag"]
    response = sam.patch(f"/api/v1/tickets/{tid}", json={"data": {"flag": "a"}}, headers={"If-Match": etag})
    assert response.status_code == 200, response.json
    assert runs(sam, tid) == [("Ping", "field_changed", "loop_stopped"), ("Pong", "field_changed", "succeeded"),
                              ("Ping", "field_changed", "succeeded")]
    assert response.json["data"]["flag"] == "a"


def test_a_long_chain_stops_at_the_depth_limit(app, admin, desk):
    from runtime.automations.runner import MAX_CHAIN_DEPTH

    steps = MAX_CHAIN_DEPTH + 2
    form = copy.deepcopy(EXAMPLE["form"])
    for i in range(steps + 1):
        form["schema"]["properties"][f"f{i}"] = {"type": "integer"}
    install(admin, [{"name": f"Step {i}", "on": "field_changed", "field": f"f{i}",
                     "do": [{"do": "set", "fields": {f"f{i + 1}": 1}}]} for i in range(steps)], form=form)
    rita, sam = login(app, "rita@example.com"), login(app, "sam@example.com")
    tid = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA}).json["id"]
    etag = sam.get(f"/api/v1/tickets/{tid}").headers["ETag"]
    data = sam.patch(f"/api/v1/tickets/{tid}", json={"data": {"f0": 1}}, headers={"If-Match": etag}).json["data"]
    assert [data.get(f"f{i}") for i in range(steps + 1)] == [1] * (MAX_CHAIN_DEPTH + 1) + [None] * (steps - MAX_CHAIN_DEPTH)
    outcomes = runs(sam, tid)
    assert [o for _, _, o in outcomes].count("succeeded") == MAX_CHAIN_DEPTH
    assert outcomes[0] == (f"Step {MAX_CHAIN_DEPTH}", "field_changed", "loop_stopped")


def test_a_failing_action_is_logged_and_the_request_still_succeeds(app, admin, desk):
    install(admin, [{"name": "Child of a missing type", "on": "created",
                     "do": [{"do": "create_child", "type": "no-such-type", "map": {"title": {"var": "title"}}},
                            {"do": "comment", "internal": True, "text": "still runs"}]}])
    rita, sam = login(app, "rita@example.com"), login(app, "sam@example.com")
    created = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA})
    assert created.status_code == 201
    tid = created.json["id"]
    response = sam.get(f"/api/v1/automation-runs?ticket_id={tid}").json["items"][0]
    assert response["outcome"] == "failed" and "no-such-type" in response["error"]
    assert [c["body"] for c in sam.get(f"/api/v1/tickets/{tid}/comments").json["items"]] == ["still runs"]
    failed = admin.get("/api/v1/automation-runs?outcome=failed&type=it-incident").json["items"]
    assert [r["ticket_id"] for r in failed] == [tid]
    number = created.json["number"]
    assert [(r["ticket_number"], r["ticket_type"]) for r in failed] == [(number, "it-incident")]
    # filtered by the automation's name: the run log of one automation
    named = admin.get("/api/v1/automation-runs", query_string={"type": "it-incident", "automation": failed[0]["automation"]})
    assert [r["id"] for r in named.json["items"]] == [failed[0]["id"]]
    assert admin.get("/api/v1/automation-runs?automation=nothing-by-this-name").json["items"] == []
    assert error_of(admin.get("/api/v1/automation-runs?outcome=maybe"))["details"][0]["path"]


def test_elapsed_automations_fire_once_and_only_while_the_ticket_stays(app, admin, desk):
    from runtime.automations.models import TicketTimer
    from runtime.sla.sweep import sweep

    install(admin, [{"name": "Nudge", "on": "elapsed", "state": "waiting", "after": "P2D",
                     "do": [{"do": "notify", "to": ["requester"], "template": "still_waiting"}]}])
    rita, sam = login(app, "rita@example.com"), login(app, "sam@example.com")
    first = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA}).json["id"]
    second = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA}).json["id"]
    for tid in (first, second):
        assert sam.post(f"/api/v1/tickets/{tid}/transitions/start", json={}).status_code == 200
        assert sam.post(f"/api/v1/tickets/{tid}/transitions/ask", json={"comment": "Which floor?"}).status_code == 200
    # the second one is answered (it leaves the state), so its timer is gone
    assert rita.post(f"/api/v1/tickets/{second}/transitions/answer", json={"comment": "3rd"}).status_code == 200
    with app.app_context():
        session = get_session()
        assert [t.ticket_id for t in session.scalars(select(TicketTimer))] == [first]
        assert sweep(session, utcnow() + timedelta(days=1)).timers == 0
        assert sweep(session, utcnow() + timedelta(days=2, minutes=1)).timers == 1
        assert sweep(session, utcnow() + timedelta(days=3)).timers == 0
    nudges = [n for n in rita.get("/api/v1/notifications").json["items"] if n["kind"] == "still_waiting"]
    assert [n["ticket_id"] for n in nudges] == [first]
    assert runs(sam, first) == [("Nudge", "elapsed", "succeeded")]


def test_a_survey_is_asked_an_hour_after_closing_and_answered_once(app, admin, desk):
    from runtime.sla.sweep import sweep

    install(admin, [])
    rita, sam = login(app, "rita@example.com"), login(app, "sam@example.com")
    tid = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA}).json["id"]
    sam.post(f"/api/v1/tickets/{tid}/transitions/start", json={})
    resolved = sam.post(f"/api/v1/tickets/{tid}/transitions/resolve", json={
        "fields": {"resolution": "Cleared the jam", "root_cause": "hardware_fault"},
        "checklist": ["Cause explained to the requester"]})
    assert resolved.status_code == 200, resolved.json
    assert rita.post(f"/api/v1/tickets/{tid}/transitions/confirm", json={}).status_code == 200
    assert rita.get(f"/api/v1/tickets/{tid}/surveys").json["items"] == []
    with app.app_context():
        assert sweep(get_session(), utcnow() + timedelta(hours=1, minutes=1)).timers == 1
    survey = rita.get(f"/api/v1/tickets/{tid}/surveys").json["items"][0]
    assert survey["kind"] == "csat" and survey["score"] is None
    assert any(n["kind"] == "survey" for n in rita.get("/api/v1/notifications").json["items"])
    url = f"/api/v1/tickets/{tid}/surveys/{survey['id']}"
    assert sam.post(url, json={"score": 5}).status_code == 403
    bad = rita.post(url, json={"score": 9})
    assert bad.status_code == 422 and error_of(bad)["details"][0]["path"] == "/score"
    assert rita.post(url, json={"score": 4, "comment": "Quick"}).json["score"] == 4
    assert rita.post(url, json={"score": 5}).status_code == 409


def test_a_webhook_action_is_signed_and_delivered_once_and_a_bad_secret_fails_the_run(app, admin, desk):
    from tests.support.notifications import sweep
    from tests.support.servers import WebhookReceiver

    secret = admin.post("/api/v1/webhook-secrets", json={"name": "crm"}).json["value"]
    with WebhookReceiver() as receiver:
        receiver.control(secret=secret)
        install(admin, [
            {"name": "Tell the CRM", "on": "transitioned", "transition": "start",
             "do": [{"do": "webhook", "url": receiver.url("/crm"), "secret": "crm"}]},
            {"name": "Unknown secret", "on": "created", "do": [{"do": "webhook", "url": receiver.url("/x"),
                                                                 "secret": "nope"}]}])
        rita, sam = login(app, "rita@example.com"), login(app, "sam@example.com")
        ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA}).json
        assert sam.post(f"/api/v1/tickets/{ticket['id']}/transitions/start", json={}).status_code == 200
        sweep(app)  # with Redis the job waits for a worker; the periodic delivery does the same work
        [delivery] = receiver.deliveries()
    assert delivery["signature_valid"] is True and delivery["status"] == 200
    body = json.loads(delivery["body"])
    assert body["event"] == "ticket.automation" and body["ticket"]["number"] == ticket["number"]
    assert body["data"]["ticket"]["status"] == "in_progress" and body["data"]["origin"] == "automation 'Tell the CRM'"
    assert runs(sam, ticket["id"]) == [("Unknown secret", "created", "failed"),
                                       ("Tell the CRM", "transitioned", "succeeded")]
    failed = sam.get(f"/api/v1/automation-runs?ticket_id={ticket['id']}&outcome=failed").json["items"][0]
    assert "nope" in failed["error"]
