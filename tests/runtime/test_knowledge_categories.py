"""The knowledge category tree over HTTP: positions kept 0, 1, 2 … among siblings through creates, moves and deletes;
the refusals (moving under itself, deleting a non-empty category, a blank name) as 4xx JSON naming the field, in
English and Chinese; the audit log; and filtering articles by a category together with the categories under it."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

import pytest

from tests.conftest import error_of
from tests.runtime.test_knowledge import PRINTER, VPN, _article
from tests.runtime.test_tickets import login

URL = "/api/v1/knowledge/categories"


@pytest.fixture
def staff(app, admin, make_user):
    make_user("alice@example.com", ["agent"], name="Alice")
    make_user("li@example.com", ["agent"], name="Li", locale="zh-CN")  # reads the messages in Chinese
    make_user("rita@example.com", ["requester"], name="Rita")
    return login(app, "alice@example.com")


@pytest.fixture
def li(app, staff):
    return login(app, "li@example.com")


def _tree(client):
    """{parent_id: [names in order]} and a check that every sibling group is numbered 0, 1, 2 …"""
    groups: dict = {}
    for item in client.get(URL).json["items"]:
        groups.setdefault(item["parent_id"], []).append(item)
    for items in groups.values():
        assert sorted(i["position"] for i in items) == list(range(len(items))), items
    return {parent: [i["name"] for i in sorted(items, key=lambda i: i["position"])] for parent, items in groups.items()}


def _add(client, name, parent_id=None, **extra):
    response = client.post(URL, json={"name": name, "parent_id": parent_id, **extra})
    assert response.status_code == 201, response.json
    return response.json


def _put(client, category, **changes):
    body = {"name": category["name"], "parent_id": category["parent_id"], "i18n": category["i18n"], **changes}
    return client.put(f"{URL}/{category['id']}", json=body)


def test_positions_stay_consecutive_through_creates_moves_and_deletes(staff):
    it = _add(staff, "IT")
    facilities = _add(staff, "Facilities")
    printers = _add(staff, "Printers", it["id"])
    network = _add(staff, "Network", it["id"])
    vpn = _add(staff, "VPN", it["id"], position=0)  # placed first; the others move down
    assert _tree(staff) == {None: ["IT", "Facilities"], it["id"]: ["VPN", "Printers", "Network"]}

    # reorder among siblings, then a rename that says nothing of the position keeps the place
    assert _put(staff, network, position=0).status_code == 200
    assert _tree(staff)[it["id"]] == ["Network", "VPN", "Printers"]
    assert _put(staff, vpn, name="VPN access").status_code == 200
    assert _tree(staff)[it["id"]] == ["Network", "VPN access", "Printers"]

    # move under another parent (at a place, or last without one): both sibling groups are renumbered
    assert _put(staff, printers, parent_id=facilities["id"]).status_code == 200
    assert _put(staff, network, parent_id=facilities["id"], position=0).status_code == 200
    assert _tree(staff) == {None: ["IT", "Facilities"], it["id"]: ["VPN access"],
                            facilities["id"]: ["Network", "Printers"]}
    assert _put(staff, it, position=99).status_code == 200  # past the end: last
    assert _tree(staff)[None] == ["Facilities", "IT"]

    assert staff.delete(f"{URL}/{network['id']}").status_code == 204
    assert _tree(staff)[facilities["id"]] == ["Printers"]


@pytest.mark.parametrize(("who", "words"), [("staff", "cannot be inside itself"), ("li", "分类不能放在自身之下")])
def test_moving_a_category_under_itself_is_422_naming_parent_id(request, staff, who, words):
    reader = request.getfixturevalue(who)
    top = _add(staff, "IT")
    child = _add(staff, "Printers", top["id"])
    grandchild = _add(staff, "Laser", child["id"])
    for parent in (top, child, grandchild):
        refused = reader.put(f"{URL}/{top['id']}", json={"name": "IT", "parent_id": parent["id"]})
        assert refused.status_code == 422, refused.json
        error = error_of(refused)
        assert words in error["message"] and error["details"][0]["path"] == "/parent_id"
    assert _tree(staff) == {None: ["IT"], top["id"]: ["Printers"], child["id"]: ["Laser"]}


def test_deleting_a_non_empty_category_says_what_it_holds(staff, li):
    top = _add(staff, "Hardware", i18n={"zh-CN": {"name": "硬件"}})
    child = _add(staff, "Printers", top["id"])
    _article(staff, PRINTER, category_id=child["id"])

    refused = staff.delete(f"{URL}/{top['id']}")
    assert refused.status_code == 409
    error = error_of(refused)
    assert error["code"] == "category_not_empty" and error["details"] == [{"articles": 0, "categories": 1}]
    assert error["message"] == "Category “Hardware” cannot be deleted: it still holds 1 subcategory; move them elsewhere first."
    zh = error_of(li.delete(f"{URL}/{child['id']}"))
    assert zh["message"] == "分类“Printers”不能删除：其下仍有 1 篇文章，请先移走。"
    zh = error_of(li.delete(f"{URL}/{top['id']}"))
    assert zh["message"].startswith("分类“硬件”不能删除")
    missing = li.delete(f"{URL}/999999")
    assert missing.status_code == 404 and error_of(missing)["message"] == "分类 999999 不存在。"


@pytest.mark.parametrize(("body", "path"), [
    ({"name": "   "}, "/name"),
    ({"name": ""}, "/name"),
    ({"name": "x" * 201}, "/name"),
    ({"name": "IT", "i18n": {"zh-CN": {"name": "  "}}}, "/i18n/zh-CN/name"),
    ({"name": "IT", "i18n": {"fr": {"name": "Informatique"}}}, "/i18n"),
    ({"name": "IT", "parent_id": 424242}, "/parent_id"),
    ({"name": "IT", "position": -1}, "/position"),
    ({"name": "IT", "position": "1"}, "/position"),
])
def test_bad_category_input_is_422_naming_the_field(staff, li, body, path):
    for reader in (staff, li):
        refused = reader.post(URL, json=body)
        assert refused.status_code == 422, refused.json
        paths = [d["path"] for d in error_of(refused)["details"]]
        assert any(p.startswith(path) for p in paths), paths
    assert "请填写分类名称" in error_of(li.post(URL, json={"name": " "}))["message"]


def test_requesters_read_the_tree_but_do_not_edit_it(app, staff):
    top = _add(staff, "IT", i18n={"zh-CN": {"name": "信息技术"}})
    rita = login(app, "rita@example.com")
    assert rita.get(URL).json["items"][0]["i18n"] == {"zh-CN": {"name": "信息技术"}}
    assert rita.post(URL, json={"name": "x"}).status_code == 403
    assert rita.put(f"{URL}/{top['id']}", json={"name": "x"}).status_code == 403
    assert rita.delete(f"{URL}/{top['id']}").status_code == 403


def test_category_changes_are_audited_with_what_changed(admin, staff):
    top = _add(staff, "IT")
    other = _add(staff, "Facilities")
    child = _add(staff, "Printers", top["id"], i18n={"zh-CN": {"name": "打印机"}})
    assert _put(staff, child, name="Printing", parent_id=other["id"]).status_code == 200
    assert _put(staff, child, name="Printing", parent_id=other["id"]).status_code == 200  # no change: no entry
    assert staff.delete(f"{URL}/{child['id']}").status_code == 204

    entries = admin.get("/api/v1/audit", query_string={"action": "knowledge.", "target_type": "knowledge_category"}).json["items"]
    mine = [e for e in entries if e["target_id"] == str(child["id"])]
    assert [e["action"] for e in mine] == ["knowledge.category_deleted", "knowledge.category_updated",
                                           "knowledge.category_created"]
    deleted, updated, created = (e["details"] for e in mine)
    assert created == {"name": "Printers", "i18n": {"zh-CN": {"name": "打印机"}}, "parent_id": top["id"],
                       "position": 0}
    assert updated == {"name": ["Printers", "Printing"], "parent_id": [top["id"], other["id"]]}
    assert deleted == {"name": "Printing", "parent_id": other["id"]}
    assert all(e["actor"]["email"] == "alice@example.com" for e in mine)


def test_filtering_by_a_category_includes_the_categories_under_it(staff):
    it = _add(staff, "IT")
    printers = _add(staff, "Printers", it["id"])
    laser = _add(staff, "Laser", printers["id"])
    facilities = _add(staff, "Facilities")
    printer = _article(staff, PRINTER, category_id=laser["id"])
    vpn = _article(staff, VPN, category_id=it["id"], tags=["vpn"])
    _article(staff, {**VPN, "texts": {"en": {"title": "Door badge VPN", "body": "Badge readers."}}},
             category_id=facilities["id"])

    def listed(**args):
        return sorted(a["id"] for a in staff.get("/api/v1/knowledge/articles", query_string=args).json["items"])

    def found(q, **args):
        return sorted(a["id"] for a in staff.get("/api/v1/knowledge/search",
                                                 query_string={"q": q, **args}).json["items"])

    assert listed(category_id=it["id"]) == sorted([printer["id"], vpn["id"]])
    assert listed(category_id=printers["id"]) == [printer["id"]]
    assert listed(category_id=laser["id"]) == [printer["id"]]
    assert listed(category_id=it["id"], tag="vpn") == [vpn["id"]]
    assert listed(category_id=424242) == []
    assert found("VPN", category_id=it["id"]) == [vpn["id"]]
    assert found("printer", category_id=printers["id"]) == [printer["id"]]
    assert found("printer", category_id=facilities["id"]) == []
    assert found("VPN", tag="vpn") == [vpn["id"]]


def test_what_a_category_holds_is_said_as_people_say_it():
    from runtime.knowledge.categories import _holds

    assert _holds(2, 1, "en") == "2 articles and 1 subcategory"
    assert _holds(1, 0, "en") == "1 article"
    assert _holds(0, 2, "en") == "2 subcategories"
    assert _holds(1, 3, "zh-CN") == "1 篇文章和 3 个子分类"
