"""The runtime's pure decisions over a definition (no database)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from runtime.rules.context import rule_context
from runtime.rules.definition import _matrix_cell, compile_definition, field_validator

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "designer" / "format" / "examples" / "it-incident.json").read_text())
DATA = {"title": "Printer on fire", "category": "hardware", "urgency": "low", "impact": "person",
        "description": "Smoke", "asset_tag": "PR-0042", "region": "north"}


def test_compiled_definitions_are_cached_by_content():
    assert compile_definition(EXAMPLE) is compile_definition(copy.deepcopy(EXAMPLE))
    changed = copy.deepcopy(EXAMPLE)
    changed["name"] = "Other"
    assert compile_definition(changed) is not compile_definition(EXAMPLE)


def test_field_rules_show_hide_and_require():
    compiled = compile_definition(EXAMPLE)
    hardware = compiled.field_state(rule_context(DATA, {}))
    assert "asset_tag" in hardware.visible and "asset_tag" in hardware.required
    software = compiled.field_state(rule_context({**DATA, "category": "software"}, {}))
    assert software.hidden == ["asset_tag"] and "asset_tag" not in software.required


def test_validation_drops_hidden_fields_and_names_each_error():
    compiled = compile_definition(EXAMPLE)
    cleaned, errors = compiled.validate_data({**DATA, "category": "software"}, {})
    assert errors == [] and "asset_tag" not in cleaned
    _, errors = compiled.validate_data({"title": "x", "category": "hardware", "urgency": "urgent"}, {})
    assert {e["path"] for e in errors} == {"/title", "/urgency", "/impact", "/description", "/asset_tag"}
    assert next(e for e in errors if e["path"] == "/urgency")["message"] == "Choose one of: high, medium, low."
    assert compiled.validate_data([1], {})[1][0]["path"] == ""


def test_priority_matrix_and_overrides():
    compiled = compile_definition(EXAMPLE)
    assert compiled.priority(rule_context(DATA, {})).level == "P4"
    vip = compiled.priority(rule_context(DATA, {"requester": {"tags": ["vip"]}}))
    assert vip.level == "P3" and len(vip.steps) == 2
    top = compiled.priority(rule_context({**DATA, "urgency": "high", "impact": "company"}, {"requester": {"tags": ["vip"]}}))
    assert top.level == "P1"  # raising P1 stays P1
    assert compiled.priority(rule_context({"title": "no matrix fields"}, {})).level == "P3"  # the default


def test_matrix_prefers_the_most_specific_cell():
    cells = {"high|*": "P2", "high|company": "P1", "*|company": "P2", "*": "P4"}
    assert _matrix_cell(cells, ["high", "company"]) == "high|company"
    assert _matrix_cell(cells, ["high", "person"]) == "high|*"
    assert _matrix_cell(cells, ["low", "person"]) == "*"
    assert _matrix_cell({"a|b": "P1"}, ["a", None]) is None


def test_first_matching_routing_rule_wins_and_the_trace_says_why():
    compiled = compile_definition(EXAMPLE)
    network = compiled.route(rule_context({**DATA, "category": "network"}, {}))
    assert network.rule["name"] == "Network to network ops"
    assert [(t["name"], t["matched"]) for t in network.trace] == [("Server down in the east", False),
                                                                  ("Network to network ops", True)]
    assert compiled.route(rule_context(DATA, {})).rule["name"] == "Everything else"


def test_sla_policy_targets_follow_the_priority():
    compiled = compile_definition(EXAMPLE)
    outcome = compiled.sla_policy(rule_context(DATA, {}), "P2")
    assert outcome.policy["name"] == "Standard" and outcome.targets == {"response": "PT30M", "resolution": "PT8H"}


def test_a_rule_that_hits_a_limit_counts_as_false_and_is_reported():
    document = copy.deepcopy(EXAMPLE)
    huge = {"some": [{"var": "items"}, {"==": [{"var": ""}, -1]}]}
    document["routing"].insert(0, {"name": "Expensive", "when": huge, "assign": {"team": "x"}})
    compiled = compile_definition(document)
    outcome = compiled.route(rule_context({**DATA, "items": list(range(300_000))}, {}))
    assert outcome.trace[0]["matched"] is False and "error" in outcome.trace[0]
    assert outcome.rule["name"] == "Everything else"


def test_patterns_anchor_as_in_the_browser_and_matrix_cells_spell_values_as_json():
    compiled = compile_definition(EXAMPLE)
    schema = EXAMPLE["form"]["schema"]["properties"]["asset_tag"]
    errors = list(field_validator(schema).iter_errors("PR-0042\n"))
    assert [e.validator for e in errors] == ["pattern"]  # Python's $ would accept the trailing newline
    data, errors = compiled.validate_data({**DATA, "asset_tag": "PR-0042\n"}, {})
    assert errors == [] and data["asset_tag"] == "PR-0042"  # form data is trimmed before it is checked
    assert _matrix_cell({"true|*": "P1", "*": "P3"}, [True, "x"]) == "true|*"
    assert _matrix_cell({"3|*": "P1", "*": "P3"}, [3, "x"]) == "3|*"
