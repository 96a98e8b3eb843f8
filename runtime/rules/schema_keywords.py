"""JSON Schema keywords implemented as JSON Schema specifies, where jsonschema's differ.

- ``pattern``: JSON Schema regular expressions are ECMA-262, where ``$`` (without the
  multiline flag) matches only at the very end. Python's ``$`` also matches before a final
  newline, so "AB-1234\\n" would pass "^[A-Z]{2}-\\d{4}$" on the server but fail in the
  browser (Ajv). A trailing ``$`` is compiled as ``\\Z``.
- ``uniqueItems``: jsonschema compares unhashable items pairwise, quadratic in the length of
  the list; here items are compared through a hashable normal form that keeps JSON
  equality (1 == 1.0, true != 1): linear.

The designer's meta-schema validator and the runtime's form validators both use these, so
a form accepts on the server exactly what it accepts in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators


def _ecma_anchored(pattern: str) -> str:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(_ecma_anchored(pattern))


def pattern_keyword(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _normal(value: Any) -> Any:
    """A hashable form of a JSON value, equal exactly when the values are equal in JSON."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, list):
        return ("l", tuple(_normal(item) for item in value))
    if isinstance(value, dict):
        return ("o", frozenset((key, _normal(item)) for key, item in value.items()))
    if value is None:
        return ("z", None)
    raise TypeError(type(value).__name__)


def first_duplicate(items: list[Any]) -> int | None:
    """The index of the first item equal (in JSON) to an earlier one, or None when all are distinct."""
    seen: set[Any] = set()
    for index, item in enumerate(items):
        key = _normal(item)
        if key in seen:
            return index
        seen.add(key)
    return None


def unique_items_keyword(validator: Any, unique: bool, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not unique or not validator.is_type(instance, "array"):
        return
    try:
        duplicate = first_duplicate(instance) is not None
    except (TypeError, RecursionError):  # not JSON, or nested beyond Python's stack: compare pairwise
        duplicate = any(instance[i] == instance[j] for i in range(len(instance)) for j in range(i))
    if duplicate:
        yield ValidationError(f"{instance!r} has non-unique elements")




FormValidator = validators.extend(Draft202012Validator, {"pattern": pattern_keyword, "uniqueItems": unique_items_keyword})
