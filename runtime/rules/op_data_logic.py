"""Operator builders: reading data (var, missing, missing_some) and logic (if, ?:, and, or, !, !!).

Each builder takes the compiled arguments, the operator's JSON pointer and name, and returns a closure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runtime.rules import values as ops
from runtime.rules.nodes import Fn, Node, absent, static_path
from runtime.rules.values import Env, truthy


def build_var(args: list[Node], p: str, op: str) -> Fn:
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
    path = static_path(args[0].value, p, op)
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


def build_missing(args: list[Node], p: str, op: str) -> Fn:
    names_are_list = len(args) >= 1 and args[0].const and isinstance(args[0].value, list)
    literal_names = args[0].value if names_are_list else [a.value for a in args]
    if all(a.const for a in args) and not any(isinstance(n, list) for n in literal_names):
        static = [(name, static_path(name, p, op)) for name in literal_names]
        return lambda d, e: [name for name, path in static if absent(d, path)]
    fns = [a.fn for a in args]

    def missing(d: Any, e: Env) -> Any:
        values = [f(d, e) for f in fns]
        names = values[0] if values and isinstance(values[0], list) else values
        ops.charge(e, len(names), p, op)
        return [name for name in names if absent(d, ops.path_of(name))]
    return missing


def build_missing_some(args: list[Node], p: str, op: str) -> Fn:
    need_node, names_node = args
    if (need_node.const and names_node.const and isinstance(names_node.value, list)
            and not any(isinstance(name, list) for name in names_node.value)):
        need = ops.to_number(need_node.value)
        static = [(name, static_path(name, p, op)) for name in names_node.value]

        def missing_some_literal(d: Any, e: Env) -> Any:
            gone = [name for name, path in static if absent(d, path)]
            if need is not None and len(static) - len(gone) >= need:
                return []
            return gone
        return missing_some_literal
    fneed, fnames = need_node.fn, names_node.fn

    def missing_some(d: Any, e: Env) -> Any:
        need = ops.to_number(fneed(d, e))
        names = fnames(d, e)
        if not isinstance(names, list):
            names = [names]
        ops.charge(e, len(names), p, op)
        gone = [name for name in names if absent(d, ops.path_of(name))]
        if need is not None and len(names) - len(gone) >= need:
            return []
        return gone
    return missing_some


def build_if(args: list[Node], p: str, op: str) -> Fn:
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


def build_and(args: list[Node], p: str, op: str) -> Fn:
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


def build_or(args: list[Node], p: str, op: str) -> Fn:
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


def build_not(args: list[Node], p: str, op: str) -> Fn:
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


BUILDERS: dict[str, Callable[[list[Node], str, str], Fn]] = {
    "var": build_var,
    "missing": build_missing,
    "missing_some": build_missing_some,
    "if": build_if,
    "?:": build_if,
    "and": build_and,
    "or": build_or,
    "!": build_not,
    "!!": build_not,
}
