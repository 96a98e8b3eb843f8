"""Machine-fed intake over HTTP: endpoints (admin), token and HMAC authentication, the mapping and its test,
refused payloads (4xx naming the field, nothing written), idempotency by source key, deduplication of an alarm
storm, and the intake log."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from platform_core.db import get_session, utcnow
from runtime.intake.models import IntakeAlarm, IntakeCall, IntakeSourceKey
from runtime.intake.services import purge_calls
from runtime.tickets.models import Ticket, TicketComment, TicketEvent
from tests.conftest import PASSWORD, Api, error_of

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "designer" / "format" / "examples" / "it-incident.json").read_text())

MAPPING = {
    "title": {"cat": ["Alarm ", {"var": "code"}, " on ", {"var": "machine"}]},
    "category": "hardware",
    "urgency": {"if": [{">=": [{"var": "severity"}, 3]}, "high", "low"]},
    "impact": "department",
    "description": {"var": "message"},
    "asset_tag": {"var": "asset"},
}
DEDUP = {"cat": [{"var": "machine"}, "|", {"var": "code"}]}
ALARM = {"machine": "CNC-07", "code": "E42", "severity": 4, "message": "Spindle overheating", "asset": "CN-0007",
         "event_id": "evt-1"}


@pytest.fixture
def incident_type(app, admin, make_user):
    make_user("mes@example.com", ["requester"], name="MES")
    assert admin.post("/api/v1/ticket-types/import", json=EXAMPLE).status_code == 201


def make_endpoint(admin: Api, **overrides: Any) -> dict[str, Any]:
    body = {"key": "mes-alarms", "name": "MES alarms", "ticket_type": "it-incident", "requester": "mes@example.com",
            "auth_mode": "token", "mapping": MAPPING, "dedup_key": DEDUP, "source_key": {"var": "event_id"},
            "rate_per_minute": 100_000, **overrides}
    response = admin.post("/api/v1/intake-endpoints", json=body)
    assert response.status_code == 201, response.json
    return response.json


def post(app, key: str, payload: Any, token: str | None = None, *, raw: bytes | None = None,
         headers: dict[str, str] | None = None) -> Any:
    client = app.test_client()
    all_headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {}),
                   **(headers or {})}
    return client.post(f"/api/v1/intake/{key}", data=raw if raw is not None else json.dumps(payload),
                       headers=all_headers)


def signed(secret: str, body: bytes, stamp: int | None = None) -> dict[str, str]:
    stamp = int(time.time()) if stamp is None else stamp
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Gongdan-Timestamp": str(stamp), "X-Gongdan-Signature": f"sha256={digest}"}


def count(app, model: Any, *where: Any) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model).where(*where))


def calls(admin: Api, **query: Any) -> list[dict[str, Any]]:
    response = admin.get("/api/v1/intake-calls", query_string=query)
    assert response.status_code == 200, response.json
    return response.json["items"]


# --------------------------------------------------------------------------- endpoints and the mapping test


def test_an_admin_creates_an_endpoint_whose_secret_is_shown_once(app, admin, incident_type):
    endpoint = make_endpoint(admin)
    assert endpoint["secret"].startswith("gdi_") and endpoint["secret_prefix"] == endpoint["secret"][:10]
    assert endpoint["ticket_type"] == "it-incident" and endpoint["requester"] == "mes@example.com"
    shown = admin.get(f"/api/v1/intake-endpoints/{endpoint['id']}").json
    assert "secret" not in shown and shown["mapping"] == MAPPING and shown["dedup_key"] == DEDUP
    listed = admin.get("/api/v1/intake-endpoints").json
    assert [e["key"] for e in listed["items"]] == ["mes-alarms"] and "secret" not in listed["items"][0]

    replaced = admin.post(f"/api/v1/intake-endpoints/{endpoint['id']}/secret").json["secret"]
    assert post(app, "mes-alarms", ALARM, endpoint["secret"]).status_code == 401  # the old one stops at once
    assert post(app, "mes-alarms", ALARM, replaced).status_code == 201


def test_endpoint_settings_are_checked_against_the_form(app, admin, incident_type):
    base = {"key": "x", "name": "X", "ticket_type": "it-incident", "auth_mode": "token", "mapping": MAPPING}
    cases = [
        ({"mapping": {**MAPPING, "colour": "red"}}, "/mapping/colour"),
        ({"mapping": {**MAPPING, "title": {"frobnicate": [1]}}}, "/mapping/title/frobnicate"),
        ({"dedup_key": {"var": [1, 2, 3]}}, "/dedup_key/var"),
        ({"ticket_type": "nope"}, "/ticket_type"),
        ({"requester": "ghost@example.com"}, "/requester"),
        ({"key": "Bad Key"}, "/key"),
        ({"auth_mode": "password"}, "/auth_mode"),
    ]
    for change, pointer in cases:
        response = admin.post("/api/v1/intake-endpoints", json={**base, **change})
        assert response.status_code == 422, (change, response.json)
        assert pointer in [d["path"] for d in error_of(response)["details"]], (change, response.json)
    make_endpoint(admin)
    taken = admin.post("/api/v1/intake-endpoints", json={**base, "key": "mes-alarms"})
    assert taken.status_code == 409 and error_of(taken)["details"][0]["path"] == "/key"
    assert count(app, Ticket) == 0


def test_only_admins_manage_endpoints_and_designers_may_test_mappings(app, admin, incident_type, make_user):
    make_user("dee@example.com", ["designer"])
    dee = Api(app.test_client())
    dee.login("dee@example.com", PASSWORD)
    assert dee.post("/api/v1/intake-endpoints", json={}).status_code == 403
    assert dee.get("/api/v1/intake-calls").status_code == 403
    tested = dee.post("/api/v1/intake-mapping-test", json={"ticket_type": "it-incident", "mapping": MAPPING,
                                                           "payload": ALARM})
    assert tested.status_code == 200 and tested.json["valid"] is True


def test_the_mapping_test_shows_the_data_the_verdict_and_what_a_call_would_do_and_writes_nothing(
        app, admin, incident_type):
    endpoint = make_endpoint(admin)
    body = {"ticket_type": "it-incident", "mapping": MAPPING, "dedup_key": DEDUP, "source_key": {"var": "event_id"},
            "requester": "mes@example.com", "endpoint_id": endpoint["id"], "payload": ALARM}
    result = admin.post("/api/v1/intake-mapping-test", json=body).json
    assert result["valid"] is True and result["errors"] == []
    assert result["data"] == {"title": "Alarm E42 on CNC-07", "category": "hardware", "urgency": "high",
                              "impact": "department", "description": "Spindle overheating", "asset_tag": "CN-0007"}
    assert result["dedup_key"] == "CNC-07|E42" and result["source_key"] == "evt-1" and result["would"] == "create"

    bad = admin.post("/api/v1/intake-mapping-test", json={**body, "payload": {**ALARM, "asset": "cnc7",
                                                                              "message": None}}).json
    assert bad["valid"] is False
    assert {(e["path"], e["field"]) for e in bad["errors"]} == {("/asset", "asset_tag"), ("/message", "description")}
    assert count(app, Ticket) == 0 and count(app, IntakeCall) == 0

    ticket = post(app, "mes-alarms", ALARM, endpoint["secret"]).json["ticket"]
    again = admin.post("/api/v1/intake-mapping-test", json={**body, "payload": {**ALARM, "event_id": "evt-2"}}).json
    assert again["would"] == "deduplicate" and again["ticket"]["number"] == ticket["number"]
    assert admin.post("/api/v1/intake-mapping-test", json=body).json["would"] == "replay"


# --------------------------------------------------------------------------- authentication


def test_token_authentication(app, admin, incident_type):
    endpoint = make_endpoint(admin)
    missing = post(app, "mes-alarms", ALARM)
    assert missing.status_code == 401 and "Bearer" in error_of(missing)["message"]
    wrong = post(app, "mes-alarms", ALARM, "gdi_" + "x" * 43)
    assert wrong.status_code == 401
    user_token = post(app, "mes-alarms", ALARM, headers={"Authorization": "Basic abc"})
    assert user_token.status_code == 401
    assert count(app, Ticket) == 0
    created = post(app, "mes-alarms", ALARM, endpoint["secret"])
    assert created.status_code == 201, created.json
    assert created.json["outcome"] == "created" and created.json["ticket"]["number"] == "INC-000001"
    log = calls(admin)
    assert [c["outcome"] for c in log] == ["created", "rejected", "rejected", "rejected"]
    assert [c["status_code"] for c in log] == [201, 401, 401, 401]
    assert post(app, "nothing-here", ALARM, endpoint["secret"]).status_code == 404
    admin.patch(f"/api/v1/intake-endpoints/{endpoint['id']}", json={"active": False})
    assert post(app, "mes-alarms", {**ALARM, "event_id": "e9"}, endpoint["secret"]).status_code == 404
    assert calls(admin)[0]["status_code"] == 404 and count(app, Ticket) == 1


def test_the_command_line_lists_endpoints_and_the_log_and_old_lines_are_purged(app, admin, incident_type):
    endpoint = make_endpoint(admin)
    post(app, "mes-alarms", ALARM, endpoint["secret"])
    post(app, "mes-alarms", {}, endpoint["secret"])
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["intake", "list"])
    assert listed.exit_code == 0 and "mes-alarms\tit-incident\ttoken\tactive" in listed.output
    log = runner.invoke(args=["intake", "log", "--endpoint", "mes-alarms"])
    assert log.exit_code == 0 and log.output.splitlines()[0].split("\t")[2:4] == ["rejected", "422"]
    with app.app_context():
        session = get_session()
        old = utcnow() - timedelta(days=31)
        session.execute(update(IntakeCall).where(IntakeCall.outcome == "created").values(at=old))
        session.execute(update(IntakeSourceKey).values(created_at=old))
        session.commit()
        assert purge_calls() == 1
    assert [c["outcome"] for c in calls(admin)] == ["rejected"]
    assert count(app, IntakeSourceKey) == 0  # forgotten: the same event id would now make a new ticket


def test_hmac_signatures_with_a_replay_window(app, admin, incident_type):
    endpoint = make_endpoint(admin, auth_mode="hmac")
    secret = endpoint["secret"]
    assert secret.startswith("gdisec_")
    body = json.dumps(ALARM).encode()

    assert post(app, "mes-alarms", None, raw=body).status_code == 401  # unsigned
    tampered = post(app, "mes-alarms", None, raw=body.replace(b"E42", b"E43"), headers=signed(secret, body))
    assert tampered.status_code == 401 and "signature" in error_of(tampered)["message"]
    wrong_key = post(app, "mes-alarms", None, raw=body, headers=signed("gdisec_other", body))
    assert wrong_key.status_code == 401
    stale = post(app, "mes-alarms", None, raw=body, headers=signed(secret, body, int(time.time()) - 301))
    assert stale.status_code == 401 and "300" in error_of(stale)["message"]
    future = post(app, "mes-alarms", None, raw=body, headers=signed(secret, body, int(time.time()) + 3600))
    assert future.status_code == 401
    for stamp in ("soon", "²", "1" * 13):
        garbage = post(app, "mes-alarms", None, raw=body, headers={**signed(secret, body), "X-Gongdan-Timestamp": stamp})
        assert garbage.status_code == 401
    bearer = post(app, "mes-alarms", None, raw=body, headers={"Authorization": f"Bearer {secret}"})
    assert bearer.status_code == 401
    assert count(app, Ticket) == 0

    good = post(app, "mes-alarms", None, raw=body, headers=signed(secret, body))
    assert good.status_code == 201, good.json
    chinese = post(app, "mes-alarms", None, raw=body, headers={**signed(secret, body, 1), "Accept-Language": "zh-CN"})
    assert chinese.status_code == 401 and "签名时间戳" in error_of(chinese)["message"]


# --------------------------------------------------------------------------- bad payloads


def test_bad_payloads_get_4xx_naming_the_field_and_write_nothing_but_their_log_line(app, admin, incident_type):
    endpoint = make_endpoint(admin)
    token = endpoint["secret"]
    cases = [
        (post(app, "mes-alarms", None, token, raw=b'{"machine": '), 400, ""),
        (post(app, "mes-alarms", [ALARM], token), 422, ""),
        (post(app, "mes-alarms", {**ALARM, "asset": "cnc7"}, token), 422, "/asset"),
        (post(app, "mes-alarms", {k: v for k, v in ALARM.items() if k != "message"}, token), 422, "/message"),
        (post(app, "mes-alarms", {**ALARM, "severity": "high"}, token), 201, None),  # JsonLogic compares loosely
        (post(app, "mes-alarms", {**ALARM, "machine": "x" * 300, "event_id": "e2"}, token), 422, "/data/title"),
        (post(app, "mes-alarms", {**ALARM, "event_id": "e" * 201}, token), 422, "/event_id"),
        (post(app, "mes-alarms", None, token, raw=b'{"machine": "CNC\\u0000-07"}'), 400, "/machine"),
        (post(app, "mes-alarms", None, token, raw=b'{"n": 1' + b"0" * 5000 + b"}"), 400, ""),
    ]
    for response, status, pointer in cases:
        assert response.status_code == status, response.json
        if pointer is not None:
            assert pointer in [d["path"] for d in error_of(response)["details"]], response.json
    message = cases[3][0].json["error"]["details"][0]
    assert message["field"] == "description" and "Description" in message["message"]
    assert count(app, Ticket) == 1
    rejected = calls(admin, outcome="rejected")
    assert len(rejected) == 8 and all(c["ticket_id"] is None and c["error"] for c in rejected)
    assert rejected[-3]["details"][0]["path"] == "/asset"


def test_a_payload_over_the_limit_gets_413_and_is_not_read(app, admin, incident_type):
    endpoint = make_endpoint(admin)
    app.config["INTAKE_MAX_BYTES"] = 1000
    response = post(app, "mes-alarms", {**ALARM, "message": "m" * 2000}, endpoint["secret"])
    assert response.status_code == 413 and "1000" in error_of(response)["message"]
    assert count(app, Ticket) == 0
    assert calls(admin)[0]["status_code"] == 413


def test_calls_beyond_the_rate_get_429(app, admin, incident_type):
    endpoint = make_endpoint(admin, rate_per_minute=3)
    statuses = [post(app, "mes-alarms", {**ALARM, "event_id": f"e{i}"}, endpoint["secret"]).status_code
                for i in range(4)]
    assert statuses == [201, 200, 200, 429]
    limited = post(app, "mes-alarms", ALARM, endpoint["secret"])
    assert int(limited.headers["Retry-After"]) > 0
    assert len(calls(admin)) == 3  # a refused flood does not fill the log


# --------------------------------------------------------------------------- idempotency and deduplication


def test_the_same_source_key_answers_with_the_same_ticket_and_changes_nothing(app, admin, incident_type):
    endpoint = make_endpoint(admin, dedup_key=None)
    first = post(app, "mes-alarms", ALARM, endpoint["secret"])
    second = post(app, "mes-alarms", ALARM, endpoint["secret"])
    assert first.status_code == 201 and second.status_code == 200
    assert second.json["outcome"] == "replayed" and second.json["ticket"] == first.json["ticket"]
    third = post(app, "mes-alarms", {**ALARM, "event_id": "evt-2"}, endpoint["secret"])
    assert third.status_code == 201 and third.json["ticket"]["id"] != first.json["ticket"]["id"]  # no dedup key
    assert count(app, Ticket) == 2
    assert [c["outcome"] for c in calls(admin)] == ["created", "replayed", "created"]


@pytest.mark.long
def test_an_alarm_storm_of_a_thousand_identical_posts_makes_one_ticket(app, admin, incident_type):
    endpoint = make_endpoint(admin, source_key=None)
    outcomes = [post(app, "mes-alarms", ALARM, endpoint["secret"]).json for _ in range(1000)]
    assert outcomes[0]["outcome"] == "created"
    assert {o["outcome"] for o in outcomes[1:]} == {"deduplicated"}
    assert {o["ticket"]["id"] for o in outcomes} == {outcomes[0]["ticket"]["id"]}
    assert outcomes[-1]["occurrences"] == 1000
    ticket_id = outcomes[0]["ticket"]["id"]
    assert count(app, Ticket) == 1
    assert count(app, IntakeCall) == 1000
    # The history tells of the first repeat and of 10, 100 and 1,000: bounded, whatever the storm.
    assert count(app, TicketEvent, TicketEvent.kind == "intake_repeated") == 4
    assert count(app, TicketComment) == 0  # counting only, by default

    # The ticket's history shows the count (its API: see the comment test below).
    with app.app_context():
        last = get_session().scalars(select(TicketEvent).where(TicketEvent.kind == "intake_repeated")
                                     .order_by(TicketEvent.id.desc()).limit(1)).one()
        assert last.details == {"endpoint": "mes-alarms", "occurrences": 1000, "dedup_key": "CNC-07|E42"}

    # Another machine's alarm is another ticket.
    other = post(app, "mes-alarms", {**ALARM, "machine": "CNC-08"}, endpoint["secret"])
    assert other.status_code == 201 and other.json["occurrences"] == 1

    # Once the ticket is resolved, the alarm opens a new one.
    with app.app_context():
        session = get_session()
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(status="resolved",
                                                                              status_category="resolved"))
        session.commit()
    reopened = post(app, "mes-alarms", ALARM, endpoint["secret"])
    assert reopened.status_code == 201 and reopened.json["ticket"]["id"] != ticket_id
    assert reopened.json["occurrences"] == 1
    assert count(app, IntakeAlarm) == 2
    log = calls(admin, ticket_id=ticket_id, limit=5)
    assert len(log) == 5 and log[0]["occurrences"] == 1000
    assert calls(admin, outcome="created", limit=200) and len(calls(admin, outcome="created")) == 3


def test_a_repeat_may_also_comment_on_the_open_ticket(app, admin, incident_type):
    endpoint = make_endpoint(admin, on_duplicate="comment", source_key=None)
    ticket = post(app, "mes-alarms", ALARM, endpoint["secret"]).json["ticket"]
    repeat = post(app, "mes-alarms", ALARM, endpoint["secret"])
    assert repeat.status_code == 200 and repeat.json["occurrences"] == 2
    comments = admin.get(f"/api/v1/tickets/{ticket['id']}/comments").json
    items = comments["items"] if isinstance(comments, dict) else comments
    assert len(items) == 1 and items[0]["internal"] is True and "2 times" in items[0]["body"]
    events = admin.get(f"/api/v1/tickets/{ticket['id']}/events").json["items"]
    assert [e["details"]["occurrences"] for e in events if e["kind"] == "intake_repeated"] == [2]
    # Repeats 3 to 9 only count; the tenth is told again, in the history and by a comment.
    for _ in range(8):
        assert post(app, "mes-alarms", ALARM, endpoint["secret"]).status_code == 200
    events = admin.get(f"/api/v1/tickets/{ticket['id']}/events").json["items"]
    assert [e["details"]["occurrences"] for e in events if e["kind"] == "intake_repeated"] == [2, 10]
    comments = admin.get(f"/api/v1/tickets/{ticket['id']}/comments").json
    items = comments["items"] if isinstance(comments, dict) else comments
    assert len(items) == 2 and "10 times" in items[-1]["body"]
    assert [e["details"]["source"] for e in events if e["kind"] == "created"] == ["webhook"]


def test_the_log_pages_and_filters(app, admin, incident_type):
    endpoint = make_endpoint(admin)
    for i in range(5):
        post(app, "mes-alarms", {**ALARM, "event_id": f"e{i}"}, endpoint["secret"])
    post(app, "mes-alarms", {}, endpoint["secret"])
    first = admin.get("/api/v1/intake-calls?limit=4").json
    assert len(first["items"]) == 4 and first["next_cursor"]
    rest = admin.get(f"/api/v1/intake-calls?limit=4&cursor={first['next_cursor']}").json
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    ids = [c["id"] for c in first["items"] + rest["items"]]
    assert ids == sorted(ids, reverse=True)
    assert [c["outcome"] for c in calls(admin, outcome="deduplicated")] == ["deduplicated"] * 4
    assert calls(admin, endpoint_id=endpoint["id"] + 1) == []
    assert len(calls(admin, since="2000-01-01T00:00:00Z", until="2999-01-01T00:00:00Z")) == 6
    assert admin.get("/api/v1/intake-calls?outcome=exploded").status_code == 422
    assert admin.get("/api/v1/intake-calls?cursor=nonsense").status_code == 400
