"""Compiled rule nodes and the helpers every operator builder shares (see runtime.rules.logic)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from runtime.rules import values as ops
from runtime.rules.values import Env, RuleError

Fn = Callable[[Any, Env], Any]


class Node:
    """A compiled subrule: its closure and, for literals, the constant value; for a `var` with a literal path
    of one or two keys, `var` holds (first key, second key or None, path, default) so that the operator using
    it can read the data itself instead of calling the var closure (the commonest shapes in routing rules)."""

    __slots__ = ("const", "fn", "value", "var")

    def __init__(self, fn: Fn, const: bool = False, value: Any = None) -> None:
        self.fn = fn
        self.const = const
        self.value = value
        self.var: tuple[str, str | None, ops.Path, Any] | None = None


def constant(value: Any) -> Node:
    if isinstance(value, list):
        # Each evaluation gets its own copy, so callers may change what a rule returned.
        if any(isinstance(item, list) for item in value):
            frozen = json.dumps(value)
            return Node(lambda d, e: json.loads(frozen), True, value)
        return Node(lambda d, e: value.copy(), True, value)
    return Node(lambda d, e: value, True, value)


def static_path(value: Any, pointer: str, op: str) -> ops.Path | object | None:
    """The lookup path of a literal variable name: None for the whole data, MISSING for a name that can never
    be found (true, false, arrays); a name with a reserved segment is refused at compile time."""
    path = ops.path_of(value)
    if path is ops.MISSING and ops.kind(value) == ops.STRING:
        raise RuleError(f"The variable name '{value}' at {pointer} uses a reserved name (one that starts and ends with "
                        "'__'); rules cannot read such keys.", pointer, op)
    return path


def simple_var(args: list[Node]) -> tuple[str, str | None, ops.Path, Any] | None:
    """The fusable form of a `var` (see Node), or None when its path or default is not that simple."""
    if not args or not args[0].const or ops.kind(args[0].value) not in (ops.STRING, ops.NUMBER):
        return None
    if len(args) == 2 and not (args[1].const and not isinstance(args[1].value, list)):
        return None
    path = ops.path_of(args[0].value)
    if path is None or path is ops.MISSING or len(path) > 2:
        return None
    default = args[1].value if len(args) == 2 else None
    return path[0][0], path[1][0] if len(path) == 2 else None, path, default


def absent(data: Any, path: Any) -> bool:
    """True when the variable at `path` is missing, null or "" (the `missing` operator's test)."""
    if path is ops.MISSING:
        return True
    value = data if path is None else ops.lookup(data, path)
    return value is None or (isinstance(value, str) and not value)

