"""The metrics layer over HTTP, on a hand-built history whose figures are computed by hand below.

The IT incident template with its P1 SLA (response 15 min, resolution 4 h, paused while waiting) on a
Mon-Fri 09:00-12:00 + 13:00-18:00 Asia/Shanghai calendar (the `office` fixture of test_sla.py). Times are
Shanghai time (UTC+8, no daylight saving); time-machine freezes the clock at each step.

  A  created Fri 11-20 17:50; Sam starts it Mon 11-23 09:10 (first response); resolves it Mon 10:00.
     first response: calendar 63 h 20 min = 228,000 s; business Fri 17:50-18:00 + Mon 09:00-09:10 = 1,200 s
       (> 900 s target: the response clock is breached)
     resolution:     calendar 64 h 10 min = 231,000 s; business 10 min + 09:00-10:00 = 4,200 s (met)
  B  created Mon 11-23 11:30; Sam starts it 11:44 (first response); asks the requester 11:50 (waiting, a
     pending state: the clocks pause); Rita answers 14:50; Sam resolves 15:30; Rita reopens Tue 11-24 09:00;
     Sam resolves again Tue 10:00.
     first response: 840 s calendar and business (met)
     resolution (the last one): Mon 11:30 -> Tue 10:00 = 22 h 30 min = 81,000 s calendar; business
       11:30-11:50 (1,200) + 14:50-15:30 (2,400) + Tue 09:00-10:00 (3,600) = 7,200 s (met)
  C  created Tue 11-24 07:00 (before opening; = Mon 11-23 23:00 UTC); nobody responds. The sweep at Tue 10:00
     marks its response clock breached (due 09:15). Still open when the figures are read, Tue 12:00: 5 h old.

Routing gives every ticket to Sam as it is created, and the definition's "on": "assigned" transition moves it
from new to assigned at once. Stays (time_in_state), from the transition events:
  new:         A, B, C 0 s each                                                  -> n 3, avg 0
  assigned:    A 228,000 (Fri 17:50 -> Mon 09:10); B 840                          -> n 2, avg 114,420
  in_progress: A 3,000; B 360 (11:44-11:50), 2,400 (14:50-15:30), 3,600 (Tue)     -> n 4, avg 2,340,
               p50 2,400 (nearest rank 2 of 4), p90 3,600 (rank 4), max 3,600
  waiting:     B 10,800;  resolved: B 63,000 (Mon 15:30 -> Tue 09:00)
"""

# ruff: noqa: F811  (the fixtures of test_sla.py, imported, are the arguments of these tests)
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import error_of
from tests.runtime.test_sla import CHECKLIST, P1, at, local, office, sweep  # noqa: F401  (fixtures)
from tests.support.mailing import mailing_app, mailing_smtp  # noqa: F401  (`app`, `smtp`: e-mail sent for real)

RANGE = {"from": "2026-11-16", "to": "2026-11-30", "tz": "Asia/Shanghai"}
RESOLVE = {"fields": {"resolution": "Restarted the service", "root_cause": "software_bug"}, "checklist": CHECKLIST}


def ok(response):
    assert response.status_code in (200, 201), response.json
    return response.json


@pytest.fixture
def history(app, office):
    sam, rita = office["sam"], office["rita"]

    def step(client, tid, key, **body):
        ok(client.post(f"/api/v1/tickets/{tid}/transitions/{key}", json=body))

    with at(local(2026, 11, 20, 17, 50)):
        a = ok(rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}))["id"]
    with at(local(2026, 11, 23, 9, 10)):
        step(sam, a, "start")
    with at(local(2026, 11, 23, 10, 0)):
        step(sam, a, "resolve", **RESOLVE)
    with at(local(2026, 11, 23, 11, 30)):
        hardware = {**P1, "category": "hardware", "asset_tag": "LT-0042"}
        b = ok(rita.post("/api/v1/tickets", json={"type": "it-incident", "data": hardware}))["id"]
    with at(local(2026, 11, 23, 11, 44)):
        step(sam, b, "start")
    with at(local(2026, 11, 23, 11, 50)):
        step(sam, b, "ask", comment="Which floor?")
    with at(local(2026, 11, 23, 14, 50)):
        step(rita, b, "answer", comment="Third")
    with at(local(2026, 11, 23, 15, 30)):
        step(sam, b, "resolve", **RESOLVE)
    with at(local(2026, 11, 24, 7, 0)):
        c = ok(rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}))["id"]
    with at(local(2026, 11, 24, 9, 0)):
        step(rita, b, "reopen", comment="Broken again")
    with at(local(2026, 11, 24, 10, 0)):
        step(sam, b, "resolve", **RESOLVE)
    sweep(app, local(2026, 11, 24, 10, 0))
    return {"a": a, "b": b, "c": c}


def metric(client, name, **params):
    with at(local(2026, 11, 24, 12, 0)):
        return ok(client.get(f"/api/v1/reports/metrics/{name}", query_string={**RANGE, **params}))


def rows(result, *keys):
    return [{k: row.get(k) for k in keys} for row in result["rows"]]


def test_first_response_and_resolution_times_calendar_and_business(history, office):
    admin = office["admin"]
    result = metric(admin, "first_response_time")
    assert result["unit"] == "seconds"
    assert rows(result, "count", "avg", "p50", "p90", "max", "business_count", "business_avg") == [
        {"count": 2, "avg": 114420, "p50": 840, "p90": 228000, "max": 228000, "business_count": 2, "business_avg": 1020}]
    by_day = metric(admin, "resolution_time", bucket="day")
    assert rows(by_day, "bucket", "count", "avg", "business_avg") == [
        {"bucket": "2026-11-23T00:00:00+08:00", "count": 1, "avg": 231000, "business_avg": 4200},
        {"bucket": "2026-11-24T00:00:00+08:00", "count": 1, "avg": 81000, "business_avg": 7200}]


def test_backlog_load_volume_and_created_vs_resolved(history, office):
    admin = office["admin"]
    backlog = metric(admin, "backlog")
    assert rows(backlog, "count", "avg", "max") == [{"count": 1, "avg": 18000, "max": 18000}]
    assert backlog["from"] is None
    load = metric(admin, "load", by="team")
    assert rows(load, "label", "count") == [{"label": "Service desk", "count": 1}]
    # Shanghai days: A on Fri, B Mon, C Tue; A resolved Mon, B (last) Tue
    shanghai = metric(admin, "created_vs_resolved", bucket="day")
    assert rows(shanghai, "bucket", "created", "resolved", "net") == [
        {"bucket": "2026-11-20T00:00:00+08:00", "created": 1, "resolved": 0, "net": 1},
        {"bucket": "2026-11-23T00:00:00+08:00", "created": 1, "resolved": 1, "net": 0},
        {"bucket": "2026-11-24T00:00:00+08:00", "created": 1, "resolved": 1, "net": 0}]
    # UTC days: C was created Mon 11-23 23:00 UTC, so Monday has two
    utc = metric(admin, "created_vs_resolved", bucket="day", tz="UTC")
    assert rows(utc, "bucket", "created", "resolved") == [
        {"bucket": "2026-11-20T00:00:00+00:00", "created": 1, "resolved": 0},
        {"bucket": "2026-11-23T00:00:00+00:00", "created": 2, "resolved": 1},
        {"bucket": "2026-11-24T00:00:00+00:00", "created": 0, "resolved": 1}]
    by_category = metric(admin, "volume", by="category")
    assert rows(by_category, "group", "count") == [{"group": "hardware", "count": 1}, {"group": "software", "count": 2}]
    weekly = metric(admin, "volume", bucket="week", by="priority")
    assert rows(weekly, "bucket", "group", "count") == [
        {"bucket": "2026-11-16T00:00:00+08:00", "group": "P1", "count": 1},
        {"bucket": "2026-11-23T00:00:00+08:00", "group": "P1", "count": 2}]
    monthly = metric(admin, "volume", bucket="month", by="team")
    assert rows(monthly, "bucket", "label", "count") == [
        {"bucket": "2026-11-01T00:00:00+08:00", "label": "Service desk", "count": 3}]


def test_sla_compliance_reopen_rate_and_time_in_state(history, office):
    admin = office["admin"]
    sla = metric(admin, "sla_compliance")
    assert rows(sla, "clock", "clocks", "met", "breached", "running", "compliance") == [
        {"clock": "resolution", "clocks": 3, "met": 2, "breached": 0, "running": 1, "compliance": 1.0},
        {"clock": "response", "clocks": 3, "met": 1, "breached": 2, "running": 0, "compliance": 0.3333}]
    only = metric(admin, "sla_compliance", clock="response")
    assert [row["clock"] for row in only["rows"]] == ["response"]
    reopen = metric(admin, "reopen_rate")
    assert rows(reopen, "tickets", "reopened", "rate") == [{"tickets": 3, "reopened": 1, "rate": 0.3333}]
    states = {row["state"]: row for row in metric(admin, "time_in_state")["rows"]}
    assert {k: (v["count"], v["avg"]) for k, v in states.items()} == {
        "new": (3, 0), "assigned": (2, 114420), "in_progress": (4, 2340), "waiting": (1, 10800), "resolved": (1, 63000)}
    assert (states["in_progress"]["p50"], states["in_progress"]["p90"], states["in_progress"]["max"]) == (2400, 3600, 3600)
    tuesday = metric(admin, "time_in_state", **{"from": "2026-11-24"})  # stays that ended on Tuesday
    assert {row["state"]: row["count"] for row in tuesday["rows"]} == {"new": 1, "resolved": 1, "in_progress": 1}


def test_an_agent_counts_only_the_tickets_they_may_see(history, office, make_user, app):
    from tests.runtime.test_sla import bearer

    with at(local(2026, 11, 24, 11, 0)):
        make_user("olga@example.com", ["agent"], name="Olga")  # in no team
        olga = bearer(app, "olga@example.com")
    assert metric(olga, "volume")["rows"] == [{"count": 0}] or metric(olga, "volume")["rows"] == []
    assert metric(office["sam"], "volume")["rows"] == [{"count": 3}]
    with at(local(2026, 11, 24, 11, 0)):
        ok(office["admin"].patch(f"/api/v1/tickets/{history['c']}", json={"assignee": "mia@example.com"}))
    assert metric(office["mia"], "backlog", by="assignee")["rows"][0]["label"] == "Mia"
    requester = office["rita"].get("/api/v1/reports/metrics/volume")
    assert requester.status_code == 403


@pytest.mark.parametrize(("path", "params", "where"), [
    ("/api/v1/reports/metrics/happiness", {}, "metric"),
    ("/api/v1/reports/metrics/volume", {"from": "2026-11-30", "to": "2026-11-01"}, "/to"),
    ("/api/v1/reports/metrics/volume", {"by": "colour"}, "by"),
    ("/api/v1/reports/metrics/volume", {"by": "title"}, "by"),  # a field, but no enum
    ("/api/v1/reports/metrics/volume", {"tz": "Mars/Olympus"}, "/tz"),
    ("/api/v1/reports/metrics/volume", {"tz": "Asia"}, "/tz"),  # a folder of zones, not a zone
    ("/api/v1/reports/metrics/volume", {"from": "yesterday"}, "/from"),
    ("/api/v1/reports/metrics/volume", {"bucket": "fortnight"}, "/bucket"),
    ("/api/v1/reports/metrics/volume", {"bucket": "hour", "from": "2025-01-01"}, "/bucket"),
    ("/api/v1/reports/metrics/volume", {"type": "nope"}, "type"),
    ("/api/v1/reports/metrics/volume", {"team": "nope"}, "team"),
    ("/api/v1/reports/metrics/volume", {"colour": "red"}, "/colour"),
    ("/api/v1/reports/metrics/backlog", {"bucket": "day"}, "bucket"),
    ("/api/v1/reports/metrics/load", {"by": "priority"}, "by"),
])
def test_bad_parameters_are_refused_naming_them(office, path, params, where):
    with at(local(2026, 11, 24, 12, 0)):
        response = office["admin"].get(path, query_string=params)
    assert 400 <= response.status_code < 500, response.json
    error = error_of(response)
    assert any(d["path"].endswith(where.lstrip("/")) for d in error["details"]), error


def test_hour_buckets_across_the_end_of_daylight_saving_time(office):
    """New York: 2026-11-01 02:00 EDT becomes 01:00 EST. 05:30 UTC is 01:30 EDT, 06:30 UTC 01:30 EST (the same
    local hour, one bucket), 07:30 UTC 02:30 EST; 03:59 UTC is still Saturday 10-31 23:59 EDT."""
    rita = office["rita"]
    for hour, minute in ((3, 59), (5, 30), (6, 30), (7, 30)):
        with at(datetime(2026, 11, 1, hour, minute, tzinfo=UTC)):
            ok(rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}))
    params = {"from": "2026-10-31", "to": "2026-11-02", "tz": "America/New_York"}
    with at(datetime(2026, 11, 2, 12, 0, tzinfo=UTC)):
        hours = ok(office["admin"].get("/api/v1/reports/metrics/volume", query_string={**params, "bucket": "hour"}))
        days = ok(office["admin"].get("/api/v1/reports/metrics/volume", query_string={**params, "bucket": "day"}))
    assert rows(hours, "bucket", "count") == [
        {"bucket": "2026-10-31T23:00:00-04:00", "count": 1},
        {"bucket": "2026-11-01T01:00:00-04:00", "count": 2},
        {"bucket": "2026-11-01T02:00:00-05:00", "count": 1}]
    assert rows(days, "bucket", "count") == [
        {"bucket": "2026-10-31T00:00:00-04:00", "count": 1}, {"bucket": "2026-11-01T00:00:00-04:00", "count": 3}]


def test_the_list_of_metrics(office):
    listed = ok(office["sam"].get("/api/v1/reports/metrics"))["items"]
    assert {m["key"] for m in listed} >= {"first_response_time", "resolution_time", "backlog", "load", "volume",
                                          "created_vs_resolved", "sla_compliance", "reopen_rate", "time_in_state"}


def test_breakdowns_are_labelled_in_the_readers_language(history, office, app, make_user):
    """``label`` says each group as the reader reads it: a field's option label and a state's name from the
    definition, the built-in words for status categories; a value no option lists keeps its stored text. At Tue
    12:00 A and B are resolved, C (software) waits in ``assigned``."""
    from sqlalchemy import select

    from platform_core.db import get_session
    from runtime.tickets.models import Ticket
    from tests.runtime.test_sla import bearer

    with at(local(2026, 11, 24, 11, 0)):
        make_user("li@example.com", ["admin"], name="Li", locale="zh-CN")
        li = bearer(app, "li@example.com")
    admin = office["admin"]
    assert rows(metric(admin, "volume", by="category"), "group", "label", "count") == [
        {"group": "hardware", "label": "Hardware", "count": 1}, {"group": "software", "label": "Software", "count": 2}]
    assert rows(metric(li, "volume", by="category"), "group", "label") == [
        {"group": "hardware", "label": "硬件"}, {"group": "software", "label": "软件"}]
    assert rows(metric(admin, "volume", by="status"), "group", "label", "count") == [
        {"group": "assigned", "label": "Assigned", "count": 1}, {"group": "resolved", "label": "Resolved", "count": 2}]
    assert rows(metric(li, "volume", by="status", type="it-incident"), "group", "label") == [
        {"group": "assigned", "label": "已分派"}, {"group": "resolved", "label": "已解决"}]
    assert rows(metric(li, "volume", by="status_category"), "group", "label") == [
        {"group": "open", "label": "处理中"}, {"group": "resolved", "label": "已解决"}]
    assert [r["label"] for r in metric(admin, "volume", by="status_category")["rows"]] == ["Open", "Resolved"]
    assert rows(metric(li, "volume", by="priority"), "group", "label") == [{"group": "P1", "label": "P1"}]
    assert rows(metric(li, "volume", by="source"), "group", "label") == [{"group": "web", "label": "网页"}]  # Rita's
    with app.app_context():  # a value the definition no longer lists (an option since removed)
        session = get_session()
        ticket = session.scalar(select(Ticket).where(Ticket.id == history["c"]))
        ticket.data = {**ticket.data, "category": "printer"}
        session.commit()
    assert rows(metric(li, "volume", by="category"), "group", "label") == [  # sorted by label
        {"group": "printer", "label": "printer"}, {"group": "hardware", "label": "硬件"},
        {"group": "software", "label": "软件"}]


def test_the_it_templates_declared_charts_are_figures_built_on_the_server(history, office, app, make_user):
    """At Tue 12:00 only C is open: software, P1, north, the service desk's, 5 hours old. Texts are in the reader's
    profile language."""
    from tests.runtime.test_sla import bearer

    with at(local(2026, 11, 24, 12, 0)):
        make_user("li@example.com", ["admin"], name="Li", locale="zh-CN")
        english = ok(office["sam"].get("/api/v1/ticket-types/it-incident/charts"))
        chinese = ok(bearer(app, "li@example.com").get("/api/v1/ticket-types/it-incident/charts"))
        missing = office["sam"].get("/api/v1/ticket-types/nope/charts")
        requester = office["rita"].get("/api/v1/ticket-types/it-incident/charts")
    assert missing.status_code == 404 and requester.status_code == 403
    charts = {item["key"]: item for item in english["items"]}
    assert list(charts) == ["backlog_by_category", "open_by_priority_and_region", "age_of_open_by_team"]
    by_category = charts["backlog_by_category"]["figure"]
    assert by_category["data"][0]["type"] == "bar"
    assert (by_category["data"][0]["x"], by_category["data"][0]["y"]) == (["Software"], [1])
    assert by_category["layout"]["title"]["text"] == "Open incidents by category"
    assert by_category["layout"]["template"]["layout"]["plot_bgcolor"] == "white"  # the house look: plotly_white
    table = charts["open_by_priority_and_region"]["figure"]["data"][0]
    assert table["type"] == "table" and table["cells"]["values"] == [["P1"], ["North"], [1]]
    age = charts["age_of_open_by_team"]["figure"]["data"]
    assert [(t["name"], t["x"], t["y"]) for t in age] == [("Average", ["Service desk"], [5]),
                                                          ("90th percentile", ["Service desk"], [5])]
    assert chinese["items"][0]["title"] == "各类别未关闭的故障"
    assert chinese["items"][0]["figure"]["layout"]["xaxis"]["title"]["text"] == "类别"
    assert chinese["items"][0]["figure"]["data"][0]["x"] == ["软件"]  # the option's label in the reader's language
    # measure labels too: the axis title, the table's column header and the legend
    translated = {item["key"]: item["figure"] for item in chinese["items"]}
    assert translated["backlog_by_category"]["layout"]["yaxis"]["title"]["text"] == "故障数"
    assert translated["backlog_by_category"]["data"][0]["name"] == "故障数"
    assert translated["open_by_priority_and_region"]["data"][0]["header"]["values"] == ["优先级", "区域", "故障数"]
    assert [t["name"] for t in translated["age_of_open_by_team"]["data"]] == ["平均值", "第 90 百分位"]
    assert by_category["layout"]["yaxis"]["title"]["text"] == "Incidents"
    assert charts["open_by_priority_and_region"]["figure"]["data"][0]["header"]["values"][-1] == "Incidents"


def test_a_chart_filter_outside_the_sql_subset_is_reported_on_that_chart_only(app):
    from runtime.reports.charts import ChartQuery, Unsupported

    query = ChartQuery(None, {"category": {"enum": ["a"]}})  # type: ignore[arg-type]
    with pytest.raises(Unsupported):
        query.condition({"some": [{"var": "tags"}, {"==": [{"var": ""}, "x"]}]})
    with pytest.raises(Unsupported):
        query.condition({"==": [{"var": "category"}, {"var": "priority"}]})
    assert query.condition({"in": [{"var": "category"}, ["a", "b"]]}) is not None


@pytest.mark.parametrize(("kind", "dimensions", "rows", "check"), [
    ("pie", ["category"], [("hardware", 2), ("software", 1)],
     lambda d: d[0]["type"] == "pie" and d[0]["labels"] == ["Hardware", "Software"] and d[0]["values"] == [2, 1]),
    ("number", [], [(7,)], lambda d: d[0]["type"] == "indicator" and d[0]["value"] == 7),
    ("line", ["priority"], [("P1", 1), ("P2", 3)], lambda d: d[0]["mode"] == "lines+markers" and d[0]["y"] == [1, 3]),
    ("area", ["priority", "category"], [("P1", "hardware", 1), ("P2", "hardware", 2), ("P1", "software", 4)],
     lambda d: [t["name"] for t in d] == ["Hardware", "Software"] and d[0]["fill"] == "tozeroy"),
    ("bar", ["status"], [(None, 1)], lambda d: d[0]["x"] == ["(none)"]),
])
def test_each_chart_type_is_a_plotly_figure(kind, dimensions, rows, check):
    from runtime.reports.charts import figure
    from runtime.rules.labels import Labels
    from tests.runtime.test_sla import TEMPLATE

    fields = TEMPLATE["form"]["schema"]["properties"]
    chart = {"key": "c", "title": "C", "type": kind, "dimensions": dimensions, "measures": [{"agg": "count"}]}
    built = figure(chart, rows, fields, Labels(TEMPLATE, "en"))
    assert check(built["data"]), built["data"]
    assert built["layout"]["title"]["text"] == "C"


@pytest.mark.parametrize(("rows", "yaxis"), [
    ([("P1", 1), ("P2", 3)], {"tickformat": ",d", "dtick": 1}),  # no 0.5 steps between one and three tickets
    ([("P1", 10), ("P2", 300)], {"tickformat": ",d"}),  # plotly's own whole steps
    ([("P1", 1.5), ("P2", 3)], {}),  # an average: steps as plotly picks them
])
def test_a_count_axis_has_whole_steps(rows, yaxis):
    from runtime.reports.charts import figure
    from runtime.rules.labels import Labels
    from tests.runtime.test_sla import TEMPLATE

    chart = {"key": "c", "title": "C", "type": "bar", "dimensions": ["priority"], "measures": [{"agg": "count"}]}
    built = figure(chart, rows, TEMPLATE["form"]["schema"]["properties"], Labels(TEMPLATE, "en"))
    assert {k: v for k, v in built["layout"]["yaxis"].items() if k in ("tickformat", "dtick")} == yaxis


def test_a_measure_is_named_by_its_translation_else_its_label_else_what_it_computes():
    from runtime.reports.charts import figure
    from runtime.rules.labels import Labels
    from tests.runtime.test_sla import TEMPLATE

    fields = TEMPLATE["form"]["schema"]["properties"]
    chart = {"key": "c", "title": "Age", "type": "bar", "dimensions": ["priority"], "measures": [
        {"agg": "count", "label": "Incidents", "i18n": {"zh-CN": {"label": "故障数"}, "en": {"label": "Tickets"}}},
        {"agg": "avg", "field": "ticket.age_hours", "label": "Average", "i18n": {"zh-CN": {"label": ""}}},
        {"agg": "p90", "field": "ticket.age_hours"}]}
    rows = [("P1", 2, 1.5, 3.25)]
    names = {locale: [t["name"] for t in figure(chart, rows, fields, Labels(TEMPLATE, locale))["data"]]
             for locale in ("en", "zh-CN")}
    assert names == {"en": ["Tickets", "Average", "90th percentile of Age (hours)"],
                     "zh-CN": ["故障数", "Average", "已持续时长（小时）第 90 百分位"]}  # noqa: RUF001
    single = {**chart, "type": "number", "dimensions": [], "measures": chart["measures"][:1]}
    assert figure(single, [(7,)], fields, Labels(TEMPLATE, "zh-CN"))["data"][0]["title"]["text"] == "故障数"
