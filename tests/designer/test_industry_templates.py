"""The industry templates shipped in templates_library/: each is valid with no warnings, complete in English and
Chinese, installs on an empty database and next to the others, installing again changes nothing, and each runs
its story over the HTTP API."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import func, select

from designer.templates import library
from designer.templates.models import InstalledTemplate
from platform_core.audit import AuditEntry
from platform_core.auth.models import Role, Team
from platform_core.db import get_session
from runtime.calendars.models import BusinessCalendar
from runtime.tickets.models import TicketType, TicketTypeVersion
from tests.conftest import PASSWORD, Api, error_of

TEMPLATES = [t.key for t in library.list_templates()]
TRANSLATED = {"name", "title", "description", "checklist", "ui:title", "ui:description", "ui:help", "ui:placeholder",
              "ui:enumNames"}


def _login(app, make_user, email: str, roles: list[str], **kw: Any) -> Api:
    make_user(email, roles, **kw)
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


def _untranslated(node: Any, path: str = "") -> list[str]:
    """Every text (a key of TRANSLATED holding a text or a list of texts) without a Chinese translation."""
    missing: list[str] = []
    if isinstance(node, dict):
        zh = (node.get("i18n") or {}).get("zh-CN") or {}
        for key, value in node.items():
            if key == "i18n":
                continue
            is_text = isinstance(value, str) or (isinstance(value, list) and value and all(isinstance(v, str)
                                                                                           for v in value))
            # "name" and "title" of a JSON Schema property named so, or a form field called "description", are not texts.
            if key in TRANSLATED and is_text and not path.endswith("/properties"):
                translation = zh.get(key)
                if not translation or (isinstance(value, list) and len(translation) != len(value)):
                    missing.append(f"{path}/{key}")
            else:
                missing += _untranslated(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            missing += _untranslated(item, f"{path}/{index}")
    return missing


def _counts(app) -> dict[str, int]:
    with app.app_context():
        session = get_session()
        return {model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (Team, Role, BusinessCalendar, TicketType, TicketTypeVersion, InstalledTemplate, AuditEntry)}


# --------------------------------------------------------------------------- every template


def test_the_industry_templates_are_shipped():
    assert {"after-sales", "equipment-maintenance", "employee-onboarding", "it-service-desk",
            "production-work-order"} <= set(TEMPLATES)


@pytest.mark.parametrize("key", TEMPLATES)
def test_each_template_is_valid_with_no_warnings_and_complete_in_both_languages(key):
    template = library.get_template(key)
    assert template.problems == [] and template.warnings == []
    assert template.description and template.version and template.ticket_types
    for ticket_type in template.ticket_types:
        assert _untranslated(ticket_type.document) == [], ticket_type.file
        assert ticket_type.document.get("locale", "en") == "en"


@pytest.mark.parametrize("key", TEMPLATES)
@pytest.mark.parametrize("after_it", [False, True], ids=["empty", "after-it"])
def test_each_template_installs_and_publishes_clean_and_installing_again_changes_nothing(app, admin, key, after_it):
    if after_it and key != "it-service-desk":
        assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    installed = admin.post(f"/api/v1/templates/{key}/install")
    assert installed.status_code == 201, installed.json
    assert installed.json["warnings"] == [] and installed.json["changed"] is True
    template = library.get_template(key)
    assert installed.json["created"]["ticket_types"] == [t.key for t in template.ticket_types]
    assert installed.json["created"]["calendars"] == [c.key for c in template.calendars]
    for ticket_type in template.ticket_types:
        draft = admin.get(f"/api/v1/ticket-types/{ticket_type.key}/draft").json
        assert draft["errors"] == [] and draft["warnings"] == [], (ticket_type.key, draft["warnings"])
        assert admin.get(f"/api/v1/ticket-types/{ticket_type.key}").json["latest_version"] == 1
    listed = admin.get(f"/api/v1/templates/{key}").json
    assert listed["installed"] is True and all(c["exists"] for c in listed["calendars"])

    before = _counts(app)
    again = admin.post(f"/api/v1/templates/{key}/install")
    assert again.status_code == 200 and again.json["changed"] is False
    assert all(not created for created in again.json["created"].values())
    assert _counts(app) == before


# --------------------------------------------------------------------------- calendars in the manifest


def test_the_after_sales_calendar_is_installed_with_the_template_and_an_existing_one_is_kept(app, admin):
    ours = admin.post("/api/v1/calendars", json={"key": "after-sales-hours", "name": "Ours", "timezone": "Europe/Berlin",
                                                 "week": {"mon": [["08:00", "16:00"]]}})
    assert ours.status_code == 201, ours.json
    installed = admin.post("/api/v1/templates/after-sales/install")
    assert installed.status_code == 201
    assert installed.json["created"]["calendars"] == []
    assert ("calendar", "after-sales-hours") in {(s["kind"], s["key"]) for s in installed.json["skipped"]}
    assert admin.get("/api/v1/calendars/after-sales-hours").json["timezone"] == "Europe/Berlin"


def test_a_calendar_in_a_manifest_is_checked_like_the_calendar_api(tmp_path):
    import json
    import shutil
    folder = tmp_path / "after_sales"
    shutil.copytree(library.TEMPLATES_ROOT / "after_sales", folder)
    manifest = json.loads((folder / "template.json").read_text())
    manifest["calendars"][0]["timezone"] = "Mars/Olympus"
    manifest["calendars"][0]["week"]["mon"] = [["18:00", "09:00"]]
    (folder / "template.json").write_text(json.dumps(manifest))
    template = library.load_template(folder)
    assert {(p["location"], p["path"], p["code"]) for p in template.problems} >= {
        ("template.json", "/calendars/0/timezone", "template.calendar"),
        ("template.json", "/calendars/0/week/mon/0", "template.calendar")}


# --------------------------------------------------------------------------- teams, roles, calendars in the admin's language


def test_a_chinese_admin_installs_chinese_teams_roles_and_calendars_and_existing_ones_keep_their_names(app, admin):
    admin.patch("/api/v1/me", json={"locale": "zh-CN"})
    ours = admin.post("/api/v1/teams", json={"key": "parts-warehouse", "name": "Our stores", "description": "Ours"})
    assert ours.status_code == 201, ours.json
    assert admin.post("/api/v1/templates/after-sales/install").status_code == 201
    zh = library.get_template("after-sales").translations["zh-CN"]
    teams = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}
    assert (teams["printer-service"]["name"], teams["printer-service"]["description"]) == (
        "打印机服务", zh["teams"]["printer-service"]["description"])
    assert (teams["parts-warehouse"]["name"], teams["parts-warehouse"]["description"]) == ("Our stores", "Ours")
    roles = {r["name"]: r for r in admin.get("/api/v1/roles").json["items"]}
    assert roles["service-manager"]["description"] == zh["roles"]["service-manager"]["description"]
    assert admin.get("/api/v1/calendars/after-sales-hours").json["name"] == "售后服务时间"


def test_an_english_admin_gets_english_names_whatever_the_browser_says(app, admin):
    admin.headers["Accept-Language"] = "zh-CN"  # the profile (en) comes first
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    teams = {t["key"]: t["name"] for t in admin.get("/api/v1/teams").json["items"]}
    assert teams["network-ops"] == "Network operations"


@pytest.mark.parametrize(("options", "name"), [([], "After-sales service hours"),
                                               (["--language", "zh-CN"], "售后服务时间")])
def test_the_cli_installs_in_the_language_asked_for(app, options, name):
    from designer.templates.cli import templates as templates_cli
    done = app.test_cli_runner().invoke(templates_cli, ["install", "after-sales", *options])
    assert done.exit_code == 0, done.output
    with app.app_context():
        calendar = get_session().scalar(select(BusinessCalendar).where(BusinessCalendar.key == "after-sales-hours"))
        assert calendar.name == name


def test_a_translation_of_a_team_the_manifest_does_not_list_is_a_problem(tmp_path):
    import json
    import shutil
    folder = tmp_path / "after_sales"
    shutil.copytree(library.TEMPLATES_ROOT / "after_sales", folder)
    manifest = json.loads((folder / "template.json").read_text())
    manifest["i18n"]["zh-CN"]["teams"]["printer-servce"] = {"name": "打印机"}
    manifest["i18n"]["zh-CN"]["calendars"]["office"] = {"name": "办公"}
    (folder / "template.json").write_text(json.dumps(manifest))
    template = library.load_template(folder)
    assert {(p["path"], p["code"]) for p in template.problems} == {
        ("/i18n/zh-CN/teams/printer-servce", "template.unknown_translation"),
        ("/i18n/zh-CN/calendars/office", "template.unknown_translation")}


# --------------------------------------------------------------------------- after-sales: the story


def _upload(client: Api, name: str) -> str:
    response = client.post("/api/v1/attachments", data={"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64), name,
                                                                 "image/png")}, content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    return response.json["id"]


REPAIR = {"title": "Paper jams in tray 2", "product": "laser_printer", "serial_number": "LP23051234",
          "under_warranty": True, "purchase_date": "2025-03-14", "impact": "stopped",
          "fault_description": "Every second sheet jams at the fuser since Monday; cleaned the rollers.",
          "service_mode": "on_site", "onsite_address": "Building 3, floor 2, room 210, 88 Keyuan Road",
          "contact_phone": "+86 138 0000 0000"}


def test_after_sales_story_over_http(app, admin, make_user):
    assert admin.post("/api/v1/templates/after-sales/install").status_code == 201
    ids = {name: make_user(f"{name}@example.com", ["agent"], name=name.title()) for name in ("pete", "dora", "wanda")}
    teams = {t["key"]: t["id"] for t in admin.get("/api/v1/teams").json["items"]}
    for team, member in (("printer-service", "pete"), ("display-service", "dora"), ("parts-warehouse", "wanda")):
        assert admin.patch(f"/api/v1/teams/{teams[team]}", json={"member_ids": [ids[member]],
                                                                  "supervisor_id": ids[member]}).status_code == 200
    cora = _login(app, make_user, "cora@example.com", ["requester"], name="Cora Customer")
    pete = Api(app.test_client())
    assert pete.login("pete@example.com", PASSWORD).status_code == 200

    # The on-site address is required only for an on-site visit, the purchase date only under warranty.
    without = {k: v for k, v in REPAIR.items() if k not in ("onsite_address", "purchase_date")}
    refused = cora.post("/api/v1/tickets", json={"type": "after-sales-service", "data": without})
    assert refused.status_code == 422
    assert {d["path"] for d in error_of(refused)["details"]} == {"/data/onsite_address", "/data/purchase_date"}
    remote = {**without, "service_mode": "remote", "under_warranty": False, "product": "projector",
              "serial_number": "PJ22110042", "impact": "degraded"}
    projector = cora.post("/api/v1/tickets", json={"type": "after-sales-service", "data": remote})
    assert projector.status_code == 201, projector.json
    assert projector.json["team"]["key"] == "display-service" and projector.json["priority"] == "P2"
    bad_serial = cora.post("/api/v1/tickets", json={"type": "after-sales-service",
                                                    "data": {**REPAIR, "serial_number": "lp-1"}})
    assert bad_serial.status_code == 422 and error_of(bad_serial)["details"][0]["path"] == "/data/serial_number"

    created = cora.post("/api/v1/tickets", json={"type": "after-sales-service",
                                                 "data": {**REPAIR, "fault_photos": [_upload(cora, "jam.png")]}})
    assert created.status_code == 201, created.json
    ticket = created.json
    tid = ticket["id"]
    assert ticket["number"] == "SRV-000002" and ticket["priority"] == "P1"
    assert ticket["team"]["key"] == "printer-service" and ticket["assignee"]["email"] == "pete@example.com"
    clocks = {clock["metric"]: clock for clock in ticket["sla"]}
    assert set(clocks) == {"response", "resolution", "next_update"}  # P1 has all three targets
    assert clocks["resolution"]["calendar"] == "after-sales-hours", clocks
    assert pete.get(f"/api/v1/tickets/{tid}").json["data"]["category"] == "laser_printer"

    def take(client: Api, key: str, **body: Any):
        return client.post(f"/api/v1/tickets/{tid}/transitions/{key}", json=body)

    assert take(pete, "diagnose").json["status"] == "diagnosing"
    # Waiting for parts needs a part number; the refusal names it and nothing changes.
    missing = take(pete, "order_parts", fields={"part_quantity": 1, "diagnosis": "Fuser unit worn out"})
    assert missing.status_code == 422 and "part_number" in str(error_of(missing))
    assert pete.get(f"/api/v1/tickets/{tid}").json["status"] == "diagnosing"
    ordered = take(pete, "order_parts", fields={"part_number": "FU-2208-02", "part_quantity": 1,
                                                "diagnosis": "Fuser unit worn out"})
    assert ordered.status_code == 200, ordered.json
    assert ordered.json["status"] == "waiting_parts" and ordered.json["status_category"] == "pending"
    clocks = {clock["metric"]: clock for clock in pete.get(f"/api/v1/tickets/{tid}").json["sla"]}
    assert clocks["resolution"]["state"] == "paused" and clocks["resolution"]["due_at"] is None
    children = pete.get(f"/api/v1/tickets/{tid}/links").json["children"]
    assert len(children) == 1  # the engineer sees the warehouse's ticket: spare-parts requests are open to all agents
    child = pete.get(f"/api/v1/tickets/{children[0]['id']}").json
    assert child["number"] == "SPR-000001" and child["team"]["key"] == "parts-warehouse"
    assert child["assignee"]["email"] == "wanda@example.com" and child["priority"] == "P1"
    assert child["data"]["part_number"] == "FU-2208-02" and child["data"]["ship_to"] == "engineer"
    assert child["data"]["title"] == "Part FU-2208-02 for SRV-000002"

    assert take(pete, "parts_arrived").json["status"] == "repairing"
    checklist = library.get_template("after-sales").ticket_types[0].document["workflow"]["transitions"]
    resolve_items = next(t for t in checklist if t["key"] == "resolve")["checklist"]
    resolution = {"resolution": "Replaced the fuser unit; printed 200 test pages.", "repair_action": "part_replaced",
                  "charge": 0}
    # On site, the engineer's arrival time is needed to resolve.
    no_arrival = take(pete, "resolve", fields=resolution, checklist=resolve_items)
    assert no_arrival.status_code == 422
    resolved = take(pete, "resolve", fields={**resolution, "onsite_arrived_at": "2026-12-02T10:15:00Z"},
                    checklist=resolve_items)
    assert resolved.status_code == 200, resolved.json
    assert resolved.json["status"] == "resolved"

    # Closing needs the customer's signature.
    unsigned = take(cora, "sign_off")
    assert unsigned.status_code == 422 and "customer_signature" in str(error_of(unsigned))
    signed = take(cora, "sign_off", fields={"customer_signature": _upload(cora, "signature.png")})
    assert signed.status_code == 200, signed.json
    assert signed.json["status"] == "closed"


# --------------------------------------------------------------------------- production work order: the story


def _staff(app, admin, make_user, members: dict[str, tuple[str, list[str]]]) -> dict[str, Api]:
    """Users by name, each in a team (key) with roles; each team's first member is its supervisor."""
    teams = {t["key"]: t["id"] for t in admin.get("/api/v1/teams").json["items"]}
    clients, by_team = {}, {}
    for name, (team, roles) in members.items():
        clients[name] = _login(app, make_user, f"{name}@example.com", roles, name=name.title())
        by_team.setdefault(team, []).append(clients[name].get("/api/v1/me").json["user"]["id"])
    for team, ids in by_team.items():
        patched = admin.patch(f"/api/v1/teams/{teams[team]}", json={"member_ids": ids, "supervisor_id": ids[0]})
        assert patched.status_code == 200, patched.json
    return clients


WORK_ORDER = {"title": "Pump shaft PS-1020, lot of 500", "part_number": "PS-1020", "drawing_revision": "C",
              "material": "stainless_304", "quantity_ordered": 500, "due_date": "2027-01-15", "category": "rush",
              "sales_order": "SO-240117"}


def test_production_work_order_story_over_http(app, admin, make_user):
    assert admin.post("/api/v1/templates/production-work-order/install").status_code == 201
    people = _staff(app, admin, make_user, {
        "paula": ("production-planning", ["agent"]), "carl": ("cutting", ["agent"]), "mia": ("machining", ["agent"]),
        "quinn": ("quality", ["agent", "qa-inspector"]), "pia": ("packing", ["agent"])})
    paula, carl, mia, quinn, pia = (people[n] for n in ("paula", "carl", "mia", "quinn", "pia"))

    no_order = paula.post("/api/v1/tickets", json={"type": "production-work-order",
                                                   "data": {k: v for k, v in WORK_ORDER.items() if k != "sales_order"}})
    assert no_order.status_code == 422 and error_of(no_order)["details"][0]["path"] == "/data/sales_order"
    created = paula.post("/api/v1/tickets", json={"type": "production-work-order", "data": WORK_ORDER})
    assert created.status_code == 201, created.json
    assert created.json["number"] == "WO-000001" and created.json["priority"] == "P1"
    assert created.json["team"]["key"] == "production-planning"
    tid = created.json["id"]

    def take(client: Api, key: str, **body: Any):
        return client.post(f"/api/v1/tickets/{tid}/transitions/{key}", json=body)

    release_items = ["Material is in stock and matches the drawing", "The drawing revision on the floor is current"]
    assert take(paula, "release", checklist=release_items).status_code == 422  # the material batch is missing
    released = take(paula, "release", fields={"material_batch": "H2411-0387"}, checklist=release_items)
    assert released.status_code == 200, released.json
    assert released.json["status"] == "cutting" and released.json["team"]["key"] == "cutting"
    assert released.json["assignee"]["email"] == "carl@example.com"

    # More blanks than ordered cannot be handed over; the guard refuses and nothing changes.
    assert take(carl, "cut", fields={"cut_good": 498, "cut_scrap": 5}).status_code == 422
    cut = take(carl, "cut", fields={"cut_good": 497, "cut_scrap": 3})
    assert cut.status_code == 200 and cut.json["team"]["key"] == "machining"

    # Only at cutting may a material defect be reported.
    material = take(mia, "hold", fields={"hold_reason": "material"}, comment="Inclusions in the bar")
    assert material.status_code == 422 and material.json["error"]["code"] != "forbidden"
    held = take(mia, "hold", fields={"hold_reason": "dimension"}, comment="Ø20 h6 measures 20.03 on 12 parts")
    assert held.status_code == 200, held.json
    assert held.json["status"] == "quality_hold" and held.json["team"]["key"] == "quality"

    # Only QA releases a hold: machining may not, whatever it fills in.
    release = {"fields": {"disposition": "sorted", "released_good": 485}, "comment": "Sorted 100 %, 12 rejected"}
    refused = take(mia, "release_hold", **release)
    assert refused.status_code == 403, refused.json
    assert admin.get(f"/api/v1/tickets/{tid}").json["status"] == "quality_hold"
    assert take(quinn, "release_hold", **release).json["status"] == "packing"

    packed = take(pia, "pack", fields={"packed_quantity": 485, "package_count": 5},
                  checklist=["Labels show part number, lot and quantity", "Booked into stock in the ERP"])
    assert packed.status_code == 200, packed.json
    assert packed.json["status"] == "completed" and packed.json["status_category"] == "closed"


# --------------------------------------------------------------------------- onboarding: the fan-out


ONBOARDING_DATA = {"title": "Onboarding: Zhang Min, Finance", "employee_name": "Zhang Min", "employee_id": "E20431",
                   "start_date": "2030-01-06", "department": "finance", "job_title": "Accountant",
                   "category": "full_time", "work_location": "shanghai_hq", "laptop": "standard"}
ONBOARDING_START = {"checklist": ["The contract is signed", "The employee ID exists in the HR system"]}
ONBOARDING_COMPLETE = {"checklist": ["The manager has the first-day agenda",
                                     "The welcome email was sent to the new hire"]}


def _onboarding_started(app, admin, make_user) -> tuple[int, dict[str, Api]]:
    """The template installed, its four teams staffed, a request filed by a manager (``manny``) and started by HR."""
    assert admin.post("/api/v1/templates/employee-onboarding/install").status_code == 201
    people = _staff(app, admin, make_user, {
        "hana": ("hr-onboarding", ["agent"]), "ivan": ("it-onboarding", ["agent"]),
        "wendy": ("workplace-services", ["agent"]), "paul": ("payroll", ["agent"])})
    manny = _login(app, make_user, "manny@example.com", ["requester"], name="Manny Manager")
    created = manny.post("/api/v1/tickets", json={"type": "employee-onboarding", "data": ONBOARDING_DATA})
    assert created.status_code == 201, created.json
    assert created.json["team"]["key"] == "hr-onboarding" and created.json["priority"] == "P3"
    tid = created.json["id"]
    people["manny"] = manny
    started = people["hana"].post(f"/api/v1/tickets/{tid}/transitions/start", json=ONBOARDING_START)
    assert started.status_code == 200, started.json
    return tid, people


def _tasks(client: Api, tid: int) -> list[dict[str, Any]]:
    """The request's child tasks, oldest first, as the API gives them."""
    children = client.get(f"/api/v1/tickets/{tid}/links").json["children"]
    return [client.get(f"/api/v1/tickets/{ref['id']}").json for ref in children]


def test_onboarding_creates_its_tasks_in_sequence_and_closes_only_when_every_task_is_done(app, admin, make_user):
    from runtime.tickets.facts import children_counts
    from runtime.tickets.models import Ticket

    tid, people = _onboarding_started(app, admin, make_user)
    hana = people["hana"]
    # only the IT task exists after the start; each task done creates the next (a child_closed automation)
    expected = [("it", "it-onboarding", "ivan"), ("workplace", "workplace-services", "wendy"), ("payroll", "payroll", "paul")]
    for step, (area, team, who) in enumerate(expected):
        tasks = _tasks(hana, tid)
        assert [t["data"]["area"] for t in tasks] == [a for a, _, _ in expected[:step + 1]]
        task = tasks[-1]
        assert task["team"]["key"] == team and task["status"] == "todo"
        assert task["requester"]["email"] == "manny@example.com"
        if area == "it":
            assert task["data"]["laptop"] == "standard" and task["data"]["category"] == "it"
        if area == "workplace":
            assert task["data"]["work_location"] == "shanghai_hq" and task["data"]["category"] == "workplace"
        refused = hana.post(f"/api/v1/tickets/{tid}/transitions/complete", json=ONBOARDING_COMPLETE)
        assert refused.status_code == 422, refused.json
        assert hana.get(f"/api/v1/tickets/{tid}").json["status"] == "preparing"
        done = people[who].post(f"/api/v1/tickets/{task['id']}/transitions/done",
                                json={"fields": {"done_note": f"{area} ready"}})
        assert done.status_code == 200 and done.json["status"] == "done", done.json
    assert [t["data"]["area"] for t in _tasks(hana, tid)] == ["it", "workplace", "payroll"]
    with app.app_context():
        from platform_core.db import get_session
        assert children_counts(get_session().get(Ticket, tid)) == {
            "total": 3, "unfinished": 0, "new": 0, "open": 0, "pending": 0, "resolved": 0, "closed": 3}
    runs = admin.get("/api/v1/automation-runs", query_string={"ticket_id": tid}).json["items"]
    assert sorted((r["automation"], r["trigger"], r["outcome"]) for r in runs) == [
        ("Desk and badge once IT is finished", "child_closed", "succeeded"),
        ("Payroll once desk and badge are finished", "child_closed", "succeeded")]
    completed = hana.post(f"/api/v1/tickets/{tid}/transitions/complete", json=ONBOARDING_COMPLETE)
    assert completed.status_code == 200, completed.json
    assert completed.json["status"] == "completed"


def test_a_cancelled_onboarding_task_counts_as_finished_and_a_cancelled_request_creates_no_more(app, admin, make_user):
    """Cancelling a task (a comment says why) does not dead-lock the request: the next task is created and the
    request can be completed once all three are closed. A cancelled request creates no further task."""
    tid, people = _onboarding_started(app, admin, make_user)
    hana = people["hana"]
    it_task = _tasks(hana, tid)[0]
    cancelled = people["ivan"].post(f"/api/v1/tickets/{it_task['id']}/transitions/cancel",
                                    json={"comment": "Accounts come with the group transfer; no laptop needed."})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled", cancelled.json
    tasks = _tasks(hana, tid)
    assert [(t["data"]["area"], t["status"]) for t in tasks] == [("it", "cancelled"), ("workplace", "todo")]
    done = people["wendy"].post(f"/api/v1/tickets/{tasks[1]['id']}/transitions/done",
                                json={"fields": {"done_note": "Desk 4-17, badge 20431"}})
    assert done.status_code == 200, done.json
    payroll = _tasks(hana, tid)[2]
    assert payroll["data"]["area"] == "payroll"
    assert hana.post(f"/api/v1/tickets/{tid}/transitions/complete", json=ONBOARDING_COMPLETE).status_code == 422
    assert people["paul"].post(f"/api/v1/tickets/{payroll['id']}/transitions/done",
                               json={"fields": {"done_note": "In the January payroll"}}).status_code == 200
    completed = hana.post(f"/api/v1/tickets/{tid}/transitions/complete", json=ONBOARDING_COMPLETE)
    assert completed.status_code == 200 and completed.json["status"] == "completed", completed.json

    # a second request, cancelled while its IT task is open: finishing the task afterwards creates nothing
    second = people["manny"].post("/api/v1/tickets", json={"type": "employee-onboarding", "data": ONBOARDING_DATA}).json["id"]
    assert hana.post(f"/api/v1/tickets/{second}/transitions/start", json=ONBOARDING_START).status_code == 200
    assert hana.post(f"/api/v1/tickets/{second}/transitions/cancel",
                     json={"comment": "The offer was withdrawn."}).status_code == 200
    task = _tasks(hana, second)[0]
    assert people["ivan"].post(f"/api/v1/tickets/{task['id']}/transitions/done",
                               json={"fields": {"done_note": "Accounts disabled again"}}).status_code == 200
    assert [t["data"]["area"] for t in _tasks(hana, second)] == ["it"]


def test_ticket_children_counts_by_category(app, admin, make_user):
    """``ticket.children`` for a ticket without children, and with children in different states."""
    from platform_core.db import get_session
    from runtime.tickets.facts import children_counts, ticket_facts
    from runtime.tickets.models import Ticket, TicketType, TicketTypeVersion

    assert admin.post("/api/v1/templates/employee-onboarding/install").status_code == 201
    _staff(app, admin, make_user, {"hana": ("hr-onboarding", ["agent"])})
    base = {"employee_name": "Li Lei", "employee_id": "E00001", "start_date": "2030-01-06", "area": "payroll"}
    parent = admin.post("/api/v1/tickets", json={"type": "onboarding-task", "data": {**base, "title": "Parent"}})
    assert parent.status_code == 201, parent.json
    with app.app_context():
        session = get_session()
        ticket = session.get(Ticket, parent.json["id"])
        assert children_counts(ticket) == {"total": 0, "unfinished": 0, "new": 0, "open": 0, "pending": 0,
                                           "resolved": 0, "closed": 0}
        # counted only where rules may read it: the onboarding request's guard does, a task's rules do not
        assert "children" not in ticket_facts(ticket)
        ticket.type_version = session.scalar(select(TicketTypeVersion).join(TicketTypeVersion.ticket_type)
                                             .where(TicketType.key == "employee-onboarding"))
        assert ticket_facts(ticket)["children"]["total"] == 0
        for status, category in (("todo", "new"), ("in_progress", "open"), ("done", "closed")):
            child = Ticket(**{c: getattr(ticket, c) for c in ("ticket_type_id", "type_version_id", "requester_id",
                                                              "priority", "source", "data", "title")},
                           number=f"ONT-9{status[:2]}", status=status, status_category=category, parent_id=ticket.id)
            session.add(child)
        session.flush()
        assert children_counts(ticket) == {"total": 3, "unfinished": 2, "new": 1, "open": 1, "pending": 0,
                                           "resolved": 0, "closed": 1}
        session.rollback()


# --------------------------------------------------------------------------- install records, uninstall


def test_the_installed_version_is_recorded_and_uninstall_refuses_while_tickets_exist(app, admin, make_user):
    assert admin.get("/api/v1/templates/after-sales").json["installed_version"] is None
    not_installed = admin.post("/api/v1/templates/after-sales/uninstall")
    assert not_installed.status_code == 404 and "not installed" in error_of(not_installed)["message"]
    assert admin.post("/api/v1/templates/after-sales/install").status_code == 201
    assert admin.get("/api/v1/templates/after-sales").json["installed_version"] == 2
    with app.app_context():
        record = get_session().scalar(select(InstalledTemplate))
        assert (record.key, record.version, record.ticket_types) == (
            "after-sales", 2, ["after-sales-service", "spare-parts-request"])

    filed = admin.post("/api/v1/tickets", json={"type": "after-sales-service", "data": {**REPAIR, "service_mode": "remote"}})
    assert filed.status_code == 201, filed.json
    before = _counts(app)
    refused = admin.post("/api/v1/templates/after-sales/uninstall")
    assert refused.status_code == 409
    error = error_of(refused)
    assert error["code"] == "template_in_use" and "1 ticket(s) (after-sales-service: 1)" in error["message"]
    admin.patch("/api/v1/me", json={"locale": "zh-CN"})
    zh = admin.post("/api/v1/templates/after-sales/uninstall")
    assert zh.status_code == 409 and "共 1 张工单" in error_of(zh)["message"]
    assert _counts(app) == before
    designer = _login(app, make_user, "dee@example.com", ["designer"])
    assert designer.post("/api/v1/templates/after-sales/uninstall").status_code == 403

    # Once the tickets are gone (here: deleted in the database), the types go and the teams stay.
    with app.app_context():
        from runtime.tickets.models import Ticket
        session = get_session()
        for ticket in session.scalars(select(Ticket)):
            session.delete(ticket)
        session.commit()
    admin.patch("/api/v1/me", json={"locale": "en"})
    removed = admin.post("/api/v1/templates/after-sales/uninstall")
    assert removed.status_code == 200, removed.json
    assert removed.json["removed"] == {"ticket_types": ["after-sales-service", "spare-parts-request"]}
    assert removed.json["kept"]["calendars"] == ["after-sales-hours"]
    counts = _counts(app)
    assert counts["TicketType"] == 0 and counts["TicketTypeVersion"] == 0 and counts["Team"] == before["Team"]
    assert admin.get("/api/v1/templates/after-sales").json["installed_version"] is None
    # Installing again works.
    assert admin.post("/api/v1/templates/after-sales/install").status_code == 201


def test_the_cli_uninstall_refuses_with_the_count(app):
    runner = app.test_cli_runner()
    from designer.templates.cli import templates as templates_cli
    assert runner.invoke(templates_cli, ["install", "employee-onboarding"]).exit_code == 0
    with app.app_context():
        from platform_core.auth.models import User
        from runtime.tickets.services import create_ticket
        session = get_session()
        user = User(email="hr@example.com", name="HR")
        session.add(user)
        session.flush()
        create_ticket(session, user, {"type": "onboarding-task", "data": {
            "title": "Payroll: Li Lei", "area": "payroll", "employee_name": "Li Lei", "employee_id": "E00001",
            "start_date": "2030-01-06"}})
    refused = runner.invoke(templates_cli, ["uninstall", "employee-onboarding", "--locale", "zh-CN"])
    assert refused.exit_code == 1 and "共 1 张工单" in refused.output and "onboarding-task: 1" in refused.output
    assert "employee-onboarding" in runner.invoke(templates_cli, ["list"]).output


# --------------------------------------------------------------------------- knowledge-base seed articles


def _articles(app) -> dict[str, int]:
    """The seeded articles by their manifest marker's key, and how many articles exist in all."""
    from runtime.knowledge.models import KnowledgeArticle, KnowledgeArticleVersion
    with app.app_context():
        session = get_session()
        notes = session.scalars(select(KnowledgeArticleVersion.note).where(KnowledgeArticleVersion.number == 1))
        return {"all": session.scalar(select(func.count()).select_from(KnowledgeArticle)),
                **{note.rsplit(": ", 1)[1]: 1 for note in notes if note.startswith("Installed from the template")}}


def test_seed_articles_are_published_in_both_languages_once_and_survive_edits_and_uninstall(app, admin, make_user):
    listed = admin.get("/api/v1/templates/after-sales?locale=zh-CN").json["knowledge_articles"]
    assert listed[0] == {"key": "find-serial-number", "title": "如何找到产品序列号", "visibility": "everyone",
                         "exists": False}
    installed = admin.post("/api/v1/templates/after-sales/install")
    assert installed.status_code == 201
    assert installed.json["created"]["knowledge_articles"] == ["find-serial-number", "paper-jams"]
    assert _articles(app) == {"all": 2, "find-serial-number": 1, "paper-jams": 1}
    assert all(a["exists"] for a in admin.get("/api/v1/templates/after-sales").json["knowledge_articles"])

    # A requester finds it in the portal, in their language; it is suggested for the template's type.
    requester = _login(app, make_user, "rita@example.com", ["requester"], locale="zh-CN")
    listed = requester.get("/api/v1/knowledge/articles?limit=50").json["items"]
    serial = next(a for a in listed if a["title"] == "如何找到产品序列号")
    assert serial["status"] == "published" and serial["ticket_types"] == ["after-sales-service"]
    assert set(serial["translations"]) == {"en", "zh-CN"}
    article = admin.get(f"/api/v1/knowledge/articles/{serial['id']}").json
    assert article["title"] == "How to find your product's serial number" and "LP23051234" in article["body_html"]
    suggested = admin.get("/api/v1/knowledge/suggest?type=after-sales-service&text=serial number label").json["items"]
    assert serial["id"] in [s["id"] for s in suggested]

    # Someone edits the article; installing the same version again creates nothing and keeps the edit.
    texts = {locale: {"title": t["title"], "body": t["body"]} for locale, t in article["texts"].items()}
    texts["en"]["title"] = "Where is my serial number?"
    edited = {"locale": "en", "visibility": "everyone", "texts": texts, "tags": article["tags"],
              "ticket_types": article["ticket_types"]}
    assert admin.put(f"/api/v1/knowledge/articles/{serial['id']}", json=edited).status_code == 200
    again = admin.post("/api/v1/templates/after-sales/install")
    assert again.status_code == 200 and again.json["changed"] is False
    assert again.json["created"]["knowledge_articles"] == []
    assert {("knowledge_article", "find-serial-number"), ("knowledge_article", "paper-jams")} <= {
        (s["kind"], s["key"]) for s in again.json["skipped"]}
    assert _articles(app)["all"] == 2
    assert admin.get(f"/api/v1/knowledge/articles/{serial['id']}").json["title"] == "Where is my serial number?"
    plan = admin.get("/api/v1/templates/after-sales/details").json["plan"]
    assert plan["create"]["knowledge_articles"] == [] and len(plan["existing"]["knowledge_articles"]) == 2

    # Uninstalling keeps them, and says so; installing again does not duplicate them.
    removed = admin.post("/api/v1/templates/after-sales/uninstall")
    assert removed.status_code == 200
    assert removed.json["kept"]["knowledge_articles"] == ["find-serial-number", "paper-jams"]
    assert _articles(app)["all"] == 2
    assert admin.post("/api/v1/templates/after-sales/install").json["created"]["knowledge_articles"] == []
    assert _articles(app)["all"] == 2


def test_a_staff_only_seed_article_is_hidden_from_requesters(app, admin, make_user):
    assert admin.post("/api/v1/templates/equipment-maintenance/install").status_code == 201
    titles = [a["title"] for a in admin.get("/api/v1/knowledge/articles?limit=50").json["items"]]
    assert titles == ["Voltage interference on CNC spindle drives — root cause and fix"]
    requester = _login(app, make_user, "rita@example.com", ["requester"])
    assert requester.get("/api/v1/knowledge/articles?limit=50").json["items"] == []


def test_the_cli_publishes_the_seed_articles_and_says_uninstall_keeps_them(app):
    from designer.templates.cli import templates as templates_cli
    runner = app.test_cli_runner()
    done = runner.invoke(templates_cli, ["install", "it-service-desk"])
    assert done.exit_code == 0 and "published article   printer-network (knowledge base)" in done.output
    removed = runner.invoke(templates_cli, ["uninstall", "it-service-desk"])
    assert removed.exit_code == 0 and "knowledge_articles: printer-network, password-reset" in removed.output
    assert _articles(app)["all"] == 2


def test_seed_articles_in_a_manifest_are_checked(tmp_path):
    import json
    import shutil
    folder = tmp_path / "after_sales"
    shutil.copytree(library.TEMPLATES_ROOT / "after_sales", folder)
    manifest = json.loads((folder / "template.json").read_text())
    manifest["knowledge"][0]["ticket_types"] = ["it-incident"]
    manifest["knowledge"].append(dict(manifest["knowledge"][1]))
    manifest["knowledge"].append({"key": "empty", "title": "", "body": "x", "visibility": "teams"})
    manifest["i18n"]["zh-CN"]["knowledge"]["no-such-article"] = {"title": "无"}
    (folder / "template.json").write_text(json.dumps(manifest))
    template = library.load_template(folder)
    assert {(p["path"], p["code"]) for p in template.problems} == {
        ("/knowledge/0/ticket_types/0", "template.article_type"),
        ("/knowledge/2/key", "template.duplicate_article"),
        ("/knowledge/3/title", "template.manifest"), ("/knowledge/3/visibility", "template.manifest"),
        ("/i18n/zh-CN/knowledge/no-such-article", "template.unknown_translation")}


# --------------------------------------------------------------------------- knowledge at closure


def _written(client: Api, ticket_id: int) -> list[dict[str, Any]]:
    """The articles written from a ticket (the create_article_draft action, "Turn into an article")."""
    items = client.get(f"/api/v1/tickets/{ticket_id}/knowledge").json["items"]
    return [client.get(f"/api/v1/knowledge/articles/{i['article_id']}").json for i in items if i["kind"] == "source"]


def test_closing_an_equipment_repair_drafts_one_root_cause_article_without_personal_data(app, admin, make_user):
    assert admin.post("/api/v1/templates/equipment-maintenance/install").status_code == 201
    eric_id = make_user("eric@example.com", ["agent"], name="Eric Engineer")
    teams = {t["key"]: t["id"] for t in admin.get("/api/v1/teams").json["items"]}
    assert admin.patch(f"/api/v1/teams/{teams['maintenance']}", json={"member_ids": [eric_id]}).status_code == 200
    eric = Api(app.test_client())
    assert eric.login("eric@example.com", PASSWORD).status_code == 200
    lily = _login(app, make_user, "lily@example.com", ["agent", "line-representative"], name="Lily Lin")
    oscar = _login(app, make_user, "oscar@example.com", ["requester"], name="Oscar Operator")
    filed = oscar.post("/api/v1/tickets", json={"type": "equipment-repair", "data": {
        "title": "CNC-07: spindle drive fault E-4021", "machine_id": "CNC-07", "alarm_code": "E-4021",
        "production_line": "machining", "line_status": "running",
        "fault_description": "The spindle stops when the welding robot starts; call Oscar Operator on 13912345678."}})
    assert filed.status_code == 201, filed.json
    tid = filed.json["id"]
    assert filed.json["status"] == "assigned" and filed.json["assignee"]["email"] == "eric@example.com", filed.json

    def step(client: Api, key: str, **body: Any) -> dict[str, Any]:
        done = client.post(f"/api/v1/tickets/{tid}/transitions/{key}", json=body)
        assert done.status_code == 200, (key, done.json)
        return done.json

    checklist = next(t for t in library.get_template("equipment-maintenance").ticket_types[0].document["workflow"]
                     ["transitions"] if t["key"] == "close")["checklist"]
    root = {"root_cause_summary": "Voltage spikes from the welding line on the same feeder; a line reactor now "
                                  "filters the drive's supply.",
            "root_cause_tag": "voltage_interference", "downtime_minutes": 95}

    def repair_and_close(diagnosis: str) -> dict[str, Any]:
        step(eric, "repair_in_house", fields={"diagnosis": diagnosis})
        step(eric, "repaired", fields={"repair_summary": "Fitted a line reactor and re-routed the encoder cable.",
                                       "acceptance_video": _upload(eric, "trial.png")})
        step(lily, "accept", fields={"customer_signature": _upload(lily, "signature.png")})
        return step(eric, "close", fields=root, checklist=checklist)

    step(eric, "start_diagnosis")
    assert eric.post(f"/api/v1/tickets/{tid}/comments", json={"body": "Oscar, please keep the line off until 14:00; "
                                                                      "mail eric@example.com if it trips."}
                     ).status_code == 201
    step(eric, "repair_in_house", fields={"diagnosis": "DC bus overvoltage recorded by the drive at each robot start."})
    step(eric, "repaired", fields={"repair_summary": "Fitted a line reactor and re-routed the encoder cable.",
                                   "acceptance_video": _upload(eric, "trial.png")})
    step(lily, "accept", fields={"customer_signature": _upload(lily, "signature.png")})
    assert _written(eric, tid) == []  # accepted is not closed: no draft yet
    assert step(eric, "close", fields=root, checklist=checklist)["status"] == "closed"

    written = _written(eric, tid)
    assert len(written) == 1, written
    article = written[0]
    assert article["status"] == "draft" and article["visibility"] == "staff" and article["source_ticket_id"] == tid
    # tagged with the root-cause class as Eric, the assignee who owns and reviews the draft, reads it (English)
    assert set(article["tags"]) == {"Voltage interference", "root cause"}
    assert article["ticket_types"] == ["equipment-repair"]
    body = article["texts"]["en"]["body"]
    for heading, text in (("Symptom", "The spindle stops when the welding robot starts"),
                          ("Diagnosis", "DC bus overvoltage"), ("Resolution", "Fitted a line reactor"),
                          ("Root cause", "Voltage spikes from the welding line")):
        assert f"## {heading}\n\n{text}" in body, body
    # The requester's name and phone, the engineer's e-mail and name are redacted; the comment is in the conversation.
    assert "keep the line off until 14:00" in body
    assert "13912345678" not in body and "Oscar" not in body and "eric@example.com" not in body and "Eric" not in body
    assert all(placeholder in body for placeholder in ("[phone]", "[name]", "[email]")), body
    drafted = [e for e in eric.get(f"/api/v1/tickets/{tid}/events?limit=500").json["items"]
               if e["kind"] == "article_drafted"]
    assert len(drafted) == 1 and not [e for e in eric.get(f"/api/v1/tickets/{tid}/events?limit=500").json["items"]
                                      if e["kind"] == "action_failed"]

    # Reopened and closed again: the rule has written its draft for this ticket already.
    step(eric, "reopen", comment="It tripped again at the shift change.")
    assert repair_and_close("The reactor's terminals were loose; tightened them.")["status"] == "closed"
    assert len(_written(eric, tid)) == 1


def test_an_it_incident_becomes_an_article_from_the_fields_the_template_maps(app, admin, make_user):
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    sam_id = make_user("sam@example.com", ["agent"], name="Sam Support")
    teams = {t["key"]: t["id"] for t in admin.get("/api/v1/teams").json["items"]}
    for team in teams.values():
        admin.patch(f"/api/v1/teams/{team}", json={"member_ids": [sam_id]})
    sam = Api(app.test_client())
    assert sam.login("sam@example.com", PASSWORD).status_code == 200
    rita = _login(app, make_user, "rita@example.com", ["requester"], name="Rita Requester")
    filed = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        "title": "Laptop does not boot", "category": "hardware", "urgency": "medium", "impact": "person",
        "region": "east", "asset_tag": "LT-0042", "description": "My laptop LT-0042 shows a black screen after the logo."}})
    assert filed.status_code == 201, filed.json
    tid = filed.json["id"]
    assert sam.post(f"/api/v1/tickets/{tid}/transitions/start", json={}).status_code == 200
    checklist = next(t for t in library.get_template("it-service-desk").ticket_types[0].document["workflow"]
                     ["transitions"] if t["key"] == "resolve")["checklist"]
    resolved = sam.post(f"/api/v1/tickets/{tid}/transitions/resolve", json={
        "fields": {"resolution": "Replaced the failed SSD and restored the profile from backup.",
                   "root_cause": "hardware_fault"}, "checklist": checklist})
    assert resolved.status_code == 200, resolved.json

    draft = sam.post(f"/api/v1/tickets/{tid}/article-draft", json={})
    assert draft.status_code == 200, draft.json
    body = draft.json["body"]
    assert "## Symptom\n\nMy laptop LT-0042 shows a black screen" in body
    assert "## Resolution\n\nReplaced the failed SSD" in body
    assert "## Root cause\n\nHardware fault" in body and "## Diagnosis" not in body  # the option's label
    assert draft.json["tags"] == ["Hardware", "Hardware fault"]  # the options' labels (ui:enumNames, oneOf titles)
    # A Chinese agent's draft: Chinese headings, and the labels' translations as tags.
    assert sam.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    zh = sam.post(f"/api/v1/tickets/{tid}/article-draft", json={}).json
    assert zh["locale"] == "zh-CN" and "## 现象\n\nMy laptop LT-0042" in zh["body"] and "## 根本原因\n\n硬件故障" in zh["body"]
    assert zh["tags"] == ["硬件", "硬件故障"]
    assert ("personal", "LT-0042") in {(r["kind"], r["text"]) for r in draft.json["redactions"]}
    # Nothing is written by itself for an incident: the agent saves the draft when they choose.
    assert _written(sam, tid) == []
