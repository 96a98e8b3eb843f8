"""Differential test: random rules over the classic JsonLogic operators and random data, evaluated by
runtime.rules.logic and by json-logic-qubit (the reference implementation named in the design).

The results must be equal, except where the example reaches one of the differences listed in docs/rules.md
("Differences from json-logic-qubit"). To tell those apart without re-implementing our semantics here, qubit's
operations are wrapped while it evaluates: when an operation is called with operands of a documented kind
(for instance `==` between a boolean and a string, difference 4), the wrapper stops qubit's evaluation with
`Documented("D4 ...")`. Those examples, and those where qubit raises a Python exception, only check that our
engine returns a JSON value without raising. At least half of the examples must be compared in full.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any
from unittest import mock

import json_logic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.rules.logic import evaluate
from tests.runtime.test_logic import json_equal

DECIMAL = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")


class Documented(Exception):
    """Raised inside qubit when an operation meets a documented difference; the message names it."""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _has_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, list):
        return any(_has_bool(item) for item in value)
    if isinstance(value, dict):
        return any(_has_bool(item) for item in value.values())
    return False


def _is_date_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-"


def _check_number(value: Any) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > 2 ** 53:
        raise Documented("D7 numbers are IEEE doubles")


def _wrap_arithmetic(original: Callable[..., Any], name: str) -> Callable[..., Any]:
    def arithmetic(*args: Any) -> Any:
        for arg in args:
            _check_number(arg)
        if name == "%" and len(args) == 2:
            a, b = (json_logic._to_numeric(x) for x in args)
            if a * b < 0:
                raise Documented("D8 remainder takes the dividend's sign")
        result = original(*args)
        _check_number(result)
        return result
    return arithmetic


@contextmanager
def instrumented_qubit() -> Iterator[None]:
    """Patch json-logic-qubit so that reaching a documented difference raises Documented."""
    q = json_logic
    equal, strict_equal, less_than, truthy = q._equal_to, q._strict_equal_to, q._less_than, q._truthy
    var, reduce_, in_, cat, substr = q._var, q._reduce, q._in, q._concatenate, q._substring
    missing_some = q._missing_some

    def truthy_(a: Any) -> bool:
        if isinstance(a, dict) and not a:
            raise Documented("D3 objects are truthy")
        return truthy(a)

    def equal_(a: Any, b: Any) -> bool:
        if _kind(a) != _kind(b):
            raise Documented("D4 loose equality across types")
        if _kind(a) in ("array", "object") and (_has_bool(a) or _has_bool(b)):
            raise Documented("D5 arrays compare item by item with ===")
        return equal(a, b)

    def strict_equal_(a: Any, b: Any) -> bool:
        if _kind(a) in ("array", "object") and _kind(b) in ("array", "object") and (_has_bool(a) or _has_bool(b)):
            raise Documented("D5 arrays compare item by item with ===")
        return strict_equal(a, b)

    def less_than_(a: Any, b: Any, c: Any = q._no_argument) -> bool:
        if _kind(a) in ("array", "object") and _kind(b) in ("array", "object"):
            raise Documented("D6 arrays and objects are not ordered")
        if _is_date_text(a) and _is_date_text(b):
            raise Documented("D9 date-times compare as instants")
        if c is not q._no_argument and isinstance(b, str) and _kind(a) == "number" and isinstance(c, str):
            raise Documented("D6 between compares the middle value as given")
        return less_than(a, b, c)

    def var_(data: Any, var_name: Any = None, default: Any = None) -> Any:
        if var_name in (None, "") and data == {}:
            raise Documented("D2 falsy data is kept")
        if var_name not in (None, "") and not isinstance(var_name, str | int):
            raise Documented("D10 paths are text")
        current = data
        for key in str(var_name).split(".") if var_name not in (None, "") else []:
            if isinstance(current, str):
                raise Documented("D10 var does not index strings")
            if isinstance(current, list) and not (key.isascii() and key.isdigit() and (key == "0" or key[0] != "0")):
                raise Documented("D10 list indexes are canonical")
            current = current.get(key) if isinstance(current, dict) else None
        return var(data, var_name, default)

    def reduce__(data: Any, scoped_data: Any, scoped_logic: Any, initial: Any = None) -> Any:
        if isinstance(initial, dict):
            raise Documented("D1 reduce evaluates its initial value")
        return reduce_(data, scoped_data, scoped_logic, initial)

    def in__(a: Any, b: Any) -> bool:
        if isinstance(b, dict):
            raise Documented("D11 in over an object is false")
        items = [a, *b] if isinstance(b, list) else []
        if (_has_bool(items) and any(_kind(x) == "number" for x in items)) or any(
                _kind(x) in ("array", "object") and _has_bool(x) for x in items):
            raise Documented("D11 in over an array uses ===")
        return in_(a, b)

    def cat_(*args: Any) -> str:
        for arg in args:
            plain = isinstance(arg, str) or (isinstance(arg, int) and not isinstance(arg, bool))
            plain_float = isinstance(arg, float) and not arg.is_integer() and "e" not in repr(arg)
            if not (plain or plain_float):
                raise Documented("D12 text of non-strings follows JavaScript")
        return cat(*args)

    def substr_(*args: Any) -> Any:
        if isinstance(args[0], list) or (len(args) == 3 and args[2] is None):
            raise Documented("D12 substr works on text; a null length is 0")
        return substr(*args)

    def missing_some_(data: Any, need_count: Any, args: Any) -> Any:
        if not isinstance(args, list):
            raise Documented("D13 missing_some names must be an array")
        return missing_some(data, need_count, args)

    common = dict(q._common_operations)
    common.update({"==": equal_, "===": strict_equal_, "<": less_than_, "!!": truthy_, "in": in__, "cat": cat_,
                   "substr": substr_})
    for name in ("+", "-", "*", "/", "%", "min", "max"):
        common[name] = _wrap_arithmetic(q._common_operations[name], name)
    with mock.patch.multiple(q, _truthy=truthy_, _equal_to=equal_, _strict_equal_to=strict_equal_, _less_than=less_than_,
                             _var=var_), \
            mock.patch.dict(q._common_operations, common), \
            mock.patch.dict(q._data_operations, {"var": var_, "missing_some": missing_some_}), \
            mock.patch.dict(q._scoped_operations, {"reduce": reduce__}):
        yield


# --- generators ------------------------------------------------------------------------------------------

TEXT = st.text(alphabet="ab1. -", max_size=4)
NUMBER = st.one_of(st.integers(-20, 20), st.sampled_from([0.5, -1.5, 2.25, 10.0]))
SCALAR = st.one_of(NUMBER, TEXT, st.booleans(), st.none())
OBJECT = st.fixed_dictionaries({"n": NUMBER, "s": TEXT}, optional={"l": st.lists(NUMBER, max_size=3)})

FIELDS = {"n": NUMBER, "m": NUMBER, "s": TEXT, "t": TEXT, "b": st.booleans(), "z": st.none(),
          "ns": st.lists(NUMBER, max_size=4), "ss": st.lists(TEXT, max_size=4), "objs": st.lists(OBJECT, max_size=3),
          "obj": OBJECT, "mixed": st.lists(SCALAR, max_size=4)}
DATA = st.fixed_dictionaries({}, optional=FIELDS)

# Variable names by the kind of value they usually hold, in each scope; "nope" is never present.
VARS = {
    "top": {"num": ["n", "m", "obj.n", "objs.0.n", "ns.1", "nope"], "str": ["s", "t", "obj.s", "ss.0", "nope"],
            "bool": ["b", "nope"], "list": ["ns", "ss", "objs", "obj.l", "mixed", "nope"],
            "any": ["z", "mixed.0", "mixed.2", "obj", "b", "s", "n", "nope"]},
    "num": {"num": [""], "str": [], "bool": [], "list": [], "any": [""]},
    "obj": {"num": ["n"], "str": ["s"], "bool": [], "list": ["l"], "any": ["n", "s", "l", "nope"]},
    "acc": {"num": ["accumulator", "current"], "str": [], "bool": [], "list": [], "any": ["accumulator", "current"]},
}
KINDS = ("num", "str", "bool", "list", "any")


def _literal(kind: str) -> st.SearchStrategy[Any]:
    return {"num": NUMBER, "str": TEXT, "bool": st.booleans(), "any": SCALAR,
            "list": st.lists(st.one_of(NUMBER, TEXT), max_size=3)}[kind]


@cache
def expression(kind: str, scope: str, depth: int) -> st.SearchStrategy[Any]:
    """Rules that mostly produce a value of `kind` in `scope` (the data an element of map/filter/... sees)."""
    names = VARS[scope][kind]
    leaves = [_literal(kind)]
    if names:
        leaves.append(st.sampled_from(names).map(lambda name: {"var": name}))
        leaves.append(st.tuples(st.sampled_from(names), _literal(kind)).map(lambda pair: {"var": list(pair)}))
    if depth == 0:
        return st.one_of(leaves)

    def sub(k: str) -> st.SearchStrategy[Any]:
        return expression(k, scope, depth - 1)

    def op(name: str, *args: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.tuples(*args).map(lambda values: {name: list(values)})

    def variadic(name: str, item: st.SearchStrategy[Any], low: int = 1, high: int = 3) -> st.SearchStrategy[Any]:
        return st.lists(item, min_size=low, max_size=high).map(lambda values: {name: values})

    loosely = st.sampled_from(KINDS).flatmap(sub)
    condition = sub("bool")
    element_num = expression("num", "num", depth - 1)
    element_bool = st.one_of(expression("bool", "num", depth - 1), expression("any", "num", depth - 1))
    object_bool = st.one_of(expression("bool", "obj", depth - 1), expression("any", "obj", depth - 1))
    options: list[st.SearchStrategy[Any]] = [*leaves, op("if", condition, sub(kind), sub(kind)),
                                             variadic("if", st.one_of(condition, sub(kind)), 0, 5)]
    if kind in ("num", "any"):
        options += [variadic("+", sub("num")), variadic("*", sub("num")), op("-", sub("num")), op("-", sub("num"), sub("num")),
                    op("/", sub("num"), sub("num")), op("%", sub("num"), sub("num")), variadic("min", sub("num"), 0),
                    variadic("max", sub("num"), 0), op("+", loosely),
                    op("reduce", sub("list"), expression("num", "acc", depth - 1), _literal("num"))]
    if kind in ("str", "any"):
        options += [variadic("cat", st.one_of(sub("str"), sub("num")), 0), op("substr", sub("str"), st.integers(-5, 5)),
                    op("substr", sub("str"), st.integers(-5, 5), st.integers(-5, 5))]
    if kind in ("bool", "any"):
        same_kind = st.sampled_from(("num", "str", "any")).flatmap(lambda k: st.tuples(sub(k), sub(k)))
        options += [st.tuples(st.sampled_from(("==", "!=", "===", "!==", "<", ">", "<=", ">=")), same_kind)
                    .map(lambda pair: {pair[0]: list(pair[1])}),
                    op("<", sub("num"), sub("num"), sub("num")), op("<=", sub("num"), sub("num"), sub("num")),
                    op("!", loosely), op("!!", loosely), variadic("and", loosely), variadic("or", loosely),
                    op("in", sub("str"), sub("str")), op("in", loosely, sub("list")),
                    op("all", sub("list"), element_bool), op("some", sub("list"), element_bool),
                    op("none", sub("list"), element_bool), op("some", st.just({"var": "objs"}), object_bool)]
    if kind in ("list", "any"):
        name = st.sampled_from(VARS[scope]["any"] or ["nope"])
        options += [variadic("merge", st.one_of(sub("list"), loosely), 0), op("map", sub("list"), element_num),
                    op("filter", sub("list"), element_bool),
                    op("map", st.just({"var": "objs"}), expression("any", "obj", depth - 1)),
                    variadic("missing", name, 0), op("missing", variadic("merge", name, 0)),
                    op("missing_some", st.integers(0, 3), st.lists(name, max_size=3))]
    return st.one_of(options)


RULES = st.sampled_from(KINDS).flatmap(lambda kind: expression(kind, "top", 3))


def test_differential_against_json_logic_qubit() -> None:
    outcomes: Counter[str] = Counter()

    @settings(max_examples=300, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(rule=RULES, data=DATA)
    def check(rule: Any, data: dict[str, Any]) -> None:
        ours = evaluate(rule, data)
        json.dumps(ours, allow_nan=False)
        try:
            with instrumented_qubit():
                theirs = json_logic.jsonLogic(rule, data)
        except Documented as documented:
            outcomes[str(documented).split()[0]] += 1
            return
        except (TypeError, ValueError, ZeroDivisionError, AttributeError, KeyError, IndexError):
            outcomes["qubit raised"] += 1
            return
        if isinstance(theirs, float) and not math.isfinite(theirs):
            outcomes["qubit non-finite"] += 1
            return
        outcomes["compared"] += 1
        assert json_equal(ours, theirs), f"{json.dumps(rule)} with {json.dumps(data)}: ours {ours!r}, qubit {theirs!r}"

    check()
    total = sum(outcomes.values())
    assert outcomes["compared"] >= total / 2, f"too few examples compared in full: {dict(outcomes)}"


def test_the_documented_differences_are_real() -> None:
    """Each difference listed in docs/rules.md, shown on one example: qubit's answer, then ours."""
    cases: list[tuple[str, Any, Any, Any, Any]] = [
        ("D1", {"reduce": [[1, 2], {"+": [{"var": "accumulator"}, {"var": "current"}]}, {"var": "s"}]}, {"s": 10}, TypeError, 13),
        ("D2", {"var": ""}, 0, {}, 0),
        ("D3", {"!!": [{"var": "o"}]}, {"o": {}}, False, True),
        ("D4", {"==": [{"var": "x"}, False]}, {}, True, False),
        ("D4", {"==": [1, "1.0"]}, None, False, True),
        ("D5", {"===": [[1], [True]]}, None, True, False),
        ("D6", {"<": [[1], [2]]}, None, True, False),
        ("D7", {"+": [2 ** 53, 1]}, None, 2 ** 53 + 1, float(2 ** 53)),
        ("D8", {"%": [-7, 3]}, None, 2, -1),
        ("D8", {"/": [1, 0]}, None, ZeroDivisionError, None),
        ("D9", {"<": ["2025-05-01T10:00:00+02:00", "2025-05-01T09:00:00Z"]}, None, False, True),
        ("D10", {"var": "s.0"}, {"s": "abc"}, "a", None),
        ("D11", {"in": ["a", {"var": "o"}]}, {"o": {"a": 1}}, True, False),
        ("D11", {"in": [True, [1]]}, None, True, False),
        ("D12", {"cat": [None, True, 1.0]}, None, "NoneTrue1.0", "nulltrue1"),
        ("D8", {"+": [None, 1]}, None, TypeError, None),
        ("D13", {"missing_some": [1, "ab"]}, {}, [], ["ab"]),
    ]
    for label, rule, data, qubit_result, our_result in cases:
        if isinstance(qubit_result, type):
            try:
                json_logic.jsonLogic(rule, data)
            except qubit_result:
                pass
            else:
                raise AssertionError(f"{label}: qubit no longer raises on {rule}")
        else:
            assert json_equal(json_logic.jsonLogic(rule, data), qubit_result), label
        assert json_equal(evaluate(rule, data), our_result), label
