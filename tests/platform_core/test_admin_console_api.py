"""The admin console's API: the audit log's filters and CSV export, and the read-only switch (admins only,
audited, reachable while read-only)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from platform_core import audit
from platform_core.db import get_session, utcnow
from tests.conftest import PASSWORD, Api, error_of


def _login(app, email: str) -> Api:
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


def _entry(app, action, target_type, target_id, *, actor_id=None, details=None, at=None):
    with app.app_context():
        session = get_session()
        entry = audit.record(session, action, target_type, target_id, actor_id=actor_id, details=details)
        if at is not None:
            entry.at = at
        session.commit()
        return entry.id


def test_audit_filters_by_who_what_and_when(app, admin, make_user):
    ann = make_user("ann@example.com", ["agent"], name="Ann")
    now = utcnow()
    old = _entry(app, "team.created", "team", "7", actor_id=ann, at=now - timedelta(days=10))
    mine = _entry(app, "user.deleted", "user", "9", actor_id=ann, at=now - timedelta(hours=1))
    by_system = _entry(app, "user.roles_changed", "user", "9", at=now - timedelta(minutes=5))

    def ids(**query):
        response = admin.get("/api/v1/audit", query_string=query)
        assert response.status_code == 200, response.json
        return [item["id"] for item in response.json["items"] if item["id"] in (old, mine, by_system)]

    assert ids() == [by_system, mine, old]
    assert ids(actor_id=ann) == [mine, old]
    assert ids(action="user.") == [by_system, mine]  # a prefix when it ends with '.'
    assert ids(action="user") == []  # otherwise exact
    assert ids(action="user_deleted") == []  # '_' is no wildcard
    assert ids(action="user.deleted") == [mine]
    assert ids(target_type="user", target_id="9") == [by_system, mine]
    assert ids(since=(now - timedelta(days=1)).isoformat()) == [by_system, mine]
    assert ids(until=(now - timedelta(days=1)).isoformat()) == [old]
    items = admin.get("/api/v1/audit", query_string={"actor_id": ann, "limit": 1}).json
    assert items["items"][0]["actor"] == {"id": ann, "name": "Ann", "email": "ann@example.com"}
    assert items["next_cursor"]
    second = admin.get("/api/v1/audit", query_string={"actor_id": ann, "limit": 1, "cursor": items["next_cursor"]})
    assert [i["id"] for i in second.json["items"]] == [old]
    system = admin.get("/api/v1/audit", query_string={"action": "user.roles_changed"}).json["items"][0]
    assert system["actor"] is None and system["actor_id"] is None


def test_bad_audit_filters_answer_422_naming_the_parameter(app, admin):
    for query, name in (({"since": "yesterday"}, "since"), ({"until": "2026-01-01T00:00:00"}, "until"),
                        ({"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, "until"),
                        ({"actor_id": "ann"}, "actor_id"), ({"actor_id": 0}, "actor_id"),
                        ({"action": "x" * 65}, "action"), ({"limit": 0}, "limit")):
        for path in ("/api/v1/audit", "/api/v1/audit.csv"):
            if name == "limit" and path.endswith(".csv"):
                continue
            response = admin.get(path, query_string=query)
            assert response.status_code == 422, (path, query, response.data[:300])
            assert [d["path"] for d in error_of(response)["details"]] == [f"/{name}"], (path, query)


def test_the_csv_export_streams_every_match_with_a_bom_and_no_formulas(app, admin, make_user):
    ann = make_user("ann@example.com", ["agent"], name="=HYPERLINK(\"http://evil\")")
    for n in range(audit.CSV_BATCH + 3):  # more than one batch
        _entry(app, "ticket_type.published", "ticket_type", f"t{n}", actor_id=ann)
    _entry(app, "user.updated", "user", "-1+2", actor_id=ann, details={"name": "王芳", "note": "@SUM(A1)"})
    response = admin.get("/api/v1/audit.csv", query_string={"actor_id": ann})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="gongdan-audit-')
    body = response.data
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == list(audit.CSV_COLUMNS)
    assert len(rows) == 1 + audit.CSV_BATCH + 4
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["action"] == "user.updated" and first["target_id"] == "'-1+2"
    assert first["actor_name"] == "'=HYPERLINK(\"http://evil\")" and first["actor_email"] == "ann@example.com"
    assert "王芳" in first["details"]
    ids = [int(row[0]) for row in rows[1:]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
    only = admin.get("/api/v1/audit.csv", query_string={"action": "user.updated"})
    assert len(list(csv.reader(io.StringIO(only.data.decode("utf-8-sig"))))) == 2


def test_csv_cell_quotes_formula_starts():
    assert [audit.csv_cell(v) for v in ("=1", "+1", "-1", "@a", "\tx", "a=b", None, 5)] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "a=b", "", "5"]


def test_the_console_endpoints_are_for_admins_only(app, admin, make_user):
    make_user("ann@example.com", ["agent"])
    ann = _login(app, "ann@example.com")
    assert ann.get("/api/v1/audit").status_code == 403
    assert ann.get("/api/v1/audit.csv").status_code == 403
    assert ann.put("/api/v1/maintenance/read-only", json={"read_only": True}).status_code == 403
    anonymous = Api(app.test_client())
    assert anonymous.get("/api/v1/audit.csv").status_code == 401
    assert admin.get("/api/v1/me").json["maintenance"]["read_only"] is False


def test_an_admin_switches_read_only_on_and_off_audited(app, admin, make_user):
    make_user("ann@example.com", ["admin", "agent"])
    ann = _login(app, "ann@example.com")
    on = admin.put("/api/v1/maintenance/read-only", json={"read_only": True, "reason": " moving servers "})
    assert on.status_code == 200, on.json
    assert on.json["read_only"] is True and on.json["reason"] == "moving servers" and on.json["since"]
    assert app.test_client().get("/healthz").json["maintenance"]["read_only"] is True
    refused = ann.patch("/api/v1/me", json={"name": "Ann A"})
    assert refused.status_code == 503 and error_of(refused)["code"] == "read_only"
    # Another admin can still reach the switch; a non-admin still gets 403, not 503.
    off = ann.put("/api/v1/maintenance/read-only", json={"read_only": False})
    assert off.status_code == 200 and off.json["read_only"] is False and off.json["message"] is None
    assert ann.patch("/api/v1/me", json={"name": "Ann A"}).status_code == 200
    entries = admin.get("/api/v1/audit", query_string={"action": "maintenance."}).json["items"]
    assert [(e["action"], e["actor"]["email"], e["details"]) for e in entries] == [
        ("maintenance.read_only_off", "ann@example.com", {}),
        ("maintenance.read_only_on", "admin@example.com", {"reason": "moving servers"})]


def test_a_bad_read_only_switch_writes_nothing(app, admin):
    for body, path in (({}, "/read_only"), ({"read_only": "yes"}, "/read_only"), ({"read_only": 1}, "/read_only"),
                       ({"read_only": True, "reason": "x" * 501}, "/reason"),
                       ({"read_only": True, "extra": 1}, "/extra")):
        response = admin.put("/api/v1/maintenance/read-only", json=body)
        assert response.status_code == 422, body
        assert [d["path"] for d in error_of(response)["details"]] == [path], body
    assert admin.get("/api/v1/me").json["maintenance"]["read_only"] is False
    assert admin.get("/api/v1/audit", query_string={"action": "maintenance."}).json["items"] == []
