"""Periodic reports over HTTP and their e-mail subscriptions, on a hand-built history.

The IT incident template (its resolve transition asks for a root cause) on the `office` fixture of test_sla.py;
times are Shanghai time (UTC+8). Every ticket is created at 10:00, started (first response) at 10:10 and
resolved at 10:30 the same day, unless said otherwise:

  September:  hardware_fault (09-16)                                             -> 1 resolved
  October:    software_bug (10-14), configuration (10-15)                        -> 2 resolved
  November:   software_bug 11-02, 11-03, 11-10; configuration 11-04, 11-11; hardware_fault 11-05, 11-12;
              third_party 11-06; user_error 11-13; network_outage created Sat 10-31 22:00, started 23:00,
              resolved Sun 11-01 02:00 (= 10-31 18:00 UTC)                        -> 10 resolved
              one more ticket created Fri 11-06 12:00, never touched (open).

Root causes of November in Shanghai, TOP-5 (ties by the value's key):
  software_bug 3/10 = 0.3 (October 1/2 = 0.5: change -0.2; September 0/1 = 0; August 0 of 0 = none)
  configuration 2/10 = 0.2 (October 0.5), hardware_fault 2/10 = 0.2 (October 0, September 1.0),
  network_outage 1/10 = 0.1, third_party 1/10 = 0.1; user_error (1) is sixth, left out.
In UTC the network_outage ticket falls in October: November has 9 resolved, software_bug 3/9 = 0.3333, and
October 3 (software_bug 1/3 = 0.3333).

Team summary of week 2026-W45 (Mon 11-02 .. Sun 11-08), service desk: created 6 (11-02, 03, 04, 05, 06 and the
open one), resolved 5, backlog at the end 1 (the open one), first response median 600 s, resolution median 1,800 s.
"""

# ruff: noqa: F811  (the fixtures of test_sla.py, imported, are the arguments of these tests)
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import error_of
from tests.runtime.test_sla import CHECKLIST, P1, at, bearer, local, office  # noqa: F401  (fixtures)


def ok(response):
    assert response.status_code in (200, 201), response.json
    return response.json


def resolved(office, cause, created, started=None, done=None):
    sam, rita = office["sam"], office["rita"]
    y, m, d = created[:3]
    with at(local(*created)):
        tid = ok(rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}))["id"]
    with at(local(*(started or (y, m, d, 10, 10)))):
        ok(sam.post(f"/api/v1/tickets/{tid}/transitions/start", json={}))
    with at(local(*(done or (y, m, d, 10, 30)))):
        ok(sam.post(f"/api/v1/tickets/{tid}/transitions/resolve", json={
            "fields": {"resolution": "Fixed it for good", "root_cause": cause}, "checklist": CHECKLIST}))
    return tid


@pytest.fixture
def history(office):
    for cause, day in [("hardware_fault", (2026, 9, 16)), ("software_bug", (2026, 10, 14)),
                       ("configuration", (2026, 10, 15)),
                       ("software_bug", (2026, 11, 2)), ("software_bug", (2026, 11, 3)), ("software_bug", (2026, 11, 10)),
                       ("configuration", (2026, 11, 4)), ("configuration", (2026, 11, 11)),
                       ("hardware_fault", (2026, 11, 5)), ("hardware_fault", (2026, 11, 12)),
                       ("third_party", (2026, 11, 6)), ("user_error", (2026, 11, 13))]:
        resolved(office, cause, (*day, 10, 0))
    resolved(office, "network_outage", (2026, 10, 31, 22, 0), (2026, 10, 31, 23, 0), (2026, 11, 1, 2, 0))
    with at(local(2026, 11, 6, 12, 0)):
        ok(office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": P1}))
    return office


def run(client, key, **params):
    with at(local(2026, 12, 2, 9, 0)):
        return client.get(f"/api/v1/reports/periodic/{key}", query_string=params)


def table(result, key):
    return next(t for t in result["tables"] if t["key"] == key)


def test_root_causes_top_five_shares_and_trend(history):
    result = ok(run(history["admin"], "root_causes", period="2026-11", tz="Asia/Shanghai"))
    assert (result["period"], result["from"], result["to"]) == ("2026-11", "2026-11-01T00:00:00+08:00",
                                                                "2026-12-01T00:00:00+08:00")
    assert table(result, "summary")["rows"] == [{"resolved": 10, "with_cause": 10, "without_cause": 0}]
    rows = [{k: r[k] for k in ("rank", "value", "cause", "count", "share", "prev_1_share", "prev_2_share",
                               "prev_3_share", "change")} for r in table(result, "top")["rows"]]
    assert rows == [
        {"rank": 1, "value": "software_bug", "cause": "Software bug", "count": 3, "share": 0.3,
         "prev_1_share": 0.5, "prev_2_share": 0.0, "prev_3_share": None, "change": -0.2},
        {"rank": 2, "value": "configuration", "cause": "Configuration", "count": 2, "share": 0.2,
         "prev_1_share": 0.5, "prev_2_share": 0.0, "prev_3_share": None, "change": -0.3},
        {"rank": 3, "value": "hardware_fault", "cause": "Hardware fault", "count": 2, "share": 0.2,
         "prev_1_share": 0.0, "prev_2_share": 1.0, "prev_3_share": None, "change": 0.2},
        {"rank": 4, "value": "network_outage", "cause": "Network outage", "count": 1, "share": 0.1,
         "prev_1_share": 0.0, "prev_2_share": 0.0, "prev_3_share": None, "change": 0.1},
        {"rank": 5, "value": "third_party", "cause": "Third party", "count": 1, "share": 0.1,
         "prev_1_share": 0.0, "prev_2_share": 0.0, "prev_3_share": None, "change": 0.1}]
    first = table(result, "top")["rows"][0]
    assert first["prev_1_count"] == 1 and first["tickets_url"].startswith("/workspace?")
    assert "q=software_bug" in first["tickets_url"] and first["articles_url"] == "/knowledge?tag=software_bug"
    utc = ok(run(history["admin"], "root_causes", period="2026-11", tz="UTC"))
    assert table(utc, "summary")["rows"][0]["resolved"] == 9
    top = table(utc, "top")["rows"][0]
    assert (top["value"], top["share"], top["prev_1_count"], top["prev_1_share"]) == ("software_bug", 0.3333, 1, 0.3333)
    chinese = history["admin"].get("/api/v1/reports/periodic/root_causes", query_string={"period": "2026-11"},
                                   headers={"Accept-Language": "zh-CN"})
    assert chinese.status_code == 200


def test_a_chinese_reader_reads_causes_and_states_by_their_labels(history, make_user, app):
    with at(local(2026, 12, 1, 11, 0)):
        make_user("li@example.com", ["admin"], name="Li", locale="zh-CN")
        li = bearer(app, "li@example.com")
    causes = ok(run(li, "root_causes", period="2026-11", tz="Asia/Shanghai"))
    assert [(r["value"], r["cause"]) for r in table(causes, "top")["rows"]] == [
        ("software_bug", "软件缺陷"), ("configuration", "配置问题"), ("hardware_fault", "硬件故障"),
        ("network_outage", "网络中断"), ("third_party", "第三方原因")]
    lines = run(li, "root_causes.csv", period="2026-11", tz="Asia/Shanghai").get_data(as_text=True).splitlines()
    assert lines[5].endswith(",存储值") and lines[6].startswith("1,软件缺陷,3,")
    assert lines[6].endswith(",software_bug")  # the CSV keeps the stored value, last
    sla = ok(run(li, "sla_review", period="2026-11", tz="Asia/Shanghai"))
    assert {(r["value"], r["group"]) for r in table(sla, "by_state")["rows"]} == {("resolved", "已解决"),
                                                                                 ("assigned", "已分派")}
    assert {(r["value"], r["state"]) for r in table(sla, "time_in_state")["rows"]} >= {("in_progress", "处理中")}


def test_csv_export(history):
    response = run(history["admin"], "root_causes.csv", period="2026-11", tz="Asia/Shanghai")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and "root_causes-2026-11.csv" in response.headers["Content-Disposition"]
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "Resolved tickets" and lines[2] == "10,10,0"
    assert lines[6].startswith("1,Software bug,3,0.3,1,0.5,0,0.0,0,,-0.2,/workspace?")


def test_sla_review_and_team_summary(history):
    sla = ok(run(history["admin"], "sla_review", period="2026-11", tz="Asia/Shanghai"))
    clocks = {r["clock"]: r for r in table(sla, "by_clock")["rows"]}
    # November's clocks start with the 10 tickets created in November (the network_outage one was created in October)
    assert {k: clocks["response"][k] for k in ("clocks", "met", "breached", "running")} == \
        {"clocks": 10, "met": 9, "breached": 0, "running": 1}
    assert [r["group"] for r in table(sla, "by_team")["rows"]] == ["Service desk"]
    assert [r["group"] for r in table(sla, "by_priority")["rows"]] == ["P1"]
    week = ok(run(history["admin"], "team_summary", period="2026-W45", tz="Asia/Shanghai"))
    assert (week["from"], week["to"]) == ("2026-11-02T00:00:00+08:00", "2026-11-09T00:00:00+08:00")
    rows = [{k: r[k] for k in ("team", "created", "resolved", "backlog", "first_response_p50", "resolution_p50")}
            for r in table(week, "teams")["rows"]]
    assert rows == [{"team": "Service desk", "created": 6, "resolved": 5, "backlog": 1,
                     "first_response_p50": 600, "resolution_p50": 1800}]
    same = ok(run(history["admin"], "team_summary", period="2026-11-05", tz="Asia/Shanghai"))
    assert same["period"] == "2026-W45"


def test_an_agent_counts_only_the_tickets_they_may_see(history, make_user, app):
    with at(local(2026, 12, 1, 11, 0)):
        make_user("olga@example.com", ["agent"], name="Olga")  # in no team
        olga = bearer(app, "olga@example.com")
    result = ok(run(olga, "root_causes", period="2026-11", tz="Asia/Shanghai"))
    assert table(result, "summary")["rows"] == [{"resolved": 0, "with_cause": 0, "without_cause": 0}]
    assert table(result, "top")["rows"] == []
    assert ok(run(olga, "team_summary", period="2026-W45"))["tables"][0]["rows"] == []
    assert run(history["rita"], "root_causes").status_code == 403
    assert history["rita"].get("/api/v1/reports/periodic").status_code == 403
    listing = ok(history["sam"].get("/api/v1/reports/periodic"))
    assert [i["key"] for i in listing["items"]] == ["root_causes", "sla_review", "team_summary"]


@pytest.mark.parametrize(("key", "params", "status", "where"), [
    ("happiness", {}, 404, "report"),
    ("root_causes", {"period": "2026-13"}, 422, "period"),
    ("root_causes", {"period": "2026-W45"}, 422, "period"),
    ("team_summary", {"period": "last week"}, 422, "period"),
    ("root_causes", {"tz": "Mars/Olympus"}, 422, "tz"),
    ("root_causes", {"tz": "Asia"}, 422, "tz"),
    ("root_causes", {"period": "9999-12"}, 422, "period"),
    ("team_summary", {"period": "9999-12-31"}, 422, "period"),
    ("root_causes", {"colour": "red"}, 422, "colour"),
])
def test_bad_parameters_are_refused_naming_them(office, key, params, status, where):
    response = run(office["admin"], key, **params)
    assert response.status_code == status, response.json
    assert any(d["path"].endswith(where) for d in error_of(response)["details"]), error_of(response)


# --------------------------------------------------------------------------- subscriptions and the e-mails


def subscribe(office, **body):
    with at(local(2026, 11, 20, 9, 0)):
        return office["admin"].post("/api/v1/reports/subscriptions", json={
            "report": "root_causes", "recipients": [office["ids"]["sam"]], "tz": "Asia/Shanghai", **body})


def report_mails(app):
    from platform_core.db import get_session
    from runtime.notify.models import OutboxMessage

    with app.app_context():
        return [m.payload for m in get_session().scalars(select(OutboxMessage).where(OutboxMessage.event == "report"))]


def test_subscriptions_crud_permissions_and_audit(office, app):
    created = subscribe(office)
    assert created.status_code == 201, created.json
    sid = created.json["id"]
    assert created.json["locale"] is None and created.json["active"] is True
    assert office["sam"].get("/api/v1/reports/subscriptions").status_code == 403
    bad = subscribe(office, recipients=[office["ids"]["rita"]])
    assert bad.status_code == 422 and error_of(bad)["details"][0]["path"] == "/recipients/0"
    assert subscribe(office, recipients=[999999]).status_code == 422
    assert subscribe(office, report="nope").status_code == 422
    assert error_of(subscribe(office, tz="Mars/Olympus"))["details"][0]["path"] == "/tz"
    with at(local(2026, 11, 21, 9, 0)):
        updated = office["admin"].put(f"/api/v1/reports/subscriptions/{sid}", json={
            "report": "team_summary", "recipients": [office["ids"]["sam"], office["ids"]["mia"]],
            "tz": "UTC", "locale": "zh-CN", "active": False})
        assert updated.status_code == 200, updated.json
        assert updated.json["recipients"] == [office["ids"]["sam"], office["ids"]["mia"]]
        assert office["admin"].delete(f"/api/v1/reports/subscriptions/{sid}").status_code == 204
        assert office["admin"].get(f"/api/v1/reports/subscriptions/{sid}").status_code == 404
    from platform_core.audit import AuditEntry
    from platform_core.db import get_session

    with app.app_context():
        actions = [e.action for e in get_session().scalars(select(AuditEntry).where(
            AuditEntry.target_type == "report_subscription").order_by(AuditEntry.id))]
    assert actions == ["report_subscription.created", "report_subscription.updated", "report_subscription.deleted"]


def test_the_job_sends_each_period_once(history, app):
    from platform_core.jobs import periodic_job
    from runtime.periodic_reports.mailing import send_due

    assert ok(subscribe(history))["id"]
    with app.app_context():
        assert periodic_job("report_subscriptions").writes  # paused while read-only
        # Dec 1 05:00 in Shanghai: November's report is not due before 06:00, and October ended before the
        # subscription was made
        assert send_due(local(2026, 12, 1, 5, 0)) == 0
        assert send_due(local(2026, 12, 1, 7, 0)) == 1
        assert send_due(local(2026, 12, 1, 8, 0)) == 0
        assert send_due(local(2026, 12, 20, 8, 0)) == 0
    mails = report_mails(app)
    assert len(mails) == 1
    assert mails[0]["subject"] == "Root causes report for 2026-11"
    assert "Software bug" in mails[0]["html"] and "30.0%" in mails[0]["html"]
    assert "/reports/periodic?report=root_causes&amp;period=2026-11&amp;tz=Asia%2FShanghai" in mails[0]["html"]
    with app.app_context():
        assert send_due(local(2027, 1, 1, 7, 0)) == 1  # December, its own period
    assert len(report_mails(app)) == 2


def test_two_senders_racing_send_once(history, app):
    from platform_core.db import get_database
    from runtime.periodic_reports import periods
    from runtime.periodic_reports.mailing import send_subscription
    from runtime.periodic_reports.models import ReportDelivery, ReportSubscription

    sid = ok(subscribe(history))["id"]
    results: list = []
    postgres = get_database_url(app).get_backend_name() == "postgresql"
    barrier = threading.Barrier(2)

    def sender():
        with app.app_context():
            session = get_database().sessionmaker()
            try:
                subscription = session.get(ReportSubscription, sid)
                period = periods.parse("month", "2026-11", periods.ZoneInfo("Asia/Shanghai"))
                if postgres:
                    barrier.wait(timeout=30)
                results.append(send_subscription(session, subscription, period, local(2026, 12, 1, 7, 0)))
            finally:
                session.close()

    if postgres:  # two sessions at the same moment: the second waits for the first's commit, then fails
        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    else:  # SQLite has one writer at a time: two sessions one after the other, neither checking first
        sender()
        sender()
    assert sorted(results, key=lambda r: r is None) == [1, None]
    assert len(report_mails(app)) == 1
    with app.app_context():
        from platform_core.db import get_session

        assert get_session().scalar(select(func.count()).select_from(ReportDelivery)) == 1


def get_database_url(app):
    from platform_core.db import get_database

    with app.app_context():
        return get_database().engine.url
