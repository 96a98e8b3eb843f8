"""Operator builders: arrays (map, filter, reduce, all, some, none, merge, in), text (cat, substr, case) and dates.

Each builder takes the compiled arguments, the operator's JSON pointer and name, and returns a closure."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from runtime.rules import dates
from runtime.rules import values as ops
from runtime.rules.nodes import Fn, Node
from runtime.rules.values import Env, RuleError, truthy


def build_map(args: list[Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn

    def map_(d: Any, e: Env) -> Any:
        items = fa(d, e)
        if not isinstance(items, list):
            return []
        ops.charge(e, len(items), p, op)
        return [fb(item, e) for item in items]
    return map_


def build_filter(args: list[Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn

    def filter_(d: Any, e: Env) -> Any:
        items = fa(d, e)
        if not isinstance(items, list):
            return []
        ops.charge(e, len(items), p, op)
        return [item for item in items if truthy(fb(item, e))]
    return filter_


def build_reduce(args: list[Node], p: str, op: str) -> Fn:
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


def build_all(args: list[Node], p: str, op: str) -> Fn:
    fa, fb = args[0].fn, args[1].fn

    def all_(d: Any, e: Env) -> bool:
        items = fa(d, e)
        if not isinstance(items, list) or not items:
            return False
        ops.charge(e, len(items), p, op)
        return all(truthy(fb(item, e)) for item in items)
    return all_


def build_some_none(args: list[Node], p: str, op: str) -> Fn:
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


def build_merge(args: list[Node], p: str, op: str) -> Fn:
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


def build_in(args: list[Node], p: str, op: str) -> Fn:
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


def build_cat(args: list[Node], p: str, op: str) -> Fn:
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


def build_substr(args: list[Node], p: str, op: str) -> Fn:
    fsource, fstart = args[0].fn, args[1].fn
    flength = args[2].fn if len(args) == 3 else None

    def substr(d: Any, e: Env) -> str:
        v = fsource(d, e)
        text = v if type(v) is str else ops.to_text(v, e, p, op)
        tail = text[_integer(fstart(d, e)):]
        return tail if flength is None else tail[:_integer(flength(d, e))]
    return substr


def build_case(args: list[Node], p: str, op: str) -> Fn:
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


def build_locked(args: list[Node], p: str, op: str) -> Fn:
    return args[0].fn


def build_now(args: list[Node], p: str, op: str) -> Fn:
    if op == "now":
        return lambda d, e: ops.now_text(e)
    return lambda d, e: ops.now_text(e)[:10] + "T00:00:00.000Z"


def _unit_fn(node: Node, p: str, op: str) -> Callable[[Any, Env], str | None]:
    """The date unit argument: checked at compile time when literal, looked up at evaluation otherwise."""
    if node.const:
        unit = dates.DATE_UNITS.get(node.value) if isinstance(node.value, str) else None
        if unit is None:
            raise RuleError(f"Operator '{op}' at {p} has the unit {json.dumps(node.value)}; the unit must be one of "
                            "year, month, week, day, hour, minute, second.", p, op)
        return lambda d, e: unit
    f = node.fn
    return lambda d, e: dates.DATE_UNITS.get(v) if isinstance(v := f(d, e), str) else None


def build_date_add(args: list[Node], p: str, op: str) -> Fn:
    fdate, famount = args[0].fn, args[1].fn
    funit = _unit_fn(args[2], p, op)

    def date_add(d: Any, e: Env) -> str | None:
        instant = ops.instant_of(fdate(d, e))
        amount = ops.to_number(famount(d, e))
        unit = funit(d, e)
        if instant is None or amount is None or unit is None:
            return None
        result = dates.add_to_instant(instant, amount, unit)
        return None if result is None else dates.format_instant(result)
    return date_add


def build_truncate(args: list[Node], p: str, op: str) -> Fn:
    fdate = args[0].fn
    funit = _unit_fn(args[1], p, op)

    def truncate(d: Any, e: Env) -> str | None:
        instant = ops.instant_of(fdate(d, e))
        unit = funit(d, e)
        if instant is None or unit is None:
            return None
        try:
            return dates.format_instant(dates.truncate_instant(instant, unit))
        except (OverflowError, ValueError):
            return None
    return truncate


def build_date_equal(args: list[Node], p: str, op: str) -> Fn:
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


BUILDERS: dict[str, Callable[[list[Node], str, str], Fn]] = {
    "map": build_map,
    "filter": build_filter,
    "reduce": build_reduce,
    "all": build_all,
    "some": build_some_none,
    "none": build_some_none,
    "merge": build_merge,
    "in": build_in,
    "cat": build_cat,
    "substr": build_substr,
    "now": build_now,
    "today": build_now,
    "start_of_today": build_now,
    "date_add": build_date_add,
    "datetime_add": build_date_add,
    "datetime_truncate": build_truncate,
    "date==": build_date_equal,
    "date!=": build_date_equal,
    "datetime==": build_date_equal,
    "datetime!=": build_date_equal,
    "toLowerCase": build_case,
    "toUpperCase": build_case,
    "locked": build_locked,
}
