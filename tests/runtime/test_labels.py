"""Values as people read them (runtime.rules.labels) and what the server says (runtime.rules.texts): pure, no
database."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)

from __future__ import annotations

import json
import re
import string
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from runtime.rules import texts
from runtime.rules.definition import CompiledDefinition
from runtime.rules.i18n import LOCALES
from runtime.rules.labels import Labels
from runtime.rules.texts import Reader

ROOT = Path(__file__).resolve().parents[2]
INCIDENT = json.loads((ROOT / "templates_library/it_service_desk/it-incident.json").read_text(encoding="utf-8"))
REQUEST = json.loads((ROOT / "templates_library/it_service_desk/it-request.json").read_text(encoding="utf-8"))

PARTS = {
    "format": 1, "key": "repair", "name": "Repair", "number_prefix": "REP",
    "form": {"schema": {"type": "object", "properties": {
        "parts": {"type": "array", "title": "Parts", "i18n": {"zh-CN": {"title": "备件"}}, "items": {
            "type": "object", "properties": {
                "number": {"type": "string", "title": "Part number", "i18n": {"zh-CN": {"title": "零件号"}}},
                "qty": {"type": "integer", "title": "Quantity", "i18n": {"zh-CN": {"title": "数量"}}},
                "new": {"type": "boolean", "title": "New", "i18n": {"zh-CN": {"title": "新件"}}}}}},
        "colours": {"type": "array", "title": "Colours", "items": {"enum": ["r", "g"]}},
        "visit": {"type": "string", "format": "date-time", "title": "Visit"},
        "signature": {"type": "string", "format": "attachment", "title": "Signature"},
        "mode": {"type": "string", "title": "Mode", "oneOf": [{"const": "onsite", "title": "On site",
                                                              "i18n": {"zh-CN": {"title": "上门"}}},
                                                             {"const": "depot"}]},
        "score": {"type": "integer", "enum": [1, 2, 3]}}},
        "ui": {"colours": {"ui:enumNames": ["Red", "Green"], "i18n": {"zh-CN": {"ui:enumNames": ["红", "绿"]}}},
               "score": {"ui:title": "Rating", "ui:enumNames": ["Bad", ""], "i18n": {"zh-CN": {"ui:title": "评分"}}}}},
    "workflow": {"states": [{"key": "new", "name": "New", "category": "new", "initial": True}], "transitions": []},
}


def test_every_sentence_exists_in_every_language_with_the_same_placeholders():
    formatter = string.Formatter()
    for key, by_locale in texts.SENTENCES.items():
        assert set(by_locale) == set(LOCALES), key
        names = {locale: sorted({f for _, f, _, _ in formatter.parse(text) if f}) for locale, text in by_locale.items()}
        assert len({tuple(n) for n in names.values()}) == 1, (key, names)
        assert all(text.strip() for text in by_locale.values()), key


def test_chinese_sentences_are_chinese():
    for key, by_locale in texts.SENTENCES.items():
        english, chinese = by_locale["en"], by_locale["zh-CN"]
        # Placeholders, abbreviations, the format's own keywords (ui:layout, "section", "$ref", true, after_breach,
        # ticket.*, a recipient such as team.supervisor glossed in brackets), the documents it points to and protocol
        # terms read by integrators (JSON Schema, Unix time, HTTP headers, ISO 8601) stay as they are written.
        technical = (r"\{[a-z_]+\}|SLA|UTC|JSON|Schema|Unix|Python|Webhook|ISO 8601|https?://|ui:[a-z]+|"
                     r"[“\"][a-z_:]+[”\"]|[“\"][$#][^”\"]*[”\"]|X-[A-Za-z-]+|Authorization: Bearer|"
                     r"\b(?:true|false|null)\b|docs/[a-z-]+\.md|[a-z_]+(?:\.[a-z_*]+)+|[a-z]+_[a-z_]+|<[a-z]+>|"
                     r"\b[a-z]+:|\b[A-Z]{2,}\b|[a-z.]+(?=（)")
        if re.search(r"[A-Za-z]{3,}", re.sub(technical, "", chinese)):
            pytest.fail(f"{key}: {chinese!r} still has English words")
        assert english != chinese or key == "value.empty", key


def test_state_transition_and_field_names_per_locale():
    en, zh = Labels(INCIDENT, "en"), Labels(INCIDENT, "zh-CN")
    assert (en.state("resolved"), zh.state("resolved")) == ("Resolved", "已解决")
    assert (en.transition("start"), zh.transition("start")) == ("Start work", "开始处理")
    assert (en.field_title("root_cause"), zh.field_title("root_cause")) == ("Root cause", "根本原因")
    assert zh.field_title("priority") == "优先级" and zh.field_title("comment") == "评论"
    assert zh.state("nowhere") == "nowhere" and zh.transition(None) == "" and zh.field_title("ghost") == "ghost"
    assert zh.named("routing", 2, "Everything else to the service desk") == "其他问题转服务台"
    assert zh.named("routing", 9, "Gone rule") == "Gone rule"


def test_option_labels_from_ui_enum_names_and_one_of():
    en, zh = Labels(INCIDENT, "en"), Labels(INCIDENT, "zh-CN")
    assert en.value("category", "access") == "Access and accounts" and zh.value("category", "access") == "账号与权限"
    assert zh.value("root_cause", "third_party") == "第三方原因"
    assert zh.value("category", "printers") == "printers"  # not an option (an old version's value): as stored
    assert zh.options("urgency") == [{"value": "high", "label": "高：工作已完全停止"},
                                     {"value": "medium", "label": "中：工作受到影响"},
                                     {"value": "low", "label": "低：有些不便"}]
    assert zh.options("title") is None


def test_values_of_every_kind():
    en, zh = Labels(PARTS, "en"), Labels(PARTS, "zh-CN")
    rows = [{"number": "A-1", "qty": 2, "new": True}, {"number": "B-2", "qty": 1, "new": False}]
    assert en.value("parts", rows) == "Part number: A-1, Quantity: 2, New: Yes\nPart number: B-2, Quantity: 1, New: No"
    assert zh.value("parts", rows) == "零件号: A-1；数量: 2；新件: 是\n零件号: B-2；数量: 1；新件: 否"
    assert en.value("colours", ["r", "g"]) == "Red, Green" and zh.value("colours", ["r", "g"]) == "红、绿"
    assert zh.value("mode", "onsite") == "上门" and zh.value("mode", "depot") == "depot"
    assert en.value("score", 1) == "Bad" and en.value("score", 2) == "2"  # an empty name: the value itself
    assert en.value("score", True) == "Yes"  # true is not the option 1
    assert zh.field_title("score") == "评分" and en.field_title("score") == "Rating"
    assert en.value("signature", "att_x", attachments={"att_x": "sign.png"}) == "sign.png"
    assert en.value("signature", "att_y") == "att_y"
    assert en.value("visit", "2026-12-02T06:05:00Z") == "2 Dec 2026, 06:05 UTC"
    assert zh.value("visit", "2026-12-02T06:05:00+00:00", time_zone="Asia/Shanghai") == "2026年12月2日 14:05"
    assert en.value("visit", "not a time") == "not a time"
    for empty in (None, "", [], {}):
        assert en.value("parts", empty) == "—"
    assert en.attachment_ids("signature", "att_x") == ["att_x"] and en.attachment_ids("parts", rows) == []


def test_dates_and_times():
    assert texts.format_date(date(2026, 2, 1), "en") == "1 Feb 2026"
    assert texts.format_date(date(2026, 2, 1), "zh-CN") == "2026年2月1日"
    assert Labels(REQUEST, "zh-CN").value("needed_by", "2027-01-15") == "2027年1月15日"
    moment = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)
    assert texts.format_datetime(moment, "en", "Asia/Shanghai") == "3 Dec 2026, 07:30"
    assert texts.format_datetime(moment, "en", "No/Such_Zone") == "2 Dec 2026, 23:30 UTC"
    assert texts.format_datetime(moment.replace(tzinfo=None), "zh-CN") == "2026年12月2日 23:30 UTC"


def test_checklist_items_are_stored_as_authored_and_read_translated():
    zh = Labels(INCIDENT, "zh-CN")
    authored = next(t for t in INCIDENT["workflow"]["transitions"] if t["key"] == "resolve")["checklist"]
    assert zh.checklist("resolve", authored[:1]) == ["提交人已确认恢复正常，或已告知其如何自行验证"]
    assert zh.checklist("resolve", ["An item of an older version"]) == ["An item of an older version"]
    assert Labels(INCIDENT, "en").checklist("resolve", authored) == authored


def test_form_errors_in_both_languages():
    compiled = CompiledDefinition(REQUEST)
    bad = {"title": "x", "category": "hardware", "justification": "short", "blocks_work": "yes",
           "attachments": ["a"] * 11}
    _, english = compiled.validate_data(bad, {})
    _, chinese = compiled.validate_data(bad, {}, locale="zh-CN")
    assert {e["path"]: e["message"] for e in english} == {
        "/attachments": "Add at most 10 items.", "/blocks_work": "Must be of type boolean.",
        "/cost_center": "Cost centre is required.", "/hardware_item": "Item is required.",
        "/justification": "Use at least 10 characters.", "/region": "Delivery region is required.",
        "/title": "Use at least 3 characters."}
    assert {e["path"]: e["message"] for e in chinese} == {
        "/attachments": "最多只能添加 10 项。", "/blocks_work": "类型不正确，应为是或否。",
        "/cost_center": "成本中心为必填项。", "/hardware_item": "物品为必填项。",
        "/justification": "请至少输入 10 个字符。", "/region": "交付区域为必填项。", "/title": "请至少输入 3 个字符。"}
    assert compiled.validate_data([], {}, locale="zh-CN")[1] == [{"path": "", "message": "表单数据必须是一个对象。"}]


def test_messages_are_made_for_each_reader():
    from runtime.tickets.display import escalated_message, sla_warning_message, survey_message

    class Ticket:
        number, title = "INC-000007", "Mail down"

    due = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)
    warning = sla_warning_message(Ticket(), "resolution", due)
    assert texts.render(warning, Reader("en")) == "INC-000007: the resolution target is due at 2 Dec 2026, 06:30 UTC: Mail down"
    assert texts.render(warning, Reader("zh-CN", "Asia/Shanghai")) == \
        "INC-000007：解决目标将于 2026年12月2日 14:30 到期：Mail down"
    assert texts.render(escalated_message(Ticket(), 2, "next_update"), Reader("zh-CN")) == \
        "第 2 级升级：INC-000007 的下次更新目标已超时：Mail down"
    assert texts.render(survey_message(Ticket(), "nps"), Reader("zh-CN")) == \
        "您对 INC-000007 的处理满意吗？请打分（0 到 10 分）：Mail down"
    assert texts.render("as it is", Reader("zh-CN")) == "as it is"


def test_roles_and_recipients():
    assert texts.either([texts.role_name(r, "zh-CN") for r in ("requester", "agent")], "zh-CN") == "提交人或处理人员"
    assert texts.either([texts.role_name(r, "en") for r in ("requester", "executive")], "en") == "requester or executive"
    assert texts.recipient_name("team.supervisor", "zh-CN") == "团队主管"
    assert texts.recipient_name("role:executive", "en") == "executive"
    assert texts.recipient_name("user:bo@example.com", "zh-CN") == "bo@example.com"
    assert texts.say("value.yes", "fr") == "Yes"  # a language without texts reads English
