"""Smaller leaks and gaps of issue 13: each was reproduced against the running server."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, Api, error_of

ROOT = Path(__file__).resolve().parents[2]
INCIDENT_TYPE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text())
INCIDENT = {"title": "Printer on fire", "category": "hardware", "urgency": "high", "impact": "department",
            "description": "Smoke", "region": "east", "asset_tag": "LT-0042"}


def login(app, email, address="127.0.0.1"):
    client = Api(app.test_client())
    client.client.environ_base["REMOTE_ADDR"] = address
    assert client.login(email, PASSWORD).status_code == 200
    return client


def raw_login(app, email, password, address):
    return app.test_client().post("/api/v1/auth/login", json={"email": email, "password": password},
                                  environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def desk(app, admin, make_user):
    ids = {name: make_user(f"{name}@example.com", roles) for name, roles in
           [("anna", ["requester"]), ("bert", ["requester"]), ("olive", ["agent"]), ("dana", ["designer"])]}
    for key in ("east-senior-ops", "network-ops", "service-desk"):
        admin.post("/api/v1/teams", json={"key": key, "name": key, "member_ids": [ids["olive"]]})
    assert admin.post("/api/v1/ticket-types/import", json=INCIDENT_TYPE).status_code == 201
    return ids


def test_events_naming_a_ticket_the_reader_cannot_see_are_left_out(app, desk):
    anna, bert, olive = login(app, "anna@example.com"), login(app, "bert@example.com"), login(app, "olive@example.com")
    a = anna.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json
    b = bert.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json
    assert olive.post(f"/api/v1/tickets/{a['id']}/links", json={"ticket": b["number"]}).status_code == 201
    assert anna.get(f"/api/v1/tickets/{a['id']}/links").json["items"] == []
    events = anna.get(f"/api/v1/tickets/{a['id']}/events").json["items"]
    assert b["number"] not in json.dumps(events)
    assert "link_added" not in [e["kind"] for e in events]
    staff_events = olive.get(f"/api/v1/tickets/{a['id']}/events").json["items"]
    assert any(e["kind"] == "link_added" and e["details"]["ticket"] == b["number"] for e in staff_events)


def test_replay_shows_only_tickets_the_designer_may_see_and_counts_the_others(app, desk):
    anna = login(app, "anna@example.com")
    ticket = anna.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json
    dana = login(app, "dana@example.com")
    assert dana.get(f"/api/v1/tickets/{ticket['id']}").status_code == 404
    draft = json.loads(json.dumps(INCIDENT_TYPE))
    draft["priority"]["overrides"] = [{"when": {"in": ["fire", {"var": "title"}]}, "set": "P1"}]
    assert dana.put("/api/v1/ticket-types/it-incident/draft", json=draft).status_code == 200
    replay = dana.post("/api/v1/ticket-types/it-incident/simulate", json={"replay": 10})
    assert replay.status_code == 200, replay.json
    assert replay.json["replayed"] == 0 and replay.json["left_out"] == 1 and replay.json["differences"] == []
    assert ticket["number"] not in json.dumps(replay.json)


def _upload(client: Api) -> str:
    response = client.post("/api/v1/attachments", data={"file": (io.BytesIO(b"hello"), "a.txt", "text/plain")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_patch_refuses_attachment_ids_that_are_not_the_callers_uploads(app, desk):
    anna, bert = login(app, "anna@example.com"), login(app, "bert@example.com")
    ticket = anna.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json
    berts = _upload(bert)
    for ids in (["att_doesnotexist"], [berts]):
        response = anna.patch(f"/api/v1/tickets/{ticket['id']}", json={"data": {"screenshots": ids}})
        assert response.status_code == 422, ids
        assert error_of(response)["details"][0]["path"] == "/data/screenshots/0"
    assert anna.get(f"/api/v1/tickets/{ticket['id']}").json["data"].get("screenshots") is None
    mine = _upload(anna)
    assert anna.patch(f"/api/v1/tickets/{ticket['id']}", json={"data": {"screenshots": [mine]}}).status_code == 200
    assert [a["id"] for a in anna.get(f"/api/v1/tickets/{ticket['id']}/attachments").json["items"]] == [mine]
    olive = login(app, "olive@example.com")  # staff may edit a field holding the requester's upload
    assert olive.patch(f"/api/v1/tickets/{ticket['id']}", json={"data": {"title": "Printer still on fire"}}).status_code == 200


def test_wrong_current_passwords_are_throttled(app, desk):
    anna = login(app, "anna@example.com")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        wrong = anna.patch("/api/v1/me", json={"current_password": "not it at all", "new_password": "a new passphrase!"})
        assert wrong.status_code == 422
    throttled = anna.patch("/api/v1/me", json={"current_password": PASSWORD, "new_password": "a new passphrase!"})
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0


def test_a_password_change_revokes_api_tokens_but_the_one_in_use(app, desk):
    anna = login(app, "anna@example.com")
    old = anna.post("/api/v1/auth/tokens", json={"name": "old script"}).json["secret"]
    used = anna.post("/api/v1/auth/tokens", json={"name": "this script"}).json["secret"]
    script = Api(app.test_client())
    script.headers["Authorization"] = f"Bearer {used}"
    changed = script.patch("/api/v1/me", json={"current_password": PASSWORD, "new_password": "a new passphrase!"})
    assert changed.status_code == 200
    assert script.get("/api/v1/me").status_code == 200
    stale = Api(app.test_client())
    stale.headers["Authorization"] = f"Bearer {old}"
    assert stale.get("/api/v1/me").status_code == 401
    assert anna.get("/api/v1/me").status_code == 401  # the browser session ends too


def test_an_admin_setting_a_password_revokes_the_users_tokens(app, admin, desk):
    anna = login(app, "anna@example.com")
    secret = anna.post("/api/v1/auth/tokens", json={"name": "script"}).json["secret"]
    assert admin.patch(f"/api/v1/users/{desk['anna']}", json={"password": "reset by admin!!"}).status_code == 200
    script = Api(app.test_client())
    script.headers["Authorization"] = f"Bearer {secret}"
    assert script.get("/api/v1/me").status_code == 401


def test_nobody_can_lock_a_colleague_out(app, desk):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit + 3):
        raw_login(app, "anna@example.com", "guessing...", "10.0.0.66")
    assert raw_login(app, "anna@example.com", PASSWORD, "10.0.0.66").status_code == 429  # the attacker waits
    assert raw_login(app, "anna@example.com", PASSWORD, "10.0.0.7").status_code == 200  # the owner does not


def test_a_guess_spread_over_addresses_slows_the_account_but_never_locks_it(app, desk):
    import time_machine

    app.config.update(LOGIN_ACCOUNT_SLOWDOWN_AFTER=10, LOGIN_ACCOUNT_SLOWDOWN_SECONDS=5)
    with time_machine.travel("2026-06-01T10:00:00Z", tick=False) as clock:
        for i in range(10):
            assert raw_login(app, "anna@example.com", "guessing...", f"10.1.0.{i}").status_code == 401
        slowed = raw_login(app, "anna@example.com", PASSWORD, "10.0.0.7")
        assert slowed.status_code == 429 and 0 < int(slowed.headers["Retry-After"]) <= 5
        clock.shift(6)
        assert raw_login(app, "anna@example.com", PASSWORD, "10.0.0.7").status_code == 200


def test_the_api_docs_page_has_a_csp_and_cannot_be_framed(api):
    response = api.get("/api/v1/docs")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_error_schema_allows_the_code_of_definition_problems(api):
    schema = api.get("/api/v1/openapi.json").json["components"]["schemas"]["ErrorDetail"]
    assert "code" in schema["properties"] and schema.get("additionalProperties") is not False


@pytest.mark.parametrize("method,path", [("PATCH", "/api/v1/me"), ("PATCH", "/api/v1/teams/1"),
                                         ("PATCH", "/api/v1/ticket-types/it-incident"),
                                         ("PUT", "/api/v1/me/notification-preferences"),
                                         ("PUT", "/api/v1/calendars/24x7")])
def test_a_change_without_a_body_is_422(admin, desk, method, path):
    response = admin.request(method, path)
    assert response.status_code == 422, response.json
    assert error_of(response)["message"].startswith("The body is missing")


def test_booleans_in_bodies_are_true_or_false(admin, desk):
    for value in (0, 1, "true", "yes"):
        response = admin.patch(f"/api/v1/users/{desk['anna']}", json={"active": value})
        assert response.status_code == 422 and error_of(response)["details"][0]["path"] == "/active"
    assert admin.get(f"/api/v1/users/{desk['anna']}").json["active"] is True
    assert admin.get("/api/v1/users?active=true").status_code == 200  # query parameters are text


def test_a_huge_cursor_is_a_json_4xx(admin):
    response = admin.get("/api/v1/tickets?cursor=" + "A" * 100_000)
    assert 400 <= response.status_code < 500
    assert error_of(response)["details"][0]["path"] == "/cursor"


def test_a_saved_filter_is_validated_like_the_ticket_list(app, desk):
    olive = login(app, "olive@example.com")
    assert olive.get("/api/v1/tickets?sort=data->'x'").status_code == 422
    saved = olive.post("/api/v1/me/saved-filters", json={"name": "x", "query": {"sort": "data->'x'"}})
    assert saved.status_code == 422 and error_of(saved)["details"][0]["path"] == "/query/sort"
    good = olive.post("/api/v1/me/saved-filters", json={"name": "x", "query": {"sort": "-priority"}})
    assert good.status_code == 201
    patched = olive.patch(f"/api/v1/me/saved-filters/{good.json['id']}",
                          json={"query": {"created_after": "9999-12-31T23:59:59-23:59"}})
    assert patched.status_code == 422 and error_of(patched)["details"][0]["path"] == "/query/created_after"


def test_a_requester_cannot_set_the_source(app, desk):
    anna = login(app, "anna@example.com")
    response = anna.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT, "source": "email"})
    assert response.status_code == 403 and error_of(response)["details"][0]["path"] == "/source"
    olive = login(app, "olive@example.com")
    staff = olive.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT, "source": "email"})
    assert staff.status_code == 201 and staff.json["source"] == "email"


def test_the_development_server_answers_a_huge_request_line_in_json(app):
    import http.client
    import threading

    from werkzeug.serving import make_server

    from platform_core.serving import JsonErrorRequestHandler

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=JsonErrorRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/api/v1/tickets?cursor=" + "A" * 100_000)
        response = connection.getresponse()
        assert response.status == 414 and response.getheader("Content-Type") == "application/json"
        assert json.loads(response.read())["error"]["code"] == "http_414"
    finally:
        server.shutdown()
        thread.join(timeout=10)
