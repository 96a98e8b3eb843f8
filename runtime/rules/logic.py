"""The rule engine: every condition in a ticket-type definition is a JsonLogic rule, evaluated here.

Rules are compiled once into a tree of closures (one closure per operator, specialised for constant operands)
and then evaluated many times; compiled rules are cached by their canonical JSON in a bounded LRU cache. Only
the operators in ALLOWED_OPERATORS exist: the classic JsonLogic set without `log` and `method`, plus the few
operators the designer's rule builder (react-awesome-query-builder) emits. Anything else is refused at compile
time, so no stored, imported or replayed rule can reach Python attributes or functions.

Every rule is bounded: depth and size at compile time, array work and built output per evaluation (see
runtime.rules.values). Value semantics (truthiness, coercion, dates) live in runtime.rules.values; docs/rules.md
describes them for rule authors.

    >>> rule = compile_rule({"and": [{"in": ["server down", {"var": "title"}]}, {"==": [{"var": "region"}, "east"]}]})
    >>> rule({"title": "Mail server down", "region": "east"})
    True
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from runtime.rules import op_arrays_text_dates, op_compare_arith, op_data_logic
from runtime.rules.nodes import Fn, Node, constant, simple_var
from runtime.rules.values import MAX_OUTPUT, MAX_STEPS, RuleError, RuleLimitError, new_env

__all__ = ["ALLOWED_OPERATORS", "CompiledRule", "RuleError", "RuleLimitError", "compile_rule", "evaluate"]

MAX_DEPTH = 64
MAX_NODES = 5_000
# Canonical JSON longer than this is refused before parsing: no rule within MAX_NODES gets near it in practice.
MAX_RULE_CHARS = 1_000_000
CACHE_SIZE = 1024


# Operator -> (fewest, most) arguments; None means no upper bound.
_ARITY: dict[str, tuple[int, int | None]] = {
    "var": (0, 2), "missing": (0, None), "missing_some": (2, 2),
    "if": (0, None), "?:": (3, 3), "and": (1, None), "or": (1, None), "!": (1, 1), "!!": (1, 1),
    "==": (2, 2), "!=": (2, 2), "===": (2, 2), "!==": (2, 2),
    "<": (2, 3), "<=": (2, 3), ">": (2, 2), ">=": (2, 2),
    "+": (1, None), "-": (1, 2), "*": (1, None), "/": (2, 2), "%": (2, 2), "min": (0, None), "max": (0, None),
    "map": (2, 2), "filter": (2, 2), "reduce": (2, 3), "all": (2, 2), "some": (2, 2), "none": (2, 2),
    "merge": (0, None), "in": (2, 2), "cat": (0, None), "substr": (2, 3),
    # Emitted by the designer's rule builder (react-awesome-query-builder); see docs/rules.md.
    "now": (0, 0), "today": (0, 0), "start_of_today": (0, 0),
    "date_add": (3, 3), "datetime_add": (3, 3), "datetime_truncate": (2, 2),
    "date==": (2, 2), "date!=": (2, 2), "datetime==": (2, 2), "datetime!=": (2, 2),
    "toLowerCase": (1, 1), "toUpperCase": (1, 1), "locked": (1, 1),
}
ALLOWED_OPERATORS = frozenset(_ARITY)
_ALLOWED_TEXT = ", ".join(sorted(ALLOWED_OPERATORS))


class CompiledRule(Protocol):
    """A compiled rule: call it with the data to evaluate. Pass `now` (an aware or naive-UTC datetime, or ISO
    8601 text) to fix the instant that `now` and `today` return, for tests and replays. `canonical` is the
    rule's canonical JSON, its cache key."""

    canonical: str

    def __call__(self, data: Any = None, *, now: datetime | str | None = None) -> Any: ...


def _entry(fn: Fn, canonical: str) -> CompiledRule:
    """The callable handed out for a compiled rule: a plain function, the cheapest thing to call."""
    def compiled(data: Any = None, *, now: datetime | str | None = None) -> Any:
        return fn(data, [MAX_STEPS, MAX_OUTPUT, None] if now is None else new_env(now))
    compiled.canonical = canonical  # type: ignore[attr-defined]
    compiled.__qualname__ = compiled.__name__ = "compiled_rule"
    compiled.__doc__ = f"Evaluate the rule {canonical if len(canonical) <= 200 else canonical[:197] + '...'}"
    return compiled  # type: ignore[return-value]


def compile_rule(rule: Any) -> CompiledRule:
    """Compile a JsonLogic rule (already parsed from JSON) into a callable; raise RuleError if it is invalid.

    The result is cached under the rule's canonical JSON, so compiling the same rule again is a dictionary
    lookup. Python tuples are read as arrays, as json.dumps reads them.
    """
    try:
        canonical = json.dumps(rule, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        _explain_non_json(rule, "", 0)
        raise RuleError("The rule is not valid JSON.", "") from None
    if len(canonical) > MAX_RULE_CHARS:
        raise RuleLimitError(f"The rule is too large: its JSON is longer than {MAX_RULE_CHARS:,} characters.", "")
    return _compile_canonical(canonical)


def evaluate(rule: Any, data: Any = None, *, now: datetime | str | None = None) -> Any:
    """Evaluate a rule against data: compile_rule(rule)(data, now=now)."""
    return compile_rule(rule)(data, now=now)


@lru_cache(maxsize=CACHE_SIZE)
def _compile_canonical(canonical: str) -> CompiledRule:
    return _entry(_Compiler().node(json.loads(canonical), "", 0).fn, canonical)


def _explain_non_json(value: Any, pointer: str, depth: int) -> None:
    """Find why json.dumps refused a rule and raise a RuleError that points at the offending value."""
    if depth > MAX_DEPTH:
        raise RuleLimitError(f"The rule is nested too deeply: more than {MAX_DEPTH} levels (at {pointer}).", pointer)
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise RuleError(f"The rule has an object key {key!r} at {_where(pointer)}; object keys must be strings.",
                                pointer)
            _explain_non_json(item, f"{pointer}/{_escape(key)}", depth + 1)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _explain_non_json(item, f"{pointer}/{index}", depth + 1)
    elif isinstance(value, float) and not math.isfinite(value):
        raise RuleError(f"The rule has the number {value} at {_where(pointer)}; rules may only contain finite numbers.",
                        pointer)
    elif isinstance(value, int) and not isinstance(value, bool) and not _writable(value):
        raise RuleError(f"The rule has a number too large to write as JSON at {_where(pointer)}.", pointer)
    elif value is not None and not isinstance(value, str | int | float):
        raise RuleError(f"The rule has a value of type {type(value).__name__} at {_where(pointer)}; rules may only "
                        "contain JSON values (objects, arrays, strings, numbers, true, false and null).", pointer)


def _writable(number: int) -> bool:
    try:
        str(number)
    except ValueError:
        return False
    return True


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _where(pointer: str) -> str:
    return pointer if pointer else "the top level"



class _Compiler:
    """One compilation: walks the parsed rule, checks it, and builds the closures."""

    def __init__(self) -> None:
        self.nodes = 0

    def node(self, rule: Any, pointer: str, depth: int) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise RuleLimitError(f"The rule is too large: more than {MAX_NODES:,} parts (operators and values).", pointer)
        if depth > MAX_DEPTH:
            raise RuleLimitError(f"The rule is nested too deeply: more than {MAX_DEPTH} levels (at {pointer}).", pointer)
        if isinstance(rule, dict):
            return self.operation(rule, pointer, depth)
        if isinstance(rule, list):
            items = [self.node(item, f"{pointer}/{index}", depth + 1) for index, item in enumerate(rule)]
            if all(item.const for item in items):
                return constant([item.value for item in items])
            fns = [item.fn for item in items]
            return Node(lambda d, e: [f(d, e) for f in fns])
        return constant(rule)

    def operation(self, rule: dict[str, Any], pointer: str, depth: int) -> Node:
        if len(rule) != 1:
            found = "is empty" if not rule else f"has {len(rule)} keys ({', '.join(repr(k[:40]) for k in list(rule)[:5])})"
            raise RuleError(f"A rule object must have exactly one operator, but the object at {_where(pointer)} {found}.",
                            pointer)
        ((op, raw),) = rule.items()
        op_pointer = f"{pointer}/{_escape(op)}"
        if op not in _BUILDERS:
            shown = op if len(op) <= 40 else op[:37] + "..."
            raise RuleError(f"Unknown operator '{shown}' at {_where(pointer)}: allowed operators are {_ALLOWED_TEXT}.",
                            op_pointer, op)
        raw_args = raw if isinstance(raw, list) else [raw]
        fewest, most = _ARITY[op]
        if len(raw_args) < fewest or (most is not None and len(raw_args) > most):
            raise RuleError(f"Operator '{op}' at {_where(pointer)} {_arity_text(fewest, most)}, "
                            f"but has {len(raw_args)}.", op_pointer, op)
        if isinstance(raw, list):
            args = [self.node(arg, f"{op_pointer}/{index}", depth + 1) for index, arg in enumerate(raw)]
        else:
            args = [self.node(raw, op_pointer, depth + 1)]
        compiled = Node(_BUILDERS[op](args, op_pointer, op))
        if op == "var":
            compiled.var = simple_var(args)
        return compiled


def _arity_text(fewest: int, most: int | None) -> str:
    def count(n: int) -> str:
        return "1 argument" if n == 1 else f"{n} arguments"
    if most is None:
        return f"needs at least {count(fewest)}"
    if fewest == most:
        return "takes no arguments" if most == 0 else f"needs exactly {count(most)}"
    return f"needs {fewest} to {count(most)}"



# Operator -> the function that builds its closure (one module per family of operators).
_BUILDERS: dict[str, Callable[[list[Node], str, str], Fn]] = {
    **op_data_logic.BUILDERS, **op_compare_arith.BUILDERS, **op_arrays_text_dates.BUILDERS}
if set(_BUILDERS) != set(_ARITY):
    raise RuntimeError("every operator needs both its arity and its builder")
