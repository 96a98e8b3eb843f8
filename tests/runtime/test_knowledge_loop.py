"""The knowledge loop over HTTP: a resolved ticket turned into a draft article (the definition's chosen fields,
the public conversation, the spans of personal data to redact), the create_article_draft action (once per ticket
and rule), similar resolved tickets and the root-cause article offered first; who may do what."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

import copy
import re

from designer.validation import validate_definition
from runtime.knowledge import drafts
from tests.conftest import error_of
from tests.runtime.test_knowledge import VOLTAGE, _article
from tests.runtime.test_tickets import EXAMPLE, INCIDENT, login

DONE = {"checklist": ["Cause explained to the requester"]}


def _publish(admin, document):
    assert admin.put("/api/v1/ticket-types/it-incident/draft", json=document).status_code == 200
    published = admin.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "knowledge"})
    assert published.status_code == 201, published.json


def _resolve(agent, ticket_id, resolution="Replaced the power supply unit", root_cause="hardware_fault"):
    agent.post(f"/api/v1/tickets/{ticket_id}/transitions/start", json={})
    resolved = agent.post(f"/api/v1/tickets/{ticket_id}/transitions/resolve", json={
        "fields": {"resolution": resolution, "root_cause": root_cause}, **DONE})
    assert resolved.status_code == 200, resolved.json
    return resolved.json


def test_redaction_spans_find_emails_phones_names_and_personal_values():
    text = ("Rita Chen (rita.chen@example.com, 138 1234 5678) said the plate 沪A12345 is hers; call +44 20 7946 0958 "
            "or 021-12345678. Chen again. 2026-12-03 is a date, INC-000123 a ticket, 13812345678 a mobile.")
    spans = drafts.find_personal_data(text, names=["Rita Chen", "Rita", "Chen"], personal=["沪A12345"], locale="en")
    assert [(s["kind"], s["text"]) for s in spans] == [
        ("name", "Rita Chen"), ("email", "rita.chen@example.com"), ("phone", "138 1234 5678"), ("personal", "沪A12345"),
        ("phone", "+44 20 7946 0958"), ("phone", "021-12345678"), ("name", "Chen"), ("phone", "13812345678")]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    redacted = drafts.redact(text, spans)
    assert "example.com" not in redacted and "5678" not in redacted and "[email]" in redacted and "[name]" in redacted
    assert "2026-12-03" in redacted and "INC-000123" in redacted
    zh = drafts.find_personal_data("联系王小明 13912345678", names=["王小明"], personal=[], locale="zh-CN")
    assert [(s["text"], s["placeholder"]) for s in zh] == [("王小明", "[姓名]"), ("13912345678", "[电话]")]


def test_a_resolved_ticket_becomes_a_draft_without_internal_comments(app, admin, desk):
    rita, olive = login(app, "rita@example.com"), login(app, "olive@example.com")
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **INCIDENT, "description": "Rack 12 is dark. Call me on 13812345678 or mail rita@example.com"}}).json
    tid = ticket["id"]
    olive.post(f"/api/v1/tickets/{tid}/comments", json={"body": "Hi Rita, the PDU tripped; resetting it now."})
    internal = olive.post(f"/api/v1/tickets/{tid}/comments", json={"body": "Vendor contract 4711 is overdue",
                                                                   "internal": True}).json
    rita.post(f"/api/v1/tickets/{tid}/comments", json={"body": "Thanks Olive!"})

    early = olive.post(f"/api/v1/tickets/{tid}/article-draft", json={})
    assert early.status_code == 409 and "INC-" in error_of(early)["message"]
    _resolve(olive, tid)

    draft = olive.post(f"/api/v1/tickets/{tid}/article-draft", json={})
    assert draft.status_code == 200, draft.json
    body = draft.json["body"]
    assert draft.json["title"] == INCIDENT["title"] and draft.json["source_ticket"]["number"] == ticket["number"]
    assert draft.json["ticket_types"] == ["it-incident"] and draft.json["source_ticket_id"] == tid
    assert "## Symptom" in body and "Rack 12 is dark" in body
    assert "## Resolution" in body and "Replaced the power supply unit" in body
    assert "## Conversation" in body and "the PDU tripped" in body and "Thanks Olive" in body
    assert "Vendor contract" not in body and internal["id"] not in draft.json["comment_ids"]
    kinds = {(r["kind"], r["text"]) for r in draft.json["redactions"]}
    assert {("phone", "13812345678"), ("email", "rita@example.com"), ("name", "Rita"), ("name", "Olive")} <= kinds
    assert all(body[r["start"]:r["end"]] == r["text"] for r in draft.json["redactions"])
    assert {r["placeholder"] for r in draft.json["redactions"]} == {"[phone]", "[email]", "[name]"}

    # An internal comment comes in only when named; a comment of another ticket is refused, naming it.
    named = olive.post(f"/api/v1/tickets/{tid}/article-draft", json={"include_comment_ids": [internal["id"]]})
    assert named.status_code == 200 and "Vendor contract 4711" in named.json["body"]
    other = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json
    foreign = rita.post(f"/api/v1/tickets/{other['id']}/comments", json={"body": "mine"}).json
    refused = olive.post(f"/api/v1/tickets/{tid}/article-draft", json={"include_comment_ids": [internal["id"], foreign["id"]]})
    assert refused.status_code == 422 and error_of(refused)["details"][0]["path"] == "/include_comment_ids/1"
    assert olive.post(f"/api/v1/tickets/{tid}/article-draft", json={"include_comment_ids": ["x"]}).status_code == 422

    # Chinese headings for a Chinese reader.
    admin.patch(f"/api/v1/users/{desk['olive']}", json={"locale": "zh-CN"})
    assert "## 现象" in login(app, "olive@example.com").post(f"/api/v1/tickets/{tid}/article-draft", json={}).json["body"]

    # Requesters never: their own ticket 403, someone else's 404; an agent of another team 404.
    assert rita.post(f"/api/v1/tickets/{tid}/article-draft", json={}).status_code == 403
    assert login(app, "victor@example.com").post(f"/api/v1/tickets/{tid}/article-draft", json={}).status_code == 404
    assert login(app, "nina@example.com").post(f"/api/v1/tickets/{tid}/article-draft", json={}).status_code == 404

    # Saved (redacted) with its source: the ticket lists it, the article names the ticket.
    redacted = drafts.redact(body, draft.json["redactions"])
    saved = olive.post("/api/v1/knowledge/articles", json={
        "locale": "en", "texts": {"en": {"title": draft.json["title"], "body": redacted}},
        "source_ticket_id": tid, "ticket_types": ["it-incident"]})
    assert saved.status_code == 201 and saved.json["source_ticket_id"] == tid
    assert "13812345678" not in saved.json["texts"]["en"]["body"] and "[phone]" in saved.json["texts"]["en"]["body"]
    shown = olive.get(f"/api/v1/knowledge/articles/{saved.json['id']}").json
    assert shown["source_ticket"] == {"id": tid, "number": ticket["number"], "title": INCIDENT["title"]}
    listed = olive.get(f"/api/v1/tickets/{tid}/knowledge").json["items"]
    assert [(i["article_id"], i["kind"], i["status"]) for i in listed] == [(saved.json["id"], "source", "draft")]
    assert rita.get(f"/api/v1/tickets/{tid}/knowledge").json["items"] == []  # a draft: not for requesters
    olive.post(f"/api/v1/knowledge/articles/{saved.json['id']}/publish")
    related = olive.get(f"/api/v1/tickets/{tid}/knowledge/related").json["items"]
    assert saved.json["id"] not in [r["id"] for r in related]  # its own article is not a suggestion
    assert admin.get(f"/api/v1/tickets/{tid}/similar").status_code == 200


def test_the_definition_chooses_the_sections_and_personal_fields(app, admin, desk):
    document = copy.deepcopy(EXAMPLE)
    document["knowledge"] = {"article": {"symptom": "/description", "resolution": "/resolution",
                                         "root_cause": "/root_cause", "tags_from": "/category"}}
    document["access"] = {**document.get("access", {}), "personal_fields": ["asset_tag"]}
    _publish(admin, document)
    rita, olive = login(app, "rita@example.com"), login(app, "olive@example.com")
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **INCIDENT, "category": "hardware", "asset_tag": "LP-4471", "description": "Laptop LP-4471 will not boot"}}).json
    _resolve(olive, ticket["id"])
    draft = olive.post(f"/api/v1/tickets/{ticket['id']}/article-draft", json={}).json
    assert draft["tags"] == ["hardware"]
    assert "## Root cause\n\nhardware_fault" in draft["body"] and "## Diagnosis" not in draft["body"]
    assert ("personal", "LP-4471") in {(r["kind"], r["text"]) for r in draft["redactions"]}

    # Validation: fields that do not exist are named, with the pointer.
    bad = copy.deepcopy(document)
    bad["knowledge"]["article"]["diagnosis"] = "/diagnosis"
    bad["knowledge"]["article"]["tags_from"] = ["/category", "/tagz"]
    bad["access"]["personal_fields"] = ["asset_tag", "licence_plate"]
    problems = {(p.pointer, p.code) for p in validate_definition(bad).errors}
    assert problems == {("/knowledge/article/diagnosis", "knowledge.unknown_field"),
                        ("/knowledge/article/tags_from/1", "knowledge.unknown_field"),
                        ("/access/personal_fields/1", "access.unknown_personal_field")}
    shape = copy.deepcopy(document)
    shape["knowledge"]["article"]["symptom"] = "description"
    shape["knowledge"]["article"]["extra"] = "/title"
    pointers = {p.pointer for p in validate_definition(shape).errors}
    assert "/knowledge/article/symptom" in pointers and any(p.startswith("/knowledge/article") for p in pointers - {
        "/knowledge/article/symptom"})


def test_the_create_article_draft_action_writes_one_draft_per_ticket_and_rule(app, admin, desk):
    admin.post("/api/v1/knowledge/categories", json={"name": "Root causes", "i18n": {"zh-CN": {"name": "根因"}}})
    document = copy.deepcopy(EXAMPLE)
    resolve = next(t for t in document["workflow"]["transitions"] if t["key"] == "resolve")
    resolve["actions"].append({"do": "create_article_draft", "tags": ["电压干扰类"], "category": "根因"})
    _publish(admin, document)
    rita, olive = login(app, "rita@example.com"), login(app, "olive@example.com")
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **INCIDENT, "description": "Line 3 controller restarts; call 13912345678"}}).json
    _resolve(olive, ticket["id"])

    def drafted():
        return [i for i in olive.get(f"/api/v1/tickets/{ticket['id']}/knowledge").json["items"] if i["kind"] == "source"]

    assert len(drafted()) == 1
    article = olive.get(f"/api/v1/knowledge/articles/{drafted()[0]['article_id']}").json
    assert article["status"] == "draft" and article["visibility"] == "staff" and article["source_ticket_id"] == ticket["id"]
    assert set(article["tags"]) == {"电压干扰类"} and article["category_id"] is not None
    body = article["texts"]["en"]["body"]
    assert "13912345678" not in body and "[phone]" in body and "Line 3 controller restarts" in body
    events = [e["kind"] for e in olive.get(f"/api/v1/tickets/{ticket['id']}/events", query_string={"limit": 500}).json["items"]]
    assert events.count("article_drafted") == 1

    # Reopened and resolved again: the same rule does not write a second draft.
    assert rita.post(f"/api/v1/tickets/{ticket['id']}/transitions/reopen", json={"comment": "again"}).status_code == 200
    again = olive.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={
        "fields": {"resolution": "Stabilised the supply", "root_cause": "hardware_fault"}, **DONE})
    assert again.status_code == 200, again.json
    assert len(drafted()) == 1
    # A bad action is refused by validation, naming the key.
    bad = copy.deepcopy(document)
    next(t for t in bad["workflow"]["transitions"] if t["key"] == "resolve")["actions"][-1]["visibility"] = "teams"
    assert any(p.pointer.startswith("/workflow/transitions/") for p in validate_definition(bad).errors)


def test_similar_tickets_lead_to_the_root_cause_article_first(app, admin, desk):
    rita, olive = login(app, "rita@example.com"), login(app, "sam@example.com")  # sam: service desk
    restart = {**INCIDENT, "category": "software", "title": "产线设备频繁重启",
               "description": "三号产线控制器每天重启好几次"}
    first = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": restart}).json
    _resolve(olive, first["id"], resolution="加装稳压电源后恢复正常")
    unrelated = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **INCIDENT, "category": "access", "title": "Outlook password reset", "description": "Forgot my password"}}).json
    _resolve(olive, unrelated["id"])
    voltage = _article(olive, VOLTAGE)
    hidden = _article(admin, {"texts": {"en": {"title": "Plant floor wiring plan", "body": "team only"}}},
                      visibility="teams", team_ids=[desk_team(admin, "network-ops")])
    assert olive.post(f"/api/v1/tickets/{first['id']}/knowledge", json={"article_ids": [voltage["id"]]}).status_code == 200
    assert admin.post(f"/api/v1/tickets/{first['id']}/knowledge", json={"article_ids": [hidden["id"]]}).status_code == 200
    # An article that matches the words better, but from no similar ticket.
    _article(olive, {"locale": "zh-CN", "texts": {"zh-CN": {
        "title": "产线设备频繁重启怎么办", "body": "产线控制器重启：检查程序。"}}}, ticket_types=["it-incident"])

    third = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **restart, "title": "产线又重启了", "description": "三号产线控制器今天又重启"}}).json
    similar = olive.get(f"/api/v1/tickets/{third['id']}/similar")
    assert similar.status_code == 200, similar.json
    items = similar.json["items"]
    assert [i["id"] for i in items] == [first["id"]]  # the password ticket shares nothing
    assert items[0]["why"]["category"] == items[0]["why"]["category_label"] == "software"
    assert items[0]["why"]["same_type"] is True
    assert "产线" in items[0]["why"]["matched_terms"]
    assert [a["id"] for a in items[0]["articles"]] == [voltage["id"]]  # not the team article sam cannot read

    related = olive.get(f"/api/v1/tickets/{third['id']}/knowledge/related").json["items"]
    assert related[0]["id"] == voltage["id"] and related[0]["why"]["similar_ticket"]["number"] == first["number"]
    assert "电压干扰类" in related[0]["why"]["tags"] and hidden["id"] not in [r["id"] for r in related]
    assert len(related) > 1  # the search's suggestions follow

    # Requesters never see similar tickets: their own ticket 403, another's 404.
    assert rita.get(f"/api/v1/tickets/{third['id']}/similar").status_code == 403
    assert login(app, "victor@example.com").get(f"/api/v1/tickets/{third['id']}/similar").status_code == 404
    assert rita.get(f"/api/v1/tickets/{third['id']}/knowledge/related").status_code == 403


def desk_team(admin, key):
    return next(t["id"] for t in admin.get("/api/v1/teams").json["items"] if t["key"] == key)


# --------------------------------------------------------------------------- tags: the options' labels

ROOT_CAUSES = [  # the resolve transition's root cause, with labels in both languages (one option without a title)
    {"const": "voltage_interference", "title": "Voltage interference", "i18n": {"zh-CN": {"title": "电压干扰类"}}},
    {"const": "hardware_fault", "title": "Hardware fault", "i18n": {"zh-CN": {"title": "硬件故障"}}},
    {"const": "unknown"},
]


def _labelled(tags_from, *, action=False):
    """The example incident with a labelled root cause, a multi-select of affected services (ui:enumNames,
    translated) and ``knowledge.article.tags_from``; ``action``: resolving drafts the article by itself."""
    document = copy.deepcopy(EXAMPLE)
    properties = document["form"]["schema"]["properties"]
    properties["services"] = {"type": "array", "title": "Affected services", "uniqueItems": True,
                              "items": {"type": "string", "enum": ["email", "vpn", "erp"]}}
    document["form"]["ui"]["services"] = {"ui:widget": "checkboxes", "ui:enumNames": ["E-mail", "VPN", "ERP system"],
                                          "i18n": {"zh-CN": {"ui:enumNames": ["电子邮件", "VPN", "ERP 系统"]}}}
    document["form"]["ui"]["ui:order"].append("services")
    resolve = next(t for t in document["workflow"]["transitions"] if t["key"] == "resolve")
    root_cause = resolve["fields"]["root_cause"]
    del root_cause["enum"]
    root_cause["oneOf"] = ROOT_CAUSES
    document["knowledge"] = {"article": {"symptom": "/description", "resolution": "/resolution",
                                         "root_cause": "/root_cause", "tags_from": tags_from}}
    if action:
        resolve["actions"].append({"do": "create_article_draft", "tags": ["root cause"]})
    return document


def test_the_drafts_tags_are_the_options_labels_in_the_drafts_language(app, admin, desk):
    _publish(admin, _labelled(["/root_cause", "/services", "/category", "/asset_tag"]))
    rita, olive = login(app, "rita@example.com"), login(app, "olive@example.com")
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **INCIDENT, "category": "hardware", "asset_tag": "LP-4471", "services": ["erp", "email"],
        "description": "Laptop LP-4471 will not boot"}}).json
    _resolve(olive, ticket["id"], root_cause="voltage_interference")

    english = olive.post(f"/api/v1/tickets/{ticket['id']}/article-draft", json={}).json
    # a labelled option, a multi-select's labels (in the ticket's order), an enum without labels and an open text
    # field (as stored)
    assert english["locale"] == "en"
    assert english["tags"] == ["Voltage interference", "ERP system", "E-mail", "hardware", "LP-4471"]
    assert "## Root cause\n\nVoltage interference" in english["body"]

    assert olive.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    chinese = olive.post(f"/api/v1/tickets/{ticket['id']}/article-draft", json={}).json
    assert chinese["locale"] == "zh-CN" and "## 根本原因\n\n电压干扰类" in chinese["body"]
    assert chinese["tags"] == ["电压干扰类", "ERP 系统", "电子邮件", "hardware", "LP-4471"]

    # An option without a title is tagged with its value, in either language.
    other = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {**INCIDENT, "services": ["vpn"]}}).json
    _resolve(olive, other["id"], root_cause="unknown")
    assert olive.post(f"/api/v1/tickets/{other['id']}/article-draft", json={}).json["tags"] == ["unknown", "VPN", "network"]


def test_the_action_drafts_in_the_assignees_language(app, admin, desk):
    _publish(admin, _labelled("/root_cause", action=True))
    rita, olive = login(app, "rita@example.com"), login(app, "olive@example.com")

    def drafted(ticket_id):
        items = olive.get(f"/api/v1/tickets/{ticket_id}/knowledge").json["items"]
        return [olive.get(f"/api/v1/knowledge/articles/{i['article_id']}").json for i in items if i["kind"] == "source"]

    english = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json
    assert english["assignee"]["email"] == "olive@example.com"
    _resolve(olive, english["id"], root_cause="voltage_interference")
    [article] = drafted(english["id"])
    assert article["locale"] == "en" and set(article["tags"]) == {"Voltage interference", "root cause"}
    assert "## Root cause\n\nVoltage interference" in article["texts"]["en"]["body"]

    # Olive reads Chinese now (Rita, the requester, still English): the draft is hers to review, so it is Chinese.
    assert olive.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    chinese = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json
    _resolve(olive, chinese["id"], root_cause="voltage_interference")
    [article] = drafted(chinese["id"])
    assert article["locale"] == "zh-CN" and set(article["tags"]) == {"电压干扰类", "root cause"}
    body = article["texts"]["zh-CN"]["body"]
    assert "## 现象\n\nThe whole rack is dark" in body and "## 根本原因\n\n电压干扰类" in body


def test_action_locale_falls_back_to_the_requester_then_the_definition(app, admin, desk):
    from platform_core.db import get_session
    from runtime.tickets.models import Ticket

    document = _labelled("/root_cause")
    document["locale"] = "zh-CN"
    _publish(admin, document)
    rita = login(app, "rita@example.com")
    assert rita.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    tid = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json["id"]
    with app.app_context():
        ticket = get_session().get(Ticket, tid)
        assert drafts.action_locale(ticket) == "en"  # Olive, the assignee, reads English
        with get_session().no_autoflush:
            ticket.assignee = None
            assert drafts.action_locale(ticket) == "zh-CN"  # then Rita, the requester
            ticket.requester = None  # (never so in the database: the requester is required)
            assert drafts.action_locale(ticket) == "zh-CN"  # then the definition's language
        get_session().rollback()


def test_the_72_hour_case_offers_the_root_cause_article_tagged_with_the_label_first(app, admin, desk):
    """A Chinese engineer's closure drafts the root-cause article tagged 电压干扰类; when a new ticket resembles the
    closed one, that article comes first, before another article linked to the same ticket and before the articles
    of a closer ticket with another cause; an article of an older draft, tagged with the stored value, counts as a
    root-cause article too."""
    _publish(admin, _labelled("/root_cause", action=True))
    rita, olive = login(app, "rita@example.com"), login(app, "olive@example.com")
    assert olive.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    restart = {**INCIDENT, "title": "server down: 产线设备频繁重启", "description": "三号产线控制器每天重启好几次"}
    first = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": restart}).json
    assert first["assignee"]["email"] == "olive@example.com"
    generic = _article(olive, {"texts": {"en": {"title": "How to restart a line controller", "body": "Power cycle it."}}})
    assert olive.post(f"/api/v1/tickets/{first['id']}/knowledge", json={"article_ids": [generic["id"]]}).status_code == 200
    old = _article(olive, {"texts": {"en": {"title": "Feeder spikes (2025)", "body": "A line reactor helps."}}},
                   tags=["voltage_interference"])
    assert olive.post(f"/api/v1/tickets/{first['id']}/knowledge", json={"article_ids": [old["id"]]}).status_code == 200
    _resolve(olive, first["id"], resolution="加装稳压电源后恢复正常", root_cause="voltage_interference")
    [written] = [i for i in olive.get(f"/api/v1/tickets/{first['id']}/knowledge").json["items"] if i["kind"] == "source"]
    draft = olive.get(f"/api/v1/knowledge/articles/{written['article_id']}").json
    assert set(draft["tags"]) == {"电压干扰类", "root cause"}
    assert olive.post(f"/api/v1/knowledge/articles/{draft['id']}/publish").status_code == 200

    again = {**restart, "title": "server down: 产线又重启了", "description": "三号产线控制器今天又重启"}
    # A closer ticket, with another cause and only a general article: its article comes after the root-cause ones.
    second = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": again}).json
    checklist = _article(olive, {"texts": {"en": {"title": "Restart checklist", "body": "Check the breaker."}}})
    assert olive.post(f"/api/v1/tickets/{second['id']}/knowledge", json={"article_ids": [checklist["id"]]}).status_code == 200
    _resolve(olive, second["id"], resolution="重新上电后恢复", root_cause="hardware_fault")

    third = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": again}).json
    assert [t["id"] for t in olive.get(f"/api/v1/tickets/{third['id']}/similar").json["items"]] == [second["id"], first["id"]]
    related = olive.get(f"/api/v1/tickets/{third['id']}/knowledge/related").json["items"]
    assert [r["id"] for r in related[:4]] == [draft["id"], old["id"], checklist["id"], generic["id"]], related
    assert related[0]["why"]["root_cause_tags"] == ["电压干扰类"]
    assert related[0]["why"]["similar_ticket"]["number"] == first["number"]
    assert related[1]["why"]["root_cause_tags"] == ["voltage_interference"]  # the stored value still matches
    assert related[2]["why"]["root_cause_tags"] == []
    similar = olive.get(f"/api/v1/tickets/{third['id']}/similar").json["items"]
    assert [a["id"] for a in similar[1]["articles"]] == [draft["id"], old["id"], generic["id"]]


def test_similar_candidates_are_read_from_the_finished_tickets_index(app, admin, desk):
    """The candidates (the newest finished tickets of the type, visible to the reader) can be read along
    ix_ticket_type_finished on both databases: the index's expression and predicate match the query's (at
    1,000,000 tickets the alternative sorts every finished ticket). The planners rightly prefer other plans on a
    table this small, so scans and sorts are discouraged on PostgreSQL and SQLite is told the index (INDEXED BY),
    to show whether they could use it, and without sorting."""
    from sqlalchemy import select, text

    from platform_core.auth.models import User
    from platform_core.db import get_session
    from runtime.knowledge import similar
    from runtime.tickets.models import Ticket

    rita, olive = login(app, "rita@example.com"), login(app, "sam@example.com")  # sam: service desk
    printer = {**INCIDENT, "category": "software"}
    for title in ("Printer offline", "Printer jams"):
        done = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {**printer, "title": title}}).json
        _resolve(olive, done["id"])
    mine = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {**printer, "title": "Printer"}}).json
    with app.app_context():
        session = get_session()
        ticket = session.get(Ticket, mine["id"])
        for email in ("admin@example.com", "sam@example.com"):  # no visibility filter; an agent's
            reader = session.scalar(select(User).where(User.email == email))
            statement = similar.candidates(session, reader, ticket).compile(
                session.get_bind(), compile_kwargs={"literal_binds": True})
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text("SET LOCAL enable_seqscan = off"))
                session.execute(text("SET LOCAL enable_sort = off"))
                plan = "\n".join(session.scalars(text(f"EXPLAIN {statement}")))
            else:  # INDEXED BY: the statement fails to prepare if the index cannot answer it (SQLite's planner may
                # rightly prefer another index on a table this small, the more so once ANALYZE has run)
                indexed = re.sub(r"\bFROM ticket\b", "FROM ticket INDEXED BY ix_ticket_type_finished", str(statement),
                                 count=1)
                plan = "\n".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {indexed}")))
            assert "ix_ticket_type_finished" in plan, plan
            assert "TEMP B-TREE FOR ORDER BY" not in plan, plan  # SQLite: no sort either
            session.rollback()
        assert len(similar.find_similar(session, session.scalar(select(User).where(User.email == "sam@example.com")),
                                        ticket)) == 2
