"""The suite builds a new Flask app for every test (about 1,450 of them, twice in CI). Werkzeug
compiles, for each of the app's ~490 URL rules, two URL builders from a generated syntax tree with
`compile()` — about four fifths of `create_app`'s time (cProfile: 4.2 of 5.2 s for three apps on a
loaded two-core machine). The builders depend only on the rule's shape, not on the app, so the
suite compiles each shape once and reuses it. Test-only: a server builds its app once per process.

The builder is a plain function taking the rule as its first argument (werkzeug binds it with
`__get__`), so sharing it between rules of the same shape is what werkzeug would build anyway.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing.rules import Rule

_compile_builder = Rule._compile_builder
_builders: dict[Any, Any] = {}


def _shape(rule: Rule, append_unknown: bool) -> Any:
    defaults = tuple(sorted((key, repr(value)) for key, value in (rule.defaults or {}).items()))
    converters = tuple(sorted((name, type(converter).__qualname__, repr(vars(converter).get("regex")))
                              for name, converter in rule._converters.items()))
    return append_unknown, rule.rule, tuple(rule._trace), defaults, converters


def _cached_compile_builder(self: Rule, append_unknown: bool = True) -> Any:
    if any(not isinstance(value, (str, int, float, bool, type(None))) for value in (self.defaults or {}).values()):
        return _compile_builder(self, append_unknown)
    key = _shape(self, append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(self, append_unknown)
    return builder


def install() -> None:
    Rule._compile_builder = _cached_compile_builder  # type: ignore[method-assign]
