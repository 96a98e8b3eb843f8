"""Translations in a definition: the meta-schema, validation (pointers and plain messages) and the diff."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from designer.format.diff import diff_definitions
from designer.validation import validate_definition

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text(encoding="utf-8"))
TEMPLATES = ROOT / "templates_library" / "it_service_desk"


def example() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def problems(document: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    report = validate_definition(document)
    return [(p.pointer, p.code) for p in report.errors], [(p.pointer, p.code) for p in report.warnings]


def message(document: Any, pointer: str) -> str:
    return next(p.message for p in validate_definition(document).errors if p.pointer == pointer)


def state(document: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in document["workflow"]["states"] if s["key"] == key)


def transition(document: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in document["workflow"]["transitions"] if t["key"] == key)


def translated() -> dict[str, Any]:
    """The example with a translation of every kind of text."""
    document = example()
    document["i18n"] = {"zh-CN": {"name": "IT 故障", "description": "原本正常的东西坏了。"}}
    properties = document["form"]["schema"]["properties"]
    properties["title"]["i18n"] = {"zh-CN": {"title": "标题"}}
    properties["category"]["i18n"] = {"zh-CN": {"title": "类别"}}
    document["form"]["ui"]["category"] = {"ui:enumNames": ["Hardware", "Software", "Network", "Access"],
                                          "i18n": {"zh-CN": {"ui:enumNames": ["硬件", "软件", "网络", "权限"]}}}
    document["form"]["ui"]["title"] = {"ui:placeholder": "e.g. Mail down", "i18n": {"zh-CN": {"ui:placeholder": "例如"}}}
    state(document, "new")["i18n"] = {"zh-CN": {"name": "新建"}}
    resolve = transition(document, "resolve")
    resolve["i18n"] = {"zh-CN": {"name": "解决", "checklist": ["已向提交人说明原因"]}}
    resolve["fields"]["root_cause"]["i18n"] = {"zh-CN": {"title": "根本原因"}}
    document["routing"][0]["i18n"] = {"zh-CN": {"name": "华东服务器宕机"}}
    document["sla"][0]["i18n"] = {"zh-CN": {"name": "标准"}}
    document["automations"][0]["i18n"] = {"zh-CN": {"name": "沉默提醒"}}
    document["charts"][0]["i18n"] = {"zh-CN": {"title": "积压"}}
    return document


# --- the format ----------------------------------------------------------------------------------------------


def test_a_definition_without_translations_is_unchanged_and_valid():
    assert problems(example()) == ([], [])


def test_translations_of_every_kind_are_valid():
    document = translated()
    assert problems(document) == ([], [])
    document["locale"] = "en"
    assert problems(document) == ([], [])


def test_the_templates_translate_every_text_and_validate():
    from runtime.rules.i18n import missing_translations

    shipped = sorted(p for p in (ROOT / "templates_library").glob("*/*.json") if p.name != "template.json")
    assert TEMPLATES / "it-incident.json" in shipped
    for path in shipped:  # every industry template, so a chart's measure labels too
        document = json.loads(path.read_text(encoding="utf-8"))
        assert missing_translations(document, "zh-CN") == [], path.name
        assert validate_definition(document).errors == [], path.name


def test_a_definition_written_in_chinese_with_english_translations():
    document = example()
    document["locale"] = "zh-CN"
    document["name"] = "IT 故障"
    document["i18n"] = {"en": {"name": "IT incident"}}
    assert problems(document) == ([], [])
    document["locale"] = "fr"
    assert problems(document)[0] == [("/locale", "schema.enum")]


def test_translations_into_the_document_s_own_language_are_a_warning():
    document = example()
    document["i18n"] = {"en": {"name": "IT incident again"}}
    assert problems(document) == ([], [("/i18n/en", "i18n.same_locale")])


@pytest.mark.parametrize(("place", "pointer"), [
    (lambda d: d, "/i18n/fr"),
    (lambda d: state(d, "new"), "/workflow/states/0/i18n/fr"),
    (lambda d: d["form"]["schema"]["properties"]["title"], "/form/schema/properties/title/i18n/fr"),
    (lambda d: d["form"]["ui"]["description"], "/form/ui/description/i18n/fr"),
])
def test_only_english_and_chinese(place, pointer):
    document = example()
    place(document)["i18n"] = {"fr": {"name": "x", "title": "x", "ui:help": "x"}}
    found, _ = problems(document)
    assert found == [(pointer, "schema.unknown_key" if "/form/" not in pointer else "i18n.locale")]
    if "/form/" in pointer:
        assert message(document, pointer).endswith("'fr' is not a language Gongdan translates into: use en or zh-CN.")


def test_translations_must_translate_something_that_exists():
    document = example()
    document["form"]["schema"]["properties"]["asset_tag"].pop("title")
    document["form"]["schema"]["properties"]["asset_tag"]["i18n"] = {"zh-CN": {"title": "资产编号"}}
    state(document, "new")["i18n"] = {"zh-CN": {"description": "刚提交"}}
    transition(document, "start")["i18n"] = {"zh-CN": {"checklist": ["准备好了"]}}
    document["form"]["ui"]["description"]["i18n"] = {"zh-CN": {"ui:help": "写清楚"}}
    assert problems(document)[0] == [
        ("/form/schema/properties/asset_tag/i18n/zh-CN/title", "i18n.nothing_to_translate"),
        ("/form/ui/description/i18n/zh-CN/ui:help", "i18n.nothing_to_translate"),
        ("/workflow/states/0/i18n/zh-CN/description", "i18n.nothing_to_translate"),
        ("/workflow/transitions/1/i18n/zh-CN/checklist", "i18n.nothing_to_translate"),
    ]
    assert message(document, "/workflow/states/0/i18n/zh-CN/description") == (
        "State 'new': There is no 'description' here to translate: write it first, then its Chinese (zh-CN) "
        "translation ('刚提交').")


def test_lists_must_have_one_entry_per_authored_entry():
    document = translated()
    document["form"]["ui"]["category"]["i18n"]["zh-CN"]["ui:enumNames"] = ["硬件", "软件"]
    transition(document, "resolve")["i18n"]["zh-CN"]["checklist"] = ["一", "二"]
    assert problems(document)[0] == [("/form/ui/category/i18n/zh-CN/ui:enumNames", "i18n.length"),
                                     ("/workflow/transitions/4/i18n/zh-CN/checklist", "i18n.length")]
    assert message(document, "/form/ui/category/i18n/zh-CN/ui:enumNames") == (
        "The form's UI settings: The Chinese (zh-CN) 'ui:enumNames' has 2 entries but 'ui:enumNames' has 4: give one "
        "per entry, in the same order (it is not used otherwise).")


def test_only_texts_translate_and_only_as_text():
    document = example()
    document["form"]["schema"]["properties"]["title"]["i18n"] = {"zh-CN": {"pattern": "^.*$", "title": 3}}
    document["form"]["ui"]["description"]["i18n"] = {"zh-CN": {"ui:widget": "input"}}
    document["form"]["ui"]["category"] = {"ui:enumNames": ["a", "b", "c", "d"], "i18n": {"zh-CN": {"ui:enumNames": "甲"}}}
    state(document, "new")["i18n"] = {"zh-CN": {"key": "xin"}}
    transition(document, "assign")["i18n"] = "分派"
    found = problems(document)[0]
    assert sorted(found) == [
        ("/form/schema/properties/title/i18n/zh-CN/pattern", "i18n.unknown_text"),
        ("/form/schema/properties/title/i18n/zh-CN/title", "i18n.not_text"),
        ("/form/ui/category/i18n/zh-CN/ui:enumNames", "i18n.not_text"),
        ("/form/ui/description/i18n/zh-CN/ui:widget", "i18n.unknown_text"),
        ("/workflow/states/0/i18n/zh-CN/key", "schema.unknown_key"),
        ("/workflow/transitions/0/i18n", "schema.type"),
    ]
    assert message(document, "/form/ui/description/i18n/zh-CN/ui:widget") == (
        "The form's UI settings: 'ui:widget' cannot be translated here: the texts of a field's UI settings are "
        "ui:title, ui:description, ui:help, ui:placeholder, ui:enumNames.")


def test_i18n_is_reserved_as_a_field_name_wherever_fields_are_named():
    document = example()
    document["form"]["schema"]["properties"]["i18n"] = {"type": "string"}
    document["form"]["schema"]["properties"]["address"] = {"type": "object", "properties": {"i18n": {"type": "string"}}}
    transition(document, "resolve")["fields"]["i18n"] = {"type": "string"}
    found = problems(document)[0]
    assert ("/form/schema/properties/i18n", "form.reserved_field") in found
    assert ("/form/schema/properties/address/properties/i18n", "form.reserved_field") in found
    assert ("/workflow/transitions/4/fields/i18n", "workflow.reserved_field") in found
    assert "holds the translations" in message(document, "/form/schema/properties/i18n")


def test_the_ui_root_has_no_translations():
    document = example()
    document["form"]["ui"]["i18n"] = {"zh-CN": {"ui:title": "表单"}}
    assert problems(document) == ([("/form/ui/i18n", "i18n.misplaced")], [])


def test_i18n_in_a_field_schema_is_not_an_unknown_keyword_and_keeps_the_fast_path():
    from designer.validation.common import _plainly_valid

    schema = {"type": "string", "title": "Title", "i18n": {"zh-CN": {"title": "标题"}}}
    assert _plainly_valid(schema)
    assert problems(translated())[1] == []


def test_transition_descriptions_exist_now_and_translate():
    document = example()
    transition(document, "resolve")["description"] = "Fixed and explained."
    transition(document, "resolve")["i18n"] = {"zh-CN": {"description": "已修复并说明。"}}
    assert problems(document) == ([], [])


def test_empty_translations_fall_back_and_are_allowed():
    document = example()
    state(document, "new")["i18n"] = {"zh-CN": {"name": ""}}
    assert problems(document) == ([], [])


def test_an_empty_entry_of_a_list_is_a_warning():
    document = example()
    transition(document, "resolve")["i18n"] = {"zh-CN": {"checklist": [" "]}}
    assert problems(document) == ([], [("/workflow/transitions/4/i18n/zh-CN/checklist/0", "i18n.empty_entry")])


# --- the diff ------------------------------------------------------------------------------------------------


def test_translation_changes_are_their_own_changes_and_never_breaking():
    old = translated()
    new = copy.deepcopy(old)
    new["form"]["schema"]["properties"]["title"]["i18n"]["zh-CN"]["title"] = "主题"
    transition(new, "resolve")["i18n"]["zh-CN"]["name"] = "已解决"
    state(new, "new")["i18n"]["en"] = {"name": "Brand new"}
    state(new, "closed")["i18n"] = {"zh-CN": {"name": "已关闭"}}
    changes = diff_definitions(old, new)
    assert [(c["kind"], c["path"], c["locales"], c["breaking"]) for c in changes] == [
        ("translations_changed", "/form/schema/properties/title/i18n", ["zh-CN"], False),
        ("translations_changed", "/workflow/states/0/i18n", ["en"], False),
        ("translations_changed", "/workflow/states/5/i18n", ["zh-CN"], False),
        ("translations_changed", "/workflow/transitions/4/i18n", ["zh-CN"], False),
    ]
    assert [c["summary"] for c in changes] == [
        "The Chinese translation of field 'Title' changed.",
        "The English translation of state 'New' changed.",
        "The Chinese translation of state 'Closed' changed.",
        "The Chinese translation of transition 'Resolve' changed.",
    ]


def test_translations_follow_their_object_when_it_moves():
    old = translated()
    new = copy.deepcopy(old)
    new["workflow"]["states"].reverse()
    changes = diff_definitions(old, new)
    assert [c["kind"] for c in changes] == []


def test_adding_translations_changes_nothing_else_and_the_locale_is_compared():
    from runtime.rules.i18n import strip_translations

    new = translated()
    old = strip_translations(new)
    kinds = {c["kind"] for c in diff_definitions(old, new)}
    assert kinds == {"translations_changed"}
    chinese = copy.deepcopy(new)
    chinese["locale"] = "zh-CN"
    assert [c["kind"] for c in diff_definitions(new, chinese)] == ["locale_changed"]
    removed = diff_definitions(new, old)
    assert len(removed) == len(diff_definitions(old, new)) and all(not c["breaking"] for c in removed)


def test_a_chart_measure_s_label_translates_like_a_chart_title():
    document = translated()
    measure = document["charts"][0]["measures"][0]
    measure.update({"label": "Incidents", "i18n": {"zh-CN": {"label": "故障数"}}})
    assert problems(document) == ([], [])
    measure["i18n"] = {"en": {"label": "Tickets"}}
    assert problems(document) == ([], [("/charts/0/measures/0/i18n/en", "i18n.same_locale")])
    for bad, pointer, code in (({"fr": {"label": "x"}}, "/charts/0/measures/0/i18n/fr", "schema.unknown_key"),
                               ({"zh-CN": {"label": ["x"]}}, "/charts/0/measures/0/i18n/zh-CN/label", "schema.type"),
                               ({"zh-CN": {"title": "x"}}, "/charts/0/measures/0/i18n/zh-CN/title", "schema.unknown_key"),
                               ("故障数", "/charts/0/measures/0/i18n", "schema.type")):
        measure["i18n"] = bad
        assert problems(document)[0] == [(pointer, code)], bad
    measure.pop("label")
    measure["i18n"] = {"zh-CN": {"label": "数量"}}
    assert problems(document)[0] == [("/charts/0/measures/0/i18n/zh-CN/label", "i18n.nothing_to_translate")]


def test_a_measure_s_translation_change_names_the_measure_and_its_chart():
    old = translated()
    old["charts"][0]["measures"][0]["label"] = "Incidents"
    new = copy.deepcopy(old)
    new["charts"][0]["measures"][0]["i18n"] = {"zh-CN": {"label": "故障数"}}
    changes = diff_definitions(old, new)
    assert [(c["kind"], c["path"], c["locales"], c["summary"]) for c in changes] == [
        ("translations_changed", "/charts/0/measures/0/i18n", ["zh-CN"],
         "The Chinese translation of measure 'Incidents' of chart 'Open tickets by category' changed.")]


# --- the designer's preview: simulate in a language ------------------------------------------------------------


def test_simulate_gives_form_errors_in_the_previewed_language(app, make_user):
    from tests.conftest import PASSWORD, Api

    make_user("dee@example.com", ["designer"], name="Dee Designer", locale="zh-CN")
    designer = Api(app.test_client())
    assert designer.login("dee@example.com", PASSWORD).status_code == 200
    document = translated()
    document["form"]["schema"]["properties"]["asset_tag"]["i18n"] = {"zh-CN": {"title": "资产编号"}}
    assert designer.post("/api/v1/ticket-types/import", json=document).status_code == 201
    data = {"title": "Laptop", "category": "hardware", "urgency": "high", "impact": "person",
            "description": "Black screen", "asset_tag": "bad"}

    def errors(**extra):
        body = designer.post("/api/v1/ticket-types/it-incident/simulate", json={"data": data, **extra})
        assert body.status_code == 200, body.json
        return {e["path"]: e["message"] for e in body.json["errors"]}

    assert errors() == {"/asset_tag": "资产编号的格式不正确。"}  # the designer's own language by default
    assert errors(locale="en") == {"/asset_tag": "Asset tag does not have the expected format."}
    assert errors(locale="zh-CN", data={**data, "title": "x"})["/title"] == "请至少输入 3 个字符。"
    refused = designer.post("/api/v1/ticket-types/it-incident/simulate", json={"data": data, "locale": "fr"})
    assert refused.status_code == 422
