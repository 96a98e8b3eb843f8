"""Satisfaction surveys: asked after closure with the definition's delay, by e-mail with a signed single-use
expiring link that needs no sign-in, answered once (link or portal), CSAT or NPS, a bad score runs the
`survey_answered` automations and opens the supervisor's follow-up task; results per ticket, agent, team, type."""

from __future__ import annotations

import copy
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from platform_core.db import get_session, utcnow
from tests.conftest import Api, error_of
from tests.runtime import test_automations
from tests.runtime.test_automations import DATA, EXAMPLE, login
from tests.support.notifications import make_app, outbox_settings
from tests.support.servers import SmtpServer

desk = test_automations.desk  # the service desk: Sam works it, Boss supervises it, Rita files tickets


@pytest.fixture
def smtp(tmp_path):
    with SmtpServer(tmp_path / "spool") as server:
        yield server


@pytest.fixture
def app(database_url, tmp_path, smtp):
    """E-mail on (to the test SMTP server), so the survey's e-mail and its link are in the outbox."""
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port))
    yield app
    app.extensions["gongdan_db"].engine.dispose()


def survey_definition(**survey) -> dict:
    """The IT incident type with the confirm transition's survey changed (``None`` values drop a key)."""
    definition = copy.deepcopy(EXAMPLE)
    for transition in definition["workflow"]["transitions"]:
        if transition["key"] == "confirm":
            action = next(a for a in transition["actions"] if a["do"] == "survey")
            action.update(survey)
            for key in [k for k, v in action.items() if v is None]:
                del action[key]
    return definition


def publish(admin: Api, automations: list[dict] | None = None, **survey) -> None:
    definition = survey_definition(**survey)
    definition["automations"] = automations or []
    response = admin.post("/api/v1/ticket-types/import", json=definition)
    assert response.status_code == 201, response.json


def closed_ticket(app, title: str = "Printer jammed") -> tuple[int, dict[str, Api]]:
    people = {name: login(app, f"{name}@example.com") for name in ("rita", "sam", "boss")}
    tid = people["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": {**DATA, "title": title}}).json["id"]
    assert people["sam"].post(f"/api/v1/tickets/{tid}/transitions/start", json={}).status_code == 200
    resolved = people["sam"].post(f"/api/v1/tickets/{tid}/transitions/resolve", json={
        "fields": {"resolution": "Cleared the jam", "root_cause": "hardware_fault"},
        "checklist": ["Cause explained to the requester"]})
    assert resolved.status_code == 200, resolved.json
    assert people["rita"].post(f"/api/v1/tickets/{tid}/transitions/confirm", json={}).status_code == 200
    return tid, people


def sweep_after(app, delta: timedelta) -> int:
    from runtime.sla.sweep import sweep

    with app.app_context():
        return sweep(get_session(), utcnow() + delta).timers


def emailed_token(app, email: str) -> str:
    """The token of the last survey e-mail queued for ``email``, read from the outbox as it would be sent."""
    from runtime.notify.models import OutboxMessage

    with app.app_context():
        message = get_session().scalars(select(OutboxMessage).where(
            OutboxMessage.channel == "email", OutboxMessage.target == email, OutboxMessage.event == "survey")
            .order_by(OutboxMessage.id.desc())).first()
        assert message is not None
        text = message.payload["text"]
    url = re.search(r"https?://\S+/survey\?token=\S+", text)
    assert url, text
    return parse_qs(urlparse(url.group(0)).query)["token"][0]


def test_the_emailed_link_answers_without_sign_in_once_and_a_bad_score_opens_the_follow_up(app, admin, desk):
    publish(admin, [{"name": "Unhappy customer", "on": "survey_answered",
                     "when": {"<=": [{"var": "survey.score"}, 2]},
                     "do": [{"do": "comment", "internal": True, "text": "Call the requester back."}]}],
            after="PT24H")
    tid, people = closed_ticket(app)
    assert sweep_after(app, timedelta(hours=23)) == 0  # not before the definition's delay
    assert people["rita"].get(f"/api/v1/tickets/{tid}/surveys").json["items"] == []
    assert sweep_after(app, timedelta(hours=24, minutes=1)) == 1
    token = emailed_token(app, "rita@example.com")

    anonymous = Api(app.test_client())
    shown = anonymous.get("/api/v1/survey-links", query_string={"token": token})
    assert shown.status_code == 200, shown.json
    assert shown.json["survey"]["kind"] == "csat" and (shown.json["survey"]["low"], shown.json["survey"]["high"]) == (1, 5)
    assert shown.json["survey"]["can_answer"] and shown.json["needs_sign_in"] is False
    assert shown.json["survey"]["ticket"]["id"] == tid

    # wrong, tampered and cut tokens: a clear 410 naming /token, and nothing changes
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (tampered, "not-a-token", token.replace(".", "", 1)):
        answer = anonymous.post("/api/v1/survey-links", json={"token": bad, "score": 1})
        assert answer.status_code == 410 and error_of(answer)["details"][0]["path"] == "/token"
        assert "not valid" in error_of(answer)["message"]
    off_scale = anonymous.post("/api/v1/survey-links", json={"token": token, "score": 6})
    assert off_scale.status_code == 422 and error_of(off_scale)["details"][0]["path"] == "/score"
    not_int = anonymous.post("/api/v1/survey-links", json={"token": token, "score": "2"})
    assert not_int.status_code == 422 and error_of(not_int)["details"][0]["path"] == "/score"
    assert people["rita"].get(f"/api/v1/tickets/{tid}/surveys").json["items"][0]["score"] is None

    answered = anonymous.post("/api/v1/survey-links", json={"token": token, "score": 2, "comment": "Took three days"})
    assert answered.status_code == 200, answered.json
    assert answered.json["survey"]["score"] == 2 and answered.json["survey"]["bad"] is True
    assert answered.json["survey"]["answered_via"] == "link"
    again = anonymous.post("/api/v1/survey-links", json={"token": token, "score": 5})
    assert again.status_code == 409 and "first answer is kept" in error_of(again)["message"]
    portal = people["rita"].post(f"/api/v1/tickets/{tid}/surveys/{answered.json['survey']['id']}", json={"score": 5})
    assert portal.status_code == 409
    survey = people["rita"].get(f"/api/v1/tickets/{tid}/surveys").json["items"][0]
    assert (survey["score"], survey["comment"], survey["can_answer"]) == (2, "Took three days", False)

    # the survey_answered automation saw the score; the supervisor got the follow-up task, linked to the ticket
    comments = people["sam"].get(f"/api/v1/tickets/{tid}/comments").json["items"]
    assert [c["body"] for c in comments] == ["Call the requester back."]
    tasks = people["boss"].get("/api/v1/survey-follow-ups").json["items"]
    assert len(tasks) == 1 and tasks[0]["assignee"]["email"] == "boss@example.com"
    assert tasks[0]["survey"]["ticket"]["id"] == tid and tasks[0]["survey"]["score"] == 2
    assert any(n["kind"] == "survey_follow_up" for n in people["boss"].get("/api/v1/notifications").json["items"])
    assert people["rita"].get("/api/v1/survey-follow-ups").json["items"] == []  # not for the requester
    done = people["boss"].post(f"/api/v1/survey-follow-ups/{tasks[0]['id']}/done", json={"note": "Called her"})
    assert done.status_code == 200 and done.json["status"] == "done"
    assert people["boss"].post(f"/api/v1/survey-follow-ups/{tasks[0]['id']}/done", json={}).status_code == 409
    assert people["boss"].get("/api/v1/survey-follow-ups").json["items"] == []
    assert len(people["boss"].get("/api/v1/survey-follow-ups?status=all").json["items"]) == 1
    kinds = [e["kind"] for e in people["sam"].get(f"/api/v1/tickets/{tid}/events").json["items"]]
    assert {"survey_requested", "survey_answered", "survey_follow_up", "survey_follow_up_done"} <= set(kinds)
    assert "survey_follow_up" not in [e["kind"] for e in people["rita"].get(f"/api/v1/tickets/{tid}/events").json["items"]]


def test_an_expired_link_is_refused_and_a_good_score_opens_no_follow_up(app, admin, desk):
    publish(admin, after=None, expires="P2D")
    tid, people = closed_ticket(app)  # no delay: asked at closure
    token = emailed_token(app, "rita@example.com")
    import time_machine

    with time_machine.travel(utcnow() + timedelta(days=3), tick=False):
        anonymous = Api(app.test_client())
        expired = anonymous.post("/api/v1/survey-links", json={"token": token, "score": 4})
        assert expired.status_code == 410 and "expired" in error_of(expired)["message"]
        shown = anonymous.get("/api/v1/survey-links", query_string={"token": token}).json
        assert shown["survey"]["expired"] is True and shown["survey"]["can_answer"] is False
        assert login(app, "rita@example.com").get("/api/v1/surveys/mine").json["items"] == []
    assert people["rita"].get(f"/api/v1/tickets/{tid}/surveys").json["items"][0]["score"] is None

    tid2, _ = closed_ticket(app, "Screen flickers")
    mine = people["rita"].get("/api/v1/surveys/mine").json["items"]
    assert [s["ticket"]["id"] for s in mine] == [tid2, tid] and mine[0]["can_answer"]  # newest first
    answered = people["rita"].post(f"/api/v1/tickets/{tid2}/surveys/{mine[0]['id']}", json={"score": 4})
    assert answered.status_code == 200 and answered.json["answered_via"] == "portal" and answered.json["bad"] is False
    assert people["boss"].get("/api/v1/survey-follow-ups?status=all").json["items"] == []
    assert [s["ticket"]["id"] for s in people["rita"].get("/api/v1/surveys/mine").json["items"]] == [tid]


def test_nps_with_a_chosen_bad_score_and_no_follow_up(app, admin, desk):
    publish(admin, kind="nps", after=None, bad_at_most=4, follow_up="none")
    tid, people = closed_ticket(app)
    survey = people["rita"].get(f"/api/v1/tickets/{tid}/surveys").json["items"][0]
    assert (survey["kind"], survey["low"], survey["high"]) == ("nps", 0, 10)
    url = f"/api/v1/tickets/{tid}/surveys/{survey['id']}"
    assert people["sam"].post(url, json={"score": 9}).status_code == 403  # only the requester
    bad = people["rita"].post(url, json={"score": 11})
    assert bad.status_code == 422 and error_of(bad)["details"][0]["path"] == "/score"
    answered = people["rita"].post(url, json={"score": 0})
    assert answered.status_code == 200 and answered.json["bad"] is True
    assert people["boss"].get("/api/v1/survey-follow-ups?status=all").json["items"] == []  # "follow_up": "none"


def test_a_definition_checks_the_bad_score_and_the_survey_context():
    from designer.validation import validate_definition

    definition = survey_definition(kind="csat", bad_at_most=7)
    definition["automations"] = [{"name": "Low", "on": "survey_answered", "when": {"<": [{"var": "survey.score"}, 3]},
                                  "do": [{"do": "notify", "to": ["team.supervisor"]}]}]
    problems = [(p.pointer, p.code) for p in validate_definition(definition).errors]
    assert [code for path, code in problems if path.endswith("/bad_at_most")] == ["survey.bad_score"], problems
    assert not any(path.startswith("/automations/0") for path, _ in problems), problems
    definition["automations"][0]["on"] = "created"  # survey.* means nothing outside survey_answered
    problems = [(p.pointer, p.code) for p in validate_definition(definition).errors]
    assert any(path.startswith("/automations/0/when") for path, _ in problems), problems
    assert validate_definition(survey_definition(kind="nps", bad_at_most=6, follow_up="none", expires="P7D",
                                                 channels=["email", "wecom"])).ok


def test_results_per_ticket_agent_team_and_type_are_paginated(app, admin, desk, make_user):
    publish(admin, after=None)
    scores = [5, 2, 4]
    for index, score in enumerate(scores):
        tid, people = closed_ticket(app, f"Case {index}")
        survey = people["rita"].get(f"/api/v1/tickets/{tid}/surveys").json["items"][0]
        assert people["rita"].post(f"/api/v1/tickets/{tid}/surveys/{survey['id']}", json={"score": score}).status_code == 200
    closed_ticket(app, "Not answered")
    by_team = admin.get("/api/v1/survey-results?by=team").json
    assert len(by_team["items"]) == 1 and by_team["next_cursor"] is None
    row = by_team["items"][0]
    assert (row["name"], row["kind"], row["asked"], row["answered"], row["bad"], row["satisfied"]) == \
        ("Service desk", "csat", 4, 3, 1, 2)
    assert row["average"] == round(11 / 3, 2) and row["csat"] == round(200 / 3, 1)
    by_agent = admin.get("/api/v1/survey-results?by=agent").json["items"]
    assert [(r["name"], r["answered"]) for r in by_agent] == [("Sam", 3)]
    by_type = admin.get("/api/v1/survey-results?by=type&type=it-incident").json["items"]
    assert [(r["name"], r["asked"]) for r in by_type] == [("it-incident", 4)]
    first = admin.get("/api/v1/survey-results?by=ticket&limit=2").json
    assert [r["score"] for r in first["items"]] == [4, 2] and first["next_cursor"]
    rest = admin.get(f"/api/v1/survey-results?by=ticket&limit=2&cursor={first['next_cursor']}").json
    assert [r["score"] for r in rest["items"]] == [5] and rest["next_cursor"] is None
    assert admin.get("/api/v1/survey-results?by=team&kind=nps").json["items"] == []
    bad = admin.get("/api/v1/survey-results?by=month")
    assert bad.status_code == 422 and error_of(bad)["details"][0]["path"].endswith("by")
    assert admin.get("/api/v1/survey-results?by=team&cursor=zzz").status_code == 400
    rita = login(app, "rita@example.com")
    assert rita.get("/api/v1/survey-results").status_code == 403


def test_a_chat_message_carries_a_link_that_needs_the_requester_signed_in(app, admin, desk):
    import json

    from runtime.notify.models import OutboxMessage

    made = admin.post("/api/v1/chat-endpoints", json={"key": "desk-chat", "kind": "slack", "url": "http://127.0.0.1:9/hook"})
    assert made.status_code == 201, made.json
    publish(admin, after=None, channels=["email", "slack"])
    _, people = closed_ticket(app)
    with app.app_context():
        posted = [json.dumps(m.payload) for m in get_session().scalars(
            select(OutboxMessage).where(OutboxMessage.channel == "slack", OutboxMessage.event == "survey"))]
    assert len(posted) == 1 and "How did we do on INC-000001" in posted[0]
    link = re.search(r"https?://[^\s\"\\|>]+/survey\?token=[^\s\"\\|>]+", posted[0]).group(0)
    token = parse_qs(urlparse(link).query)["token"][0]
    assert token != emailed_token(app, "rita@example.com")  # the e-mail's link is Rita's own
    anonymous = Api(app.test_client())
    shown = anonymous.get("/api/v1/survey-links", query_string={"token": token}).json
    assert shown["needs_sign_in"] is True and shown["survey"]["can_answer"] is False
    assert anonymous.post("/api/v1/survey-links", json={"token": token, "score": 3}).status_code == 401
    assert people["sam"].post("/api/v1/survey-links", json={"token": token, "score": 3}).status_code == 403
    assert people["rita"].get("/api/v1/survey-links", query_string={"token": token}).json["survey"]["can_answer"]
    answered = people["rita"].post("/api/v1/survey-links", json={"token": token, "score": 3})
    assert answered.status_code == 200 and answered.json["survey"]["score"] == 3


def test_a_link_older_than_the_longest_lifetime_has_expired(app, admin, desk):
    import time_machine

    publish(admin, after=None, expires="P365D")
    closed_ticket(app)
    token = emailed_token(app, "rita@example.com")
    with time_machine.travel(utcnow() + timedelta(days=91), tick=False):
        refused = Api(app.test_client()).post("/api/v1/survey-links", json={"token": token, "score": 4},
                                              headers={"Accept-Language": "zh-CN"})
        assert refused.status_code == 410 and "已过期" in error_of(refused)["message"]
