"""What the templates page reads from the API: a template's details (its definitions, localized, and the install
plan: what installing would create and what exists here already), the list in the reader's language, admin-only,
and 4xx JSON for bad input. Nothing the page reads writes anything."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

import templates_library
from designer.templates import library
from platform_core.audit import AuditEntry
from platform_core.db import get_session
from tests.conftest import PASSWORD, Api, error_of

KEY = "it-service-desk"
ROOT = Path(templates_library.__file__).resolve().parent
EMPTY = {"roles": [], "teams": [], "calendars": [], "ticket_types": [], "knowledge_articles": []}


def _audit_count(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(AuditEntry))


def test_every_shipped_manifest_translates_its_texts_into_chinese():
    for template in library.list_templates():
        assert template.valid, template.problems
        zh = template.translations.get("zh-CN")
        assert zh and zh["name"] and zh["description"], template.key
        assert {t.key for t in template.teams} == set(zh.get("teams", {})), template.key
        assert {r.name for r in template.roles} == set(zh.get("roles", {})), template.key
        assert {c.key for c in template.calendars} == set(zh.get("calendars", {})), template.key
        assert template.knowledge, f"{template.key} seeds no knowledge-base article"
        assert {a.key for a in template.knowledge} == set(zh.get("knowledge", {})), template.key
        assert all(zh["knowledge"][a.key].get("title") and zh["knowledge"][a.key].get("body")
                   for a in template.knowledge), template.key


def test_details_on_an_empty_instance_plan_to_create_everything(app, admin):
    before = _audit_count(app)
    response = admin.get(f"/api/v1/templates/{KEY}/details?locale=en")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["key"] == KEY and body["name"] == "IT service desk" and body["locale"] == "en"
    assert body["installed_version"] is None and body["installed"] is False
    assert [d["key"] for d in body["definitions"]] == ["it-incident", "it-request"]
    incident = body["definitions"][0]["definition"]
    assert incident["form"]["schema"]["properties"] and incident["workflow"]["states"]
    assert incident == json.loads((ROOT / "it_service_desk" / "it-incident.json").read_text())
    plan = body["plan"]
    assert plan["can_install"] is True and plan["changes"] is True and plan["problems"] == []
    assert plan["create"] == {"roles": ["executive"], "teams": ["service-desk", "network-ops", "east-senior-ops"],
                              "calendars": [], "ticket_types": ["it-incident", "it-request"],
                              "knowledge_articles": ["printer-network", "password-reset"]}
    assert plan["existing"] == EMPTY
    assert _audit_count(app) == before  # reading the plan writes nothing


def test_the_plan_tells_what_exists_and_after_an_install_that_nothing_would_change(app, admin):
    assert admin.post("/api/v1/teams", json={"key": "service-desk", "name": "Our helpdesk"}).status_code == 201
    plan = admin.get(f"/api/v1/templates/{KEY}/details").json["plan"]
    assert plan["existing"] == {**EMPTY, "teams": ["service-desk"]}
    assert "service-desk" not in plan["create"]["teams"]

    installed = admin.post(f"/api/v1/templates/{KEY}/install")
    assert installed.status_code == 201
    # The plan said what install did.
    assert installed.json["created"] == plan["create"]

    after = admin.get(f"/api/v1/templates/{KEY}/details").json
    assert after["installed_version"] == 4 and after["installed"] is True
    assert after["plan"]["create"] == EMPTY and after["plan"]["changes"] is False
    assert after["plan"]["existing"]["ticket_types"] == ["it-incident", "it-request"]
    assert [t["installed_version"] for t in after["ticket_types"]] == [1, 1]


def test_a_taken_number_prefix_shows_in_the_plan_before_anyone_clicks_install(app, admin):
    assert admin.post("/api/v1/ticket-types", json={"key": "incident", "name": "Incident",
                                                    "number_prefix": "INC"}).status_code == 201
    plan = admin.get(f"/api/v1/templates/{KEY}/details").json["plan"]
    assert plan["can_install"] is False
    problem = next(p for p in plan["problems"] if p["code"] == "prefix_taken")
    assert problem["location"] == "it-incident.json" and problem["path"] == "/number_prefix"
    assert "incident" in problem["message"]
    assert admin.post(f"/api/v1/templates/{KEY}/install").status_code == 422  # as the plan said


def test_details_and_the_list_in_chinese(app, admin, make_user):
    zh = admin.get(f"/api/v1/templates/{KEY}/details?locale=zh-CN").json
    assert zh["locale"] == "zh-CN" and zh["name"] == "IT 服务台" and "ITIL" in zh["description"]
    assert {t["key"]: t["name"] for t in zh["teams"]}["service-desk"] == "服务台"
    incident = zh["definitions"][0]["definition"]
    assert zh["ticket_types"][0]["name"] == incident["name"] != "IT incident"
    titles = [p.get("title") for p in incident["form"]["schema"]["properties"].values()]
    assert any(title and any("\u4e00" <= ch <= "\u9fff" for ch in title) for title in titles)

    # Without ?locale the reader's language: the profile's.
    make_user("li@example.com", ["admin"], locale="zh-CN")
    li = Api(app.test_client())
    assert li.login("li@example.com", PASSWORD).status_code == 200
    by_profile = li.get(f"/api/v1/templates/{KEY}/details").json
    assert by_profile["locale"] == "zh-CN" and by_profile["name"] == "IT 服务台"
    assert admin.get(f"/api/v1/templates/{KEY}/details").json["locale"] == "en"

    listed = {t["key"]: t for t in admin.get("/api/v1/templates?locale=zh-CN").json["items"]}
    assert listed[KEY]["name"] == "IT 服务台" and listed["after-sales"]["name"] == "售后服务"
    assert listed["after-sales"]["calendars"][0]["name"] == "售后服务时间"
    # Without ?locale the list is as before: the template's own texts (the command line and scripts rely on it).
    plain = {t["key"]: t for t in admin.get("/api/v1/templates",
                                           headers={"Accept-Language": "zh-CN"}).json["items"]}
    assert plain[KEY]["name"] == "IT service desk" and plain[KEY]["ticket_types"][0]["name"] == "IT incident"
    assert admin.get(f"/api/v1/templates/{KEY}?locale=zh-CN").json["name"] == "IT 服务台"


@pytest.mark.parametrize("path", [f"/api/v1/templates/{KEY}/details?locale=fr", "/api/v1/templates?locale=klingon",
                                  f"/api/v1/templates/{KEY}?locale="])
def test_a_bad_locale_is_a_422_naming_it(app, admin, path):
    response = admin.get(path)
    assert response.status_code == 422
    error = error_of(response)
    assert any("locale" in (d.get("path") or "") for d in error["details"]), error


def test_an_unknown_template_has_no_details(app, admin):
    response = admin.get("/api/v1/templates/no-such-template/details")
    assert response.status_code == 404 and KEY in error_of(response)["message"]


def test_details_are_for_admins_only(app, admin, make_user, api):
    for email, roles in (("dee@example.com", ["designer"]), ("al@example.com", ["agent"])):
        make_user(email, roles)
        client = Api(app.test_client())
        assert client.login(email, PASSWORD).status_code == 200
        refused = client.get(f"/api/v1/templates/{KEY}/details")
        assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
    assert api.get(f"/api/v1/templates/{KEY}/details").status_code == 401


def test_a_broken_template_has_details_with_its_problems_and_cannot_be_installed(app, admin, tmp_path):
    folder = tmp_path / "it"
    shutil.copytree(ROOT / "it_service_desk", folder)
    manifest = json.loads((folder / "template.json").read_text())
    manifest["i18n"]["zh-CN"]["colour"] = "红"  # not a translatable text of a manifest
    (folder / "template.json").write_text(json.dumps(manifest))
    template = library.get_template(KEY, tmp_path)
    assert not template.valid and any(p["path"] == "/i18n/zh-CN" for p in template.problems)
    with app.app_context():
        plan = library.install_plan(get_session(), template)
    assert plan["can_install"] is False and plan["problems"] == [
        {k: p[k] for k in ("path", "location", "message", "code")} for p in template.problems]
