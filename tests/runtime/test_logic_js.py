"""The browser's rule engine (frontend/src/rules/logic.ts) gives the server's results (runtime.rules.logic).

Field rules decide which fields the portal shows and requires while the user types; the server decides
again on submit. Both must agree, so every case here is evaluated by both engines and compared exactly:
the classic JsonLogic suite, coercion and date cases, random rules from the differential test's
generator, and the field rules of every template in templates_library.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.rules.context import rule_context
from runtime.rules.definition import CompiledDefinition
from runtime.rules.logic import compile_rule
from runtime.rules.values import RuleError

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
CLI = FRONTEND / "scripts" / "rules-cli.mjs"
SUITE = ROOT / "tests" / "support" / "jsonlogic" / "compatible.json"
NOW = "2025-05-16T13:45:30.123Z"

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(
    NODE is None or not (FRONTEND / "node_modules" / "typescript").is_dir(),
    reason="needs Node and the front end's npm packages (make install)",
)


def run_js(payload: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run([NODE, str(CLI)], input=json.dumps(payload), capture_output=True, text=True, timeout=120,
                          cwd=FRONTEND, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def run_py(rule: Any, data: Any, now: str | None = NOW) -> dict[str, Any]:
    try:
        return {"value": compile_rule(rule)(data, now=now)}
    except RuleError as error:
        return {"error": error.message}


def same(a: Any, b: Any) -> bool:
    """JSON equality where 1 and 1.0 are the same number but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def compare(cases: list[tuple[Any, Any]]) -> None:
    results = run_js({"rules": [{"rule": rule, "data": data, "now": NOW} for rule, data in cases]})["rules"]
    mismatches = []
    for (rule, data), js in zip(cases, results, strict=True):
        py = run_py(rule, data)
        agree = ("error" in py and "error" in js) or ("value" in py and "value" in js and same(py["value"], js["value"]))
        if not agree:
            mismatches.append({"rule": rule, "data": data, "python": py, "browser": js})
    assert not mismatches, json.dumps(mismatches[:10], indent=1, default=str) + f"\n({len(mismatches)} in all)"


def test_the_classic_suite_gives_the_same_results():
    suite = [case for case in json.loads(SUITE.read_text()) if isinstance(case, dict)]
    assert len(suite) > 250
    compare([(case["rule"], case.get("data")) for case in suite])


COERCION_AND_DATES: list[tuple[Any, Any]] = [
    ({"==": [{"var": "a"}, "1.0"]}, {"a": 1}), ({"==": [None, False]}, None), ({"==": ["", 0]}, None),
    ({"==": [True, "1"]}, None),
    ({"==": [[1], [True]]}, None), ({"==": [{"var": "o"}, {"var": "p"}]}, {"o": {"x": [1]}, "p": {"x": [1]}}),
    ({"===": [1, 1.0]}, None), ({"!==": [True, 1]}, None), ({"<=": [None, None]}, None), ({"<": [1, "abc"]}, None),
    ({"<": [1, "2", "10"]}, None), ({"<=": [1, {"var": "p"}, 3]}, {"p": 2}), ({"<": ["b", "a"]}, None),
    ({">": ["10", 9]}, None), ({">=": [[1], [1]]}, None), ({"<": ["😀", "\uffff"]}, None),
    ({"+": [None, 1]}, None), ({"+": "3"}, None), ({"+": ["1e3", " 2 "]}, None), ({"*": ["2", True]}, None),
    ({"-": [7]}, None), ({"-": ["x", 1]}, None), ({"/": [6, 3]}, None), ({"/": [1, 0]}, None), ({"/": [1, 3]}, None),
    ({"%": [-7, 3]}, None), ({"%": [7, 0]}, None), ({"%": [5.5, 2]}, None), ({"*": [1e308, 10]}, None),
    ({"min": []}, None), ({"max": [1, "5", 3]}, None), ({"min": [1, None]}, None),
    ({"cat": [None, True, 1.0, [1, [2, None]], {"a": 1}]}, None), ({"cat": [1e21, 1e-7, 0.1, -0.0]}, None),
    ({"substr": ["jsonlogic", -5, -2]}, None), ({"substr": ["héllo😀x", 1, 5]}, None), ({"substr": [12345, 1.9]}, None),
    ({"substr": ["abc", 1, None]}, None), ({"in": ["1", [1, "1"]]}, None), ({"in": [True, [1]]}, None),
    ({"in": [1, "a1"]}, None), ({"in": ["a", None]}, None), ({"in": ["a", {"a": 1}]}, None),
    ({"var": ""}, 0), ({"var": "a.0"}, {"a": ["x"]}), ({"var": "s.0"}, {"s": "text"}), ({"var": "a.01"}, {"a": ["x", "y"]}),
    ({"var": "a.-1"}, {"a": ["x"]}), ({"var": 1.0}, ["a", "b"]), ({"var": ["z", "dflt"]}, {"z": None}),
    ({"var": ["q", {"cat": ["d", "e"]}]}, {}), ({"var": {"cat": ["a", ".b"]}}, {"a": {"b": 7}}),
    ({"var": "__class__"}, {}), ({"var": {"cat": ["__class", "__"]}}, {"__class__": 1}),
    ({"missing": ["a", "b", "c.d"]}, {"a": "", "b": 0, "c": {"d": None}}), ({"missing": [["x", "y"], "z"]}, {"x": 1}),
    ({"missing": {"merge": [["a"], "b"]}}, {"b": 1}), ({"missing_some": [1, ["a", "b"]]}, {"b": 2}),
    ({"missing_some": [2, ["a", "b", "c"]]}, {"b": 2}), ({"missing_some": [1, {"var": "names"}]}, {"names": "x"}),
    ({"if": []}, None), ({"if": [0]}, None), ({"if": [[], 1, {}, 2, 3]}, None), ({"?:": ["0", "y", "n"]}, None),
    ({"and": [1, "", 2]}, None), ({"or": [0, [], {}]}, None), ({"!": [{}]}, None), ({"!!": ["0"]}, None),
    ({"map": [{"var": "xs"}, {"*": [{"var": ""}, 2]}]}, {"xs": [1, 2, "3"]}), ({"map": [5, 1]}, None),
    ({"filter": [{"var": "xs"}, {"var": ""}]}, {"xs": [0, "", False, None, 1, "a"]}),
    ({"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, {"var": "current"}]}, {"var": "start"}]},
     {"xs": [1, 2], "start": 10}),
    ({"reduce": [3, 1, "init"]}, None), ({"all": [[], 1]}, None), ({"some": ["x", 1]}, None), ({"none": [None, 1]}, None),
    ({"merge": [1, [2, [3]], None]}, None),
    ({"toLowerCase": [None]}, None), ({"toUpperCase": ["straße"]}, None), ({"locked": {"==": [1, 1]}}, None),
    ({"now": []}, None), ({"today": []}, None), ({"start_of_today": []}, None),
    ({"<": ["2025-05-01T10:00:00+02:00", "2025-05-01T09:00:00Z"]}, None),
    ({"<": ["2025-05-01", "2025-05-01T00:00:00.001Z"]}, None),
    ({">": ["2025-05-01T09:30:00.0002Z", "2025-05-01T09:30:00.0001Z"]}, None), ({"<": ["2025-13-01", "2025-02-01"]}, None),
    ({"<": ["2025-05-16 09:30", "2025-05-16T10"]}, None), ({"<": ["2025-05-16T0930+0800", "2025-05-16T01:00Z"]}, None),
    ({"==": ["2025-05-01T10:00:00+02:00", "2025-05-01T08:00:00Z"]}, None),
    ({"datetime==": ["2025-05-01T10:00:00+02:00", "2025-05-01T08:00:00.0004Z"]}, None),
    ({"date==": ["2025-05-01T23:30:00-02:00", "2025-05-02"]}, None), ({"date!=": ["nope", "2025-05-02"]}, None),
    ({"date_add": ["2024-01-31", 1, "month"]}, None), ({"date_add": ["2025-01-31T10:00:00Z", -2.5, "months"]}, None),
    ({"datetime_add": ["2025-05-16T09:30:00Z", 1.5, "hour"]}, None),
    ({"datetime_add": ["2025-05-16T09:30:00Z", 0.0005, "second"]}, None),
    ({"datetime_add": ["2025-05-16T09:30:00Z", 0.0015, "second"]}, None), ({"datetime_add": ["9999-12-31", 1, "day"]}, None),
    ({"datetime_add": [{"now": []}, -7, "days"]}, None), ({"datetime_add": ["2025-05-16", 1, {"var": "u"}]}, {"u": "week"}),
    ({"datetime_add": ["2025-05-16", 1, {"var": "u"}]}, {"u": "fortnight"}),
    ({"datetime_add": ["2025-05-16", 1, "fortnight"]}, None),
    ({"datetime_truncate": ["2025-05-16T09:30:45.678Z", "week"]}, None),
    ({"datetime_truncate": ["2025-05-16T09:30:45Z", "month"]}, None),
    ({"datetime_truncate": ["2025-05-16T09:30:45+08:00", "day"]}, None), ({"datetime_truncate": ["0001-01-01", "week"]}, None),
    ({">": [{"var": "ticket.days_since_resolved"}, 14]}, {"ticket": {"days_since_resolved": None}}),
    ({"<": [{"var": "ticket.days_since_resolved"}, 14]}, {"ticket": {"days_since_resolved": 3.5}}),
    ({"in": ["vip", {"var": "ticket.requester.tags"}]}, {"ticket": {"requester": {"tags": ["vip"]}}}),
    # refused at compile time by both
    ({"method": ["a", "upper"]}, None), ({"log": 1}, None), ({"and": []}, None), ({"==": [1, 2, 3]}, None),
    ({"a": 1, "b": 2}, None), ({}, None), ({"var": "x.__dict__"}, None), ({"missing": ["__init__"]}, None),
    ({"date_add": ["2025-01-01", 1, "fortnight"]}, None), ({"!": [1, 2]}, None),
]


def test_coercion_and_date_cases_give_the_same_results():
    compare(COERCION_AND_DATES)


@settings(max_examples=1, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_random_rules_give_the_same_results(data):
    from tests.runtime.test_logic_differential import DATA, RULES

    compare([(data.draw(RULES), data.draw(DATA)) for _ in range(400)])


def _template_cases() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(type, definition, context) for every template type, with data that switches each rule on and off."""
    cases = []
    for path in sorted((ROOT / "templates_library").glob("*/*.json")):
        document = json.loads(path.read_text())
        if "form" not in document:
            continue
        schema = document["form"]["schema"]
        values: dict[str, list[Any]] = {}
        for name, prop in schema.get("properties", {}).items():
            values[name] = [None, *prop.get("enum", [])] if "enum" in prop else [None, "", "x", True, 3]
        requester = {"email": "r@example.com", "name": "R", "roles": ["requester"], "tags": []}
        for name, options in values.items():
            for value in options:
                data = {name: value} if value is not None else {}
                ticket = {"status": "new", "status_category": "new", "requester": requester, "source": "web",
                          "created_at": NOW, "age_hours": 0}
                cases.append((document["key"], document, rule_context(data, ticket)))
    return cases


def test_template_field_rules_show_and_require_the_same_fields():
    cases = _template_cases()
    assert len(cases) > 50
    payload = [{"schema": doc["form"]["schema"], "rules": doc["form"].get("field_rules", []), "context": context,
                "now": NOW} for _, doc, context in cases]
    results = run_js({"field_states": payload})["field_states"]
    for (key, doc, context), js in zip(cases, results, strict=True):
        state = CompiledDefinition(doc).field_state(context, now=NOW)
        expected = {"visible": state.visible, "hidden": state.hidden, "required": state.required, "readonly": state.readonly}
        assert {"readonly": [], **js.get("value", {})} == expected, (key, {k: v for k, v in context.items() if k != "ticket"}, js)
    # The IT incident's asset tag appears, and becomes required, exactly when the category is hardware.
    hardware = [js["value"] for (key, _, ctx), js in zip(cases, results, strict=True)
                if key == "it-incident" and ctx.get("category") == "hardware"]
    assert hardware and all("asset_tag" in s["visible"] and "asset_tag" in s["required"] for s in hardware)
