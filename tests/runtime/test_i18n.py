"""localize(document, locale) and the reader's language (runtime.rules.i18n).

The table of cases is tests/support/i18n/localize-cases.json, so that the designer's TypeScript localize can be
checked against exactly the same documents and answers.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from runtime.rules.i18n import (
    localize,
    negotiate,
    normalize_locale,
    reader_locale,
    strip_translations,
    translation_sites,
)

CASES = json.loads((Path(__file__).parents[1] / "support" / "i18n" / "localize-cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_localize_cases(case):
    document = copy.deepcopy(case["document"])
    assert localize(document, case["locale"]) == case["expected"]
    assert document == case["document"], "localize never changes its input"


def test_the_cases_cover_every_kind_of_site():
    kinds = {site.kind for case in CASES for site in translation_sites(case["document"])}
    assert kinds == {"document", "schema", "ui", "section", "state", "transition", "routing", "sla", "automation", "chart",
                     "measure"}


def test_the_document_itself_is_returned_for_its_own_locale():
    document = {"name": "X", "i18n": {"zh-CN": {"name": "叉"}}}
    assert localize(document, "en") is document
    assert localize(document, "zh-CN") is not document


def test_localizing_twice_for_the_same_reader_changes_nothing_more():
    template = json.loads((Path(__file__).parents[2] / "templates_library/it_service_desk/it-incident.json")
                          .read_text(encoding="utf-8"))
    once = localize(template, "zh-CN")
    assert localize(once, "zh-CN") == once
    assert once["workflow"]["states"][0]["name"] == "新建"


def test_strip_translations_removes_every_i18n_object_and_nothing_else():
    document = {"name": "X", "i18n": {"zh-CN": {"name": "叉"}},
                "form": {"schema": {"type": "object", "properties": {
                    "i18n": {"type": "string", "i18n": {"zh-CN": {"title": "语言"}}}}},
                    "ui": {"i18n": {"ui:help": "x"}}}}
    assert strip_translations(document) == {"name": "X", "form": {"schema": {"type": "object", "properties": {
        "i18n": {"type": "string"}}}, "ui": {"i18n": {"ui:help": "x"}}}}
    assert "i18n" in document


def test_sites_are_found_in_document_order_with_their_paths():
    document = {"name": "X", "form": {"schema": {"type": "object", "properties": {
        "a": {"type": "string"}, "b": {"type": "array", "items": {"type": "string"}}}},
        "ui": {"ui:order": ["a", "b"], "a": {"ui:widget": "textarea"}}},
        "workflow": {"states": [{"key": "s"}], "transitions": [{"key": "t", "fields": {"f": {"type": "string"}}}]},
        "routing": [{"name": "r"}], "charts": [{"key": "c"}]}
    assert [site.path for site in translation_sites(document)] == [
        (), ("form", "schema"), ("form", "schema", "properties", "a"), ("form", "schema", "properties", "b"),
        ("form", "schema", "properties", "b", "items"), ("form", "ui", "a"), ("workflow", "states", 0),
        ("workflow", "transitions", 0), ("workflow", "transitions", 0, "fields", "f"), ("routing", 0), ("charts", 0)]


def test_a_very_deep_schema_is_walked_without_recursion():
    schema: dict = {"type": "string", "title": "leaf", "i18n": {"zh-CN": {"title": "叶"}}}
    for _ in range(5000):
        schema = {"not": schema}
    document = {"form": {"schema": schema}}
    localize(document, "zh-CN")  # no RecursionError; parts beyond the walk's depth limit stay as authored


@pytest.mark.parametrize(("header", "expected"), [
    (None, "en"), ("", "en"), ("zh-CN", "zh-CN"), ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"), ("en-GB,en;q=0.9", "en"),
    ("fr-FR,fr;q=0.9,zh;q=0.5,en;q=0.4", "zh-CN"), ("fr, de", "en"), ("en;q=0.1, zh-Hans;q=0.2", "zh-CN"),
    ("zh-TW", "zh-CN"), ("zh;q=0, en", "en"), ("*", "en"), ("de, *;q=0.5", "en"), ("en;q=abc, zh", "zh-CN"),
    ("ZH-cn", "zh-CN"), ("en, zh", "en"), ("zh, en", "zh-CN"),
])
def test_accept_language_is_negotiated(header, expected):
    assert negotiate(header) == expected


def test_the_profile_comes_before_the_request():
    assert reader_locale("zh-CN", "en") == "zh-CN"
    assert reader_locale("en", "zh-CN") == "en"
    assert reader_locale(None, "zh-CN,en;q=0.5") == "zh-CN"
    assert reader_locale("xx", None) == "en"
    assert normalize_locale("zh_CN") == "zh-CN" and normalize_locale("pt") is None and normalize_locale(3) is None
