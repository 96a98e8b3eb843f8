"""First-contact resolution, CSAT, NPS and deflections in the metrics layer, on the reports' hand-built history
(tickets A, B, C of test_reports.py, all on the service desk, assigned to Sam) plus survey answers and deflections
written here.

  CSAT  A: 5 by Sam's survey, answered Mon 11-23 12:00; B: 2, asked of Ned (the agent when it was asked),
        answered Tue 11-24 11:00; C: asked, never answered (not counted)
        -> answers 2, avg 3.5, satisfied (4-5) 1, share 0.5; by assignee: Sam 1 (5, share 1.0), Ned 1 (2, share 0.0)
  NPS   A: 10 (promoter), B: 7 (passive), C: 3 (detractor), all answered Tue 11-24 09:00
        -> answers 3, promoters 1, detractors 1, NPS (1 - 1) / 3 = 0 points
  Deflections  two for it-incident and one with no type in the range, one on 11-01 (outside) -> 3; by type:
        it-incident 2 (labelled with the type's name), none 1
  FCR   A: resolved Mon 11-23, no public reply, never reopened -> first contact; B: reopened -> not; C: open (not
        counted); D (written here): two public replies by Sam before Wed's resolution -> not; E: one public reply
        and an internal note -> first contact. -> resolved 4, first_contact 2, fcr 0.5; by day: Mon 1/1, Tue 0/1
        (B's last resolution), Wed 1/2
All times Shanghai (UTC+8); the range is 11-16 .. 11-30.
"""

# ruff: noqa: F811  (the fixtures of test_sla.py and test_reports.py, imported, are the arguments of these tests)
from __future__ import annotations

from tests.conftest import error_of
from tests.runtime.test_reports import RESOLVE, history, metric, ok, rows  # noqa: F401  (fixtures)
from tests.runtime.test_sla import CHECKLIST, P1, at, bearer, local, office, sweep  # noqa: F401  (fixtures)
from tests.support.mailing import mailing_app, mailing_smtp  # noqa: F401  (`app`, `smtp`)


def _answers(app, history, office):
    from platform_core.db import get_session
    from runtime.automations.models import TicketSurvey
    from runtime.knowledge.models import KnowledgeArticle, KnowledgeDeflection
    from runtime.tickets.models import Ticket

    with app.app_context():
        session = get_session()
        ticket = {name: session.get(Ticket, history[name]) for name in ("a", "b", "c")}
        team, sam, ned = ticket["a"].team_id, office["ids"]["sam"], office["ids"]["ned"]
        kinds = [("csat", "a", 5, sam, local(2026, 11, 23, 12, 0)), ("csat", "b", 2, ned, local(2026, 11, 24, 11, 0)),
                 ("csat", "c", None, sam, None)]
        kinds += [("nps", name, score, sam, local(2026, 11, 24, 9, 0)) for name, score in (("a", 10), ("b", 7), ("c", 3))]
        for kind, name, score, agent, answered in kinds:
            session.add(TicketSurvey(ticket_id=ticket[name].id, kind=kind, score=score, answered_at=answered,
                                     ticket_type_id=ticket[name].ticket_type_id, team_id=team, agent_id=agent))
        article = session.query(KnowledgeArticle).first()  # a seed article of the IT template
        for type_key, created in (("it-incident", local(2026, 11, 17, 10, 0)), ("it-incident", local(2026, 11, 25, 10, 0)),
                                  (None, local(2026, 11, 20, 10, 0)), ("it-incident", local(2026, 11, 1, 10, 0))):
            session.add(KnowledgeDeflection(article_id=article.id, type_key=type_key, text="printer", created_at=created))
        session.commit()


def test_csat_nps_and_deflections_by_hand(app, history, office):
    _answers(app, history, office)
    boss = office["boss"]  # the service desk's supervisor sees its tickets
    csat = metric(boss, "csat")
    assert rows(csat, "answers", "avg", "satisfied", "satisfied_share") == [
        {"answers": 2, "avg": 3.5, "satisfied": 1, "satisfied_share": 0.5}]
    by_agent = metric(boss, "csat", by="assignee")  # the agent the survey was asked of, not today's assignee
    assert rows(by_agent, "label", "answers", "avg", "satisfied_share") == [
        {"label": "Ned", "answers": 1, "avg": 2, "satisfied_share": 0.0},
        {"label": "Sam", "answers": 1, "avg": 5, "satisfied_share": 1.0}]
    assert rows(metric(boss, "csat", bucket="day"), "bucket", "answers") == [
        {"bucket": "2026-11-23T00:00:00+08:00", "answers": 1}, {"bucket": "2026-11-24T00:00:00+08:00", "answers": 1}]
    assert rows(metric(boss, "nps"), "answers", "promoters", "detractors", "nps") == [
        {"answers": 3, "promoters": 1, "detractors": 1, "nps": 0.0}]
    assert rows(metric(boss, "deflections"), "count") == [{"count": 3}]
    by_type = metric(boss, "deflections", by="type")
    assert sorted((r["label"] or "", r["count"]) for r in by_type["rows"]) == [("", 1), ("IT incident", 2)]
    assert rows(metric(boss, "deflections", type="it-incident"), "count") == [{"count": 2}]


def test_satisfaction_counts_only_what_the_viewer_may_see_and_bad_parameters_name_themselves(
        app, history, office, make_user):
    _answers(app, history, office)
    make_user("zoe@example.com", ["agent"], name="Zoe")  # in no team: sees none of the desk's tickets
    zoe = bearer(app, "zoe@example.com")
    assert rows(metric(zoe, "csat"), "answers", "avg") == [{"answers": 0, "avg": None}]
    assert rows(metric(zoe, "nps"), "answers", "nps") == [{"answers": 0, "nps": None}]
    with at(local(2026, 11, 24, 12, 0)):
        assert office["rita"].get("/api/v1/reports/metrics/csat").status_code == 403
        refused = office["boss"].get("/api/v1/reports/metrics/deflections",
                                     query_string={"team": "service-desk", "from": "2026-11-16", "to": "2026-11-30"})
        assert refused.status_code == 422 and error_of(refused)["details"][0]["path"] == "team"
        refused = office["boss"].get("/api/v1/reports/metrics/deflections", query_string={"by": "priority"})
        assert refused.status_code == 422 and error_of(refused)["details"][0]["path"] == "by"


def test_first_contact_resolution_by_hand(app, history, office):
    sam, rita = office["sam"], office["rita"]
    for _ticket, replies in (("d", [("Try a restart", False), ("And now?", False)]),
                          ("e", [("Checked the logs", True), ("Fixed: the disk was full", False)])):
        with at(local(2026, 11, 25, 9, 0)):
            tid = ok(rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}))["id"]
            ok(sam.post(f"/api/v1/tickets/{tid}/transitions/start", json={}))
            for body, internal in replies:
                ok(sam.post(f"/api/v1/tickets/{tid}/comments", json={"body": body, "internal": internal}))
        with at(local(2026, 11, 25, 10, 0)):
            ok(sam.post(f"/api/v1/tickets/{tid}/transitions/resolve", json=RESOLVE))
    boss = office["boss"]
    assert rows(metric(boss, "first_contact_resolution"), "resolved", "first_contact", "fcr") == [
        {"resolved": 4, "first_contact": 2, "fcr": 0.5}]
    assert rows(metric(boss, "first_contact_resolution", bucket="day"), "bucket", "resolved", "first_contact") == [
        {"bucket": "2026-11-23T00:00:00+08:00", "resolved": 1, "first_contact": 1},
        {"bucket": "2026-11-24T00:00:00+08:00", "resolved": 1, "first_contact": 0},
        {"bucket": "2026-11-25T00:00:00+08:00", "resolved": 2, "first_contact": 1}]
