"""Dashboards over HTTP on the reports' hand-built history (tests/runtime/test_reports.py): saving with every
problem by JSON pointer, If-Match, who may open and change what, a tile's figures with the viewer's visibility,
drill-downs, CSV, the built-in defaults, the audit log."""

# ruff: noqa: F811  (the fixtures of test_sla.py and test_reports.py, imported, are the arguments of these tests)
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import error_of
from tests.runtime.test_reports import history, ok  # noqa: F401  (fixtures)
from tests.runtime.test_sla import CHECKLIST, P1, at, bearer, local, office, sweep  # noqa: F401  (fixtures)
from tests.support.mailing import mailing_app, mailing_smtp  # noqa: F401  (`app`, `smtp`)

URL = "/api/v1/reports/dashboards"
NOW = (2026, 11, 24, 12, 0)


def tile(tile_id="t1", **more):
    base = {"id": tile_id, "kind": "bar", "metric": "volume", "measure": "count", "by": "priority",
            "filters": {}, "range": "last_30_days", "layout": {"x": 0, "y": 0, "w": 6, "h": 4}}
    return {**base, **more}


def call(client, method, path, **kw):
    with at(local(*NOW)):
        return getattr(client, method)(path, **kw)


def create(client, **body):
    return ok(call(client, "post", URL, json={"name": "Ops", "tiles": [tile()], **body}))


def test_create_get_update_with_if_match_and_conflict(history, office, app):
    admin = office["admin"]
    created = create(admin, tiles=[tile(), tile("t2", kind="kpi", metric="backlog", by=None)])
    assert created["version"] == 1 and created["editable"] is True
    got = call(admin, "get", f"{URL}/{created['id']}")
    assert got.headers["ETag"] == '"1"'
    body = {"name": "Ops room", "tiles": created["tiles"][:1], "refresh_seconds": 60}
    saved = call(admin, "put", f"{URL}/{created['id']}", json=body, headers={"If-Match": '"1"'})
    assert ok(saved)["version"] == 2 and saved.json["refresh_seconds"] == 60 and len(saved.json["tiles"]) == 1
    stale = call(admin, "put", f"{URL}/{created['id']}", json={**body, "name": "Lost"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412 and error_of(stale)["code"] == "precondition_failed"
    in_body = call(admin, "put", f"{URL}/{created['id']}", json={**body, "version": 1})
    assert in_body.status_code == 422 and error_of(in_body)["details"][0]["path"] == "/version"  # If-Match only
    assert ok(call(admin, "get", f"{URL}/{created['id']}"))["name"] == "Ops room"
    with app.app_context():
        from sqlalchemy import select

        from platform_core.audit import AuditEntry
        from platform_core.db import get_session
        actions = get_session().scalars(select(AuditEntry.action).where(AuditEntry.target_type == "dashboard")).all()
    assert actions == ["dashboard.created", "dashboard.updated"]


@pytest.mark.parametrize(("bad", "pointer"), [
    ({"metric": "happiness"}, "/tiles/1/metric"),
    ({"measure": "p99"}, "/tiles/1/measure"),
    ({"kind": "radar"}, "/tiles/1/kind"),
    ({"by": "colour"}, "/tiles/1/by"),
    ({"by": "title"}, "/tiles/1/by"),  # a form field without a list of values
    ({"bucket": "fortnight"}, "/tiles/1/bucket"),
    ({"range": "forever"}, "/tiles/1/range"),
    ({"layout": {"x": 10, "y": 0, "w": 4, "h": 2}}, "/tiles/1/layout/w"),
    ({"filters": {"team": "nope"}}, "/tiles/1/filters/team"),
    ({"filters": {"colour": "red"}}, "/tiles/1/filters/colour"),
    ({"kind": "kpi", "metric": "backlog", "measure": "count", "by": "team"}, "/tiles/1/by"),
    ({"kind": "line", "by": None}, "/tiles/1/bucket"),
    ({"kind": "gauge", "metric": "volume", "by": None}, "/tiles/1/measure"),
    ({"metric": "backlog", "bucket": "day"}, "/tiles/1/bucket"),
    ({"id": "t1"}, "/tiles/1/id"),
])
def test_a_bad_tile_is_refused_by_its_pointer_and_nothing_is_saved(office, bad, pointer):
    admin = office["admin"]
    response = call(admin, "post", URL, json={"name": "Bad", "tiles": [tile(), tile("t2", **bad)]})
    assert response.status_code == 422, response.json
    assert pointer in [d["path"] for d in error_of(response)["details"]], response.json
    assert [d["builtin"] for d in ok(call(admin, "get", URL))["items"]] == [True]  # nothing of it was saved


def test_sharing_permissions_and_private_dashboards(history, office, app, make_user):
    sam, boss, mia, rita, admin = (office[k] for k in ("sam", "boss", "mia", "rita", "admin"))
    private = create(sam, name="Sam's")
    shared = create(sam, name="Desk", shared_with={"teams": ["service-desk"], "roles": []})
    assert call(rita, "get", URL).status_code == 403
    assert call(boss, "get", f"{URL}/{private['id']}").status_code == 404  # someone else's private: as if absent
    assert call(boss, "get", f"{URL}/{private['id']}/tiles/t1").status_code == 404
    mine = ok(call(mia, "get", f"{URL}/{shared['id']}"))  # Mia is in the service desk team
    assert mine["editable"] is False
    assert shared["id"] in [d["id"] for d in ok(call(mia, "get", URL))["items"]]
    assert private["id"] not in [d["id"] for d in ok(call(mia, "get", URL))["items"]]
    refused = call(mia, "put", f"{URL}/{shared['id']}", json={"name": "Mine now", "tiles": []})
    assert refused.status_code == 403
    assert call(mia, "delete", f"{URL}/{shared['id']}").status_code == 403
    default = call(sam, "post", URL, json={"name": "For agents", "tiles": [], "is_default_for": "agent"})
    assert default.status_code == 403
    bad_share = call(sam, "post", URL, json={"name": "x", "tiles": [], "shared_with": {"roles": ["wizard"]}})
    assert [d["path"] for d in error_of(bad_share)["details"]] == ["/shared_with/roles/0"]
    role_default = create(admin, name="Agents' wall", is_default_for="agent")
    assert [d["id"] for d in ok(call(boss, "get", URL))["items"]] == [role_default["id"]]  # no built-in any more
    assert ok(call(boss, "get", f"{URL}/{role_default['id']}"))["editable"] is False
    assert call(admin, "delete", f"{URL}/{private['id']}").status_code == 204
    assert call(sam, "get", f"{URL}/{private['id']}").status_code == 404


def test_tile_data_counts_only_visible_tickets_with_figure_drill_and_csv(history, office, app, make_user):
    sam = office["sam"]
    with at(local(2026, 11, 24, 11, 0)):
        make_user("olga@example.com", ["agent"], name="Olga")  # in no team: sees none of the desk's tickets
        olga = bearer(app, "olga@example.com")
    tiles = [tile(), tile("line", kind="line", metric="created_vs_resolved", measure=["created", "resolved"],
                          by=None, bucket="day"),
             tile("kpi", kind="kpi", metric="backlog", by=None, filters={"team": "service-desk"}),
             tile("sla", kind="gauge", metric="sla_compliance", measure="compliance", by=None),
             tile("pie", kind="pie", by="category"),
             tile("load", kind="table", metric="load", measure=["count", "avg"], by="assignee"),
             tile("stack", kind="stacked", metric="volume", by="category", bucket="day")]
    for client in (sam, olga):
        created = create(client, name="Mine", tiles=tiles)
        bar = ok(call(client, "get", f"{URL}/{created['id']}/tiles/t1", query_string={"tz": "Asia/Shanghai"}))
        total = sum(row["count"] for row in bar["rows"])
        assert total == (3 if client is sam else 0)
    sam_dash = ok(call(sam, "get", URL))["items"][0]
    bar = ok(call(sam, "get", f"{URL}/{sam_dash['id']}/tiles/t1", query_string={"tz": "Asia/Shanghai"}))
    assert [(r["group"], r["count"]) for r in bar["rows"]] == [("P1", 3)]
    trace = bar["figure"]["data"][0]
    assert trace["type"] == "bar" and trace["y"] == [3]
    drill = bar["rows"][0]["drill"]
    assert drill["exact"] is True and trace["customdata"] == [drill["url"]]
    params = parse_qs(urlparse(drill["url"]).query)
    assert params["queue"] == ["all"] and params["priority"] == ["P1"] and "created_after" in params
    listed = call(sam, "get", "/api/v1/tickets", query_string={k: v[0] for k, v in params.items() if k != "queue"})
    assert len(ok(listed)["items"]) == 3  # the drill's filters list exactly the tickets the bar counts
    line = ok(call(sam, "get", f"{URL}/{sam_dash['id']}/tiles/line", query_string={"tz": "Asia/Shanghai"}))
    assert [t["name"] for t in line["figure"]["data"]] == ["Created", "Resolved"]
    assert [(r["bucket"][:10], r["created"]) for r in line["rows"]] == [
        ("2026-11-20", 1), ("2026-11-23", 1), ("2026-11-24", 1)]
    day = parse_qs(urlparse(line["rows"][1]["drill"]["url"]).query)
    assert day["created_after"] == ["2026-11-22T16:00:00Z"] and day["created_before"] == ["2026-11-23T16:00:00Z"]
    kpi = ok(call(sam, "get", f"{URL}/{sam_dash['id']}/tiles/kpi"))
    assert kpi["figure"]["data"][0]["value"] == 1
    assert parse_qs(urlparse(kpi["rows"][0]["drill"]["url"]).query)["team"] == ["service-desk"]
    gauge = ok(call(sam, "get", f"{URL}/{sam_dash['id']}/tiles/sla"))
    assert gauge["figure"]["data"][0]["mode"] == "gauge+number"
    pie = ok(call(sam, "get", f"{URL}/{sam_dash['id']}/tiles/pie"))
    assert sorted(pie["figure"]["data"][0]["labels"]) == ["Hardware", "Software"]  # the options' labels
    assert pie["rows"][0]["drill"]["exact"] is False  # the list cannot filter on a form field
    table = ok(call(sam, "get", f"{URL}/{sam_dash['id']}/tiles/load"))
    assert table["figure"]["data"][0]["type"] == "table"
    first = table["rows"][0]
    assert parse_qs(urlparse(first["drill"]["url"]).query)["assignee"] == [f"{first['label'].lower()}@example.com"]
    stack = ok(call(sam, "get", f"{URL}/{sam_dash['id']}/tiles/stack", query_string={"tz": "Asia/Shanghai"}))
    assert stack["figure"]["layout"]["barmode"] == "stack"
    assert sorted(t["name"] for t in stack["figure"]["data"]) == ["Hardware", "Software"]  # a series per category
    csv = call(sam, "get", f"{URL}/{sam_dash['id']}/tiles/t1.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "group,label,count,drill" and lines[1].startswith("P1,P1,3,/workspace?")
    assert call(sam, "get", f"{URL}/{sam_dash['id']}/tiles/nope").status_code == 404


def test_tile_rows_figures_and_csv_say_groups_in_the_readers_language(history, office, app, make_user):
    with at(local(2026, 11, 24, 11, 0)):
        make_user("li@example.com", ["admin"], name="Li", locale="zh-CN")
        li = bearer(app, "li@example.com")
    dash = create(li, name="类别", tiles=[tile("pie", kind="pie", by="category"),
                                         tile("state", kind="bar", by="status")])
    pie = ok(call(li, "get", f"{URL}/{dash['id']}/tiles/pie"))
    assert [(r["group"], r["label"], r["count"]) for r in pie["rows"]] == [("hardware", "硬件", 1), ("software", "软件", 2)]
    assert pie["figure"]["data"][0]["labels"] == ["硬件", "软件"]
    state = ok(call(li, "get", f"{URL}/{dash['id']}/tiles/state"))
    assert state["figure"]["data"][0]["x"] == ["已分派", "已解决"]
    lines = call(li, "get", f"{URL}/{dash['id']}/tiles/pie.csv").data.decode("utf-8-sig").splitlines()
    assert lines[0] == "group,label,count,drill"  # the stored value and the reader's label, both
    assert lines[1].startswith("hardware,硬件,1,") and lines[2].startswith("software,软件,2,")


def test_built_in_defaults_by_role(history, office):
    sam, boss, mia, admin = (office[k] for k in ("sam", "boss", "mia", "admin"))
    names = {}
    for name, client in (("sam", sam), ("boss", boss), ("mia", mia), ("admin", admin)):
        items = ok(call(client, "get", URL))["items"]
        assert items[0]["builtin"] is True and len(items[0]["tiles"]) == 8
        names[name] = items[0]["id"]
    assert names == {"sam": "builtin-my-load", "boss": "builtin-my-team", "mia": "builtin-everything",
                     "admin": "builtin-everything"}
    my_load = ok(call(sam, "get", f"{URL}/builtin-my-load"))
    assert all(t["filters"] == {"assignee": "me"} for t in my_load["tiles"])
    assert ok(call(sam, "get", f"{URL}/builtin-my-load/tiles/backlog"))["figure"]["data"][0]["value"] == 0
    ok(call(admin, "patch", f"/api/v1/tickets/{history['c']}", json={"assignee": "sam@example.com"}))
    backlog = ok(call(sam, "get", f"{URL}/builtin-my-load/tiles/backlog"))
    assert backlog["figure"]["data"][0]["value"] == 1  # C, now assigned to Sam, is open
    assert parse_qs(urlparse(backlog["rows"][0]["drill"]["url"]).query)["assignee"] == ["sam@example.com"]
    first = ok(call(admin, "get", f"{URL}/builtin-everything/tiles/first-response"))  # a KPI of the average
    assert [(r["count"], r["avg"]) for r in first["rows"]] == [(2, 114420)]
    assert not {"p50", "p90", "business_count", "business_avg"} & set(first["rows"][0])  # not shown: not computed
    lines = call(admin, "get", f"{URL}/builtin-everything/tiles/first-response.csv").data.decode("utf-8-sig").splitlines()
    assert lines[0] == "count,avg,p50,p90,max,business_count,business_avg,drill"  # the CSV has every measure
    assert lines[1].startswith("2,114420,840,228000,228000,2,1020,")
    team = ok(call(boss, "get", f"{URL}/builtin-my-team/tiles/by-category"))
    assert team["tile"]["by"] == "category"
    assert call(sam, "get", f"{URL}/builtin-everything").status_code == 404
    # a dashboard of one's own replaces the built-in default in the list
    create(sam)
    assert [d["builtin"] for d in ok(call(sam, "get", URL))["items"]] == [False]
