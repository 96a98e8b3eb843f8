"""Upgrading an installed template keeps local changes (issue 17): install v1 of a template, change a field's label
and a routing rule here and publish, ship v2 that changes the same label and adds a state; the three-way view
shows the one conflict and the clean changes, the choices are written as drafts (never published), and the chosen
result publishes with zero validation errors. The template lives in the test's folder (``TEMPLATES_ROOT``)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from designer.format.merge import plan_merge, resolve
from designer.templates.cli import templates as templates_cli
from designer.templates.models import InstalledTemplate
from platform_core.audit import AuditEntry
from platform_core.db import get_session
from tests.conftest import PASSWORD, Api, error_of

KEY = "field-visits"
TYPE = "field-visit"
LABEL = "/form/schema/properties/location/title"
RULE = "/routing/Everything to the field team"


def field_visit(version: int) -> dict:
    """The template's one ticket type as version ``version`` ships it: v2 renames the location field and adds a
    Cancelled state (with the transition that reaches it, since every state must be reachable)."""
    document = {
        "format": 1, "key": TYPE, "name": "Field visit", "description": "A technician visits a customer's site.",
        "number_prefix": "FV",
        "form": {"schema": {"type": "object", "required": ["title", "location"], "properties": {
            "title": {"type": "string", "title": "Title", "minLength": 3, "maxLength": 200,
                      "i18n": {"zh-CN": {"title": "标题"}}},
            "location": {"type": "string", "title": "Location", "maxLength": 200,
                         "i18n": {"zh-CN": {"title": "地点"}}}}},
                 "ui": {"ui:order": ["title", "location"]}},
        "workflow": {
            "states": [{"key": "new", "name": "New", "category": "new", "initial": True},
                       {"key": "in_progress", "name": "In progress", "category": "open"},
                       {"key": "closed", "name": "Closed", "category": "closed", "final": True}],
            "transitions": [
                {"key": "start", "name": "Start", "from": ["new"], "to": "in_progress", "roles": ["agent"]},
                {"key": "close", "name": "Close", "from": ["in_progress"], "to": "closed", "roles": ["agent"]}]},
        "routing": [{"name": "Everything to the field team", "when": True,
                     "assign": {"team": "field-team", "strategy": "round_robin"}}],
    }
    if version >= 2:
        document["form"]["schema"]["properties"]["location"]["title"] = "Site address"
        document["workflow"]["states"].insert(2, {"key": "cancelled", "name": "Cancelled", "category": "closed",
                                                  "final": True})
        document["workflow"]["transitions"].append({"key": "cancel", "name": "Cancel", "from": ["new", "in_progress"],
                                                    "to": "cancelled", "roles": ["agent"]})
    return document


def ship(root: Path, version: int, extra_types: tuple[dict, ...] = ()) -> None:
    """Write version ``version`` of the template into the templates folder, as a release would."""
    folder = root / "field_visits"
    folder.mkdir(parents=True, exist_ok=True)
    files = [f"{TYPE}.json", *(f"{t['key']}.json" for t in extra_types)]
    (folder / "template.json").write_text(json.dumps({
        "format": 1, "key": KEY, "name": "Field visits", "version": version, "description": "Visits on site.",
        "teams": [{"key": "field-team", "name": "Field team"}], "ticket_types": files}))
    for document in (field_visit(version), *extra_types):
        (folder / f"{document['key']}.json").write_text(json.dumps(document))


@pytest.fixture
def library_root(app, tmp_path) -> Path:
    """The application reads its templates from this folder (the TEMPLATES_ROOT hook), holding version 1."""
    root = tmp_path / "templates"
    ship(root, 1)
    app.config["TEMPLATES_ROOT"] = str(root)
    return root


def change_locally(admin: Api) -> None:
    """The company renames the location field and changes the routing rule's strategy, and publishes."""
    draft = admin.get(f"/api/v1/ticket-types/{TYPE}/draft")
    document = draft.json["definition"]
    document["form"]["schema"]["properties"]["location"]["title"] = "Site"
    document["routing"][0]["assign"]["strategy"] = "least_loaded"
    assert admin.put(f"/api/v1/ticket-types/{TYPE}/draft", json=document,
                     headers={"If-Match": draft.headers["ETag"]}).status_code == 200
    published = admin.post(f"/api/v1/ticket-types/{TYPE}/publish", json={"changelog": "Our wording and routing"})
    assert published.status_code == 201, published.json


def _draft(admin: Api) -> dict:
    return admin.get(f"/api/v1/ticket-types/{TYPE}/draft").json


def test_the_issue_scenario_one_conflict_clean_changes_and_the_result_publishes(app, admin, library_root):
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    with app.app_context():
        record = get_session().scalar(select(InstalledTemplate))
        assert record.version == 1 and record.base_definitions[TYPE]["form"]["schema"]["properties"]["location"][
            "title"] == "Location"
    change_locally(admin)
    assert admin.get(f"/api/v1/templates/{KEY}/upgrade").json["available"] is False
    ship(library_root, 2)

    # Installing the newer version over the old one changes nothing here and points to the upgrade.
    install = admin.post(f"/api/v1/templates/{KEY}/install")
    assert install.status_code == 200 and install.json["changed"] is False
    assert any(f"gongdan templates upgrade {KEY}" in step for step in install.json["next_steps"])
    assert admin.get(f"/api/v1/templates/{KEY}").json["installed_version"] == 1

    response = admin.get(f"/api/v1/templates/{KEY}/upgrade")
    assert response.status_code == 200, response.json
    plan = response.json
    assert response.headers["ETag"] == f'"{plan["etag"]}"'
    assert plan["available"] is True and plan["installed_version"] == 1 and plan["template"]["version"] == 2
    assert plan["conflicts"] == 1 and len(plan["types"]) == 1
    visit = plan["types"][0]
    assert visit["key"] == TYPE and visit["status"] == "upgrade" and visit["base_source"] == "recorded"
    assert visit["draft_differs_from_published"] is False
    [conflict] = visit["conflicts"]
    assert conflict["pointer"] == LABEL and conflict["part"] == "field" and conflict["name"] == "location"
    assert conflict["attribute"] == "title"
    assert (conflict["base"], conflict["theirs"], conflict["mine"]) == ("Location", "Site address", "Site")
    # The clean changes: the template's new state (and the transition that reaches it), and the local routing rule.
    assert [(c["pointer"], c["part"], c["change"]) for c in visit["theirs"]] == [
        ("/workflow/states/cancelled", "state", "added"), ("/workflow/transitions/cancel", "transition", "added")]
    assert [(c["pointer"], c["part"], c["change"], c["keys"]) for c in visit["mine"]] == [
        (RULE, "routing", "changed", ["assign"])]
    assert visit["both"] == []

    # Bad choices write nothing: a missing one and an unknown one are named by their pointer.
    etag = {"If-Match": response.headers["ETag"]}
    revision = _draft(admin)["revision"]
    missing = admin.post(f"/api/v1/templates/{KEY}/upgrade", json={"choices": {}}, headers=etag)
    assert missing.status_code == 422 and LABEL in error_of(missing)["message"]
    assert [d["code"] for d in error_of(missing)["details"]] == ["missing_choice"]
    unknown = admin.post(f"/api/v1/templates/{KEY}/upgrade", headers=etag,
                         json={"choices": {TYPE: {LABEL: "theirs", "/routing/Nope": "mine"}}})
    assert unknown.status_code == 422 and "/routing/Nope" in error_of(unknown)["message"]
    bad_value = admin.post(f"/api/v1/templates/{KEY}/upgrade", headers=etag, json={"choices": {TYPE: {LABEL: "both"}}})
    assert bad_value.status_code == 422
    no_etag = admin.post(f"/api/v1/templates/{KEY}/upgrade", json={"choices": {TYPE: {LABEL: "theirs"}}})
    assert no_etag.status_code == 400 and error_of(no_etag)["details"][0]["path"] == "If-Match"
    assert _draft(admin)["revision"] == revision

    written = admin.post(f"/api/v1/templates/{KEY}/upgrade", headers=etag, json={"choices": {TYPE: {LABEL: "theirs"}}})
    assert written.status_code == 200, written.json
    assert written.json["from_version"] == 1 and written.json["template"]["version"] == 2
    [draft_result] = written.json["drafts"]
    assert draft_result["written"] is True and draft_result["revision"] == revision + 1
    assert draft_result["errors"] == [] and draft_result["warnings"] == []

    # A draft, not a version: the published version is still the company's.
    assert admin.get(f"/api/v1/ticket-types/{TYPE}").json["latest_version"] == 2
    document = _draft(admin)["definition"]
    location = document["form"]["schema"]["properties"]["location"]
    assert location["title"] == "Site address" and location["i18n"] == {"zh-CN": {"title": "地点"}}
    assert [s["key"] for s in document["workflow"]["states"]] == ["new", "in_progress", "cancelled", "closed"]
    assert "cancel" in {t["key"] for t in document["workflow"]["transitions"]}
    assert document["routing"][0]["assign"] == {"team": "field-team", "strategy": "least_loaded"}  # kept

    published = admin.post(f"/api/v1/ticket-types/{TYPE}/publish", json={"changelog": "Template version 2"})
    assert published.status_code == 201, published.json
    assert admin.get(f"/api/v1/ticket-types/{TYPE}").json["latest_version"] == 3

    with app.app_context():
        session = get_session()
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "template.upgraded"))
        assert entry.details["from"] == 1 and entry.details["to"] == 2
        assert entry.details["choices"] == {TYPE: {LABEL: "theirs"}}
        assert entry.actor_id is not None
        assert session.scalar(select(InstalledTemplate)).version == 2
    # Now version 2 is installed: nothing to upgrade, and installing it again changes nothing.
    after = admin.get(f"/api/v1/templates/{KEY}/upgrade")
    assert after.json["available"] is False
    again = admin.post(f"/api/v1/templates/{KEY}/upgrade", headers={"If-Match": after.headers["ETag"]}, json={})
    assert again.status_code == 409 and error_of(again)["code"] == "nothing_to_upgrade"
    reinstall = admin.post(f"/api/v1/templates/{KEY}/install")
    assert reinstall.status_code == 200 and reinstall.json["changed"] is False


def test_keeping_mine_and_a_draft_saved_after_the_plan_is_409(app, admin, library_root):
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    change_locally(admin)
    ship(library_root, 2)
    plan = admin.get(f"/api/v1/templates/{KEY}/upgrade")

    # Someone saves the draft after the plan was loaded: the plan is stale, nothing is written.
    draft = _draft(admin)
    document = draft["definition"]
    document["description"] = "Edited meanwhile"
    assert admin.put(f"/api/v1/ticket-types/{TYPE}/draft", json=document).status_code == 200
    stale = admin.post(f"/api/v1/templates/{KEY}/upgrade", headers={"If-Match": plan.headers["ETag"]},
                       json={"choices": {TYPE: {LABEL: "mine"}}})
    assert stale.status_code == 409 and error_of(stale)["code"] == "upgrade_plan_stale"
    assert _draft(admin)["revision"] == draft["revision"] + 1

    plan = admin.get(f"/api/v1/templates/{KEY}/upgrade")
    visit = plan.json["types"][0]
    assert visit["draft_differs_from_published"] is True  # MINE is the unpublished draft, so it is kept
    assert [c["pointer"] for c in visit["mine"]] == ["/description", RULE]
    written = admin.post(f"/api/v1/templates/{KEY}/upgrade", headers={"If-Match": plan.headers["ETag"]},
                         json={"choices": {TYPE: {LABEL: "mine"}}})
    assert written.status_code == 200, written.json
    document = _draft(admin)["definition"]
    assert document["form"]["schema"]["properties"]["location"]["title"] == "Site"
    assert document["description"] == "Edited meanwhile"
    assert "cancelled" in {s["key"] for s in document["workflow"]["states"]}
    assert admin.post(f"/api/v1/ticket-types/{TYPE}/publish", json={"changelog": "v2"}).status_code == 201


def test_new_types_are_added_as_drafts_and_nothing_is_deleted(app, admin, library_root):
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    survey = {**copy.deepcopy(field_visit(1)), "key": "site-survey", "name": "Site survey", "number_prefix": "SS"}
    ship(library_root, 2, extra_types=(survey,))
    plan = admin.get(f"/api/v1/templates/{KEY}/upgrade")
    assert [(t["key"], t["status"]) for t in plan.json["types"]] == [(TYPE, "upgrade"), ("site-survey", "new")]
    assert plan.json["conflicts"] == 0
    written = admin.post(f"/api/v1/templates/{KEY}/upgrade", headers={"If-Match": plan.headers["ETag"]}, json={})
    assert written.status_code == 200, written.json
    assert written.json["created"]["ticket_types"] == ["site-survey"]
    created = admin.get("/api/v1/ticket-types/site-survey").json
    assert created["latest_version"] is None  # a draft to review, not published
    assert admin.get("/api/v1/ticket-types/site-survey/draft").json["errors"] == []
    # Version 3 drops the survey again: it is kept, and said so.
    ship(library_root, 3)
    plan = admin.get(f"/api/v1/templates/{KEY}/upgrade")
    assert [(t["key"], t["status"]) for t in plan.json["types"]] == [(TYPE, "upgrade"), ("site-survey", "dropped")]
    written = admin.post(f"/api/v1/templates/{KEY}/upgrade", headers={"If-Match": plan.headers["ETag"]}, json={})
    assert written.status_code == 200 and written.json["kept"] == ["site-survey"]
    assert admin.get("/api/v1/ticket-types/site-survey").status_code == 200


def test_installs_recorded_before_the_base_was_kept_fall_back_to_version_1(app, admin, library_root):
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    change_locally(admin)
    with app.app_context():
        session = get_session()
        session.scalar(select(InstalledTemplate)).base_definitions = None  # as migration 0013 leaves old rows
        session.commit()
    ship(library_root, 2)
    visit = admin.get(f"/api/v1/templates/{KEY}/upgrade").json["types"][0]
    assert visit["base_source"] == "first_version"
    assert [c["pointer"] for c in visit["conflicts"]] == [LABEL]

    # A type that existed before the template was installed has no known base: every difference is a conflict.
    with app.app_context():
        from runtime.tickets.models import TicketTypeVersion

        session = get_session()
        session.scalar(select(TicketTypeVersion).where(TicketTypeVersion.number == 1)).changelog = "Our own"
        session.commit()
    visit = admin.get(f"/api/v1/templates/{KEY}/upgrade").json["types"][0]
    assert visit["base_source"] == "unknown" and visit["theirs"] == [] and visit["mine"] == []
    assert {c["pointer"] for c in visit["conflicts"]} == {"/form/schema/properties/location",
                                                         "/workflow/states/cancelled", "/workflow/transitions/cancel",
                                                         RULE}


def test_reinstalling_the_same_version_fills_in_a_missing_base(app, admin, library_root):
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    with app.app_context():
        session = get_session()
        session.scalar(select(InstalledTemplate)).base_definitions = None
        session.commit()
    again = admin.post(f"/api/v1/templates/{KEY}/install")
    assert again.status_code == 200 and again.json["changed"] is False
    with app.app_context():
        session = get_session()
        assert session.scalar(select(InstalledTemplate)).base_definitions[TYPE]["key"] == TYPE
        assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "template.installed")).all()) == 1


def test_only_admins_upgrade_and_an_uninstalled_template_is_404(app, admin, make_user, library_root):
    make_user("dee@example.com", ["designer"])
    designer = Api(app.test_client())
    assert designer.login("dee@example.com", PASSWORD).status_code == 200
    missing = admin.get(f"/api/v1/templates/{KEY}/upgrade")
    assert missing.status_code == 404 and "not installed" in error_of(missing)["message"]
    assert admin.get("/api/v1/templates/nope/upgrade").status_code == 404
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    assert designer.get(f"/api/v1/templates/{KEY}/upgrade").status_code == 403
    assert designer.post(f"/api/v1/templates/{KEY}/upgrade", json={}, headers={"If-Match": '"x"'}).status_code == 403
    zh = admin.get(f"/api/v1/templates/{KEY}/upgrade", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 200


def test_the_cli_shows_the_plan_and_takes_theirs_for_every_conflict(app, admin, library_root):
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    change_locally(admin)
    ship(library_root, 2)
    runner = CliRunner()
    with app.app_context():
        shown = runner.invoke(templates_cli, ["upgrade", KEY])
    assert shown.exit_code == 0, shown.output
    assert "from version 1 to 2" in shown.output and f"CONFLICT       {LABEL}" in shown.output
    assert "template change  /workflow/states/cancelled  state 'cancelled' added" in shown.output
    assert f"local change   {RULE}" in shown.output and "1 conflict(s)" in shown.output
    assert _draft(admin)["definition"]["form"]["schema"]["properties"]["location"]["title"] == "Site"  # only shown
    with app.app_context():
        taken = runner.invoke(templates_cli, ["upgrade", KEY, "--take", "theirs", "--as", "admin@example.com"])
    assert taken.exit_code == 0, taken.output
    assert f"{TYPE}: draft written" in taken.output and "0 error(s), 0 warning(s)" in taken.output
    assert _draft(admin)["definition"]["form"]["schema"]["properties"]["location"]["title"] == "Site address"
    with app.app_context():
        nothing = runner.invoke(templates_cli, ["upgrade", KEY])
    assert "nothing to upgrade" in nothing.output


def test_the_merge_keeps_positions_orders_and_membership():
    """Pure merge rules: a field the template adds lands where it ships, in the order and the required list; a
    routing order changed only by the template is taken, and the same order on both sides is no conflict."""
    base = field_visit(1)
    base["routing"].insert(0, {"name": "Urgent", "when": {"==": [{"var": "title"}, "x"]},
                               "assign": {"team": "field-team", "strategy": "on_duty"}})
    theirs, mine = copy.deepcopy(base), copy.deepcopy(base)
    theirs["form"]["schema"]["properties"]["phone"] = {"type": "string", "title": "Phone"}
    theirs["form"]["schema"]["required"].append("phone")
    theirs["form"]["ui"]["ui:order"].insert(1, "phone")
    theirs["routing"].reverse()
    mine["form"]["schema"]["properties"]["notes"] = {"type": "string", "title": "Notes"}
    mine["form"]["ui"]["ui:order"].append("notes")
    plan = plan_merge(base, theirs, mine)
    assert plan.conflicts == []
    result = resolve(plan, theirs, mine)
    assert result["form"]["ui"]["ui:order"] == ["title", "phone", "location", "notes"]
    assert result["form"]["schema"]["required"] == ["title", "location", "phone"]
    assert set(result["form"]["schema"]["properties"]) == {"title", "location", "phone", "notes"}
    assert [r["name"] for r in result["routing"]] == ["Everything to the field team", "Urgent"]

    # The same reordering on both sides (with a rule added here) is no conflict.
    mine["routing"] = [*mine["routing"], {"name": "Late", "when": True, "assign": {"team": "field-team",
                                                                                   "strategy": "round_robin"}}]
    mine["routing"][0], mine["routing"][2] = mine["routing"][2], mine["routing"][0]
    plan = plan_merge(base, theirs, mine)
    assert plan.conflicts == [] and [d.side for d in plan.decisions if d.part == "routing_order"] == ["both"]
    assert [r["name"] for r in resolve(plan, theirs, mine)["routing"]] == [
        "Late", "Everything to the field team", "Urgent"]


def test_installing_a_newer_version_adds_only_new_types_and_keeps_the_upgrade_offered(app, admin, library_root):
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    change_locally(admin)
    survey = {**copy.deepcopy(field_visit(1)), "key": "site-survey", "name": "Site survey", "number_prefix": "SS"}
    ship(library_root, 2, extra_types=(survey,))
    installed = admin.post(f"/api/v1/templates/{KEY}/install")
    assert installed.status_code == 201 and installed.json["created"]["ticket_types"] == ["site-survey"]
    assert admin.get("/api/v1/ticket-types/site-survey").json["latest_version"] == 1
    plan = admin.get(f"/api/v1/templates/{KEY}/upgrade").json
    assert plan["installed_version"] == 1 and plan["available"] is True
    by_key = {t["key"]: t for t in plan["types"]}
    assert by_key["site-survey"]["status"] == "upgrade" and by_key["site-survey"]["base_source"] == "recorded"
    assert by_key["site-survey"]["theirs"] == by_key["site-survey"]["conflicts"] == []
    assert [c["pointer"] for c in by_key[TYPE]["conflicts"]] == [LABEL]


def test_equipment_maintenance_version_2_upgrades_cleanly_with_the_root_cause_draft(app, admin, tmp_path):
    """An install of version 1 (the shipped folder without what version 2 adds) is offered a conflict-free upgrade
    that brings the knowledge mapping and the closure automation as a draft."""
    import shutil

    from designer.templates import library
    shipped = library.TEMPLATES_ROOT
    old = tmp_path / "templates" / "equipment_maintenance"
    shutil.copytree(shipped / "equipment_maintenance", old)
    manifest = json.loads((old / "template.json").read_text())
    assert manifest["version"] == 2
    (old / "template.json").write_text(json.dumps({**manifest, "version": 1}, ensure_ascii=False))
    repair = json.loads((old / "equipment-repair.json").read_text())
    repair.pop("knowledge")
    repair["automations"] = [a for a in repair["automations"] if a["name"] != "Closed: draft the root-cause article"]
    (old / "equipment-repair.json").write_text(json.dumps(repair, ensure_ascii=False))
    app.config["TEMPLATES_ROOT"] = str(old.parent)
    assert admin.post("/api/v1/templates/equipment-maintenance/install").status_code == 201

    app.config["TEMPLATES_ROOT"] = str(shipped)
    response = admin.get("/api/v1/templates/equipment-maintenance/upgrade")
    assert response.status_code == 200, response.json
    plan = response.json
    assert plan["available"] is True and (plan["installed_version"], plan["template"]["version"]) == (1, 2)
    assert plan["conflicts"] == 0
    visit = next(t for t in plan["types"] if t["key"] == "equipment-repair")
    assert ("/automations/Closed: draft the root-cause article", "added") in {
        (c["pointer"], c["change"]) for c in visit["theirs"]}
    assert any(c["pointer"].startswith("/knowledge") for c in visit["theirs"]), visit["theirs"]
    written = admin.post("/api/v1/templates/equipment-maintenance/upgrade", json={"choices": {}},
                         headers={"If-Match": response.headers["ETag"]})
    assert written.status_code == 200, written.json
    document = admin.get("/api/v1/ticket-types/equipment-repair/draft").json["definition"]
    assert document["knowledge"]["article"]["tags_from"] == "/root_cause_tag"
    assert {"do": "create_article_draft", "tags": ["root cause"], "visibility": "staff"} in [
        action for a in document["automations"] for action in a["do"]]
    assert admin.post("/api/v1/ticket-types/equipment-repair/publish",
                      json={"changelog": "Template version 2"}).status_code == 201
