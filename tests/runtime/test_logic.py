"""runtime.rules.logic: the JsonLogic conformance suite, the API, refusals, bounds, value semantics and the operators
that the designer's rule builder (react-awesome-query-builder) emits. No database needed."""

from __future__ import annotations

import json
import pickle
from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from runtime.rules.logic import ALLOWED_OPERATORS, MAX_DEPTH, MAX_NODES, compile_rule, evaluate
from runtime.rules.values import MAX_OUTPUT, MAX_STEPS, RuleError, RuleLimitError

SUITE = Path(__file__).resolve().parents[1] / "support" / "jsonlogic" / "compatible.json"  # see its README
NOW = datetime(2025, 5, 16, 13, 45, 30, 123456, tzinfo=UTC)


def json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON sees it: true is not 1, 1 is 1.0, containers compare item by item."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _suite_cases() -> list[Any]:
    if not SUITE.is_file():
        return [pytest.param(None, id="suite-missing")]
    cases, section = [], ""
    for index, item in enumerate(json.loads(SUITE.read_text())):
        if isinstance(item, str):
            section = item.strip("# ")
        else:
            cases.append(pytest.param(item, id=f"{index}-{section[:30]}"))
    return cases


# --- conformance -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", _suite_cases())
def test_conformance_suite(case: dict[str, Any] | None) -> None:
    assert case is not None, f"the JsonLogic conformance suite is missing: {SUITE}"
    result = evaluate(case["rule"], case.get("data"))
    assert json_equal(result, case["result"]), f"{case['rule']} with {case.get('data')} gave {result!r}, not {case['result']!r}"


def test_conformance_suite_has_the_expected_size() -> None:
    assert SUITE.is_file(), f"the JsonLogic conformance suite is missing: {SUITE}"
    cases = [item for item in json.loads(SUITE.read_text()) if isinstance(item, dict)]
    assert len(cases) >= 270


SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "jsonlogic" / "compatible.json"


@pytest.mark.skipif(not SHARED.is_file(), reason="no shared folder beside this clone to compare the copy with")
def test_the_copied_suite_is_the_shared_one() -> None:
    assert SUITE.read_bytes() == SHARED.read_bytes(), "tests/support/jsonlogic is stale: copy the shared suite again"


# --- API and cache ---------------------------------------------------------------------------------------

def test_compile_once_evaluate_many() -> None:
    rule = compile_rule({"and": [{"in": ["server down", {"var": "title"}]}, {"==": [{"var": "region"}, "east"]}]})
    assert rule({"title": "Mail server down", "region": "east"}) is True
    assert rule({"title": "Mail server down", "region": "west"}) is False
    assert rule({}) is False
    assert rule() is False


def test_compiled_rules_are_cached_by_canonical_json() -> None:
    first = compile_rule({"if": [{"==": [{"var": "a"}, 1]}, "one", "other"]})
    again = compile_rule(json.loads('{"if": [{"==": [{"var": "a"}, 1]}, "one", "other"]}'))
    assert first is again
    assert first.canonical == '{"if":[{"==":[{"var":"a"},1]},"one","other"]}'
    assert compile_rule({"var": "a"}) is not compile_rule({"var": "b"})


def test_tuples_are_read_as_arrays_like_json_dumps_does() -> None:
    assert evaluate({"in": ["b", ("a", "b")]}) is True
    assert compile_rule({"in": ["b", ("a", "b")]}) is compile_rule({"in": ["b", ["a", "b"]]})


def test_a_returned_literal_array_is_a_fresh_copy_each_time() -> None:
    rule = compile_rule({"if": [True, [1, [2, 3]], None]})
    result = rule()
    result.append(4)
    result[1].append(5)
    assert rule() == [1, [2, 3]]


def test_allowed_operators_are_exactly_the_documented_set() -> None:
    classic = {"var", "missing", "missing_some", "if", "?:", "==", "===", "!=", "!==", "!", "!!", "or", "and", ">", ">=",
               "<", "<=", "max", "min", "+", "-", "*", "/", "%", "map", "reduce", "filter", "all", "none", "some",
               "merge", "in", "cat", "substr"}
    builder = {"now", "today", "start_of_today", "date_add", "datetime_add", "datetime_truncate", "date==", "date!=",
               "datetime==", "datetime!=", "toLowerCase", "toUpperCase", "locked"}
    assert classic | builder == ALLOWED_OPERATORS
    docs = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text()
    for op in builder:
        assert f"`{op}`" in docs, f"{op} is not documented in docs/rules.md"


# --- refusals --------------------------------------------------------------------------------------------

def test_method_is_refused_at_compile_time_with_operator_and_pointer() -> None:
    rule = {"and": [True, {"method": ["echo hi", "__class__"]}]}
    with pytest.raises(RuleError) as caught:
        compile_rule(rule)
    error = caught.value
    assert error.operator == "method"
    assert error.pointer == "/and/1/method"
    assert error.message.startswith("Unknown operator 'method' at /and/1: allowed operators are ")
    assert "substr" in error.message and "var" in error.message


def test_the_method_walk_to_os_system_never_runs() -> None:
    # With json-logic-qubit this chain reaches os.system through attribute lookups; here it never compiles.
    exploit = {"method": [{"method": [{"method": ["", "__class__"]}, "__base__"]}, "__subclasses__"]}
    with pytest.raises(RuleError, match="Unknown operator 'method' at the top level"):
        evaluate(exploit)


@pytest.mark.parametrize(("rule", "operator", "pointer"), [
    ({"log": "x"}, "log", "/log"),
    ({"or": [False, {"if": [True, {"os.system": ["ls"]}]}]}, "os.system", "/or/1/if/1/os.system"),
    ({"/": [1, {"count": [1]}]}, "count", "/~1/1/count"),
    ([1, {"starts_with": [{"var": "a"}, "x"]}], "starts_with", "/1/starts_with"),
])
def test_unknown_and_forbidden_operators_are_refused(rule: Any, operator: str, pointer: str) -> None:
    with pytest.raises(RuleError) as caught:
        compile_rule(rule)
    assert (caught.value.operator, caught.value.pointer) == (operator, pointer)
    assert f"Unknown operator '{operator}'" in caught.value.message


@pytest.mark.parametrize("rule", [
    {"var": "a", "missing": ["b"]},
    {"and": [{}]},
])
def test_an_object_must_have_exactly_one_operator(rule: Any) -> None:
    with pytest.raises(RuleError, match="A rule object must have exactly one operator"):
        compile_rule(rule)


def test_multi_key_object_error_names_keys_and_place() -> None:
    with pytest.raises(RuleError) as caught:
        compile_rule({"if": [{"var": "a", "missing": ["b"]}, 1, 2]})
    assert caught.value.pointer == "/if/0"
    assert "has 2 keys ('missing', 'var')" in caught.value.message


@pytest.mark.parametrize(("rule", "pointer", "fragment"), [
    ({"==": [{"var": "a"}, float("nan")]}, "/==/1", "finite numbers"),
    ({"<": [float("inf"), 1]}, "/</0", "finite numbers"),
    ({"==": [{"var": "a"}, datetime(2025, 1, 1)]}, "/==/1", "type datetime"),
    ({"in": ["a", {"a", "b"}]}, "/in/1", "type set"),
    ({"==": [{"var": "a"}, object()]}, "/==/1", "type object"),
    ({"and": [{1: "x", "a": 2}]}, "/and/0", "object key 1"),
])
def test_values_that_are_not_json_are_refused(rule: Any, pointer: str, fragment: str) -> None:
    with pytest.raises(RuleError) as caught:
        compile_rule(rule)
    assert caught.value.pointer == pointer
    assert fragment in caught.value.message


@pytest.mark.parametrize(("rule", "message"), [
    ({"==": [1, 2, 3]}, "Operator '==' at the top level needs exactly 2 arguments, but has 3."),
    ({"!": []}, "Operator '!' at the top level needs exactly 1 argument, but has 0."),
    ({"and": []}, "Operator 'and' at the top level needs at least 1 argument, but has 0."),
    ({"substr": ["abc"]}, "Operator 'substr' at the top level needs 2 to 3 arguments, but has 1."),
    ({"if": [{"map": [[1]]}]}, "Operator 'map' at /if/0 needs exactly 2 arguments, but has 1."),
    ({"now": [1]}, "Operator 'now' at the top level takes no arguments, but has 1."),
    ({"var": ["a", 1, 2]}, "Operator 'var' at the top level needs 0 to 2 arguments, but has 3."),
])
def test_wrong_arity_is_refused(rule: Any, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        compile_rule(rule)
    assert caught.value.message == message


def test_depth_is_bounded() -> None:
    rule: Any = True
    for _ in range(MAX_DEPTH):
        rule = {"!": [rule]}
    compile_rule(rule)
    with pytest.raises(RuleLimitError, match="nested too deeply"):
        compile_rule({"!": [rule]})


def test_very_deep_input_is_refused_without_recursion_error() -> None:
    rule: Any = True
    for _ in range(100_000):
        rule = [rule]
    with pytest.raises(RuleLimitError, match="nested too deeply"):
        compile_rule(rule)


def test_size_is_bounded() -> None:
    compile_rule({"cat": ["x"] * (MAX_NODES - 1)})
    with pytest.raises(RuleLimitError, match="too large"):
        compile_rule({"cat": ["x"] * MAX_NODES})


@pytest.mark.parametrize("rule", [
    {"var": "__class__"},
    {"var": "ticket.__dict__.x"},
    {"var": ["a.__init__", 1]},
    {"missing": ["__globals__"]},
    {"missing_some": [1, ["a", "__builtins__"]]},
])
def test_var_paths_with_python_internal_names_are_refused(rule: Any) -> None:
    with pytest.raises(RuleError, match="reserved name"):
        compile_rule(rule)


def test_var_reads_only_dict_keys_and_list_indexes_never_attributes() -> None:
    class Ticket:
        status = "open"

    assert evaluate({"var": "t.status"}, {"t": Ticket()}) is None
    assert evaluate({"var": "n.real"}, {"n": 5}) is None
    assert evaluate({"var": "s.0"}, {"s": "abc"}) is None
    assert evaluate({"var": {"cat": ["__cla", "ss__"]}}, {"__class__": 1}) is None
    assert evaluate({"var": "__x"}, {"__x": 1}) == 1
    assert evaluate({"var": "keys"}, {"keys": "mine"}) == "mine"


def test_errors_keep_their_details_when_pickled() -> None:
    with pytest.raises(RuleError) as caught:
        compile_rule({"and": [{"method": []}]})
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (type(copy), copy.message, copy.pointer, copy.operator) == (RuleError, caught.value.message, "/and/0/method", "method")
    assert str(copy) == caught.value.message


# --- bounds while evaluating -----------------------------------------------------------------------------

def test_array_work_is_bounded_per_evaluation() -> None:
    rule = compile_rule({"map": [{"var": "items"}, {"map": [{"var": "inner"}, 1]}]})
    small = [{"inner": list(range(10))}] * 10
    assert rule({"items": small}) == [[1] * 10] * 10
    big = [{"inner": list(range(400))}] * 400
    with pytest.raises(RuleLimitError) as caught:
        rule({"items": big})
    assert caught.value.operator == "map"
    assert caught.value.pointer == "/map/1/map"
    assert f"{MAX_STEPS:,} array steps" in caught.value.message
    assert rule({"items": small}) == [[1] * 10] * 10, "the budget is per evaluation"


@pytest.mark.parametrize("rule", [
    {"in": [-1, {"var": "xs"}]},
    {"some": [{"var": "xs"}, False]},
    {"==": [{"var": "xs"}, {"var": "ys"}]},
    {"cat": [{"var": "xs"}]},
])
def test_other_array_walks_are_bounded_too(rule: Any) -> None:
    data = {"xs": list(range(MAX_STEPS + 1)), "ys": list(range(MAX_STEPS + 1))}
    with pytest.raises(RuleLimitError):
        evaluate(rule, data)


@pytest.mark.parametrize(("rule", "operators"), [
    ({"reduce": [{"var": "n"}, {"merge": [{"var": "accumulator"}, {"var": "accumulator"}]}, [1]]}, {"merge"}),
    ({"reduce": [{"var": "n"}, {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}, "a"]}, {"cat"}),
    ({"reduce": [{"var": "n"}, {"toUpperCase": {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}}, "a"]},
     {"cat", "toUpperCase"}),
])
def test_built_output_is_bounded_per_evaluation(rule: Any, operators: set[str]) -> None:
    assert len(evaluate(rule, {"n": list(range(5))})) == 2 ** 5
    with pytest.raises(RuleLimitError, match=f"more than {MAX_OUTPUT:,} characters or array items") as caught:
        evaluate(rule, {"n": list(range(64))})
    assert caught.value.operator in operators


def test_numbers_cannot_blow_up() -> None:
    doubling = {"reduce": [{"var": "n"}, {"*": [{"var": "accumulator"}, {"var": "accumulator"}]}, 2]}
    assert evaluate(doubling, {"n": list(range(5))}) == 2 ** 32
    assert evaluate(doubling, {"n": list(range(5000))}) is None
    assert evaluate({"*": [{"var": "big"}, {"var": "big"}]}, {"big": 10 ** 300}) is None
    assert evaluate({"+": [2 ** 53, 2]}) == float(2 ** 53 + 2)


def test_deeply_nested_data_is_refused_not_recursed_into() -> None:
    deep: Any = 1
    for _ in range(500):
        deep = [deep]
    with pytest.raises(RuleLimitError, match="nested more than"):
        evaluate({"==": [{"var": "a"}, {"var": "b"}]}, {"a": deep, "b": deep})


# --- value semantics (docs/rules.md, "Semantics") --------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "loose"), [
    (1, "1", True), (1, "1.0", True), (1.5, " 1.5 ", True), (0, "", False), (1, "x", False),
    (True, 1, True), (True, "1", True), (False, 0, True), (True, 2, False), (True, "true", False), (False, "", False),
    (None, None, True), (None, False, False), (None, 0, False), (None, "", False), (None, "None", False),
    ([1, 2], [1, 2], True), ([1], [True], False), ([1], 1, False), ([], False, False), ({"a": 1}, {"a": 1}, True),
    ("a", "a", True), ("a", "A", False), (1, 1.0, True),
])
def test_loose_equality(a: Any, b: Any, loose: bool) -> None:
    rule = {"==": [{"var": "a"}, {"var": "b"}]}
    assert evaluate(rule, {"a": a, "b": b}) is loose
    assert evaluate(rule, {"a": b, "b": a}) is loose
    assert evaluate({"!=": [{"var": "a"}, {"var": "b"}]}, {"a": a, "b": b}) is not loose


@pytest.mark.parametrize(("a", "b", "strict"), [
    (1, 1.0, True), (1, "1", False), (True, 1, False), (None, None, True), ([1, [2]], [1, [2]], True),
    ([1], [1.0], True), ([1], [True], False), ({"a": [1]}, {"a": [1]}, True), ("x", "x", True),
])
def test_strict_equality(a: Any, b: Any, strict: bool) -> None:
    assert evaluate({"===": [{"var": "a"}, {"var": "b"}]}, {"a": a, "b": b}) is strict
    assert evaluate({"!==": [{"var": "a"}, {"var": "b"}]}, {"a": a, "b": b}) is not strict


@pytest.mark.parametrize(("rule", "result"), [
    ({"<": [None, 1]}, False), ({">": [None, -1]}, False), ({"<=": [None, None]}, True), ({"<=": [None, 0]}, False),
    ({"<": ["10", "9"]}, True), ({"<": ["10", 9]}, False), ({"<": [9, "10"]}, True), ({"<": ["a", 1]}, False),
    ({"<": [False, True]}, True), ({"<=": [True, "1"]}, True), ({"<": [[1], [2]]}, False), ({"<=": [[1], [1]]}, True),
    ({"<": [1, 2, 3]}, True), ({"<=": [1, 1, 1]}, True), ({"<": [1, "2", 3]}, True), ({"<=": ["a", "b", "c"]}, True),
    ({">=": ["2", 10]}, False), ({">": ["b", "a"]}, True), ({"<": [{"var": "x"}, 5]}, False),
])
def test_ordering(rule: Any, result: bool) -> None:
    assert evaluate(rule, {}) is result


def test_date_time_strings_compare_as_instants() -> None:
    earlier, later = "2025-05-01T10:00:00+02:00", "2025-05-01T09:00:00Z"
    assert evaluate({"<": [{"var": "a"}, {"var": "b"}]}, {"a": earlier, "b": later}) is True
    assert evaluate({"<": [{"var": "a"}, later]}, {"a": earlier}) is True
    assert evaluate({">": [later, {"var": "a"}]}, {"a": earlier}) is True
    assert evaluate({"<=": ["2025-05-01T08:00:00Z", "2025-05-01T10:00:00+02:00"]}) is True
    assert evaluate({"<": ["2025-05-01", "2025-05-01T00:00:00.000Z"]}) is False
    assert evaluate({"<": ["2025-05-01T00:00:00", "2025-05-01T00:00:01Z"]}) is True, "naive date-times are UTC"
    assert evaluate({"==": ["2025-05-01T08:00:00Z", "2025-05-01T10:00:00+02:00"]}) is False, "== compares text"


@pytest.mark.parametrize(("value", "truthy"), [
    (0, False), (0.0, False), ("", False), ([], False), (None, False), (False, False),
    ("0", True), ([0], True), ({}, True), ({"a": 1}, True), (-1, True), ("false", True),
])
def test_truthiness(value: Any, truthy: bool) -> None:
    assert evaluate({"!!": [{"var": "v"}]}, {"v": value}) is truthy
    assert evaluate({"!": {"var": "v"}}, {"v": value}) is not truthy
    assert evaluate({"if": [{"var": "v"}, "yes", "no"]}, {"v": value}) == ("yes" if truthy else "no")


@pytest.mark.parametrize(("rule", "result"), [
    ({"+": [1, "2"]}, 3), ({"+": ["1.5", 1.5]}, 3), ({"+": "3.25"}, 3.25), ({"+": [True, 1]}, 2), ({"+": [None, 1]}, None),
    ({"+": ["1e3", 0]}, 1000), ({"+": ["0x10", 0]}, None), ({"+": ["1_000", 0]}, None), ({"+": [[1], 1]}, None),
    ({"-": [5]}, -5), ({"-": ["5", 2]}, 3), ({"*": [2, "3", 0.5]}, 3), ({"/": [1, 4]}, 0.25), ({"/": [1, 0]}, None),
    ({"%": [1, 0]}, None), ({"%": [-7, 3]}, -1), ({"%": [7, -3]}, 1), ({"%": [7.5, 2]}, 1.5), ({"/": [6, 3]}, 2),
    ({"max": []}, None), ({"min": [3, "1", 2]}, 1), ({"max": [1, "x"]}, None), ({"max": [1, None]}, None),
    ({"+": [0.1, 0.2]}, 0.30000000000000004),
])
def test_arithmetic(rule: Any, result: Any) -> None:
    assert json_equal(evaluate(rule), result)


def test_integral_results_are_integers() -> None:
    assert type(evaluate({"/": [6, 3]})) is int
    assert type(evaluate({"*": [2.5, 2]})) is int
    assert type(evaluate({"/": [1, 3]})) is float


@pytest.mark.parametrize(("rule", "result"), [
    ({"cat": ["a", None, True, False, 1, 1.0, 2.5]}, "anulltruefalse112.5"),
    ({"cat": [[1, [2, None], "x"], {"var": "o"}]}, "1,2,,x[object Object]"),
    ({"cat": [1e21, " ", 1e-7, " ", 1.5e300, " ", 0.000001, " ", -0.0]}, "1e+21 1e-7 1.5e+300 0.000001 0"),
    ({"substr": ["jsonlogic", 4]}, "logic"), ({"substr": ["jsonlogic", -5, -2]}, "log"), ({"substr": [12345, 1, 2]}, "23"),
    ({"substr": ["abc", "1"]}, "bc"), ({"substr": ["abc", 1, None]}, ""), ({"substr": ["abc", 1.9]}, "bc"),
    ({"substr": ["abc", "x"]}, "abc"),
    ({"in": ["Spring", "Springfield"]}, True), ({"in": [1, "a1"]}, True), ({"in": [None, "null"]}, False),
    ({"in": [1, [1.0, 2]]}, True), ({"in": [True, [1]]}, False), ({"in": [[1], [[1], [2]]]}, True),
    ({"in": ["a", {"var": "o"}]}, False), ({"in": ["a", None]}, False), ({"in": ["a", 5]}, False),
    ({"merge": [1, [2, [3]], None]}, [1, 2, [3], None]),
])
def test_strings_arrays_and_membership(rule: Any, result: Any) -> None:
    assert json_equal(evaluate(rule, {"o": {"a": 1}}), result)


@pytest.mark.parametrize(("path", "result"), [
    ("items.0", "a"), ("items.1.k", 2), ("items.01", None), ("items.-1", None), ("items. 1", None), ("items.9", None),
    ("map.0", "zero"), ("map.x", None), ("n.a", None), ("", {"items": ["a", {"k": 2}], "map": {"0": "zero"}, "n": None}),
])
def test_var_paths(path: str, result: Any) -> None:
    data = {"items": ["a", {"k": 2}], "map": {"0": "zero"}, "n": None}
    assert evaluate({"var": path}, data) == result
    assert evaluate({"var": {"cat": [path]}}, data) == result


def test_var_defaults_and_found_null() -> None:
    assert evaluate({"var": ["a", "dflt"]}, {"a": None}) is None
    assert evaluate({"var": ["b", "dflt"]}, {"a": None}) == "dflt"
    assert evaluate({"var": ["a.b", {"cat": ["x", "y"]}]}, {"a": None}) == "xy"
    assert evaluate({"var": ["a", [1]]}, {}) == [1]
    assert evaluate({"var": 1}, ["x", "y"]) == "y"
    assert evaluate({"var": [True]}, {"true": 1}) is None


def test_falsy_data_is_kept_as_it_is() -> None:
    assert evaluate({"var": ""}, 0) == 0
    assert evaluate({"var": ""}, []) == []
    assert evaluate({"map": [[0, "", False, None], {"var": ""}]}) == [0, "", False, None]
    assert evaluate({"filter": [[0, 1, 2], {"var": ""}]}) == [1, 2]


def test_missing_treats_null_and_empty_text_as_missing() -> None:
    data = {"a": "", "b": None, "c": 0, "d": False, "e": [], "f": {"g": ""}}
    assert evaluate({"missing": ["a", "b", "c", "d", "e", "f.g", "z"]}, data) == ["a", "b", "f.g", "z"]
    assert evaluate({"missing": {"merge": ["a", "c"]}}, data) == ["a"]
    assert evaluate({"missing_some": [2, ["a", "c", "d"]]}, data) == []
    assert evaluate({"missing_some": [3, ["a", "c", "d"]]}, data) == ["a"]
    assert evaluate({"missing_some": [{"var": "need"}, {"merge": ["a", "c"]}]}, {**data, "need": 1}) == []


def test_reduce_evaluates_a_rule_as_its_initial_value() -> None:
    rule = {"reduce": [{"var": "xs"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, {"var": "start"}]}
    assert evaluate(rule, {"xs": [1, 2, 3, 4], "start": 59}) == 69
    assert evaluate(rule, {"xs": "not an array", "start": 7}) == 7


def test_scoped_operators() -> None:
    data = {"xs": [1, 2, 3], "tags": ["vip", "new"]}
    assert evaluate({"all": [{"var": "xs"}, {">": [{"var": ""}, 0]}]}, data) is True
    assert evaluate({"all": [[], True]}) is False
    assert evaluate({"none": [{"var": "missing"}, True]}) is True
    assert evaluate({"some": [{"var": "tags"}, {"in": [{"var": ""}, ["vip", "exec"]]}]}, data) is True
    assert evaluate({"map": [{"var": "xs"}, {"*": [{"var": ""}, 2]}]}, data) == [2, 4, 6]
    assert evaluate({"filter": [{"var": "xs"}, {"%": [{"var": ""}, 2]}]}, data) == [1, 3]
    assert evaluate({"map": ["abc", 1]}) == []


def test_str_enums_and_dict_subclasses_in_data() -> None:
    class Status(StrEnum):
        OPEN = "open"

    data: defaultdict[str, Any] = defaultdict(lambda: "boom")
    data["status"] = Status.OPEN
    assert evaluate({"==": [{"var": "status"}, "open"]}, data) is True
    assert evaluate({"in": [{"var": "status"}, ["open", "new"]]}, data) is True
    assert evaluate({"var": "absent"}, data) is None
    assert "absent" not in data, "a defaultdict must not grow when a rule reads a missing key"
    assert evaluate({"cat": [{"var": "status"}, "!"]}, data) == "open!"


def test_non_json_values_in_data_have_no_text_form() -> None:
    with pytest.raises(RuleError, match="type datetime, which is not JSON data") as caught:
        evaluate({"cat": ["due ", {"var": "due"}]}, {"due": datetime(2025, 1, 1)})
    assert caught.value.pointer == "/cat"
    assert evaluate({"==": [{"var": "x"}, {"var": "x"}]}, {"x": datetime(2025, 1, 1)}) is True
    assert evaluate({"<": [{"var": "x"}, 1]}, {"x": datetime(2025, 1, 1)}) is False


# --- operators emitted by the rule builder (react-awesome-query-builder) -------------------------------

def test_now_is_the_evaluation_instant_and_can_be_fixed() -> None:
    assert evaluate({"now": []}, now=NOW) == "2025-05-16T13:45:30.123Z"
    assert evaluate({"now": []}, now="2025-05-16T15:45:30.123456+02:00") == "2025-05-16T13:45:30.123Z"
    assert evaluate({"now": []}, now=datetime(2025, 5, 16, 13, 45)) == "2025-05-16T13:45:00.000Z", "naive is UTC"
    before = datetime.now(UTC) - timedelta(seconds=1)
    live = datetime.fromisoformat(evaluate({"now": []}))
    assert before <= live <= datetime.now(UTC)
    pair = evaluate({"merge": [{"now": []}, {"now": []}]})
    assert pair[0] == pair[1], "now is one instant for the whole evaluation"
    with pytest.raises(TypeError):
        evaluate({"now": []}, now="yesterday")


def test_today_and_start_of_today_are_utc_midnight() -> None:
    late = datetime(2025, 5, 16, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert evaluate({"today": []}, now=late) == "2025-05-17T00:00:00.000Z"
    assert evaluate({"start_of_today": []}, now=NOW) == "2025-05-16T00:00:00.000Z"


@pytest.mark.parametrize(("args", "result"), [
    (["2025-01-31T10:00:00.000Z", 1, "month"], "2025-02-28T10:00:00.000Z"),
    (["2024-02-29", 1, "year"], "2025-02-28T00:00:00.000Z"),
    (["2025-03-31T00:00:00Z", -1, "month"], "2025-02-28T00:00:00.000Z"),
    (["2025-05-16T12:00:00+02:00", -7, "day"], "2025-05-09T10:00:00.000Z"),
    (["2025-05-16T00:00:00Z", 2, "week"], "2025-05-30T00:00:00.000Z"),
    (["2025-05-16T00:00:00Z", 1.5, "hour"], "2025-05-16T01:30:00.000Z"),
    (["2025-05-16T00:00:00Z", 2.5, "day"], "2025-05-19T00:00:00.000Z"),
    (["2025-05-16T00:00:00Z", -2.5, "day"], "2025-05-13T00:00:00.000Z"),
    (["2025-05-16T00:00:00Z", "90", "minutes"], "2025-05-16T01:30:00.000Z"),
    (["2025-05-16T00:00:00Z", 30, "second"], "2025-05-16T00:00:30.000Z"),
    (["not a date", 1, "day"], None), ([None, 1, "day"], None), (["2025-05-16", "x", "day"], None),
    (["9999-12-31T00:00:00Z", 1, "year"], None),
])
def test_date_add(args: list[Any], result: str | None) -> None:
    assert evaluate({"date_add": args}) == result
    assert evaluate({"datetime_add": args}) == result


def test_relative_date_from_now_as_the_builder_exports_it() -> None:
    rule = {"<": [{"var": "ticket.created_at"}, {"datetime_add": [{"now": []}, -3, "day"]}]}
    assert evaluate(rule, {"ticket": {"created_at": "2025-05-13T13:00:00+00:00"}}, now=NOW) is True
    assert evaluate(rule, {"ticket": {"created_at": "2025-05-13T14:00:00Z"}}, now=NOW) is False
    assert evaluate(rule, {"ticket": {}}, now=NOW) is False


def test_date_unit_is_checked() -> None:
    with pytest.raises(RuleError, match="unit must be one of") as caught:
        compile_rule({"date_add": [{"now": []}, 1, "fortnight"]})
    assert caught.value.pointer == "/date_add"
    assert evaluate({"date_add": ["2025-05-16", 1, {"var": "unit"}]}, {"unit": "fortnight"}) is None


@pytest.mark.parametrize(("unit", "result"), [
    ("second", "2025-05-16T13:45:30.000Z"), ("minute", "2025-05-16T13:45:00.000Z"), ("hour", "2025-05-16T13:00:00.000Z"),
    ("day", "2025-05-16T00:00:00.000Z"), ("week", "2025-05-11T00:00:00.000Z"), ("month", "2025-05-01T00:00:00.000Z"),
    ("year", "2025-01-01T00:00:00.000Z"),
])
def test_datetime_truncate(unit: str, result: str) -> None:
    assert evaluate({"datetime_truncate": [{"now": []}, unit]}, now=NOW) == result


@pytest.mark.parametrize(("op", "a", "b", "result"), [
    ("date==", "2025-05-16T00:00:00Z", "2025-05-16T23:59:59.999Z", True),
    ("date==", "2025-05-16T23:00:00-02:00", "2025-05-17T00:30:00Z", True),
    ("date==", "2025-05-16", "2025-05-17", False),
    ("date==", None, None, False), ("date!=", None, None, True), ("date!=", "2025-05-16", "2025-05-17", True),
    ("datetime==", "2025-05-16T10:00:00+02:00", "2025-05-16T08:00:00.000Z", True),
    ("datetime==", "2025-05-16T08:00:00.0004Z", "2025-05-16T08:00:00Z", True),
    ("datetime==", "2025-05-16T08:00:00.001Z", "2025-05-16T08:00:00Z", False),
    ("datetime!=", "2025-05-16T08:00:00Z", "bad", True), ("datetime==", "bad", "bad", False),
])
def test_date_equality(op: str, a: Any, b: Any, result: bool) -> None:
    assert evaluate({op: [{"var": "a"}, {"var": "b"}]}, {"a": a, "b": b}) is result


def test_case_operators_and_locked() -> None:
    assert evaluate({"toLowerCase": [{"var": "s"}]}, {"s": "Server DOWN"}) == "server down"
    assert evaluate({"toUpperCase": [{"var": "s"}]}, {"s": "straße"}) == "STRASSE"
    assert evaluate({"toLowerCase": [{"var": "s"}]}, {}) is None
    assert evaluate({"toUpperCase": [{"var": "n"}]}, {"n": 1.5}) == "1.5"
    assert evaluate({"locked": {"==": [{"var": "a"}, 1]}}, {"a": 1}) is True


def test_a_rule_exported_by_the_builder_runs_on_the_server() -> None:
    # The shapes @react-awesome-query-builder/core 6.6 exports (config/index.js, export/jsonLogic.js).
    rule = {"and": [
        {"in": ["server", {"var": "title"}]},                                          # like
        {"!": {"in": ["test", {"var": "title"}]}},                                     # not_like
        {"<=": [1, {"var": "ticket.priority"}, 3]},                                    # between
        {"!": {"<=": [10, {"var": "impact"}, 20]}},                                    # not_between
        {"in": [{"var": "region"}, ["east", "north"]]},                                # select_any_in
        {"!": {"in": [{"var": "country"}, ["XX"]]}},                                   # select_not_any_in
        {"some": [{"var": "tags"}, {"in": [{"var": ""}, ["vip", "exec"]]}]},           # multiselect_contains
        {"!": {"all": [{"var": "tags"}, {"in": [{"var": ""}, ["blocked"]]}]}},         # multiselect_not_equals
        {"!!": {"var": "assignee"}},                                                   # is_not_empty
        {"==": [{"var": "parent"}, None]},                                             # is_null
        {"!=": [{"var": "title"}, None]},                                              # is_not_null
        {"==": [{"reduce": [{"filter": [{"var": "children"}, {"==": [{"var": "state"}, "open"]}]},
                            {"+": [1, {"var": "accumulator"}]}, 0]}, 2]},              # group count
        {"locked": {">": [{"toLowerCase": [{"var": "urgency"}]}, "a"]}},               # locked rule, LOWER func
        {"datetime!=": [{"var": "due"}, {"datetime_truncate": [{"now": []}, "day"]}]},
        {"date==": [{"var": "created"}, {"date_add": [{"today": []}, -1, "day"]}]},
    ]}
    data = {"title": "server down", "ticket": {"priority": 2}, "impact": 3, "region": "east", "country": "CN",
            "tags": ["vip"], "assignee": "li", "parent": None, "urgency": "HIGH",
            "children": [{"state": "open"}, {"state": "done"}, {"state": "open"}],
            "due": "2025-05-20T00:00:00Z", "created": "2025-05-15T22:10:00+08:00"}
    assert evaluate(rule, data, now=NOW) is True
    assert evaluate(rule, {**data, "created": "2025-05-15T22:10:00-08:00"}, now=NOW) is False
    switch = {"if": [{"==": [{"var": "a"}, 1]}, "one", {"if": [{"==": [{"var": "a"}, 2]}, "two", None]}]}
    assert [evaluate(switch, {"a": a}) for a in (1, 2, 3)] == ["one", "two", None]
