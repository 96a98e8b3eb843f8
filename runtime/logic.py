"""The rule engine: every condition in a ticket-type definition is a JsonLogic rule, evaluated here.

Rules are compiled once into a tree of closures (one closure per operator, specialised for constant operands)
and then evaluated many times; compiled rules are cached by their canonical JSON in a bounded LRU cache. Only
the operators in ALLOWED_OPERATORS exist: the classic JsonLogic set without `log` and `method`, plus the few
operators the designer's rule builder (react-awesome-query-builder) emits. Anything else is refused at compile
time, so no stored, imported or replayed rule can reach Python attributes or functions.

Every rule is bounded: depth and size at compile time, array work and built output per evaluation (see
runtime.logic_ops). Value semantics (truthiness, coercion, dates) live in runtime.logic_ops; docs/rules.md
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

from runtime import logic_ops as ops
from runtime.logic_ops import MAX_OUTPUT, MAX_STEPS, Env, RuleError, RuleLimitError, new_env, truthy

__all__ = ["ALLOWED_OPERATORS", "CompiledRule", "RuleError", "RuleLimitError", "compile_rule", "evaluate"]

MAX_DEPTH = 64
MAX_NODES = 5_000
# Canonical JSON longer than this is refused before parsing: no rule within MAX_NODES gets near it in practice.
MAX_RULE_CHARS = 1_000_000
CACHE_SIZE = 1024

Fn = Callable[[Any, Env], Any]

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


class _Node:
    """A compiled subrule: its closure and, for literals, the constant value; for a `var` with a literal path
    of one or two keys, `var` holds (first key, second key or None, path, default) so that the operator using
    it can read the data itself instead of calling the var closure (the commonest shapes in routing rules)."""

    __slots__ = ("const", "fn", "value", "var")

    def __init__(self, fn: Fn, const: bool = False, value: Any = None) -> None:
        self.fn = fn
        self.const = const
        self.value = value
        self.var: tuple[str, str | None, ops.Path, Any] | None = None


def _constant(value: Any) -> _Node:
    if isinstance(value, list):
        # Each evaluation gets its own copy, so callers may change what a rule returned.
        if any(isinstance(item, list) for item in value):
            frozen = json.dumps(value)
            return _Node(lambda d, e: json.loads(frozen), True, value)
        return _Node(lambda d, e: value.copy(), True, value)
    return _Node(lambda d, e: value, True, value)


class _Compiler:
    """One compilation: walks the parsed rule, checks it, and builds the closures."""

    def __init__(self) -> None:
        self.nodes = 0

    def node(self, rule: Any, pointer: str, depth: int) -> _Node:
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
                return _constant([item.value for item in items])
            fns = [item.fn for item in items]
            return _Node(lambda d, e: [f(d, e) for f in fns])
        return _constant(rule)

    def operation(self, rule: dict[str, Any], pointer: str, depth: int) -> _Node:
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
        compiled = _Node(_BUILDERS[op](args, op_pointer, op))
        if op == "var":
            compiled.var = _simple_var(args)
        return compiled


def _arity_text(fewest: int, most: int | None) -> str:
    def count(n: int) -> str:
        return "1 argument" if n == 1 else f"{n} arguments"
    if most is None:
        return f"needs at least {count(fewest)}"
    if fewest == most:
        return "takes no arguments" if most == 0 else f"needs exactly {count(most)}"
    return f"needs {fewest} to {count(most)}"


def _static_path(value: Any, pointer: str, op: str) -> ops.Path | object | None:
    """The lookup path of a literal variable name: None for the whole data, MISSING for a name that can never
    be found (true, false, arrays); a name with a reserved segment is refused at compile time."""
    path = ops.path_of(value)
    if path is ops.MISSING and ops.kind(value) == ops.STRING:
        raise RuleError(f"The variable name '{value}' at {pointer} uses a reserved name (one that starts and ends with "
                        "'__'); rules cannot read such keys.", pointer, op)
    return path


def _simple_var(args: list[_Node]) -> tuple[str, str | None, ops.Path, Any] | None:
    """The fusable form of a `var` (see _Node), or None when its path or default is not that simple."""
    if not args or not args[0].const or ops.kind(args[0].value) not in (ops.STRING, ops.NUMBER):
        return None
    if len(args) == 2 and not (args[1].const and not isinstance(args[1].value, list)):
        return None
    path = ops.path_of(args[0].value)
    if path is None or path is ops.MISSING or len(path) > 2:
        return None
    default = args[1].value if len(args) == 2 else None
    return path[0][0], path[1][0] if len(path) == 2 else None, path, default


def _absent(data: Any, path: Any) -> bool:
    """True when the variable at `path` is missing, null or "" (the `missing` operator's test)."""
    if path is ops.MISSING:
        return True
    value = data if path is None else ops.lookup(data, path)
    return value is None or (isinstance(value, str) and not value)


# --- builders: each takes the compiled arguments, the operator's JSON pointer and name, and returns a closure.

def _build_var(args: list[_Node], p: str, op: str) -> Fn:
    default = args[1] if len(args) > 1 else None
    if not args or (args[0].const and (args[0].value is None or args[0].value == "")):
        return lambda d, e: d
    if not args[0].const:
        fpath = args[0].fn
        fdefault = default.fn if default is not None else None

        def var_dynamic(d: Any, e: Env) -> Any:
            path = ops.path_of(fpath(d, e))
            if path is None:
                return d
            value = ops.MISSING if path is ops.MISSING else ops.lookup(d, path, ops.MISSING)
            if value is ops.MISSING:
                return fdefault(d, e) if fdefault is not None else None
            return value
        return var_dynamic
    path = _static_path(args[0].value, p, op)
    if default is not None and not (default.const and not isinstance(default.value, list)):
        fdefault_ = default.fn
        if path is ops.MISSING:
            return fdefault_
        static = path

        def var_with_default(d: Any, e: Env) -> Any:
            value = ops.lookup(d, static, ops.MISSING)
            return fdefault_(d, e) if value is ops.MISSING else value
        return var_with_default
    dv = default.value if default is not None else None
    if path is ops.MISSING:
        return lambda d, e: dv
    steps: ops.Path = path
    if len(steps) == 1:
        key = steps[0][0]

        def var1(d: Any, e: Env) -> Any:
            if type(d) is dict:
                return d.get(key, dv)
            return ops.lookup(d, steps, dv)
        return var1
    if len(steps) == 2:
        k0, k1 = steps[0][0], steps[1][0]

        def var2(d: Any, e: Env) -> Any:
            if type(d) is dict:
                inner = d.get(k0)
                if type(inner) is dict:
                    return inner.get(k1, dv)
            return ops.lookup(d, steps, dv)
        return var2
    return lambda d, e: ops.lookup(d, steps, dv)


def _build_missing(args: list[_Node], p: str, op: str) -> Fn:
    names_are_list = len(args) >= 1 and args[0].const and isinstance(args[0].value, list)
    literal_names = args[0].value if names_are_list else [a.value for a in args]
    if all(a.const for a in args) and not any(isinstance(n, list) for n in literal_names):
        static = [(name, _static_path(name, p, op)) for name in literal_names]
        return lambda d, e: [name for name, path in static if _absent(d, path)]
    fns = [a.fn for a in args]

    def missing(d: Any, e: Env) -> Any:
        values = [f(d, e) for f in fns]
        names = values[0] if values and isinstance(values[0], list) else values
        ops.charge(e, len(names), p, op)
        return [name for name in names if _absent(d, ops.path_of(name))]
    return missing


def _build_missing_some(args: list[_Node], p: str, op: str) -> Fn:
    need_node, names_node = args
    if (need_node.const and names_node.const and isinstance(names_node.value, list)
            and not any(isinstance(name, list) for name in names_node.value)):
        need = ops.to_number(need_node.value)
        static = [(name, _static_path(name, p, op)) for name in names_node.value]

        def missing_some_literal(d: Any, e: Env) -> Any:
            absent = [name for name, path in static if _absent(d, path)]
            if need is not None and len(static) - len(absent) >= need:
                return []
            return absent
        return missing_some_literal
    fneed, fnames = need_node.fn, names_node.fn

    def missing_some(d: Any, e: Env) -> Any:
        need = ops.to_number(fneed(d, e))
        names = fnames(d, e)
        if not isinstance(names, list):
            names = [names]
        ops.charge(e, len(names), p, op)
        absent = [name for name in names if _absent(d, ops.path_of(name))]
        if need is not None and len(names) - len(absent) >= need:
            return []
        return absent
    return missing_some


def _build_if(args: list[_Node], p: str, op: str) -> Fn:
    fns = [a.fn for a in args]
    if not fns:
        return lambda d, e: None
    if len(fns) == 1:
        return fns[0]
    if len(fns) <= 3:
        cond, then = fns[0], fns[1]
        otherwise = fns[2] if len(fns) == 3 else None

        def if3(d: Any, e: Env) -> Any:
            x = cond(d, e)
            if x is True or (x is not False and truthy(x)):
                return then(d, e)
            return otherwise(d, e) if otherwise is not None else None
        return if3
    pairs = [(fns[i], fns[i + 1]) for i in range(0, len(fns) - 1, 2)]
    last = fns[-1] if len(fns) % 2 else None

    def if_chain(d: Any, e: Env) -> Any:
        for cond_, then_ in pairs:
            x = cond_(d, e)
            if x is True or (x is not False and truthy(x)):
                return then_(d, e)
        return last(d, e) if last is not None else None
    return if_chain


def _build_and(args: list[_Node], p: str, op: str) -> Fn:
    fns = [a.fn for a in args]
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        first, second = fns

        def and2(d: Any, e: Env) -> Any:
            x = first(d, e)
            if x is True or (x is not False and truthy(x)):
                return second(d, e)
            return x
        return and2
    if len(fns) == 3:
        first, second, third = fns

        def and3(d: Any, e: Env) -> Any:
            x = first(d, e)
            if x is True or (x is not False and truthy(x)):
                x = second(d, e)
                if x is True or (x is not False and truthy(x)):
                    return third(d, e)
            return x
        return and3

    def and_n(d: Any, e: Env) -> Any:
        x = None
        for f in fns:
            x = f(d, e)
            if not (x is True or (x is not False and truthy(x))):
                return x
        return x
    return and_n


def _build_or(args: list[_Node], p: str, op: str) -> Fn:
    fns = [a.fn for a in args]
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        first, second = fns

        def or2(d: Any, e: Env) -> Any:
            x = first(d, e)
            if x is True or (x is not False and truthy(x)):
                return x
            return second(d, e)
        return or2
    if len(fns) == 3:
        first, second, third = fns

        def or3(d: Any, e: Env) -> Any:
            x = first(d, e)
            if x is True or (x is not False and truthy(x)):
                return x
            x = second(d, e)
            if x is True or (x is not False and truthy(x)):
                return x
            return third(d, e)
        return or3

    def or_n(d: Any, e: Env) -> Any:
        x = None
        for f in fns:
            x = f(d, e)
            if x is True or (x is not False and truthy(x)):
                return x
        return x
    return or_n


def _build_not(args: list[_Node], p: str, op: str) -> Fn:
    """`!` and `!!`."""
    negate = op == "!"
    if args[0].var is not None:
        k0, k1, path, dv = args[0].var

        def test_var(d: Any, e: Env) -> bool:
            if k1 is None and type(d) is dict:
                v = d.get(k0, dv)
            elif type(d) is dict and type(x := d.get(k0)) is dict:
                v = x.get(k1, dv)
            else:
                v = ops.lookup(d, path, dv)
            return truthy(v) is not negate
        return test_var
    f = args[0].fn
    return lambda d, e: truthy(f(d, e)) is not negate


_LITERAL_TYPES = (str, int, float)
_FAST_TYPES = frozenset((str, int, float, bool))
_NUMBER_TYPES = frozenset((int, float))


def _build_equal(args: list[_Node], p: str, op: str) -> Fn:
    """`==` and `!=`; with one literal operand, values of the literal's type compare with plain Python `==`."""
    negate = op == "!="
    left, right = args
    if left.const and type(left.value) in _LITERAL_TYPES:
        left, right = right, left
    if right.const and type(right.value) in _LITERAL_TYPES and left.var is not None:
        literal, literal_type = right.value, type(right.value)
        k0, k1, path, dv = left.var

        def equal_var_literal(d: Any, e: Env) -> bool:
            # The fused var read (see _Node), repeated in each fusing closure: one key, or two keys through
            # nested dicts; anything else (lists, missing keys, dict subclasses) takes the general walk.
            if k1 is None and type(d) is dict:
                v = d.get(k0, dv)
            elif type(d) is dict and type(x := d.get(k0)) is dict:
                v = x.get(k1, dv)
            else:
                v = ops.lookup(d, path, dv)
            same = v == literal if type(v) is literal_type else ops.loose_equal(v, literal, e, p, op)
            return same is not negate
        return equal_var_literal
    if right.const and type(right.value) in _LITERAL_TYPES:
        f, literal, literal_type = left.fn, right.value, type(right.value)

        def equal_literal(d: Any, e: Env) -> bool:
            v = f(d, e)
            same = v == literal if type(v) is literal_type else ops.loose_equal(v, literal, e, p, op)
            return same is not negate
        return equal_literal
    fa, fb = left.fn, right.fn

    def equal(d: Any, e: Env) -> bool:
        a, b = fa(d, e), fb(d, e)
        t = type(a)
        same = a == b if t is type(b) and t in _FAST_TYPES else ops.loose_equal(a, b, e, p, op)
        return same is not negate
    return equal


def _build_strict_equal(args: list[_Node], p: str, op: str) -> Fn:
    """`===` and `!==`."""
    negate = op == "!=="
    fa, fb = args[0].fn, args[1].fn

    def strict(d: Any, e: Env) -> bool:
        a, b = fa(d, e), fb(d, e)
        t = type(a)
        same = a == b if t is type(b) and t in _FAST_TYPES else ops.strict_equal(a, b, e, p, op)
        return same is not negate
    return strict


def _compare_var_literal(var: _Node, literal: Any, var_left: bool, strict: bool, p: str, op: str) -> Fn:
    """var < literal, var <= literal, literal < var or literal <= var for a number or string literal, reading
    the var itself (see _Node)."""
    k0, k1, path, dv = var.var  # type: ignore[misc]
    literal_type = type(literal)
    numeric = literal_type is not str

    def compare(d: Any, e: Env) -> bool:
        if k1 is None and type(d) is dict:
            v = d.get(k0, dv)
        elif type(d) is dict and type(x := d.get(k0)) is dict:
            v = x.get(k1, dv)
        else:
            v = ops.lookup(d, path, dv)
        if type(v) is literal_type or (numeric and (type(v) is int or type(v) is float)):
            if numeric:
                if var_left:
                    return v < literal if strict else v <= literal
                return literal < v if strict else literal <= v
            c = ops.string_order(v, literal) if var_left else ops.string_order(literal, v)
            return c < 0 if strict else c <= 0
        a, b = (v, literal) if var_left else (literal, v)
        return ops.less(a, b) if strict else ops.less_equal(a, b, e, p, op)
    return compare


def _less_fn(left: _Node, right: _Node, p: str, op: str) -> Fn:
    """left < right, with a numeric fast path (and a fixed literal, when one side is a number literal)."""
    if right.const and type(right.value) in _LITERAL_TYPES and left.var is not None:
        return _compare_var_literal(left, right.value, True, True, p, op)
    if left.const and type(left.value) in _LITERAL_TYPES and right.var is not None:
        return _compare_var_literal(right, left.value, False, True, p, op)
    if right.const and type(right.value) in (int, float):
        f, literal = left.fn, right.value

        def less_than_literal(d: Any, e: Env) -> bool:
            v = f(d, e)
            if type(v) is int or type(v) is float:
                return v < literal
            return ops.less(v, literal)
        return less_than_literal
    if left.const and type(left.value) in (int, float):
        f, literal = right.fn, left.value

        def literal_less_than(d: Any, e: Env) -> bool:
            v = f(d, e)
            if type(v) is int or type(v) is float:
                return literal < v
            return ops.less(literal, v)
        return literal_less_than
    fa, fb = left.fn, right.fn

    def less_than(d: Any, e: Env) -> bool:
        a, b = fa(d, e), fb(d, e)
        if (type(a) is int or type(a) is float) and (type(b) is int or type(b) is float):
            return a < b
        return ops.less(a, b)
    return less_than


def _less_equal_fn(left: _Node, right: _Node, p: str, op: str) -> Fn:
    """left <= right, with a numeric fast path."""
    if right.const and type(right.value) in _LITERAL_TYPES and left.var is not None:
        return _compare_var_literal(left, right.value, True, False, p, op)
    if left.const and type(left.value) in _LITERAL_TYPES and right.var is not None:
        return _compare_var_literal(right, left.value, False, False, p, op)
    fa, fb = left.fn, right.fn

    def less_equal(d: Any, e: Env) -> bool:
        a, b = fa(d, e), fb(d, e)
        if (type(a) is int or type(a) is float) and (type(b) is int or type(b) is float):
            return a <= b
        return ops.less_equal(a, b, e, p, op)
    return less_equal


def _build_less(args: list[_Node], p: str, op: str) -> Fn:
    if len(args) == 2:
        return _less_fn(args[0], args[1], p, op)
    fa, fb, fc = (a.fn for a in args)

    def between_exclusive(d: Any, e: Env) -> bool:
        a, b, c = fa(d, e), fb(d, e), fc(d, e)
        if type(a) in _NUMBER_TYPES and type(b) in _NUMBER_TYPES and type(c) in _NUMBER_TYPES:
            return a < b < c
        return ops.less(a, b) and ops.less(b, c)
    return between_exclusive


def _build_less_equal(args: list[_Node], p: str, op: str) -> Fn:
    if len(args) == 2:
        return _less_equal_fn(args[0], args[1], p, op)
    fa, fb, fc = (a.fn for a in args)

    def between_inclusive(d: Any, e: Env) -> bool:
        a, b, c = fa(d, e), fb(d, e), fc(d, e)
        if type(a) in _NUMBER_TYPES and type(b) in _NUMBER_TYPES and type(c) in _NUMBER_TYPES:
            return a <= b <= c
        return ops.less_equal(a, b, e, p, op) and ops.less_equal(b, c, e, p, op)
    return between_inclusive


def _build_greater(args: list[_Node], p: str, op: str) -> Fn:
    return _less_fn(args[1], args[0], p, op)


def _build_greater_equal(args: list[_Node], p: str, op: str) -> Fn:
    return _less_equal_fn(args[1], args[0], p, op)


def _numbers(fns: list[Fn], d: Any, e: Env) -> list[int | float] | None:
    values = []
    for f in fns:
        n = ops.to_number(f(d, e))
        if n is None:
            return None
        values.append(n)
    return values


def _build_add(args: list[_Node], p: str, op: str) -> Fn:
    fns = [a.fn for a in args]
    if len(fns) == 2:
        fa, fb = fns

        def add2(d: Any, e: Env) -> Any:
            a, b = fa(d, e), fb(d, e)
            if type(a) is int and type(b) is int:
                return ops.number_result(a + b)
            na, nb = ops.to_number(a), ops.to_number(b)
            if na is None or nb is None:
                return None
            return ops.number_result(na + nb)
        return add2

    def add(d: Any, e: Env) -> Any:
        values = _numbers(fns, d, e)
        if values is None:
            return None
        total: int | float | None = 0
        for n in values:
            total = ops.number_result(total + n)
            if total is None:
                return None
        return total
    return add


def _build_multiply(args: list[_Node], p: str, op: str) -> Fn:
    fns = [a.fn for a in args]

    def multiply(d: Any, e: Env) -> Any:
        values = _numbers(fns, d, e)
        if values is None:
            return None
        product: int | float | None = 1
        for n in values:
            product = ops.number_result(product * n)
            if product is None:
                return None
        return product
    return multiply


def _build_subtract(args: list[_Node], p: str, op: str) -> Fn:
    fns = [a.fn for a in args]
    if len(fns) == 1:
        f = fns[0]

        def negate(d: Any, e: Env) -> Any:
            n = ops.to_number(f(d, e))
            return None if n is None else ops.number_result(-n)
        return negate
    fa, fb = fns

    def subtract(d: Any, e: Env) -> Any:
        a, b = fa(d, e), fb(d, e)
        if type(a) is int and type(b) is int:
            return ops.number_result(a - b)
        na, nb = ops.to_number(a), ops.to_number(b)
        if na is None or nb is None:
            return None
        return ops.number_result(na - nb)
    return subtract


def _build_divide(args: list[_Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn

    def divide(d: Any, e: Env) -> Any:
        na, nb = ops.to_number(fa(d, e)), ops.to_number(fb(d, e))
        if na is None or nb is None or nb == 0:
            return None
        try:
            return ops.number_result(na / nb)
        except OverflowError:
            return None
    return divide


def _build_remainder(args: list[_Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn

    def remainder(d: Any, e: Env) -> Any:
        na, nb = ops.to_number(fa(d, e)), ops.to_number(fb(d, e))
        if na is None or nb is None:
            return None
        return ops.js_remainder(na, nb)
    return remainder


def _build_min_max(args: list[_Node], p: str, op: str) -> Fn:
    fns = [a.fn for a in args]
    pick = max if op == "max" else min

    def min_max(d: Any, e: Env) -> Any:
        values = _numbers(fns, d, e)
        return ops.number_result(pick(values)) if values else None
    return min_max


def _build_map(args: list[_Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn

    def map_(d: Any, e: Env) -> Any:
        items = fa(d, e)
        if not isinstance(items, list):
            return []
        ops.charge(e, len(items), p, op)
        return [fb(item, e) for item in items]
    return map_


def _build_filter(args: list[_Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn

    def filter_(d: Any, e: Env) -> Any:
        items = fa(d, e)
        if not isinstance(items, list):
            return []
        ops.charge(e, len(items), p, op)
        return [item for item in items if truthy(fb(item, e))]
    return filter_


def _build_reduce(args: list[_Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn
    finitial = args[2].fn if len(args) == 3 else None

    def reduce_(d: Any, e: Env) -> Any:
        items = fa(d, e)
        accumulator = finitial(d, e) if finitial is not None else None
        if not isinstance(items, list):
            return accumulator
        ops.charge(e, len(items), p, op)
        for item in items:
            accumulator = fb({"accumulator": accumulator, "current": item}, e)
        return accumulator
    return reduce_


def _build_all(args: list[_Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn

    def all_(d: Any, e: Env) -> bool:
        items = fa(d, e)
        if not isinstance(items, list) or not items:
            return False
        ops.charge(e, len(items), p, op)
        return all(truthy(fb(item, e)) for item in items)
    return all_


def _build_some_none(args: list[_Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn
    found_result = op == "some"

    def some_none(d: Any, e: Env) -> bool:
        items = fa(d, e)
        if isinstance(items, list):
            ops.charge(e, len(items), p, op)
            for item in items:
                if truthy(fb(item, e)):
                    return found_result
        return not found_result
    return some_none


def _build_merge(args: list[_Node], p: str, op: str) -> Fn:
    fns = [a.fn for a in args]

    def merge(d: Any, e: Env) -> list[Any]:
        out: list[Any] = []
        for f in fns:
            v = f(d, e)
            if isinstance(v, list):
                out.extend(v)
            else:
                out.append(v)
        ops.emit(e, len(out), p, op)
        return out
    return merge


def _build_in(args: list[_Node], p: str, op: str) -> Fn:
    needle, haystack = args
    fa, fb = needle.fn, haystack.fn
    if haystack.const and isinstance(haystack.value, list):
        items = haystack.value
        if not (items and all(type(item) is str for item in items)):
            return lambda d, e: ops.contains(fa(d, e), items, e, p, op)
        strings = frozenset(items)
        if needle.var is not None:
            k0, k1, path, dv = needle.var

            def var_in_strings(d: Any, e: Env) -> bool:
                if k1 is None and type(d) is dict:
                    v = d.get(k0, dv)
                elif type(d) is dict and type(x := d.get(k0)) is dict:
                    v = x.get(k1, dv)
                else:
                    v = ops.lookup(d, path, dv)
                if type(v) is str:
                    return v in strings
                return ops.contains(v, items, e, p, op)
            return var_in_strings

        def in_strings(d: Any, e: Env) -> bool:
            v = fa(d, e)
            if type(v) is str:
                return v in strings
            return ops.contains(v, items, e, p, op)
        return in_strings
    if needle.const and type(needle.value) is str:
        literal = needle.value
        if haystack.var is not None:
            k0, k1, path, dv = haystack.var

            def literal_in_var(d: Any, e: Env) -> bool:
                if k1 is None and type(d) is dict:
                    h = d.get(k0, dv)
                elif type(d) is dict and type(x := d.get(k0)) is dict:
                    h = x.get(k1, dv)
                else:
                    h = ops.lookup(d, path, dv)
                if type(h) is str:
                    return literal in h
                return ops.contains(literal, h, e, p, op)
            return literal_in_var

        def literal_in(d: Any, e: Env) -> bool:
            h = fb(d, e)
            if type(h) is str:
                return literal in h
            return ops.contains(literal, h, e, p, op)
        return literal_in
    return lambda d, e: ops.contains(fa(d, e), fb(d, e), e, p, op)


def _build_cat(args: list[_Node], p: str, op: str) -> Fn:
    fns = [a.fn for a in args]

    def cat(d: Any, e: Env) -> str:
        parts = []
        for f in fns:
            v = f(d, e)
            parts.append(v if type(v) is str else ops.to_text(v, e, p, op))
        ops.emit(e, sum(map(len, parts)), p, op)
        return "".join(parts)
    return cat


def _integer(value: Any) -> int:
    n = ops.to_number(value)
    return 0 if n is None else int(n)


def _build_substr(args: list[_Node], p: str, op: str) -> Fn:
    fsource, fstart = args[0].fn, args[1].fn
    flength = args[2].fn if len(args) == 3 else None

    def substr(d: Any, e: Env) -> str:
        v = fsource(d, e)
        text = v if type(v) is str else ops.to_text(v, e, p, op)
        tail = text[_integer(fstart(d, e)):]
        return tail if flength is None else tail[:_integer(flength(d, e))]
    return substr


def _build_case(args: list[_Node], p: str, op: str) -> Fn:
    f = args[0].fn
    upper = op == "toUpperCase"

    def change_case(d: Any, e: Env) -> Any:
        v = f(d, e)
        if v is None:
            return None
        text = v if type(v) is str else ops.to_text(v, e, p, op)
        result = text.upper() if upper else text.lower()
        ops.emit(e, len(result), p, op)
        return result
    return change_case


def _build_locked(args: list[_Node], p: str, op: str) -> Fn:
    return args[0].fn


def _build_now(args: list[_Node], p: str, op: str) -> Fn:
    if op == "now":
        return lambda d, e: ops.now_text(e)
    return lambda d, e: ops.now_text(e)[:10] + "T00:00:00.000Z"


def _unit_fn(node: _Node, p: str, op: str) -> Callable[[Any, Env], str | None]:
    """The date unit argument: checked at compile time when literal, looked up at evaluation otherwise."""
    if node.const:
        unit = ops.DATE_UNITS.get(node.value) if isinstance(node.value, str) else None
        if unit is None:
            raise RuleError(f"Operator '{op}' at {p} has the unit {json.dumps(node.value)}; the unit must be one of "
                            "year, month, week, day, hour, minute, second.", p, op)
        return lambda d, e: unit
    f = node.fn
    return lambda d, e: ops.DATE_UNITS.get(v) if isinstance(v := f(d, e), str) else None


def _build_date_add(args: list[_Node], p: str, op: str) -> Fn:
    fdate, famount = args[0].fn, args[1].fn
    funit = _unit_fn(args[2], p, op)

    def date_add(d: Any, e: Env) -> str | None:
        instant = ops.instant_of(fdate(d, e))
        amount = ops.to_number(famount(d, e))
        unit = funit(d, e)
        if instant is None or amount is None or unit is None:
            return None
        result = ops.add_to_instant(instant, amount, unit)
        return None if result is None else ops.format_instant(result)
    return date_add


def _build_truncate(args: list[_Node], p: str, op: str) -> Fn:
    fdate = args[0].fn
    funit = _unit_fn(args[1], p, op)

    def truncate(d: Any, e: Env) -> str | None:
        instant = ops.instant_of(fdate(d, e))
        unit = funit(d, e)
        if instant is None or unit is None:
            return None
        try:
            return ops.format_instant(ops.truncate_instant(instant, unit))
        except (OverflowError, ValueError):
            return None
    return truncate


def _build_date_equal(args: list[_Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn
    negate = op.endswith("!=")
    same_day = op.startswith("date") and not op.startswith("datetime")

    def date_equal(d: Any, e: Env) -> bool:
        a, b = ops.instant_of(fa(d, e)), ops.instant_of(fb(d, e))
        if a is None or b is None:
            return negate
        if same_day:
            same = a.date() == b.date()
        else:
            same = a.replace(microsecond=a.microsecond // 1000 * 1000) == b.replace(microsecond=b.microsecond // 1000 * 1000)
        return same is not negate
    return date_equal


_BUILDERS: dict[str, Callable[[list[_Node], str, str], Fn]] = {
    "var": _build_var, "missing": _build_missing, "missing_some": _build_missing_some,
    "if": _build_if, "?:": _build_if, "and": _build_and, "or": _build_or, "!": _build_not, "!!": _build_not,
    "==": _build_equal, "!=": _build_equal, "===": _build_strict_equal, "!==": _build_strict_equal,
    "<": _build_less, "<=": _build_less_equal, ">": _build_greater, ">=": _build_greater_equal,
    "+": _build_add, "-": _build_subtract, "*": _build_multiply, "/": _build_divide, "%": _build_remainder,
    "min": _build_min_max, "max": _build_min_max,
    "map": _build_map, "filter": _build_filter, "reduce": _build_reduce, "all": _build_all,
    "some": _build_some_none, "none": _build_some_none,
    "merge": _build_merge, "in": _build_in, "cat": _build_cat, "substr": _build_substr,
    "now": _build_now, "today": _build_now, "start_of_today": _build_now,
    "date_add": _build_date_add, "datetime_add": _build_date_add, "datetime_truncate": _build_truncate,
    "date==": _build_date_equal, "date!=": _build_date_equal, "datetime==": _build_date_equal,
    "datetime!=": _build_date_equal, "toLowerCase": _build_case, "toUpperCase": _build_case, "locked": _build_locked,
}
