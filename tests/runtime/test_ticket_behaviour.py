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
