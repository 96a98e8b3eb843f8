""""Did this help?" on knowledge articles over HTTP: answering and changing the answer, the counts for staff
only (never who answered), who may answer what (staff-only, team and draft articles), bad input, the audit."""

# ruff: noqa: F811  (the people fixture of test_knowledge.py, imported, is the argument of these tests)
from __future__ import annotations

from sqlalchemy import func, select

from runtime.knowledge.models import KnowledgeFeedback
from tests.conftest import error_of
from tests.runtime.test_knowledge import VPN, _article, people  # noqa: F401  (people: a fixture)
from tests.runtime.test_tickets import login


def _feedback(client, article_id, **body):
    return client.post(f"/api/v1/knowledge/articles/{article_id}/feedback", json=body)


def _rows(app, article_id):
    from platform_core.db import get_session

    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(KnowledgeFeedback)
                                    .where(KnowledgeFeedback.article_id == article_id))


def test_readers_answer_and_change_their_answer_and_staff_see_the_counts(app, admin, people):
    alice, rita, tom = (login(app, f"{name}@example.com") for name in ("alice", "rita", "tom"))
    aid = _article(alice, VPN)["id"]
    read = rita.get(f"/api/v1/knowledge/articles/{aid}").json
    assert read["feedback"] == {"mine": None}  # no counts for a requester

    answered = _feedback(rita, aid, helpful=False, comment="  Which client version?  ")
    assert answered.status_code == 200, answered.json
    assert answered.json["mine"]["helpful"] is False and answered.json["mine"]["comment"] == "Which client version?"
    assert "counts" not in answered.json
    first_at = answered.json["mine"]["answered_at"]
    assert rita.get(f"/api/v1/knowledge/articles/{aid}").json["feedback"]["mine"] == answered.json["mine"]
    assert _feedback(tom, aid, helpful=True).status_code == 200

    # Staff see the counts and the comments, never who wrote them; requesters never see others' answers.
    staff_view = alice.get(f"/api/v1/knowledge/articles/{aid}").json["feedback"]
    assert staff_view["mine"] is None
    assert {k: v for k, v in staff_view["counts"].items() if k != "recent_comments"} == {"helpful": 1, "not_helpful": 1}
    assert [(c["helpful"], c["comment"]) for c in staff_view["counts"]["recent_comments"]] == [
        (False, "Which client version?")]
    assert set(staff_view["counts"]["recent_comments"][0]) == {"helpful", "comment", "answered_at"}
    toms = tom.get(f"/api/v1/knowledge/articles/{aid}").json["feedback"]
    assert set(toms) == {"mine"} and (toms["mine"]["helpful"], toms["mine"]["comment"]) == (True, "")

    # Answering again changes the one answer (and when it was given).
    changed = _feedback(rita, aid, helpful=True)
    assert changed.status_code == 200 and changed.json["mine"] == {
        "helpful": True, "comment": "", "answered_at": changed.json["mine"]["answered_at"]}
    assert changed.json["mine"]["answered_at"] >= first_at
    assert _rows(app, aid) == 2
    counts = alice.get(f"/api/v1/knowledge/articles/{aid}").json["feedback"]["counts"]
    assert counts == {"helpful": 2, "not_helpful": 0, "recent_comments": []}
    # Staff answer too, and get the counts back with their answer; lists carry no feedback.
    mine = _feedback(alice, aid, helpful=False, comment="Screenshots are out of date.")
    assert mine.json["counts"]["not_helpful"] == 1 and mine.json["mine"]["helpful"] is False
    assert "feedback" not in alice.get("/api/v1/knowledge/articles").json["items"][0]

    # Audited as the other knowledge writes are: who, which article, which answer.
    entries = admin.get("/api/v1/audit", query_string={"action": "knowledge.article_feedback"}).json["items"]
    assert [(e["actor_id"], e["target_id"], e["details"]["helpful"]) for e in reversed(entries)] == [
        (people["rita"], str(aid), False), (people["tom"], str(aid), True), (people["rita"], str(aid), True),
        (people["alice"], str(aid), False)]

    # Taken back to draft: nobody answers any more, staff still see what was answered.
    assert alice.post(f"/api/v1/knowledge/articles/{aid}/unpublish").status_code == 200
    assert _feedback(rita, aid, helpful=False).status_code == 404
    refused = _feedback(alice, aid, helpful=True)
    assert refused.status_code == 409 and error_of(refused)["code"] == "conflict"
    assert alice.get(f"/api/v1/knowledge/articles/{aid}").json["feedback"]["counts"]["helpful"] == 2


def test_only_readers_of_an_article_answer_it(app, admin, people):
    alice, rita, tom = (login(app, f"{name}@example.com") for name in ("alice", "rita", "tom"))
    staff_only = _article(alice, VPN, visibility="staff")["id"]
    team_only = _article(alice, VPN, visibility="teams", team_ids=[people["team"]])["id"]
    draft = _article(alice, VPN, publish=False)["id"]

    for article_id in (staff_only, team_only, draft, 99999):
        refused = _feedback(rita, article_id, helpful=True)
        assert refused.status_code == 404, (article_id, refused.json)
        assert error_of(refused)["code"] == "not_found"
    assert _feedback(tom, team_only, helpful=False).status_code == 200  # tom is in the team
    assert _feedback(tom, staff_only, helpful=False).status_code == 404
    nina = login(app, "nina@example.com")  # an agent outside the team does not read the team's article
    assert _feedback(nina, team_only, helpful=True).status_code == 404
    assert _feedback(nina, staff_only, helpful=True).status_code == 200
    assert alice.get(f"/api/v1/knowledge/articles/{team_only}").json["feedback"]["counts"]["not_helpful"] == 1
    assert _rows(app, staff_only) == 1 and _rows(app, draft) == 0


def test_bad_answers_are_refused_with_the_field(app, admin, people):
    alice, rita = login(app, "alice@example.com"), login(app, "rita@example.com")
    aid = _article(alice, VPN)["id"]
    cases = [
        ({}, "/helpful"),
        ({"helpful": "yes"}, "/helpful"),
        ({"helpful": 1}, "/helpful"),
        ({"helpful": None}, "/helpful"),
        ({"helpful": False, "comment": "x" * 1001}, "/comment"),
        ({"helpful": False, "comment": None}, "/comment"),
        ({"helpful": False, "comment": ["no"]}, "/comment"),
        ({"helpful": True, "who": "someone else"}, "/who"),
    ]
    for body, path in cases:
        response = _feedback(rita, aid, **body)
        assert response.status_code == 422, (body, response.json)
        assert path in [d["path"] for d in error_of(response)["details"]], (path, response.json)
    not_json = rita.post(f"/api/v1/knowledge/articles/{aid}/feedback", data="helpful",
                         headers={"Content-Type": "text/plain"})
    assert 400 <= not_json.status_code < 500 and error_of(not_json)
    assert _rows(app, aid) == 0
    longest = _feedback(rita, aid, helpful=False, comment="长" * 1000)
    assert longest.status_code == 200 and len(longest.json["mine"]["comment"]) == 1000
