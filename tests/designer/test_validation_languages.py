"""The validator's problems in the designer's language: every message of designer/validation exists in English and
Simplified Chinese (runtime.rules.texts's check.* sentences), the Chinese ones have no English sentence left, the
English ones read as they always did, and the codes and pointers are the same in both.

No database: validate_definition is called directly (the API's part is in test_api.py).
"""

# ruff: noqa: RUF001, RUF003  (Chinese punctuation is meant)

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from designer.format.document import META_SCHEMA
from designer.validation import validate_definition
from designer.validation.common import SCHEMA_KEYWORDS, STATE_CATEGORIES
from runtime.rules import texts
from runtime.rules.context import TICKET_ATTRIBUTES
from runtime.rules.logic import compile_rule
from runtime.rules.patterns import pattern_problem
from runtime.rules.values import RuleError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text(encoding="utf-8"))
# The English messages of MODULES' definitions as the validator wrote them before it spoke two languages (made with
# that code, the parent of the commit that added this test: see _as_lists).
ENGLISH = Path(__file__).parent / "validation_messages_en.json"
KNOWN = {"known_teams": {"service-desk", "network-ops"}, "known_roles": {"agent", "requester", "admin"},
         "known_types": {"it-incident"}}


def _doc() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def _transition(document: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in document["workflow"]["transitions"] if t["key"] == key)


def _state(document: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in document["workflow"]["states"] if s["key"] == key)


def _shape() -> list[Any]:
    deep: Any = "x"
    for _ in range(120):
        deep = [deep]
    document = _doc()
    document["description"] = deep
    document["x-big"] = 10 ** 90
    document["x-long"] = list(range(2_500))
    return [[1, 2], "text", None, document, {"format": "nine", "key": "k"}, {"key": "k"}]


def _metaschema() -> list[Any]:
    document = _doc()
    document["key"] = "Not A Key"
    document["number_prefix"] = "in"
    document["nmae"] = "typo"
    del document["name"]
    document["workflow"]["states"][0]["category"] = "opne"
    document["workflow"]["states"][1]["initial"] = "yes"
    document["workflow"]["transitions"][0]["from"] = 7
    document["sla"][0]["calendar"] = ""
    document["sla"][0]["targets"]["P1"]["response"] = "30 minutes"
    document["sla"][0]["warn_at"] = [2]
    document["routing"][0]["assign"]["strategy"] = "randomly"
    document["routing"][0]["notify"][0]["to"] = ["the boss"]
    document["charts"][0]["measures"] = []
    document["automations"][0]["do"][0] = {"do": "notify"}
    document["priority"]["levels"] = ["P1", "P1"]
    document["priority"]["overrides"].append({"when": True, "raise_by": 1, "set": "P1"})
    document["workflow"]["states"][2]["approval"] = {"approvers": {}, "on_approve": "resolve"}
    return [document]


def _form() -> list[Any]:
    document = _doc()
    schema = document["form"]["schema"]
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["properties"]["ticket"] = {"type": "string"}
    schema["properties"]["bad name"] = {"type": "string"}
    schema["properties"]["title"]["maxlength"] = 10
    schema["properties"]["title"]["minLength"] = -1
    schema["properties"]["asset_tag"]["pattern"] = "(?=x)[A-Z]+"
    schema["properties"]["region"]["pattern"] = "a" * 3_000
    schema["properties"]["description"]["$ref"] = "#/$defs/missing"
    schema["properties"]["screenshots"]["$ref"] = "https://example.com/schema.json"
    schema["properties"]["urgency"]["$ref"] = "#nowhere"
    schema["properties"]["category"]["enum"] = [*schema["properties"]["category"]["enum"], "printers"]
    schema["required"] = [*schema.get("required", []), "titel"]
    document["categories"] = [*document["categories"], "phones"]
    ui = document["form"]["ui"]
    ui["ui:order"] = ["title", "title", 3, "ghost", "*"]
    ui["ghost"] = {"ui:widget": "textarea"}
    ui["ui:layout"] = ["title", {"section": "a b", "items": "x"}, {"columns": [["nope"]]}, 5]
    document["form"]["field_rules"] = [{"when": {"==": [{"var": "category"}, "network"]}, "show": ["ghost"],
                                        "hide": ["ghost"], "require": ["ghost"], "readonly": ["ghost"]}]
    other = _doc()
    other["form"]["ui"]["ui:order"] = "title"
    return [document, other]


def _i18n() -> list[Any]:
    document = _doc()
    document["locale"] = "en"
    document["form"]["schema"]["properties"]["category"]["i18n"] = {
        "zh-CN": {"enumNames": ["硬件"], "title": 5, "colour": "红"}, "fr": {"title": "Catégorie"},
        "en": {"title": "Category"}}
    document["form"]["schema"]["properties"]["urgency"]["i18n"] = {"zh-CN": {"description": "紧急程度的说明"}}
    document["form"]["schema"]["properties"]["urgency"]["properties"] = {"i18n": {"type": "string"}}
    document["form"]["ui"]["i18n"] = {"zh-CN": {}}
    document["form"]["ui"]["category"] = {"ui:enumNames": ["Hardware", "Software", "Network", "Access"],
                                          "i18n": {"zh-CN": {"ui:enumNames": ["硬件", ""]}}}
    document["form"]["ui"]["urgency"] = {"i18n": {"zh-CN": "紧急"}}
    document["form"]["ui"]["impact"] = {"i18n": ["x"]}
    document["form"]["ui"]["region"] = {"i18n": {"zh-CN": {"ui:enumNames": "东"}}}
    _transition(document, "resolve")["i18n"] = {"zh-CN": {"checklist": ["只有一项"]}}
    return [document]


def _rules() -> list[Any]:
    document = _doc()
    document["form"]["field_rules"] = [{"when": {"==": [{"var": "categroy"}, "x"]}, "show": ["title"]}]
    document["priority"]["overrides"][0]["when"] = {"method": ["x", "upper"]}
    document["routing"][0]["when"] = {"==": [{"var": "ticket.requester.nmae"}, "x"]}
    document["routing"][1]["when"] = {"===": [1]}
    _transition(document, "reopen")["guard"] = {"==": [{"var": "root_cause"}, "x"]}
    document["sla"][0]["when"] = {"==": [{"var": "ticket.data.ghost"}, 1]}
    document["automations"][0]["when"] = {"frobnicate": [1, 2]}
    document["charts"][0]["filter"] = {"==": [{"var": "nope"}, 1]}
    _transition(document, "confirm")["actions"] = [{"do": "set", "fields": {"description": {"var": "missing_one"}}}]
    return [document]


def _workflow() -> list[Any]:
    document = _doc()
    states = document["workflow"]["states"]
    states.append(copy.deepcopy(states[1]))
    states.append({"key": "limbo", "name": "Limbo", "category": "open"})
    states[1]["initial"] = True
    transitions = document["workflow"]["transitions"]
    transitions.append(copy.deepcopy(transitions[0]))
    transitions.append({"key": "warp", "name": "Warp", "from": ["nowhere"], "to": "elsewhere"})
    transitions.append({"key": "auto1", "name": "Auto 1", "from": ["new"], "to": "assigned", "on": "assigned",
                        "require": ["title"], "checklist": ["Check"]})
    transitions.append({"key": "auto2", "name": "Auto 2", "from": ["new"], "to": "assigned", "on": "assigned"})
    _transition(document, "ask")["require"] = ["ghost"]
    _transition(document, "resolve")["fields"]["comment"] = {"type": "string"}
    _transition(document, "resolve")["fields"]["title"] = {"type": "string"}
    other = _doc()
    for state in other["workflow"]["states"]:
        state.pop("initial", None)
        state.pop("final", None)
    dead = _doc()
    dead["workflow"]["states"].append({"key": "island", "name": "Island", "category": "open"})
    dead["workflow"]["transitions"].append({"key": "to_island", "name": "To island", "from": ["new"], "to": "island"})
    return [document, other, dead]


def _approvals() -> list[Any]:
    document = _doc()
    transitions = document["workflow"]["transitions"]
    transitions.append({"key": "approve", "name": "Approve", "from": ["new"], "to": "assigned", "guard": True,
                        "require": ["title"], "checklist": ["Check"]})
    transitions.append({"key": "auto", "name": "Auto", "from": ["new"], "to": "assigned", "on": "assigned"})
    _state(document, "new")["approval"] = {"approvers": {"roles": ["cab"], "teams": ["change-board"]},
                                           "on_approve": "approve", "on_reject": "approve", "deadline": "PT0M",
                                           "warn_before": "PT1H", "escalate_to": {"roles": ["boss"]}}
    _state(document, "assigned")["approval"] = {"approvers": {"users": ["a@example.com"]}, "on_approve": "answer",
                                                "on_reject": "auto", "on_timeout": "escalate", "warn_before": "PT1H"}
    _state(document, "closed")["approval"] = {"approvers": {"users": ["a@example.com"]}, "on_approve": "ghost",
                                              "deadline": "PT1H", "warn_before": "PT2H"}
    return [document]


def _sla() -> list[Any]:
    document = _doc()
    priority = document["priority"]
    priority["default"] = "P9"
    priority["matrix"]["by"] = ["urgency", "title", "ghost"]
    priority["matrix"]["cells"] = {"high|x": "P0", "high|x|y": "P1", "nope|*|*": "P2"}
    priority["overrides"].append({"when": True, "set": "P7"})
    document["routing"][0]["set_priority"] = "Px"
    document["sla"][0]["targets"]["P9"] = {"response": "PT1H"}
    document["sla"][0]["targets"]["P2"]["response"] = "PT0M"
    del document["sla"][0]["targets"]["P3"]
    del document["sla"][0]["targets"]["P4"]
    document["sla"][0]["warn_before"] = ["PT0M"]
    document["sla"][0]["pause_in"] = ["pendng"]
    document["sla"].append({"name": "Never", "when": {"==": [1, 1]}, "targets": {"P1": {"response": "PT1H"}}})
    unreachable = _doc()
    unreachable["priority"] = {"levels": ["P1", "P2", "P3", "P4", "P5"], "default": "P3"}
    return [document, unreachable]


def _references() -> list[Any]:
    document = _doc()
    document["routing"][0]["assign"] = {"team": "east-ops", "strategy": "fixed"}
    document["routing"][0]["notify"] = [{"to": ["role:execs"]}]
    document["routing"].append({"name": "After all", "when": True, "assign": {"team": "service-desk"}})
    document["sla"][0]["escalate"][2]["notify"] = ["role:executive"]
    _transition(document, "resolve")["roles"] = ["agent", "wizard"]
    _transition(document, "confirm")["actions"] = [{"do": "create_child", "type": "hr-request", "map": {}},
                                                   {"do": "set", "fields": {"ghost": 1}},
                                                   {"do": "assign", "team": "night-shift"},
                                                   {"do": "notify", "to": ["role:night"]}]
    document["automations"] = [
        {"name": "Watch", "on": "field_changed", "field": "ghost", "transition": "resolve",
         "do": [{"do": "notify", "to": ["requester"], "template": "x"}]},
        {"name": "After", "on": "transitioned", "transition": "vanish", "do": [{"do": "notify", "to": ["requester"],
                                                                                "template": "x"}]},
        {"name": "Wait", "on": "elapsed", "state": "wating", "after": "P1D",
         "do": [{"do": "notify", "to": ["requester"], "template": "x"}]}]
    return [document]


def _charts() -> list[Any]:
    document = _doc()
    chart = document["charts"][0]
    document["charts"].append({**copy.deepcopy(chart), "dimensions": ["categroy"],
                               "measures": [{"agg": "avg"}, {"agg": "sum", "field": "title"},
                                            {"agg": "max", "field": "ticket.nothing"}]})
    return [document]


MODULES: dict[str, Callable[[], list[Any]]] = {
    "shape": _shape, "metaschema": _metaschema, "form": _form, "i18n": _i18n, "rules": _rules, "workflow": _workflow,
    "approvals": _approvals, "sla": _sla, "references": _references, "charts": _charts}


def _problems(document: Any, locale: str) -> list[tuple[str, str, str, str]]:
    report = validate_definition(copy.deepcopy(document), locale=locale, **KNOWN)
    return ([("error", p.pointer, p.code, p.message) for p in report.errors]
            + [("warning", p.pointer, p.code, p.message) for p in report.warnings])


def _all(locale: str) -> dict[str, list[list[tuple[str, str, str, str]]]]:
    return {name: [_problems(document, locale) for document in make()] for name, make in MODULES.items()}


def _names_in(value: Any, found: set[str]) -> set[str]:
    """Every key and text in a document: what a message may quote as a parameter."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.update(str(k) for k in node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and len(node) < 200:
            found.add(node)
    return found


def _foreign(documents: list[Any]) -> list[str]:
    """Texts other parts of Gongdan give the validator in English (the rule engine's and the pattern checker's
    reasons), which it quotes as a parameter."""
    out = []
    stack: list[Any] = list(documents)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("when", "guard", "filter"):
                    try:
                        compile_rule(value)
                    except RuleError as error:
                        out.append(error.message)
                if key == "pattern" and isinstance(value, str):
                    out.append(pattern_problem(value) or "")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return sorted((text for text in out if text), key=len, reverse=True)


# The format's own words, which stay as written inside a Chinese sentence: JSON Schema keywords and the definition's
# keys (quoted or not), literals, file names, a format word glossed in brackets (watchers（关注人）), and the names
# Chinese readers meet in the designer too.
TECHNICAL = re.compile(
    r"“[^”]*”|'[^']*'|\"[^\"]*\"|https?://\S+|docs/[\w./-]+|#/\S*|\$\w+|\\k<\w+>|"
    r"\b(?:JSON|Schema|JsonLogic|SLA|ISO|Python|Webhook|Gongdan|true|false|null|regex|uri|email|date-time)\b|"
    r"\b\w+(?:\.[\w*]+)+\b|\b\w+_\w+\b|\b[a-z]+:[\w<>-]*|<\w+>|\b[A-Z][A-Z0-9]+\b|\b[\w.]+(?=（)", re.ASCII)


# The names the format itself gives (its keys and the values it lists), which messages list as choices.
FORMAT_NAMES = (_names_in(META_SCHEMA, set()) | set(SCHEMA_KEYWORDS) | set(STATE_CATEGORIES) | set(TICKET_ATTRIBUTES)
                | {"ticket", "comment", "category"})


def _untranslated(message: str, names: set[str], foreign: list[str]) -> list[str]:
    for text in foreign:
        message = message.replace(text, " ")
    message = TECHNICAL.sub(" ", message)
    words = re.findall(r"[A-Za-z]{4,}", message)
    allowed = names | FORMAT_NAMES
    return [word for word in words if word not in allowed and word.lower() not in allowed]


def test_the_broken_definitions_reach_every_module():
    codes = {code for problems in _all("en").values() for each in problems for _, _, code, _ in each}
    families = {code.split(".")[0] for code in codes}
    assert {"document", "format", "schema", "form", "i18n", "rule", "workflow", "approval", "priority", "sla",
            "duration", "routing", "role", "team", "type", "automation", "action", "assignment", "chart",
            "categories"} <= families, families
    assert len(codes) >= 80, sorted(codes)


def test_chinese_problems_have_the_same_codes_and_pointers_and_no_english_sentence():
    english, chinese = _all("en"), _all("zh-CN")
    seen = 0
    for name, make in MODULES.items():
        documents = make()
        foreign = _foreign(documents)
        for document, en, zh in zip(documents, english[name], chinese[name], strict=True):
            names = _names_in(document, set())
            assert [(kind, pointer, code) for kind, pointer, code, _ in zh] == \
                [(kind, pointer, code) for kind, pointer, code, _ in en], name
            for (_, pointer, code, message), (_, _, _, english_message) in zip(zh, en, strict=True):
                seen += 1
                assert re.search(r"[\u4e00-\u9fff]", message), (name, pointer, code, message)
                assert message != english_message, (name, pointer, code, message)
                left = _untranslated(message, names, foreign)
                assert not left, (name, pointer, code, message, left)
    assert seen >= 150


def _as_lists(found: dict[str, list[list[tuple[str, str, str, str]]]]) -> dict[str, Any]:
    """JSON's form of _all: json.dump(_as_lists(_all("en")), …) wrote validation_messages_en.json."""
    return {name: [[list(p) for p in problems] for problems in each] for name, each in found.items()}


def test_english_problems_read_as_they_did():
    assert _as_lists(_all("en")) == json.loads(ENGLISH.read_text(encoding="utf-8"))


def test_locations_are_named_in_the_readers_language():
    document = _doc()
    _transition(document, "resolve")["to"] = "resolvd"
    document["routing"][1]["assign"] = {"strategy": "fixed"}
    en = {p.pointer: p.message for p in validate_definition(copy.deepcopy(document)).errors}
    zh = {p.pointer: p.message for p in validate_definition(copy.deepcopy(document), locale="zh-CN").errors}
    assert en["/workflow/transitions/4/to"] == ("Transition 'resolve' goes to state 'resolvd', which does not exist. "
                                                "Did you mean 'resolved'?")
    assert zh["/workflow/transitions/4/to"] == "流转“resolve”流转到状态“resolvd”，但该状态不存在。您是否想写“resolved”？"
    assert en["/routing/1/assign/strategy"].startswith("Routing rule 'Network to network ops': the strategy 'fixed'")
    assert zh["/routing/1/assign/strategy"].startswith("路由规则“Network to network ops”：分派策略“fixed”")


def test_an_unknown_locale_reads_english():
    document = _doc()
    document["workflow"]["states"][0]["initial"] = False
    assert _problems(document, "fr") == _problems(document, "en")


def test_every_check_sentence_has_both_languages_and_is_used():
    keys = {key for key in texts.SENTENCES if key.startswith(("check.", "definition."))}
    assert len(keys) > 150
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "designer").glob("*/*.py")))
    for key in keys:
        assert set(texts.SENTENCES[key]) == {"en", "zh-CN"}, key
        stem = key.rsplit(".", 1)[0]
        assert f'"{key}"' in source or f'"{stem}.' in source or f'{stem}.{{' in source or key.startswith("check.hint."), key


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_the_limit_message_is_in_the_readers_language(locale):
    document = _doc()
    document["workflow"]["transitions"] = [{"key": f"t{i}", "name": "T", "from": ["new"], "to": f"s{i}"}
                                           for i in range(600)]
    report = validate_definition(document, locale=locale)
    last = report.errors[-1]
    assert last.code == "limit.more_errors"
    assert last.message.startswith("…and ") if locale == "en" else last.message.startswith("……另有")
