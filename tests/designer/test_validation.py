"""validate_definition and designer.format: every check, every pointer, and no input that makes it raise.

No database: these tests call the functions directly.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from designer.format import document as fmt
from designer.format.document import (
    CURRENT_FORMAT,
    FORM_META_VALIDATOR,
    META_SCHEMA,
    META_VALIDATOR,
    DocumentError,
    canonical_json,
    content_hash,
    load_document,
    upgrade,
)
from designer.validation import MAX_PROBLEMS, Problem, ValidationReport, validate_definition
from designer.validation.common import _plainly_valid
from runtime.rules.context import TICKET_ATTRIBUTES

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PATH = ROOT / "designer" / "format" / "examples" / "it-incident.json"
EXAMPLE = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))
DOCS = ROOT / "docs" / "definition-format.md"


def example() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def errors(document: Any, **known: Any) -> list[tuple[str, str]]:
    return [(p.pointer, p.code) for p in validate_definition(document, **known).errors]


def warnings(document: Any, **known: Any) -> list[tuple[str, str]]:
    return [(p.pointer, p.code) for p in validate_definition(document, **known).warnings]


def messages(document: Any, **known: Any) -> dict[str, str]:
    return {p.pointer: p.message for p in validate_definition(document, **known).errors}


def transition(document: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in document["workflow"]["transitions"] if t["key"] == key)


def resolve(document: Any, pointer: str) -> bool:
    """An independent RFC 6901 resolver for the tests."""
    if pointer == "":
        return True
    node = document
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and re.fullmatch(r"0|[1-9][0-9]*", token) and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


# --- the example and the report ----------------------------------------------------------------------------

def test_the_example_is_valid_without_warnings():
    report = validate_definition(example())
    assert report.ok and report.errors == [] and report.warnings == []


def test_report_and_problem_shape():
    report = validate_definition({"format": 1})
    assert isinstance(report, ValidationReport) and not report.ok
    problem = report.errors[0]
    assert isinstance(problem, Problem)
    assert problem.as_dict() == {"path": problem.pointer, "message": problem.message, "code": problem.code}
    assert report.as_dict()["ok"] is False
    with pytest.raises(AttributeError):
        problem.pointer = "/x"  # frozen


def test_validation_does_not_change_the_document():
    document = example()
    document["routing"][0]["when"] = {"method": [1, "x"]}
    before = copy.deepcopy(document)
    validate_definition(document, known_teams=set(), known_roles=set(), known_types=set())
    assert document == before


def test_every_error_at_once():
    document = example()
    document["colour"] = "red"                                            # unknown key
    document["number_prefix"] = "inc"                                     # pattern
    transition(document, "reopen")["to"] = "in_prog"                      # unknown state
    document["routing"][1]["when"] = {"==": [{"var": "regoin"}, "east"]}  # unknown field
    document["sla"][0]["targets"]["P1"]["response"] = "PT0M"              # zero target
    assert sorted(errors(document)) == sorted([
        ("/colour", "schema.unknown_key"),
        ("/number_prefix", "schema.pattern"),
        ("/workflow/transitions/6/to", "workflow.unknown_state"),
        ("/routing/1/when/==/0", "rule.unknown_field"),
        ("/sla/0/targets/P1/response", "duration.zero"),
    ])
    found = messages(document)
    assert found["/workflow/transitions/6/to"] == ("Transition 'reopen' goes to state 'in_prog', which does not exist. "
                                                   "Did you mean 'in_progress'?")
    assert "Did you mean 'region'?" in found["/routing/1/when/==/0"]


# --- shape ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("document", [[], [EXAMPLE], "definition", "", None, 0, 1.5, True, False])
def test_a_document_that_is_not_an_object_gives_one_error_at_the_root(document):
    assert errors(document) == [("", "document.not_object")]


def _deep_list(depth: int) -> Any:
    node: Any = "bottom"
    for _ in range(depth):
        node = [node]
    return node


def _deep_dict(depth: int) -> Any:
    node: Any = {}
    for _ in range(depth):
        node = {"and": [node, True]}
    return node


@pytest.mark.parametrize("place", ["root", "rule", "form", "field", "description", "ui", "chart_options", "set_value"])
def test_ten_thousand_levels_of_nesting_never_raise(place):
    document = example()
    deep = _deep_dict(10_000)
    if place == "root":
        document = _deep_list(10_000)
    elif place == "rule":
        document["routing"][0]["when"] = deep
    elif place == "form":
        document["form"]["schema"]["properties"]["title"] = deep
    elif place == "field":
        node: Any = {"type": "string"}
        for _ in range(5_000):
            node = {"type": "object", "properties": {"a": node}}
        document["form"]["schema"]["properties"]["nested"] = node
    elif place == "description":
        document["description"] = _deep_list(10_000)
    elif place == "ui":
        document["form"]["ui"]["title"] = deep
    elif place == "chart_options":
        document["charts"][0]["options"] = deep
    else:
        transition(document, "resolve")["actions"].append({"do": "set", "fields": {"resolution": deep}})
    start = time.process_time()
    report = validate_definition(document)
    assert time.process_time() - start < 10  # CPU time: a busy machine does not fail it
    assert not report.ok
    assert all(p.code != "internal" for p in report.errors)
    if place != "root":
        assert any(p.code == "document.too_deep" for p in report.errors)


@pytest.mark.parametrize("place", ["root_list", "routing", "categories", "states", "required", "properties", "enum", "rule"])
def test_fifty_thousand_element_arrays_never_raise_and_finish_quickly(place):
    document: Any = example()
    if place == "root_list":
        document = list(range(50_000))
    elif place == "routing":
        document["routing"] = [{"name": f"r{i}", "when": True, "assign": {"team": "t"}} for i in range(50_000)]
    elif place == "categories":
        document["categories"] = [{"k": i} for i in range(50_000)]
    elif place == "states":
        document["workflow"]["states"] = [{"key": "s", "name": "S", "category": "open"}] * 50_000
    elif place == "required":
        document["form"]["schema"]["required"] = [{"k": i} for i in range(50_000)]
    elif place == "properties":
        document["form"]["schema"]["properties"] = {f"f{i}": {"type": "string"} for i in range(50_000)}
    elif place == "enum":
        document["form"]["schema"]["properties"]["region"]["enum"] = list(range(50_000))
    else:
        document["routing"][0]["when"] = {"in": [{"var": "region"}, list(range(50_000))]}
    start = time.process_time()
    report = validate_definition(document)
    # CPU time, so a busy machine does not fail it; a quadratic pass over 50,000 items would take minutes
    assert time.process_time() - start < 10
    assert not report.ok
    assert len(report.errors) <= MAX_PROBLEMS + 1
    assert all(p.code != "internal" for p in report.errors)
    if place == "routing":
        assert ("/routing", "document.too_long") in [(p.pointer, p.code) for p in report.errors]
        assert "'routing' has 50,000 items; at most 500 are allowed." in [p.message for p in report.errors]


def test_problems_are_capped_with_a_final_count():
    document = example()
    document["workflow"]["transitions"] = [{"key": f"t{i}", "from": ["new"], "to": f"nowhere{i}"} for i in range(800)]
    report = validate_definition(document)
    assert len(report.errors) == MAX_PROBLEMS + 1
    last = report.errors[-1]
    assert last.pointer == "" and last.code == "limit.more_errors"
    assert re.fullmatch(r"…and [\d,]+ more errors\.", last.message)


def test_a_huge_string_and_odd_keys():
    document = example()
    document["description"] = "x" * 5_000_000
    document["form"]["schema"]["properties"]["a/b~c"] = {"type": "string"}
    found = errors(document)
    assert ("/description", "schema.maxLength") in found
    assert ("/form/schema/properties/a~1b~0c", "form.field_name") in found


def test_absurd_numbers_are_reported_quickly():
    document = example()
    document["priority"]["overrides"][0]["raise_by"] = 10**30
    document["description"] = 10**1000
    document["format"] = float("inf")
    document["sla"][0]["targets"]["P1"]["response"] = "PT" + "9" * 5000 + "M"
    started = time.process_time()
    assert errors(document) == [("/description", "document.huge_number"), ("/format", "format.unsupported"),
                                ("/priority/overrides/0/raise_by", "schema.maximum")]
    assert time.process_time() - started < 1


def test_values_that_are_not_json_never_raise():
    document = example()
    document["description"] = {1, 2}
    document["routing"][0]["when"] = {"==": [float("nan"), object()]}
    document["sla"][0]["targets"]["P1"]["response"] = b"PT1H"
    report = validate_definition(document)
    assert not report.ok and all(p.code != "internal" for p in report.errors)


# --- format --------------------------------------------------------------------------------------------------

def test_missing_format():
    document = example()
    del document["format"]
    report = validate_definition(document)
    assert [(p.pointer, p.code) for p in report.errors] == [("/format", "format.missing")]
    assert "Supported formats: 1" in report.errors[0].message


@pytest.mark.parametrize("value", [2, 0, "1", 1.5, None, True, [1]])
def test_unknown_format(value):
    document = example()
    document["format"] = value
    report = validate_definition(document)
    assert [(p.pointer, p.code) for p in report.errors] == [("/format", "format.unsupported")]
    assert "format 1" in report.errors[0].message


def test_format_one_as_a_float_is_format_one():
    document = example()
    document["format"] = 1.0
    assert errors(document) == []


# --- the meta-schema's messages ---------------------------------------------------------------------------------

def test_unknown_keys_are_reported_at_each_key():
    document = example()
    document["colour"] = "red"
    document["workflow"]["states"][0]["colour"] = "blue"
    document["workflow"]["states"][0]["colur"] = "blue"
    found = messages(document)
    assert set(found) == {"/colour", "/workflow/states/0/colour", "/workflow/states/0/colur"}
    assert found["/colour"].startswith("Unknown key 'colour': allowed here are format, key, name")
    assert found["/workflow/states/0/colour"].startswith("State 'new': Unknown key 'colour'")


def test_unknown_keys_in_an_action_name_the_keys_that_action_allows():
    document = example()
    transition(document, "resolve")["actions"][0]["fields"] = {"a": 1}
    found = messages(document)
    assert list(found) == ["/workflow/transitions/4/actions/0/fields"]
    assert "allowed here are do, to, channels, template" in found["/workflow/transitions/4/actions/0/fields"]


def test_required_points_at_the_missing_property():
    document = example()
    del document["name"]
    del document["workflow"]["states"][1]["category"]
    found = messages(document)
    assert found == {"/name": "'name' is required.",
                     "/workflow/states/1/category": "State 'assigned': 'category' is required."}


def test_pattern_errors_use_the_schema_message():
    document = example()
    document["number_prefix"] = "inc"
    document["sla"][0]["targets"]["P1"]["resolution"] = "4 hours"
    found = messages(document)
    assert found["/number_prefix"] == ("'inc' is not valid for 'number_prefix'. Use 2 to 10 capital letters or digits, "
                                       "starting with a letter, such as INC.")
    assert found["/sla/0/targets/P1/resolution"].endswith("such as PT30M, PT4H or P3D.")


def test_a_trailing_newline_does_not_pass_a_pattern():
    document = example()
    document["number_prefix"] = "INC\n"
    assert errors(document) == [("/number_prefix", "schema.pattern")]


def test_enum_const_and_type_are_rephrased():
    document = example()
    document["routing"][0]["notify"][0]["channels"] = ["in_app", "emial"]
    document["form"]["schema"]["type"] = "array"
    document["workflow"]["transitions"][0]["roles"] = "agent"
    found = messages(document)
    assert found["/routing/0/notify/0/channels/1"].startswith(
        "Routing rule 'Server down in the east': 'emial' is not a valid choice for item 2 of 'channels'; use one of:")
    assert found["/routing/0/notify/0/channels/1"].endswith("Did you mean 'email'?")
    assert found["/form/schema/type"] == "The form's schema: 'type' must be 'object', not 'array'."
    assert found["/workflow/transitions/0/roles"] == "Transition 'assign': 'roles' must be a list, not text."


def test_an_action_with_a_bad_recipient_points_at_the_recipient():
    document = example()
    transition(document, "resolve")["actions"][0]["to"] = ["requester", "the boss"]
    report = validate_definition(document)
    assert [(p.pointer, p.code) for p in report.errors] == [("/workflow/transitions/4/actions/0/to/1", "schema.pattern")]
    assert "A recipient is requester, assignee" in report.errors[0].message
    assert "any of the given schemas" not in report.errors[0].message


def test_an_action_without_do_gets_one_error_not_one_per_kind():
    document = example()
    del transition(document, "resolve")["actions"][0]["do"]
    assert errors(document) == [("/workflow/transitions/4/actions/0/do", "schema.required")]


def test_an_automation_without_on_gets_one_error():
    document = example()
    del document["automations"][0]["on"]
    assert errors(document) == [("/automations/0/on", "schema.required")]


def test_alternatives_descend_into_the_intended_form():
    document = example()
    document["workflow"]["transitions"][0]["from"] = ["new", "Not A Key"]
    document["workflow"]["transitions"][1]["from"] = "new"
    found = messages(document)
    assert set(found) == {"/workflow/transitions/0/from/1", "/workflow/transitions/1/from"}
    assert "Use 1 to 64 lower-case letters" in found["/workflow/transitions/0/from/1"]
    assert "or '*' for every non-final state" in found["/workflow/transitions/1/from"]


def test_one_of_and_any_of_name_the_keys():
    document = example()
    document["priority"]["overrides"][0]["set"] = "P1"
    document["form"]["field_rules"][0] = {"when": True}
    document["routing"][0]["assign"] = {"strategy": "on_duty"}
    found = messages(document)
    assert found == {
        "/priority/overrides/0": "Priority override 1: Use only one of 'set', 'raise_by' or 'lower_by'.",
        "/form/field_rules/0": "Field rule 1: Needs at least one of 'show', 'hide', 'require' or 'readonly'.",
        "/routing/0/assign": "Routing rule 'Server down in the east': Needs at least one of 'team' or 'user'.",
    }


def test_property_names_point_at_the_name_and_duplicates_at_the_duplicate():
    document = example()
    transition(document, "resolve")["fields"]["Root cause"] = {"type": "string"}
    document["categories"].append("network")
    document["workflow"]["transitions"][0]["roles"] = ["agent", "agent"]
    found = messages(document)
    assert set(found) == {"/workflow/transitions/4/fields/Root cause", "/categories/4", "/workflow/transitions/0/roles/1"}
    assert "A field name is 1 to 64 letters" in found["/workflow/transitions/4/fields/Root cause"]
    assert found["/categories/4"] == "'network' is listed twice."


def test_numbers_and_lengths():
    document = example()
    document["sla"][0]["warn_at"] = [0.8, 1.2]
    document["name"] = ""
    document["priority"]["overrides"][0]["raise_by"] = 0
    found = messages(document)
    assert found == {"/sla/0/warn_at/1": "SLA policy 'Standard': Item 2 of 'warn_at' must be less than 1.",
                     "/name": "'name' must not be empty.",
                     "/priority/overrides/0/raise_by": "Priority override 1: 'raise_by' must be at least 1."}


# --- the form ------------------------------------------------------------------------------------------------

def test_the_form_schema_must_be_a_valid_json_schema():
    document = example()
    properties = document["form"]["schema"]["properties"]
    properties["title"]["type"] = "strin"
    properties["asset_tag"]["pattern"] = "[A-Z"
    properties["description"]["maxLength"] = -1
    properties["screenshots"]["items"] = {"type": "string", "minItems": "2"}
    document["form"]["schema"]["required"] = "title"
    found = messages(document)
    assert set(found) == {"/form/schema/properties/title/type", "/form/schema/properties/asset_tag/pattern",
                          "/form/schema/properties/description/maxLength",
                          "/form/schema/properties/screenshots/items/minItems", "/form/schema/required"}
    assert found["/form/schema/properties/title/type"].endswith("Did you mean 'string'?")
    assert found["/form/schema/properties/asset_tag/pattern"] == "Field 'asset_tag': '[A-Z' is not a valid regular expression."


def test_the_form_schema_dialect_is_2020_12():
    document = example()
    document["form"]["schema"]["$schema"] = "http://json-schema.org/draft-07/schema#"
    assert errors(document) == [("/form/schema/$schema", "form.schema_dialect")]


@pytest.mark.parametrize("name", ["ticket", "comment"])
def test_reserved_field_names(name):
    document = example()
    document["form"]["schema"]["properties"][name] = {"type": "string"}
    assert errors(document) == [(f"/form/schema/properties/{name}", "form.reserved_field")]


def test_reserved_names_in_transition_fields():
    document = example()
    transition(document, "resolve")["fields"]["comment"] = {"type": "string"}
    assert errors(document) == [("/workflow/transitions/4/fields/comment", "workflow.reserved_field")]


def test_field_names_rules_can_address():
    document = example()
    document["form"]["schema"]["properties"]["Asset Tag"] = {"type": "string"}
    document["form"]["schema"]["properties"]["site.code"] = {"type": "string"}
    assert errors(document) == [("/form/schema/properties/Asset Tag", "form.field_name"),
                                ("/form/schema/properties/site.code", "form.field_name")]


def test_form_lists_name_real_fields():
    document = example()
    document["form"]["schema"]["required"].append("severity")
    document["form"]["ui"]["ui:order"].append("severity")
    document["form"]["field_rules"][0]["show"] = ["asset_tag", "serial"]
    document["form"]["field_rules"].append({"when": True, "hide": ["region"], "require": ["owner"]})
    assert sorted(errors(document)) == sorted([
        ("/form/schema/required/5", "form.unknown_field"),
        ("/form/ui/ui:order/8", "form.ui_order"),
        ("/form/field_rules/0/show/1", "form.unknown_field"),
        ("/form/field_rules/1/require/0", "form.unknown_field"),
    ])


def test_ui_order_lists_each_field_once():
    document = example()
    document["form"]["ui"]["ui:order"] = ["title", "*", "title", 3]
    assert errors(document) == [("/form/ui/ui:order/2", "form.ui_order"), ("/form/ui/ui:order/3", "form.ui_order")]


def test_transition_fields_are_valid_json_schemas():
    document = example()
    fields = transition(document, "resolve")["fields"]
    fields["resolution"]["minLength"] = "five"
    fields["title"] = {"type": "string"}
    assert errors(document) == [("/workflow/transitions/4/fields/resolution/minLength", "schema.type")]
    assert warnings(document) == [("/workflow/transitions/4/fields/title", "workflow.field_shadows_form")]


def test_ui_for_unknown_fields_is_a_warning():
    document = example()
    document["form"]["ui"]["descripton"] = {"ui:widget": "textarea"}
    assert errors(document) == []
    assert warnings(document) == [("/form/ui/descripton", "form.ui_unknown_field")]


def test_unknown_schema_keywords_are_warnings():
    document = example()
    document["form"]["schema"]["properties"]["title"]["maxlength"] = 10
    document["form"]["schema"]["properties"]["title"]["x-help"] = "fine"
    assert errors(document) == []
    report = validate_definition(document)
    assert [(p.pointer, p.code) for p in report.warnings] == [("/form/schema/properties/title/maxlength", "form.unknown_keyword")]
    assert report.warnings[0].message.endswith("Did you mean 'maxLength'?")


def test_refs_must_resolve_inside_the_form():
    document = example()
    schema = document["form"]["schema"]
    schema["$defs"] = {"tag": {"type": "string", "$anchor": "tag"}}
    schema["properties"]["asset_tag"] = {"$ref": "#/$defs/tag"}
    schema["properties"]["owner"] = {"$ref": "#tag"}
    schema["properties"]["site"] = {"$ref": "#/$defs/site"}
    schema["properties"]["cost"] = {"$ref": "https://example.com/cost.json"}
    assert errors(document) == [("/form/schema/properties/site/$ref", "form.unresolved_ref"),
                                ("/form/schema/properties/cost/$ref", "form.unresolved_ref")]


def test_categories_must_agree_with_the_category_field():
    document = example()
    document["form"]["schema"]["properties"]["category"]["enum"].append("facilities")
    document["categories"].append("security")
    assert errors(document) == [("/form/schema/properties/category/enum/4", "categories.mismatch")]
    assert warnings(document) == [("/categories/4", "categories.unused")]


def test_categories_with_a_labelled_enum():
    document = example()
    document["form"]["schema"]["properties"]["category"] = {
        "type": "string", "oneOf": [{"const": "hardware", "title": "Hardware"}, {"const": "printer", "title": "Printer"}]}
    assert errors(document) == [("/form/schema/properties/category", "categories.mismatch")]


# --- rules ---------------------------------------------------------------------------------------------------

METHOD = {"and": [True, {"method": [{"var": "title"}, "upper"]}]}


def _place_rule(document: dict[str, Any], place: str, rule: Any) -> str:
    """Put `rule` somewhere a rule goes; return that place's pointer."""
    if place == "field_rule":
        document["form"]["field_rules"][0]["when"] = rule
        return "/form/field_rules/0/when"
    if place == "override":
        document["priority"]["overrides"][0]["when"] = rule
        return "/priority/overrides/0/when"
    if place == "guard":
        transition(document, "resolve")["guard"] = rule
        return "/workflow/transitions/4/guard"
    if place == "routing":
        document["routing"][1]["when"] = rule
        return "/routing/1/when"
    if place == "sla":
        document["sla"][0]["when"] = rule
        return "/sla/0/when"
    if place == "automation":
        document["automations"][0]["when"] = rule
        return "/automations/0/when"
    if place == "chart":
        document["charts"][0]["filter"] = rule
        return "/charts/0/filter"
    if place == "transition_set":
        transition(document, "resolve")["actions"].append({"do": "set", "fields": {"region": rule}})
        return "/workflow/transitions/4/actions/1/fields/region"
    if place == "transition_map":
        transition(document, "resolve")["actions"].append({"do": "create_child", "type": "it-incident",
                                                            "map": {"title": rule}})
        return "/workflow/transitions/4/actions/1/map/title"
    if place == "automation_set":
        document["automations"][0]["do"].append({"do": "set", "fields": {"region": rule}})
        return "/automations/0/do/1/fields/region"
    if place == "automation_map":
        document["automations"][0]["do"].append({"do": "create_child", "type": "it-incident", "map": {"title": rule}})
        return "/automations/0/do/1/map/title"
    raise AssertionError(place)


RULE_PLACES = ["field_rule", "override", "guard", "routing", "sla", "automation", "chart", "transition_set",
               "transition_map", "automation_set", "automation_map"]


@pytest.mark.parametrize("place", RULE_PLACES)
def test_method_is_reported_wherever_a_rule_goes(place):
    document = example()
    base = _place_rule(document, place, METHOD)
    report = validate_definition(document)
    assert [(p.pointer, p.code) for p in report.errors] == [(f"{base}/and/1/method", "rule.invalid")]
    assert "'method'" in report.errors[0].message


@pytest.mark.parametrize("place", RULE_PLACES)
def test_unknown_fields_are_reported_wherever_a_rule_goes(place):
    document = example()
    base = _place_rule(document, place, {"==": [{"var": "severity"}, 1]})
    assert errors(document) == [(f"{base}/==/0", "rule.unknown_field")]


def test_method_is_reported_even_behind_another_error():
    document = example()
    document["routing"][0]["when"] = {"and": [{"==": [1]}, {"method": ["x", "upper"]}, {"log": 1}]}
    assert errors(document) == [("/routing/0/when/and/0/==", "rule.invalid"), ("/routing/0/when/and/1/method", "rule.invalid"),
                                ("/routing/0/when/and/2/log", "rule.invalid")]


def test_method_in_an_object_with_two_keys_is_named():
    document = example()
    document["routing"][0]["when"] = {"method": ["x", "upper"], "var": "title"}
    assert sorted(errors(document)) == [("/routing/0/when", "rule.invalid"), ("/routing/0/when/method", "rule.invalid")]


def test_rule_engine_errors_point_inside_the_rule():
    document = example()
    document["routing"][0]["when"] = {"and": [{"==": [{"var": "title"}, "x"]}, {"substr": [{"var": "title"}]}]}
    found = messages(document)
    assert list(found) == ["/routing/0/when/and/1/substr"]
    assert found["/routing/0/when/and/1/substr"].startswith("The condition of routing rule 'Server down in the east': ")


def test_variable_names_are_checked_against_the_form_and_the_ticket():
    document = example()
    document["routing"][0]["when"] = {"and": [
        {"==": [{"var": "title"}, "a"]},                       # a field
        {"==": [{"var": "screenshots.0"}, "a"]},               # inside a field
        {"==": [{"var": ["region", "east"]}, "a"]},            # with a default
        {"==": [{"var": "ticket.status"}, "a"]},               # a ticket attribute
        {"in": ["vip", {"var": "ticket.requester.tags"}]},     # a nested one
        {"==": [{"var": "ticket.requester.tags.0"}, "a"]},     # an index into it
        {"==": [{"var": "ticket.data.urgency"}, "a"]},         # the form data again
        {"==": [{"var": "ticket"}, "a"]},                      # the whole ticket
        {"==": [{"var": ""}, "a"]},                            # the whole data
        {"==": [{"var": 0}, "a"]},                             # a number
        {"==": [{"var": {"cat": ["ti", "tle"]}}, "a"]},        # computed
        {"==": [{"var": "regoin"}, "a"]},                      # 11: unknown field
        {"==": [{"var": "ticket.statuss"}, "a"]},              # 12: unknown attribute
        {"==": [{"var": "ticket.requester.phone"}, "a"]},      # 13: unknown nested attribute
        {"==": [{"var": "ticket.data.severity"}, "a"]},        # 14: unknown field through ticket.data
        {"!": {"missing": ["title", "serial"]}},               # 15: missing, second name unknown
        {"!": {"missing": [["impact", "cost"]]}},              # 16: missing with a list
        {"!": {"missing_some": [1, ["urgency", "owner"]]}},    # 17: missing_some
    ]}
    assert errors(document) == [
        ("/routing/0/when/and/11/==/0", "rule.unknown_field"),
        ("/routing/0/when/and/12/==/0", "rule.unknown_attribute"),
        ("/routing/0/when/and/13/==/0", "rule.unknown_attribute"),
        ("/routing/0/when/and/14/==/0", "rule.unknown_field"),
        ("/routing/0/when/and/15/!/missing/1", "rule.unknown_field"),
        ("/routing/0/when/and/16/!/missing/0/1", "rule.unknown_field"),
        ("/routing/0/when/and/17/!/missing_some/1/1", "rule.unknown_field"),
    ]
    assert messages(document)["/routing/0/when/and/12/==/0"].startswith(
        "The condition of routing rule 'Server down in the east' uses 'ticket.statuss', which is not a ticket attribute. "
        "Did you mean 'ticket.status'?")


def test_element_variables_inside_array_operators_are_not_fields():
    document = example()
    document["routing"][0]["when"] = {"and": [
        {"some": [{"var": "screenshots"}, {"==": [{"var": "name"}, "x.png"]}]},
        {"all": [{"var": "ticket.requester.tags"}, {"!=": [{"var": ""}, "blocked"]}]},
        {"none": [{"map": [{"var": "screenshots"}, {"var": "size"}]}, {">": [{"var": ""}, 10]}]},
        {"filter": [{"var": "screenshots"}, {"var": "ok"}]},
        {"reduce": [{"var": "screenshots"}, {"+": [{"var": "current.size"}, {"var": "accumulator"}]}, {"var": "impact"}]},
        {"map": [{"var": "serials"}, {"var": "x"}]},          # 5: the array itself is read from the data
    ]}
    assert errors(document) == [("/routing/0/when/and/5/map/0", "rule.unknown_field")]


def test_transition_guards_and_values_may_use_the_transitions_own_fields():
    document = example()
    resolve = transition(document, "resolve")
    resolve["guard"] = {"!!": {"var": "resolution"}}
    resolve["actions"].append({"do": "set", "fields": {"region": {"if": [{"var": "root_cause"}, "east", "west"]}}})
    assert errors(document) == []
    confirm = transition(document, "confirm")
    confirm["guard"] = {"!!": {"var": "resolution"}}   # not its own field: a warning, the field may be empty
    assert errors(document) == []
    assert warnings(document) == [("/workflow/transitions/5/guard/!!", "rule.transition_field")]


def test_an_automation_after_a_transition_may_use_its_fields():
    document = example()
    document["automations"].append({"name": "Learn", "on": "transitioned", "transition": "resolve",
                                    "when": {"==": [{"var": "root_cause"}, "unknown"]},
                                    "do": [{"do": "notify", "to": ["team.manager"]}]})
    assert errors(document) == [] and warnings(document) == []



def test_a_child_closed_automation_reads_the_child_and_no_other_trigger_does():
    document = example()
    document["automations"].append({"name": "Next child", "on": "child_closed",
                                    "when": {"and": [{"==": [{"var": "child.status"}, "done"]},
                                                     {"==": [{"var": "child.data.area"}, "it"]}]},
                                    "do": [{"do": "notify", "to": ["team.manager"]}]})
    assert errors(document) == [] and warnings(document) == []
    document["automations"][-1]["on"] = "created"
    assert [code for _, code in errors(document)] == ["rule.unknown_field", "rule.unknown_field"]

# --- workflow -------------------------------------------------------------------------------------------------

def test_duplicate_state_and_transition_keys():
    document = example()
    document["workflow"]["states"].append({"key": "waiting", "name": "Waiting again", "category": "pending"})
    document["workflow"]["transitions"].append({"key": "start", "from": ["waiting"], "to": "in_progress"})
    assert errors(document) == [("/workflow/states/6/key", "workflow.duplicate_state"),
                                ("/workflow/transitions/7/key", "workflow.duplicate_transition")]


def test_exactly_one_initial_state():
    document = example()
    document["workflow"]["states"][0]["initial"] = False
    assert errors(document) == [("/workflow/states", "workflow.no_initial_state")]
    document["workflow"]["states"][0]["initial"] = True
    document["workflow"]["states"][3]["initial"] = True
    assert errors(document) == [("/workflow/states/3/initial", "workflow.several_initial_states")]


def test_a_final_state_is_needed():
    document = example()
    del document["workflow"]["states"][5]["final"]
    assert errors(document) == [("/workflow/states", "workflow.no_final_state")]


def test_transitions_name_real_states():
    document = example()
    transition(document, "resolve")["to"] = "done"
    transition(document, "start")["from"] = ["new", "asigned"]
    found = messages(document)
    assert found == {
        "/workflow/transitions/4/to": "Transition 'resolve' goes to state 'done', which does not exist.",
        "/workflow/transitions/1/from/1": "Transition 'start' leaves from state 'asigned', which does not exist. "
                                          "Did you mean 'assigned'?",
        # with 'resolve' going nowhere, nothing reaches 'resolved' or, after it, 'closed'
        "/workflow/states/4": "State 'resolved' cannot be reached: no chain of transitions leads to it from the "
                              "initial state 'new'.",
        "/workflow/states/5": "State 'closed' cannot be reached: no chain of transitions leads to it from the "
                              "initial state 'new'.",
    }


def test_unreachable_states_and_dead_ends():
    document = example()
    document["workflow"]["states"].append({"key": "limbo", "name": "Limbo", "category": "open"})
    document["workflow"]["states"].append({"key": "archived", "name": "Archived", "category": "closed", "final": True})
    assert errors(document) == [("/workflow/states/6", "workflow.unreachable_state"),
                                ("/workflow/states/7", "workflow.unreachable_state")]
    assert warnings(document) == [("/workflow/states/6", "workflow.dead_end")]


def test_from_star_means_every_non_final_state():
    document = example()
    document["workflow"]["states"].append({"key": "cancelled", "name": "Cancelled", "category": "closed", "final": True})
    document["workflow"]["transitions"].append({"key": "cancel", "from": "*", "to": "cancelled"})
    assert errors(document) == [] and warnings(document) == []
    document["workflow"]["states"].append({"key": "limbo", "name": "Limbo", "category": "open"})
    # 'limbo' can leave through 'cancel', but nothing leads to it
    assert errors(document) == [("/workflow/states/7", "workflow.unreachable_state")]
    assert warnings(document) == []


def test_require_names_a_form_field_a_transition_field_or_comment():
    document = example()
    transition(document, "resolve")["require"] = ["resolution", "comment", "title", "eta"]
    assert errors(document) == [("/workflow/transitions/4/require/3", "workflow.unknown_field")]


# --- priority and SLA -------------------------------------------------------------------------------------------

def test_priority_values_must_be_levels():
    document = example()
    document["priority"]["default"] = "P5"
    document["priority"]["matrix"]["cells"]["low|person"] = "Low"
    document["priority"]["overrides"].append({"when": True, "set": "urgent"})
    document["routing"][1]["set_priority"] = "P0"
    assert errors(document) == [
        ("/priority/default", "priority.unknown_level"),
        ("/priority/matrix/cells/low|person", "priority.unknown_level"),
        ("/priority/overrides/1/set", "priority.unknown_level"),
        ("/routing/1/set_priority", "priority.unknown_level"),
    ]


def test_the_matrix_uses_enum_fields_and_well_formed_cells():
    document = example()
    matrix = document["priority"]["matrix"]
    matrix["by"] = ["urgency", "impact", "title"]
    assert errors(document)[0] == ("/priority/matrix/by/2", "priority.matrix_field")
    matrix["by"] = ["urgency", "severity"]
    assert errors(document)[0] == ("/priority/matrix/by/1", "priority.matrix_field")
    matrix["by"] = ["urgency", "impact"]
    matrix["cells"] = {"high|company": "P1", "high": "P2", "high|planet": "P2", "*|person": "P4", "*": "P3"}
    found = messages(document)
    assert list(found) == ["/priority/matrix/cells/high", "/priority/matrix/cells/high|planet"]
    assert "needs 2 parts separated by '|'" in found["/priority/matrix/cells/high"]
    assert "'planet' is not a value of the field 'impact'" in found["/priority/matrix/cells/high|planet"]


def test_a_boolean_field_in_the_matrix():
    document = example()
    document["form"]["schema"]["properties"]["outage"] = {"type": "boolean"}
    document["priority"]["matrix"] = {"by": ["outage"], "cells": {"true": "P1", "false": "P3", "yes": "P2", "*": "P4"}}
    assert errors(document) == [("/priority/matrix/cells/yes", "priority.matrix_cell")]


def test_sla_targets_for_a_level_that_does_not_exist():
    document = example()
    document["sla"][0]["targets"]["P0"] = {"response": "PT5M"}
    assert errors(document) == [("/sla/0/targets/P0", "sla.unknown_level")]


def _without_escalation(document: dict[str, Any]) -> dict[str, Any]:
    for step in document["sla"][0]["escalate"]:
        step.pop("raise_priority", None)
    return document


def test_sla_targets_for_a_level_no_ticket_can_get():
    document = _without_escalation(example())
    document["priority"]["levels"] = ["P0", "P1", "P2", "P3", "P4"]
    document["sla"][0]["targets"]["P0"] = {"response": "PT5M"}
    found = messages(document)
    # the matrix gives P1..P4; raise_by 1 only reaches P0 from P1, which the matrix gives: P0 is reachable
    assert found == {}
    document["priority"]["overrides"] = []
    found = messages(document)
    assert list(found) == ["/sla/0/targets/P0"]
    assert found["/sla/0/targets/P0"].startswith("No ticket can get priority P0: ")


def test_levels_default_to_p1_to_p4_and_the_default_is_the_last():
    document = _without_escalation(example())
    del document["priority"]
    # the default P4 is the only level a ticket can get
    assert errors(document) == [("/sla/0/targets/P1", "sla.unreachable_level"),
                                ("/sla/0/targets/P2", "sla.unreachable_level"),
                                ("/sla/0/targets/P3", "sla.unreachable_level")]
    document["routing"][0]["set_priority"] = "P1"
    assert errors(document) == [("/sla/0/targets/P2", "sla.unreachable_level"),
                                ("/sla/0/targets/P3", "sla.unreachable_level")]


def test_escalation_makes_more_urgent_levels_reachable():
    document = example()
    del document["priority"]
    assert errors(document) == []  # P4 by default, then raise_priority: P3, P2, P1


def test_overrides_shift_levels():
    document = _without_escalation(example())
    document["priority"] = {"default": "P2", "overrides": [{"when": True, "lower_by": 1}]}
    assert errors(document) == [("/sla/0/targets/P1", "sla.unreachable_level")]
    document["priority"] = {"default": "P3", "overrides": [{"when": True, "raise_by": 1}]}
    assert errors(document) == [("/sla/0/targets/P4", "sla.unreachable_level")]
    document["priority"] = {"levels": ["P1", "P2", "P3", "P4"], "overrides": [{"when": True, "raise_by": 9}]}
    assert errors(document) == []  # P4 by default, raised by up to 9: clamped at P1


def test_a_reachable_level_without_targets_is_a_warning():
    document = example()
    del document["sla"][0]["targets"]["P4"]
    assert errors(document) == []
    assert warnings(document) == [("/sla/0/targets", "sla.missing_level")]


def test_zero_durations_where_a_length_is_needed():
    document = example()
    document["sla"][0]["targets"]["P2"]["resolution"] = "P0D"
    document["sla"][0]["targets"]["P3"]["next_update"] = "PT0H0M"
    document["sla"][0]["warn_before"] = ["PT30M", "PT0S"]
    assert errors(document) == [("/sla/0/targets/P2/resolution", "duration.zero"),
                                ("/sla/0/targets/P3/next_update", "duration.zero"),
                                ("/sla/0/warn_before/1", "duration.zero")]
    assert document["sla"][0]["escalate"][0]["after_breach"] == "PT0M"  # and that one is fine


@pytest.mark.parametrize("duration", ["30M", "PT", "P", "PT1.5H", "P1Y", "pt30m", " PT30M", "PT30M\n"])
def test_malformed_durations(duration):
    document = example()
    document["sla"][0]["targets"]["P1"]["response"] = duration
    assert errors(document) == [("/sla/0/targets/P1/response", "schema.pattern")]


def test_policies_after_a_catch_all_never_apply():
    document = example()
    document["sla"].append({"name": "Never", "targets": {"P1": {"response": "PT1H"}}})
    document["routing"].append({"name": "Never either", "when": True, "assign": {"team": "x"}})
    assert sorted(warnings(document)) == [("/routing/3", "routing.unreachable_rule"), ("/sla/1", "sla.unreachable_policy"),
                                          ("/sla/1/targets", "sla.missing_level")]
    assert "has no targets for priorities P2, P3 and P4;" in validate_definition(document).warnings[1].message


def test_pause_in_names_states_or_categories():
    document = example()
    document["sla"][0]["pause_in"] = ["pending", "waiting", "on_hold"]
    assert errors(document) == [("/sla/0/pause_in/2", "sla.unknown_state")]


# --- other references ------------------------------------------------------------------------------------------

def test_automation_triggers_name_real_things():
    document = example()
    document["automations"] = [
        {"name": "A", "on": "field_changed", "field": "urgncy", "do": [{"do": "notify", "to": ["assignee"]}]},
        {"name": "B", "on": "transitioned", "transition": "solve", "do": [{"do": "notify", "to": ["assignee"]}]},
        {"name": "C", "on": "elapsed", "state": "wait", "after": "P1D", "do": [{"do": "notify", "to": ["assignee"]}]},
        {"name": "D", "on": "created", "field": "title", "do": [{"do": "notify", "to": ["assignee"]}]},
    ]
    found = messages(document)
    assert list(found) == ["/automations/0/field", "/automations/1/transition", "/automations/2/state"]
    assert found["/automations/0/field"].endswith("Did you mean 'urgency'?")
    assert warnings(document) == [("/automations/3/field", "automation.unused_key")]


def test_chart_fields_exist():
    document = example()
    chart = document["charts"][0]
    chart["dimensions"] = ["category", "priority", "ticket.team"]
    chart["measures"] = [{"agg": "count"}, {"agg": "avg", "field": "age_hours"}, {"agg": "sum", "field": "cost"},
                         {"agg": "max"}, {"agg": "p90", "field": "title"}]
    document["charts"].append({"key": "more", "title": "More", "type": "table", "measures": [{"agg": "count"}],
                               "dimensions": ["requester.email", "colour", "ticket.data.urgency"]})
    assert errors(document) == [("/charts/0/measures/2/field", "chart.unknown_field"),
                                ("/charts/0/measures/3", "chart.measure_field"),
                                ("/charts/1/dimensions/1", "chart.unknown_field")]
    assert warnings(document) == [("/charts/0/measures/4/field", "chart.measure_not_numeric")]


def test_duplicate_chart_keys():
    document = example()
    document["charts"].append(copy.deepcopy(document["charts"][0]))
    assert errors(document) == [("/charts/1/key", "chart.duplicate")]


def test_set_actions_name_real_fields():
    document = example()
    transition(document, "resolve")["actions"].append({"do": "set", "fields": {"region": "east", "resolution": "x",
                                                                               "severity": 1}})
    assert errors(document) == [("/workflow/transitions/4/actions/1/fields/severity", "action.unknown_field")]


def test_unknown_teams_roles_and_types_are_warnings():
    document = example()
    document["automations"][0]["do"].append({"do": "create_child", "type": "purchase-request"})
    document["automations"][0]["do"].append({"do": "create_child", "type": "it-incident"})  # itself: fine
    document["sla"][0]["escalate"][1]["reassign"] = {"team": "major-incidents"}
    transition(document, "reopen")["roles"] = ["requester", "supervisor"]
    known = {"known_teams": {"service-desk", "network-ops"}, "known_roles": {"agent"}, "known_types": {"it-request"}}
    report = validate_definition(document, **known)
    assert report.ok
    assert [(p.pointer, p.code) for p in report.warnings] == [
        ("/routing/0/assign/team", "team.unknown"),
        ("/sla/0/escalate/1/reassign/team", "team.unknown"),
        ("/sla/0/escalate/2/notify/0", "role.unknown"),
        ("/workflow/transitions/6/roles/1", "role.unknown"),
        ("/automations/0/do/1/type", "type.unknown"),
    ]
    assert report.warnings[0].message.startswith("Team 'east-senior-ops' does not exist yet; ")
    assert warnings(document) == []  # nothing known, nothing checked


def test_a_fixed_assignment_needs_a_user():
    document = example()
    document["routing"][1]["assign"] = {"team": "network-ops", "strategy": "fixed"}
    document["routing"][2]["assign"] = {"team": "service-desk", "user": "lee@example.com", "strategy": "fixed"}
    transition(document, "start").setdefault("actions", []).append({"do": "assign", "team": "x", "strategy": "fixed"})
    assert errors(document) == [("/routing/1/assign/strategy", "assignment.fixed_without_user"),
                                ("/workflow/transitions/1/actions/0/strategy", "assignment.fixed_without_user")]


# --- the property: no input makes it raise, and every pointer points into the document ---------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12) | st.sampled_from(["P1", "new", "closed", "*", "PT0M", "method", "var", "title", "role:x"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.text(max_size=8) | st.sampled_from(["var", "method", "when", "do", "key", "to", "from", "~/", "a/b"]),
        children, max_size=4),
    max_leaves=12)


def _locations(document: Any) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(document, ())]
    while stack:
        node, path = stack.pop()
        found.append(path)
        if isinstance(node, dict):
            stack.extend((value, (*path, key)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, (*path, index)) for index, value in enumerate(node))
    return found


LOCATIONS = sorted(_locations(EXAMPLE), key=repr)


def _mutate(document: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    if not path:
        return value if action == "replace" else document
    parent = document
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return document
    last = path[-1]
    try:
        if action == "delete":
            del parent[last]
        else:
            parent[last] = value
    except (KeyError, IndexError, TypeError):
        pass
    return document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(LOCATIONS), st.sampled_from(["delete", "replace"]), JSON_VALUES),
                min_size=1, max_size=6))
def test_mutated_examples_never_raise_and_point_into_the_document(mutations):
    document = example()
    for path, action, value in mutations:
        document = _mutate(document, path, action, value)
    report = validate_definition(document, known_teams={"service-desk"}, known_roles={"agent"}, known_types=set())
    for problem in report.errors + report.warnings:
        assert problem.code != "internal", problem
        assert isinstance(problem.message, str) and problem.message
        parent = problem.pointer.rsplit("/", 1)[0] if problem.pointer else ""
        assert resolve(document, problem.pointer) or resolve(document, parent), problem


@settings(max_examples=100, deadline=None)
@given(JSON_VALUES)
def test_any_json_value_as_a_document_never_raises(value):
    report = validate_definition(value)
    assert not report.ok and all(p.code != "internal" for p in report.errors)


# --- designer.format ------------------------------------------------------------------------------------------

def test_canonical_json():
    assert canonical_json({"b": [1, {"d": 1, "c": "é"}], "a": None}) == '{"a":null,"b":[1,{"c":"é","d":1}]}'
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})
    with pytest.raises(ValueError):
        canonical_json(float("nan"))


def test_upgrade_leaves_current_and_unknown_formats_alone():
    document = example()
    assert upgrade(document) is document
    for other in ({"format": 99}, {}, [], "x", None):
        assert upgrade(other) is other


def test_an_upgrade_step_runs_on_a_copy(monkeypatch):
    def zero_to_one(document: dict[str, Any]) -> dict[str, Any]:
        document["format"] = 1
        document["name"] = document.pop("title")
        return document

    monkeypatch.setitem(fmt.UPGRADES, 0, zero_to_one)
    old = {**example(), "format": 0, "title": "IT incident"}
    del old["name"]
    before = copy.deepcopy(old)
    upgraded = upgrade(old)
    assert old == before
    assert upgraded == example()
    assert validate_definition(old).ok  # the validator upgrades too


def test_a_broken_upgrade_step_is_reported_not_raised(monkeypatch):
    monkeypatch.setitem(fmt.UPGRADES, 0, lambda document: document)  # does not move the format forward
    assert errors({**example(), "format": 0}) == [("/format", "format.upgrade_failed")]


def test_load_document():
    text = EXAMPLE_PATH.read_text(encoding="utf-8")
    assert load_document(text) == EXAMPLE
    assert load_document(b"\xef\xbb\xbf" + text.encode()) == EXAMPLE
    with pytest.raises(DocumentError, match="line 1, column 2"):
        load_document("{,}")
    with pytest.raises(DocumentError, match="'name' appears twice"):
        load_document('{"name": "a", "name": "b"}')
    with pytest.raises(DocumentError, match="NaN"):
        load_document('{"x": NaN}')
    with pytest.raises(DocumentError, match="UTF-8"):
        load_document(b"\xff\xfe")
    with pytest.raises(DocumentError):
        load_document("[" * 100_000)


def test_the_meta_schema_is_loaded_once_and_is_a_valid_schema():
    Draft202012Validator.check_schema(META_SCHEMA)
    assert META_SCHEMA["properties"]["format"]["const"] == CURRENT_FORMAT
    from designer.validation import metaschema
    assert metaschema.META_VALIDATOR is META_VALIDATOR is fmt.META_VALIDATOR


def _schema_paths(validator: Any, document: Any) -> list[tuple[str, str]]:
    return sorted((json.dumps(list(e.absolute_path)), str(e.validator)) for e in validator.iter_errors(document))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LOCATIONS), st.sampled_from(["delete", "replace"]), JSON_VALUES),
                min_size=1, max_size=4))
def test_the_prepared_meta_schema_accepts_exactly_what_the_file_does(mutations):
    """META_VALIDATOR uses the file's schema with references inlined, `if`s requiring their key and `if` ladders
    turned into switches: the same documents pass, and a document that fails, fails both."""
    document = example()
    for path, action, value in mutations:
        document = _mutate(document, path, action, value)
    original = Draft202012Validator(META_SCHEMA)
    assert META_VALIDATOR.is_valid(document) == original.is_valid(document)


SCHEMA_VALUES = st.recursive(
    st.booleans() | st.integers(-3, 3) | st.sampled_from(["string", "object", "strin", "[a-", "^a$", "x", 1.5, None]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from([
        "type", "properties", "items", "required", "enum", "const", "minLength", "maxLength", "minimum", "pattern",
        "format", "title", "anyOf", "oneOf", "allOf", "not", "$ref", "$defs", "additionalProperties", "uniqueItems",
        "multipleOf", "dependentRequired", "prefixItems", "contains", "$anchor", "examples", "default"]), children, max_size=4),
    max_leaves=10)


@settings(max_examples=300, deadline=None)
@given(SCHEMA_VALUES)
def test_the_flat_2020_12_meta_schema_agrees_with_the_published_one(schema):
    published = Draft202012Validator(Draft202012Validator.META_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert _schema_paths(FORM_META_VALIDATOR, schema) == _schema_paths(published, schema)


@settings(max_examples=300, deadline=None)
@given(SCHEMA_VALUES)
def test_plainly_valid_schemas_are_valid(schema):
    if _plainly_valid(schema):
        assert FORM_META_VALIDATOR.is_valid(schema)


def test_common_field_schemas_are_plainly_valid():
    for field in EXAMPLE["form"]["schema"]["properties"].values():
        assert _plainly_valid(field)
    assert not _plainly_valid({"type": "strin"})
    assert not _plainly_valid({"$ref": "#/$defs/x"})  # not wrong: just for the meta-schema to decide


def test_the_prepared_meta_schema_has_no_references_or_if_ladders_left():
    prepared = {key: value for key, value in META_VALIDATOR.schema.items() if key != "$defs"}
    text = json.dumps(prepared)
    assert '"$ref"' not in text and '"if"' not in text and text.count('"x-gongdan-switch"') >= 2


def test_unique_items_is_linear_and_keeps_json_equality():
    assert not META_VALIDATOR.is_valid({**example(), "categories": ["a", "b", "a"]})
    started = time.process_time()
    assert FORM_META_VALIDATOR.is_valid({"required": [str(i) for i in range(20_000)]})
    assert list(FORM_META_VALIDATOR.iter_errors({"type": ["string", "string"]}))
    assert fmt.first_duplicate([1, True, 1.0]) == 2
    assert fmt.first_duplicate([{"a": [1]}, {"a": [True]}]) is None
    assert time.process_time() - started < 1


# --- the benchmark's definition and the documentation ---------------------------------------------------------------

def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_validation", ROOT / "bench" / "bench_validation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_definition_is_valid_and_quick():
    document = _bench().generate()
    assert len(document["form"]["schema"]["properties"]) == 200 and len(document["workflow"]["transitions"]) == 50
    validate_definition(document)
    started = time.process_time()
    report = validate_definition(document)
    assert report.ok, report.errors[:5]
    assert time.process_time() - started < 1  # 50 ms on a laptop; generous here for busy CI machines


def test_the_documented_example_is_the_example_file_and_valid():
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)\n```", text, flags=re.S)
    complete = [json.loads(block) for block in blocks if '"format": 1' in block and '"workflow"' in block]
    assert len(complete) == 1, "the complete example appears once"
    assert complete[0] == EXAMPLE
    assert EXAMPLE_PATH.read_text(encoding="utf-8").strip() in text
    assert validate_definition(complete[0]).errors == []


def test_the_documented_ticket_attributes_are_the_runtime_list():
    text = DOCS.read_text(encoding="utf-8")
    documented = re.findall(r"^\| `ticket\.([a-z_.]+)` \|", text, flags=re.M)
    assert documented == list(TICKET_ATTRIBUTES)


def test_every_error_code_is_documented():
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "designer" / "validation").glob("*.py")))
    codes = set(re.findall(r"\"((?:document|format|schema|form|rule|workflow|priority|sla|duration|categories|automation|"
                           r"chart|action|team|role|type|assignment|routing|limit|i18n|approval)\.[a-z_]+)\"", source))
    assert len(codes) > 40
    text = DOCS.read_text(encoding="utf-8")
    assert sorted(code for code in codes if f"`{code}`" not in text) == []


def test_designer_validation_names_unknown_fields_of_a_read_only_rule():
    from tests.runtime.test_readonly_rules import definition

    document = definition()
    document["form"]["field_rules"].append({"when": True, "readonly": ["asset_tga"]})
    errors = [p.as_dict() for p in validate_definition(document).errors]
    assert [(e["path"], e["code"]) for e in errors] == [("/form/field_rules/3/readonly/0", "form.unknown_field")]
    assert "makes read-only the field 'asset_tga'" in errors[0]["message"] and "asset_tag" in errors[0]["message"]
    document["form"]["field_rules"][-1] = {"when": True, "readonly": "category"}
    assert [e.as_dict()["path"] for e in validate_definition(document).errors] == ["/form/field_rules/3/readonly"]
    assert validate_definition(definition()).ok, [p.as_dict() for p in validate_definition(definition()).errors]


def _with_layout(layout: Any) -> dict[str, Any]:
    document = example()
    document["form"]["ui"]["ui:layout"] = layout
    return document


def test_a_good_layout_of_sections_and_columns_is_valid():
    layout = ["title", {"section": "device", "title": "Device", "description": "The unit",
                        "i18n": {"zh-CN": {"title": "设备"}},
                        "items": ["category", {"columns": [["urgency"], ["impact"]]}]},
              {"columns": [["description", "asset_tag"], []]}, "region"]
    report = validate_definition(_with_layout(layout))
    assert report.ok and not report.warnings, [p.as_dict() for p in [*report.errors, *report.warnings]]


def test_the_layout_names_real_fields_once_in_a_known_shape():
    layout = ["title", "titel",
              {"section": "a", "title": 3, "items": ["category", {"section": "nested", "items": []}, 7]},
              {"section": "a", "items": "urgency"},
              {"columns": [["impact"], ["title"]]},
              {"columns": [["region"]]},
              {"section": "bad id!", "items": [{"columns": [["description"], ["description"]]}], "colour": "red"},
              42]
    found = errors(_with_layout(layout))
    base = "/form/ui/ui:layout"
    assert sorted(found) == sorted([
        (f"{base}/1", "form.layout_unknown_field"), (f"{base}/2/title", "form.layout"),
        (f"{base}/2/items/1", "form.layout"), (f"{base}/2/items/2", "form.layout"),
        (f"{base}/3/section", "form.layout"), (f"{base}/3/items", "form.layout"),
        (f"{base}/4/columns/1/0", "form.layout_twice"), (f"{base}/5/columns", "form.layout"),
        (f"{base}/6/items/0/columns/1/0", "form.layout_twice"), (f"{base}/6/section", "form.layout"),
        (f"{base}/7", "form.layout")])
    assert warnings(_with_layout(layout)) == [(f"{base}/6/colour", "form.layout_unknown_key")]
    said = messages(_with_layout(layout))
    assert said[f"{base}/1"] == "The layout places 'titel', which is not a form field. Did you mean 'title'?"
    assert said[f"{base}/4/columns/1/0"] == "The layout places 'title' twice; a field appears in one place only."
    assert errors(_with_layout({"title": 1})) == [("/form/ui/ui:layout", "form.layout")]
    zh = {p.pointer: p.message for p in validate_definition(_with_layout(layout), locale="zh-CN").errors}
    assert zh[f"{base}/4/columns/1/0"] == "布局中“title”出现了两次；一个字段只能放在一个位置。"  # noqa: RUF001


def test_public_fields_must_be_form_fields():
    doc = example()
    doc["access"] = {"public_fields": ["category", "asset_tagg"]}
    assert errors(doc) == [("/access/public_fields/1", "access.unknown_public_field")]
    assert "'asset_tagg'" in messages(doc)["/access/public_fields/1"] and "asset_tag" in messages(doc)["/access/public_fields/1"]
    doc["access"] = {"public_fields": ["category"]}
    assert errors(doc) == []
