"""Industry templates: the it-service-desk template is valid and realistic, installs in one step through the API
and the command line, installing again is harmless, and a broken template installs nothing."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

import templates_library
from designer.templates import library
from designer.templates.cli import templates as templates_cli
from designer.validation import validate_definition
from platform_core.audit import AuditEntry
from platform_core.auth.models import BUILT_IN_ROLES, Role, Team
from platform_core.db import get_session
from platform_core.errors import NotFound, ValidationFailed
from runtime.rules.context import rule_context
from runtime.rules.definition import compile_definition
from runtime.tickets.models import TicketType, TicketTypeVersion
from tests.conftest import PASSWORD, Api, error_of

KEY = "it-service-desk"
FOLDER = Path(templates_library.__file__).resolve().parent / "it_service_desk"
TEAMS = {"service-desk", "network-ops", "east-senior-ops"}
TYPES = {"it-incident", "it-request"}
INCIDENT = json.loads((FOLDER / "it-incident.json").read_text())
REQUEST = json.loads((FOLDER / "it-request.json").read_text())


def _login(app, make_user, email, roles):
    make_user(email, roles)
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


def _counts(app) -> dict[str, int]:
    """How many template-made things exist: teams, roles, types, versions and install audit entries."""
    with app.app_context():
        session = get_session()
        return {"teams": session.scalar(select(func.count()).select_from(Team).where(Team.key.in_(TEAMS))),
                "roles": session.scalar(select(func.count()).select_from(Role).where(Role.name == "executive")),
                "types": session.scalar(select(func.count()).select_from(TicketType).where(TicketType.key.in_(TYPES))),
                "versions": session.scalar(select(func.count()).select_from(TicketTypeVersion)),
                "installs": session.scalar(select(func.count()).select_from(AuditEntry)
                                           .where(AuditEntry.action == "template.installed"))}


NOTHING = {"teams": 0, "roles": 0, "types": 0, "versions": 0, "installs": 0}


# --------------------------------------------------------------------------- the shipped template


def test_the_template_is_discovered_with_its_manifest():
    found = {t.key: t for t in library.list_templates()}
    template = found[KEY]
    assert template.path == FOLDER and template.valid
    assert template.name == "IT service desk" and template.version == 4 and template.description
    assert {t.key for t in template.teams} == TEAMS and all(t.name and t.description for t in template.teams)
    assert [r.name for r in template.roles] == ["executive"]
    assert [(t.file, t.key, t.number_prefix) for t in template.ticket_types] == [
        ("it-incident.json", "it-incident", "INC"), ("it-request.json", "it-request", "REQ")]
    assert library.get_template(KEY).key == KEY
    with pytest.raises(NotFound, match="There is no template 'nope'"):
        library.get_template("nope")


def test_a_checked_template_is_read_again_only_when_a_file_changes_and_each_caller_gets_its_own_copy(tmp_path):
    folder = tmp_path / "it_service_desk"
    shutil.copytree(FOLDER, folder)
    first = library.load_template(folder)
    first.problems.append({"location": "x", "path": "", "message": "changed by a caller", "code": "x"})
    first.ticket_types.clear()
    again = library.load_template(folder)  # from the cache: not the caller's changes
    assert again.valid and len(again.ticket_types) == 2
    manifest = json.loads((folder / "template.json").read_text())
    (folder / "template.json").write_text(json.dumps({**manifest, "name": "Edited desk"}))
    edited = library.load_template(folder)
    assert edited.name == "Edited desk"
    (folder / "it-request.json").write_text("{")
    broken = library.load_template(folder)
    assert not broken.valid and any(p["location"] == "it-request.json" for p in broken.problems)


@pytest.mark.parametrize("document", [INCIDENT, REQUEST], ids=["it-incident", "it-request"])
def test_the_template_documents_validate_with_no_errors_and_no_warnings(document):
    report = validate_definition(document, known_teams=TEAMS, known_roles=set(BUILT_IN_ROLES) | {"executive"},
                                 known_types=TYPES)
    assert [p.as_dict() for p in report.errors] == []
    assert [p.as_dict() for p in report.warnings] == []
    assert library.get_template(KEY).problems == [] and library.get_template(KEY).warnings == []


def _decide(document, data, tags=()):
    compiled = compile_definition(document)
    ticket = {"status": compiled.initial_state, "requester": {"tags": list(tags), "roles": ["requester"]}}
    cleaned, errors = compiled.validate_data(data, ticket)
    context = rule_context(cleaned, ticket)
    priority = compiled.priority(context).level
    context["ticket"]["priority"] = priority
    routing = compiled.route(context)
    sla = compiled.sla_policy(context, priority)
    return {"errors": errors, "fields": compiled.field_state(context), "priority": priority,
            "rule": routing.rule, "sla": sla.targets}


BASE_INCIDENT = {"title": "Printer jams", "category": "hardware", "urgency": "low", "impact": "person",
                 "region": "north", "description": "It jams on every second page.", "asset_tag": "PR-0042"}


@pytest.mark.parametrize(("urgency", "impact", "vip", "level"), [
    ("high", "company", False, "P1"), ("high", "department", False, "P2"), ("high", "person", False, "P3"),
    ("medium", "company", False, "P2"), ("medium", "department", False, "P3"), ("medium", "person", False, "P4"),
    ("low", "company", False, "P3"), ("low", "department", False, "P4"), ("low", "person", False, "P4"),
    ("low", "person", True, "P3"), ("medium", "company", True, "P1"), ("high", "company", True, "P1"),
])
def test_incident_priority_matrix_and_vip_override(urgency, impact, vip, level):
    decision = _decide(INCIDENT, {**BASE_INCIDENT, "urgency": urgency, "impact": impact}, tags=["vip"] if vip else [])
    assert decision["errors"] == [] and decision["priority"] == level


def test_incident_routing_in_order_and_sla_targets():
    server_down = _decide(INCIDENT, {**BASE_INCIDENT, "title": "Mail SERVER Down since 9:00", "category": "software",
                                     "region": "east", "urgency": "high", "impact": "company"})
    assert server_down["rule"]["assign"] == {"team": "east-senior-ops", "strategy": "on_duty"}
    assert server_down["rule"]["notify"][0]["to"] == ["team.supervisor"]
    assert server_down["rule"]["notify"][0]["channels"] == ["in_app", "email"]
    assert server_down["priority"] == "P1" and server_down["sla"] == {"response": "PT15M", "resolution": "PT4H"}
    # Server down elsewhere, and network problems in the east, go to network ops or the desk.
    west = _decide(INCIDENT, {**BASE_INCIDENT, "title": "server down", "category": "network", "region": "west"})
    assert west["rule"]["assign"] == {"team": "network-ops", "strategy": "least_loaded"}
    assert west["sla"] == {"response": "P1D", "resolution": "P5D"}
    other = _decide(INCIDENT, BASE_INCIDENT)
    assert other["rule"]["assign"] == {"team": "service-desk", "strategy": "round_robin"}


def test_incident_asset_tag_is_shown_and_required_only_for_hardware():
    hardware = _decide(INCIDENT, {k: v for k, v in BASE_INCIDENT.items() if k != "asset_tag"})
    assert "asset_tag" in hardware["fields"].required and [e["path"] for e in hardware["errors"]] == ["/asset_tag"]
    assert [e["path"] for e in _decide(INCIDENT, {**BASE_INCIDENT, "asset_tag": "pr-42"})["errors"]] == ["/asset_tag"]
    software = _decide(INCIDENT, {**BASE_INCIDENT, "category": "software", "asset_tag": "whatever"})
    assert "asset_tag" in software["fields"].hidden and software["errors"] == []


def test_incident_workflow_has_the_resolution_fields_checklist_and_reopen_guard():
    transitions = {t["key"]: t for t in INCIDENT["workflow"]["transitions"]}
    assert set(transitions) == {"assign", "start", "ask", "answer", "resolve", "confirm", "reopen"}
    assert transitions["resolve"]["require"] == ["resolution", "root_cause"] and transitions["resolve"]["checklist"]
    assert transitions["confirm"]["roles"] == ["requester", "agent"]
    assert transitions["reopen"]["guard"] == {"<": [{"var": "ticket.days_since_resolved"}, 14]}
    policy = INCIDENT["sla"][0]
    assert policy["pause_in"] == ["pending"] and policy["warn_before"] == ["PT30M"]
    assert [s["notify"] for s in policy["escalate"]] == [["assignee", "team.supervisor"], ["team.manager"],
                                                          ["role:executive"]]
    assert policy["escalate"][1]["raise_priority"] is True


BASE_REQUEST = {"title": "New laptop for Mei", "category": "hardware", "hardware_item": "laptop",
                "cost_center": "CC-1200", "region": "east", "justification": "Mei joins the finance team on Monday."}


def test_request_form_priority_and_routing():
    plain = _decide(REQUEST, BASE_REQUEST)
    assert plain["errors"] == [] and plain["priority"] == "P3"
    assert plain["rule"]["assign"] == {"team": "service-desk", "strategy": "round_robin"}
    assert plain["sla"] == {"response": "P1D", "resolution": "P5D"}
    missing = _decide(REQUEST, {k: v for k, v in BASE_REQUEST.items() if k != "cost_center"})
    assert [e["path"] for e in missing["errors"]] == ["/cost_center"]
    access = _decide(REQUEST, {"title": "Finance share", "category": "access",
                               "justification": "I moved to the finance team."})
    assert {e["path"] for e in access["errors"]} == {"/system_name", "/access_level"}
    assert "hardware_item" in access["fields"].hidden
    assert _decide(REQUEST, {**BASE_REQUEST, "blocks_work": True})["priority"] == "P2"
    assert _decide(REQUEST, {**BASE_REQUEST, "blocks_work": True}, tags=["vip"])["priority"] == "P1"
    assert _decide(REQUEST, {**BASE_REQUEST, "needed_by": "2999-01-01"})["priority"] == "P4"


# --------------------------------------------------------------------------- the API


def test_admin_lists_and_installs_the_template_and_a_second_install_skips_everything(app, admin):
    listed = admin.get("/api/v1/templates")
    assert listed.status_code == 200
    item = next(t for t in listed.json["items"] if t["key"] == KEY)
    assert item["name"] == "IT service desk" and item["version"] == 4 and item["description"]
    assert item["valid"] is True and item["installed"] is False and item["problems"] == []
    assert [(t["key"], t["name"], t["installed"]) for t in item["ticket_types"]] == [
        ("it-incident", "IT incident", False), ("it-request", "IT service request", False)]
    assert {t["key"] for t in item["teams"]} == TEAMS and not any(t["exists"] for t in item["teams"])

    installed = admin.post(f"/api/v1/templates/{KEY}/install")
    assert installed.status_code == 201, installed.json
    body = installed.json
    assert body["template"] == {"key": KEY, "name": "IT service desk", "version": 4} and body["changed"] is True
    assert body["created"] == {"roles": ["executive"], "teams": ["service-desk", "network-ops", "east-senior-ops"],
                               "calendars": [], "ticket_types": ["it-incident", "it-request"],
                               "knowledge_articles": ["printer-network", "password-reset"]}
    assert body["skipped"] == [] and body["warnings"] == [] and body["next_steps"]
    assert _counts(app) == {"teams": 3, "roles": 1, "types": 2, "versions": 2, "installs": 1}

    for key, prefix in (("it-incident", "INC"), ("it-request", "REQ")):
        ticket_type = admin.get(f"/api/v1/ticket-types/{key}").json
        assert ticket_type["latest_version"] == 1 and ticket_type["number_prefix"] == prefix
        versions = admin.get(f"/api/v1/ticket-types/{key}/versions").json["items"]
        assert [v["number"] for v in versions] == [1] and versions[0]["published_by"]["name"] == "Ada Admin"
        assert "it-service-desk" in versions[0]["changelog"]
        draft = admin.get(f"/api/v1/ticket-types/{key}/draft").json
        assert draft["errors"] == [] and draft["warnings"] == []
        assert draft["definition"] == admin.get(f"/api/v1/ticket-types/{key}/versions/1").json["definition"]
    teams = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}
    assert set(teams) >= TEAMS and teams["network-ops"]["name"] == "Network operations"
    assert "executive" in {r["name"] for r in admin.get("/api/v1/roles").json["items"]}

    again = admin.post(f"/api/v1/templates/{KEY}/install")
    assert again.status_code == 200 and again.json["changed"] is False
    assert again.json["created"] == {"roles": [], "teams": [], "calendars": [], "ticket_types": [],
                                     "knowledge_articles": []}
    skipped = {(s["kind"], s["key"]): s["reason"] for s in again.json["skipped"]}
    assert set(skipped) == {("role", "executive"), *(("team", t) for t in TEAMS), *(("ticket_type", t) for t in TYPES),
                            ("knowledge_article", "printer-network"), ("knowledge_article", "password-reset")}
    assert skipped[("ticket_type", "it-incident")].startswith("already installed (version 1)")
    assert "keeps local changes" in skipped[("ticket_type", "it-incident")]
    assert any("gongdan templates upgrade it-service-desk" in step for step in again.json["next_steps"])
    assert _counts(app) == {"teams": 3, "roles": 1, "types": 2, "versions": 2, "installs": 1}  # nothing new

    item = next(t for t in admin.get("/api/v1/templates").json["items"] if t["key"] == KEY)
    assert item["installed"] is True and all(t["installed_version"] == 1 for t in item["ticket_types"])
    assert all(t["exists"] for t in item["teams"]) and item["roles"][0]["exists"] is True
    assert admin.get(f"/api/v1/templates/{KEY}").json["installed"] is True


def test_installing_never_touches_existing_teams_roles_or_the_adopters_changes(app, admin):
    admin.post("/api/v1/teams", json={"key": "service-desk", "name": "Our helpdesk", "description": "Ours"})
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    teams = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}
    assert teams["service-desk"]["name"] == "Our helpdesk" and teams["service-desk"]["description"] == "Ours"

    # The adopter customises the incident type and publishes version 2; installing again keeps it.
    draft = admin.get("/api/v1/ticket-types/it-incident/draft").json["definition"]
    draft["form"]["schema"]["properties"]["building"] = {"type": "string", "title": "Building"}
    assert admin.put("/api/v1/ticket-types/it-incident/draft", json=draft).status_code == 200
    assert admin.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "Building"}).status_code == 201
    again = admin.post(f"/api/v1/templates/{KEY}/install")
    assert again.status_code == 200
    assert any(s["key"] == "it-incident" and s["reason"].startswith("already installed (version 2)")
               for s in again.json["skipped"])
    assert admin.get("/api/v1/ticket-types/it-incident").json["latest_version"] == 2
    assert "building" in admin.get("/api/v1/ticket-types/it-incident/draft").json["definition"]["form"]["schema"][
        "properties"]


def test_only_admins_install_and_designers_may_look(app, admin, make_user, api):
    designer = _login(app, make_user, "dee@example.com", ["designer"])
    agent = _login(app, make_user, "al@example.com", ["agent"])
    assert designer.get("/api/v1/templates").status_code == 200
    refused = designer.post(f"/api/v1/templates/{KEY}/install")
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
    assert agent.get("/api/v1/templates").status_code == 403
    assert agent.post(f"/api/v1/templates/{KEY}/install").status_code == 403
    assert api.get("/api/v1/templates").status_code == 401
    assert _counts(app) == NOTHING


def test_an_unknown_template_is_404(app, admin):
    missing = admin.post("/api/v1/templates/no-such-template/install")
    assert missing.status_code == 404
    error = error_of(missing)
    assert error["code"] == "not_found" and "no-such-template" in error["message"] and KEY in error["message"]
    assert admin.get("/api/v1/templates/no-such-template").status_code == 404


def test_a_number_prefix_taken_by_another_type_installs_nothing(app, admin):
    existing = admin.post("/api/v1/ticket-types", json={"key": "incident", "name": "Incident", "number_prefix": "INC"})
    assert existing.status_code == 201
    refused = admin.post(f"/api/v1/templates/{KEY}/install")
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["code"] == "template_invalid" and "Nothing was installed" in error["message"]
    assert [(d["location"], d["path"]) for d in error["details"]] == [("it-incident.json", "/number_prefix")]
    assert _counts(app) == NOTHING


def test_the_api_is_documented(app, admin):
    paths = admin.get("/api/v1/openapi.json").json["paths"]
    assert {"get"} <= set(paths["/api/v1/templates"])
    assert set(paths["/api/v1/templates/{key}/install"]["post"]["responses"]) >= {"200", "201"}


def test_installed_types_route_and_run_tickets_end_to_end(app, admin, make_user):
    """After the install and staffing the teams, the installed types take real tickets."""
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 201
    ids = {name: make_user(f"{name}@example.com", roles, name=name.title())
           for name, roles in [("olive", ["agent"]), ("nina", ["agent"]), ("sam", ["agent"]),
                               ("rita", ["requester"])]}
    teams = {t["key"]: t["id"] for t in admin.get("/api/v1/teams").json["items"]}
    for team, members in (("network-ops", ["nina"]), ("service-desk", ["sam"]), ("east-senior-ops", ["olive"])):
        patched = admin.patch(f"/api/v1/teams/{teams[team]}", json={"member_ids": [ids[m] for m in members],
                                                                   "supervisor_id": ids[members[0]]})
        assert patched.status_code == 200, patched.json
    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200

    network = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **BASE_INCIDENT, "title": "No Wi-Fi on floor 3", "category": "network", "urgency": "high",
        "impact": "department"}})
    assert network.status_code == 201, network.json
    assert network.json["number"] == "INC-000001" and network.json["priority"] == "P2"
    assert network.json["team"]["key"] == "network-ops" and network.json["assignee"]["email"] == "nina@example.com"

    request = rita.post("/api/v1/tickets", json={"type": "it-request", "data": BASE_REQUEST})
    assert request.status_code == 201, request.json
    assert request.json["number"] == "REQ-000001" and request.json["team"]["key"] == "service-desk"
    sam = Api(app.test_client())
    assert sam.login("sam@example.com", PASSWORD).status_code == 200
    tid = request.json["id"]
    # Hardware needs approval before work starts.
    assert sam.post(f"/api/v1/tickets/{tid}/transitions/start", json={}).status_code == 422
    approved = sam.post(f"/api/v1/tickets/{tid}/transitions/approve", json={
        "checklist": ["The requester's manager agreed", "Budget or a free licence is available"]})
    assert approved.status_code == 200, approved.json
    assert sam.post(f"/api/v1/tickets/{tid}/transitions/start", json={}).status_code == 200
    fulfilled = sam.post(f"/api/v1/tickets/{tid}/transitions/fulfil", json={
        "fields": {"fulfilment_notes": "ThinkPad LT-0042 handed over"},
        "checklist": ["Asset or licence recorded in the inventory", "Requester told how to use it"]})
    assert fulfilled.status_code == 200 and fulfilled.json["status"] == "fulfilled"
    closed = rita.post(f"/api/v1/tickets/{tid}/transitions/confirm", json={})
    assert closed.status_code == 200 and closed.json["status"] == "closed"


# --------------------------------------------------------------------------- the command line


def test_the_cli_lists_and_installs_and_a_second_install_changes_nothing(app):
    runner = app.test_cli_runner()
    listed = runner.invoke(templates_cli, ["list"])
    assert listed.exit_code == 0, listed.output
    assert "it-service-desk  v4  IT service desk  [available]" in listed.output
    assert "not installed" in listed.output

    first = runner.invoke(templates_cli, ["install", KEY])
    assert first.exit_code == 0, first.output
    assert "Installed the template it-service-desk (IT service desk), version 4." in first.output
    assert "created ticket type it-incident (published as version 1)" in first.output
    assert "created team        east-senior-ops" in first.output and "Next steps:" in first.output
    with app.app_context():
        session = get_session()
        assert set(session.scalars(select(Team.key))) >= TEAMS
        versions = {t.key: t.latest_version for t in session.scalars(select(TicketType))}
        assert versions == {"it-incident": 1, "it-request": 1}
        assert all(v.published_by_id is None for v in session.scalars(select(TicketTypeVersion)))

    second = runner.invoke(templates_cli, ["install", KEY])
    assert second.exit_code == 0 and "installed already; nothing was changed" in second.output
    assert "skipped ticket type it-request: already installed (version 1)" in second.output
    assert _counts(app)["versions"] == 2
    assert "installed (version 1)" in runner.invoke(templates_cli, ["list"]).output


def test_the_gongdan_command_has_the_templates_group(app, make_user):
    from gongdan.cli import main

    make_user("ada@example.com", ["admin"], name="Ada Admin")
    result = app.test_cli_runner().invoke(main, ["templates", "install", KEY, "--as", "ada@example.com"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        version = get_session().scalar(select(TicketTypeVersion).limit(1))
        assert version.published_by.name == "Ada Admin"


def test_the_cli_fails_with_exit_code_1_and_the_reason(app):
    runner = app.test_cli_runner()
    unknown = runner.invoke(templates_cli, ["install", "nope"])
    assert unknown.exit_code == 1 and "There is no template 'nope'" in unknown.output
    nobody = runner.invoke(templates_cli, ["install", KEY, "--as", "nobody@example.com"])
    assert nobody.exit_code == 1 and "no user with the email nobody@example.com" in nobody.output
    with app.app_context():
        session = get_session()
        session.add(TicketType(key="incident", name="Incident", number_prefix="INC"))
        session.commit()
    taken = runner.invoke(templates_cli, ["install", KEY])
    assert taken.exit_code == 1
    assert "it-incident.json /number_prefix: The number prefix 'INC' is already used" in taken.output
    assert _counts(app) == NOTHING


# --------------------------------------------------------------------------- broken templates


@pytest.fixture
def library_copy(tmp_path):
    """A templates root holding a copy of it-service-desk, to break in different ways."""
    root = tmp_path / "library"
    shutil.copytree(FOLDER, root / "it_service_desk")
    return root


def _edit(path: Path, change) -> None:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def _break_manifest(change):
    return lambda root: _edit(root / "it_service_desk" / "template.json", change)


def _break_request(change):
    return lambda root: _edit(root / "it_service_desk" / "it-request.json", change)


BREAKAGES = {
    "definition error": (_break_request(lambda d: d["workflow"]["transitions"][0].update(to="nowhere")),
                         ("it-request.json", "/workflow/transitions/0/to")),
    "same number prefix": (_break_request(lambda d: d.update(number_prefix="INC")),
                           ("it-request.json", "/number_prefix")),
    "same type key": (_break_request(lambda d: d.update(key="it-incident")), ("it-request.json", "/key")),
    "missing file": (_break_manifest(lambda m: m["ticket_types"].append("it-change.json")),
                     ("template.json", "/ticket_types/2")),
    "file outside the folder": (_break_manifest(lambda m: m["ticket_types"].append("../it-change.json")),
                                ("template.json", "/ticket_types/2")),
    "unknown manifest key": (_break_manifest(lambda m: m.update(temas=[])), ("template.json", "")),
    "missing version": (_break_manifest(lambda m: m.pop("version")), ("template.json", "")),
    "bad team key": (_break_manifest(lambda m: m["teams"][0].update(key="Service Desk")),
                     ("template.json", "/teams/0/key")),
    "built-in role": (_break_manifest(lambda m: m["roles"].append({"name": "agent"})),
                      ("template.json", "/roles/1/name")),
    "duplicate team": (_break_manifest(lambda m: m["teams"].append(dict(m["teams"][0]))),
                       ("template.json", "/teams/3/key")),
    "invalid JSON": (lambda root: (root / "it_service_desk" / "it-request.json").write_text('{"format": 1,'),
                     ("it-request.json", "")),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_template_fails_clearly_and_installs_nothing(app, library_copy, breakage):
    breaks, where = BREAKAGES[breakage]
    breaks(library_copy)
    template = library.get_template(KEY, root=library_copy)
    assert not template.valid
    assert where in [(p["location"], p["path"]) for p in template.problems], template.problems
    with app.app_context(), pytest.raises(ValidationFailed) as refused:
        library.install(get_session(), KEY, actor=None, root=library_copy)
    assert refused.value.code == "template_invalid" and "nothing was installed" in refused.value.message
    assert where in [(d["location"], d["path"]) for d in refused.value.details]
    assert _counts(app) == NOTHING


def test_a_broken_template_is_listed_with_its_problems(app, library_copy):
    _break_request(lambda d: d["workflow"]["transitions"][0].update(to="nowhere"))(library_copy)
    with app.app_context():
        [described] = [library.describe(get_session(), t) for t in library.list_templates(library_copy)]
    assert described["valid"] is False and described["problems"][0]["location"] == "it-request.json"
    assert [t["key"] for t in described["ticket_types"]] == ["it-incident", "it-request"]


def test_two_folders_with_the_same_key_are_both_broken(library_copy):
    shutil.copytree(library_copy / "it_service_desk", library_copy / "it_service_desk_copy")
    found = library.list_templates(library_copy)
    assert len(found) == 2 and all(not t.valid for t in found)
    assert all(p["code"] == "template.duplicate_key" for t in found for p in t.problems)


def test_folders_without_a_manifest_and_missing_roots_are_ignored(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.json").write_text("{}")
    assert library.list_templates(tmp_path) == []
    assert library.list_templates(tmp_path / "nowhere") == []


def test_a_warning_does_not_block_the_install_and_is_reported(app, library_copy):
    """A template may name a team it does not create (say, one every adopter has); it installs with a warning."""
    def drop_team(manifest):
        manifest["teams"] = [t for t in manifest["teams"] if t["key"] != "east-senior-ops"]
        del manifest["i18n"]["zh-CN"]["teams"]["east-senior-ops"]  # a translation of an unlisted team is a problem

    _break_manifest(drop_team)(library_copy)
    template = library.get_template(KEY, root=library_copy)
    assert template.valid and [(w["location"], w["path"], w["code"]) for w in template.warnings] == [
        ("it-incident.json", "/routing/0/assign/team", "team.unknown")]
    with app.app_context():
        result = library.install(get_session(), KEY, actor=None, root=library_copy)
    assert result.created_types == ["it-incident", "it-request"] and "east-senior-ops" not in result.created_teams
    assert [w["path"] for w in result.warnings] == ["/routing/0/assign/team"]


# --------------------------------------------------------------------------- problems in the reader's language


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def test_a_broken_templates_problems_are_in_the_readers_language(app, admin, library_copy):
    def breaks(manifest):
        manifest["temas"] = []
        manifest["roles"].append({"name": "agent"})
    _break_manifest(breaks)(library_copy)
    _break_request(lambda d: d["workflow"]["transitions"][0].update(to="nowhere"))(library_copy)
    app.config["TEMPLATES_ROOT"] = str(library_copy)

    english = next(t for t in admin.get("/api/v1/templates").json["items"] if t["key"] == KEY)["problems"]
    admin.patch("/api/v1/me", json={"locale": "zh-CN"})
    chinese = next(t for t in admin.get("/api/v1/templates").json["items"] if t["key"] == KEY)["problems"]
    # The same problems at the same places, worded in each language.
    assert [(p["location"], p["path"], p["code"]) for p in chinese] == [
        (p["location"], p["path"], p["code"]) for p in english]
    by_code = {p["code"]: p["message"] for p in english}
    assert "'temas'" in by_code["template.manifest"] and "built-in role" in by_code["template.built_in_role"]
    assert all(_has_chinese(p["message"]) for p in chinese), chinese
    assert any("temas" in p["message"] for p in chinese)
    assert admin.get("/api/v1/templates?locale=en").json["items"][0]["problems"] == english  # ?locale wins

    refused = admin.post(f"/api/v1/templates/{KEY}/install")
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["message"] == f"模板“{KEY}”有 {len(chinese)} 处问题；未安装任何内容。"
    assert [d["message"] for d in error["details"]] == [p["message"] for p in chinese]
    details = admin.get(f"/api/v1/templates/{KEY}/details").json
    assert details["plan"]["problems"] == [{k: p[k] for k in ("path", "location", "message", "code")} for p in chinese]
    assert _counts(app) == NOTHING


def test_install_refusals_and_a_missing_template_are_in_the_readers_language(app, admin):
    admin.patch("/api/v1/me", json={"locale": "zh-CN"})
    assert admin.post("/api/v1/ticket-types", json={"key": "incident", "name": "Incident",
                                                    "number_prefix": "INC"}).status_code == 201
    refused = error_of(admin.post(f"/api/v1/templates/{KEY}/install"))
    assert refused["code"] == "template_invalid" and refused["message"].startswith(f"模板“{KEY}”无法在此安装：")
    assert refused["message"].endswith("未安装任何内容。")
    assert refused["details"][0]["message"] == ("编号前缀“INC”已被工单类型“incident”使用，因此模板的类型“it-incident”"
                                                "无法与其并存安装。")
    missing = admin.post("/api/v1/templates/no-such-template/install")
    assert missing.status_code == 404 and error_of(missing)["message"].startswith("没有模板“no-such-template”。")
    not_installed = admin.post(f"/api/v1/templates/{KEY}/uninstall")
    assert error_of(not_installed)["message"] == "此处未安装模板“IT 服务台”。"  # the template's name in Chinese too
    no_etag = admin.post(f"/api/v1/templates/{KEY}/upgrade", json={"choices": {}})
    assert no_etag.status_code == 400 and _has_chinese(error_of(no_etag)["message"])
    assert _counts(app) == NOTHING


def test_the_cli_says_the_problems_in_the_language_asked_for(app, library_copy):
    _break_manifest(lambda m: m["roles"].append({"name": "agent"}))(library_copy)
    app.config["TEMPLATES_ROOT"] = str(library_copy)
    refused = app.test_cli_runner().invoke(templates_cli, ["install", KEY, "--language", "zh-CN"])
    assert refused.exit_code == 1 and "未安装任何内容" in refused.output and "“agent”是内置角色" in refused.output
