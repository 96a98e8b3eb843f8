"""Operator builders: equality, ordering and arithmetic (==, ===, <, <=, +, -, *, /, %, min, max).

Each builder takes the compiled arguments, the operator's JSON pointer and name, and returns a closure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runtime.rules import values as ops
from runtime.rules.nodes import Fn, Node
from runtime.rules.values import Env

_LITERAL_TYPES = (str, int, float)
_FAST_TYPES = frozenset((str, int, float, bool))
_NUMBER_TYPES = frozenset((int, float))


def build_equal(args: list[Node], p: str, op: str) -> Fn:
    """`==` and `!=`; with one literal operand, values of the literal's type compare with plain Python `==`."""
    negate = op == "!="
    left, right = args
    if left.const and type(left.value) in _LITERAL_TYPES:
        left, right = right, left
    if right.const and type(right.value) in _LITERAL_TYPES and left.var is not None:
        literal, literal_type = right.value, type(right.value)
        k0, k1, path, dv = left.var

        def equal_var_literal(d: Any, e: Env) -> bool:
            # The fused var read (see Node), repeated in each fusing closure: one key, or two keys through
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


def build_strict_equal(args: list[Node], p: str, op: str) -> Fn:
    """`===` and `!==`."""
    negate = op == "!=="
    fa, fb = args[0].fn, args[1].fn

    def strict(d: Any, e: Env) -> bool:
        a, b = fa(d, e), fb(d, e)
        t = type(a)
        same = a == b if t is type(b) and t in _FAST_TYPES else ops.strict_equal(a, b, e, p, op)
        return same is not negate
    return strict


def _compare_var_literal(var: Node, literal: Any, var_left: bool, strict: bool, p: str, op: str) -> Fn:
    """var < literal, var <= literal, literal < var or literal <= var for a number or string literal, reading
    the var itself (see Node)."""
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


def _less_fn(left: Node, right: Node, p: str, op: str) -> Fn:
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


def _less_equal_fn(left: Node, right: Node, p: str, op: str) -> Fn:
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


def build_less(args: list[Node], p: str, op: str) -> Fn:
    if len(args) == 2:
        return _less_fn(args[0], args[1], p, op)
    fa, fb, fc = (a.fn for a in args)

    def between_exclusive(d: Any, e: Env) -> bool:
        a, b, c = fa(d, e), fb(d, e), fc(d, e)
        if type(a) in _NUMBER_TYPES and type(b) in _NUMBER_TYPES and type(c) in _NUMBER_TYPES:
            return a < b < c
        return ops.less(a, b) and ops.less(b, c)
    return between_exclusive


def build_less_equal(args: list[Node], p: str, op: str) -> Fn:
    if len(args) == 2:
        return _less_equal_fn(args[0], args[1], p, op)
    fa, fb, fc = (a.fn for a in args)

    def between_inclusive(d: Any, e: Env) -> bool:
        a, b, c = fa(d, e), fb(d, e), fc(d, e)
        if type(a) in _NUMBER_TYPES and type(b) in _NUMBER_TYPES and type(c) in _NUMBER_TYPES:
            return a <= b <= c
        return ops.less_equal(a, b, e, p, op) and ops.less_equal(b, c, e, p, op)
    return between_inclusive


def build_greater(args: list[Node], p: str, op: str) -> Fn:
    return _less_fn(args[1], args[0], p, op)


def build_greater_equal(args: list[Node], p: str, op: str) -> Fn:
    return _less_equal_fn(args[1], args[0], p, op)


def _numbers(fns: list[Fn], d: Any, e: Env) -> list[int | float] | None:
    values = []
    for f in fns:
        n = ops.to_number(f(d, e))
        if n is None:
            return None
        values.append(n)
    return values


def build_add(args: list[Node], p: str, op: str) -> Fn:
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


def build_multiply(args: list[Node], p: str, op: str) -> Fn:
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


def build_subtract(args: list[Node], p: str, op: str) -> Fn:
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


def build_divide(args: list[Node], p: str, op: str) -> Fn:
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


def build_remainder(args: list[Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn

    def remainder(d: Any, e: Env) -> Any:
        na, nb = ops.to_number(fa(d, e)), ops.to_number(fb(d, e))
        if na is None or nb is None:
            return None
        return ops.js_remainder(na, nb)
    return remainder


def build_min_max(args: list[Node], p: str, op: str) -> Fn:
    fns = [a.fn for a in args]
    pick = max if op == "max" else min

    def min_max(d: Any, e: Env) -> Any:
        values = _numbers(fns, d, e)
        return ops.number_result(pick(values)) if values else None
    return min_max


BUILDERS: dict[str, Callable[[list[Node], str, str], Fn]] = {
    "==": build_equal,
    "!=": build_equal,
    "===": build_strict_equal,
    "!==": build_strict_equal,
    "<": build_less,
    "<=": build_less_equal,
    ">": build_greater,
    ">=": build_greater_equal,
    "+": build_add,
    "-": build_subtract,
    "*": build_multiply,
    "/": build_divide,
    "%": build_remainder,
    "min": build_min_max,
    "max": build_min_max,
}
