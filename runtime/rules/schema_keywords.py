"""JSON Schema keywords implemented as JSON Schema specifies, where jsonschema's differ.

- ``pattern``: JSON Schema regular expressions are ECMA-262, where ``$`` (without the
  multiline flag) matches only at the very end. Python's ``$`` also matches before a final
  newline, so "AB-1234\\n" would pass "^[A-Z]{2}-\\d{4}$" on the server but fail in the
  browser. For the meta-schemas we write ourselves (``pattern_keyword``), a trailing ``$`` is
  compiled as ``\\Z``.
- ``pattern``, ``patternProperties``, ``additionalProperties`` and ``unevaluatedProperties`` in
  a definition's schemas (``FormValidator``): the patterns are a designer's and the text a
  requester's, so they are matched in linear time by runtime.rules.patterns (RE2), never by
  Python's backtracking ``re`` (which jsonschema uses). A pattern RE2 cannot run is an error on
  the value (validator ``pattern_unsupported``), not a slow match.
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

from runtime.rules import patterns
from runtime.rules.patterns import UnsupportedPattern


def _ecma_anchored(pattern: str) -> str:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(_ecma_anchored(pattern))


def pattern_keyword(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    """`pattern` for the meta-schemas we write (trusted patterns, Python's syntax where it differs)."""
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# --- a definition's patterns: linear time ------------------------------------------------------------------------

def _unsupported(error: UnsupportedPattern) -> ValidationError:
    return ValidationError(f"the pattern {_short(error.pattern)} cannot be checked: {error.reason}",
                           validator="pattern_unsupported", validator_value=error.pattern)


def _short(pattern: str) -> str:
    return repr(pattern if len(pattern) <= 60 else pattern[:59] + "…")


def definition_pattern_keyword(validator: Any, pattern: Any, instance: Any,
                               schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "string") or not isinstance(pattern, str):
        return
    try:
        matched = patterns.search(pattern, instance)
    except UnsupportedPattern as error:
        yield _unsupported(error)
        return
    if not matched:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _matching(pattern_map: Any, key: str) -> Iterator[str]:
    """The patterns of a `patternProperties` that match `key`; raises UnsupportedPattern."""
    for pattern in pattern_map if isinstance(pattern_map, dict) else ():
        if patterns.search(pattern, key):
            yield pattern


def pattern_properties_keyword(validator: Any, pattern_map: Any, instance: Any,
                               schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    try:
        for pattern, subschema in pattern_map.items():
            for key, value in instance.items():
                if patterns.search(pattern, key):
                    yield from validator.descend(value, subschema, path=key, schema_path=pattern)
    except UnsupportedPattern as error:
        yield _unsupported(error)


def _additional(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    properties = schema.get("properties", {})
    return [key for key in instance if key not in properties
            and next(_matching(schema.get("patternProperties"), key), None) is None]


def additional_properties_keyword(validator: Any, additional: Any, instance: Any,
                                  schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    try:
        extras = _additional(instance, schema)
    except UnsupportedPattern as error:
        yield _unsupported(error)
        return
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        shown = ", ".join(repr(extra) for extra in sorted(extras))
        yield ValidationError(f"Additional properties are not allowed ({shown} "
                              f"{'was' if len(extras) == 1 else 'were'} unexpected)")


def _evaluated_keys(validator: Any, instance: dict[str, Any], schema: Any) -> set[str]:
    """The keys of `instance` that `schema` evaluates (jsonschema's find_evaluated_property_keys_by_schema, with
    the patterns matched by RE2)."""
    if not isinstance(schema, dict):
        return set()
    keys: set[str] = set()
    for ref_keyword in ("$ref", "$dynamicRef"):
        ref = schema.get(ref_keyword)
        if ref is not None:
            resolved = validator._resolver.lookup(ref)
            keys |= _evaluated_keys(validator.evolve(schema=resolved.contents, _resolver=resolved.resolver), instance,
                                    resolved.contents)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        keys |= properties.keys() & instance.keys()
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        subschema = schema.get(keyword)
        if subschema is not None:
            keys |= {key for key, value in instance.items() if next(validator.descend(value, subschema), None) is None}
    if "patternProperties" in schema:
        keys |= {key for key in instance if next(_matching(schema["patternProperties"], key), None) is not None}
    for name, subschema in (schema.get("dependentSchemas") or {}).items():
        if name in instance:
            keys |= _evaluated_keys(validator, instance, subschema)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for subschema in schema.get(keyword, []):
            if next(validator.descend(instance, subschema), None) is None:
                keys |= _evaluated_keys(validator, instance, subschema)
    if "if" in schema:
        if validator.evolve(schema=schema["if"]).is_valid(instance):
            keys |= _evaluated_keys(validator, instance, schema["if"])
            if "then" in schema:
                keys |= _evaluated_keys(validator, instance, schema["then"])
        elif "else" in schema:
            keys |= _evaluated_keys(validator, instance, schema["else"])
    return keys


def unevaluated_properties_keyword(validator: Any, unevaluated: Any, instance: Any,
                                   schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    try:
        evaluated = _evaluated_keys(validator, instance, schema)
    except UnsupportedPattern as error:
        yield _unsupported(error)
        return
    rejected = [key for key in instance if key not in evaluated
                and next(validator.descend(instance[key], unevaluated, path=key, schema_path=key), None) is not None]
    if rejected:
        shown = ", ".join(repr(key) for key in sorted(rejected))
        yield ValidationError(f"Unevaluated properties are not allowed ({shown} "
                              f"{'was' if len(rejected) == 1 else 'were'} unexpected)")


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


# The validator of a definition's JSON Schemas (the form, transition fields): every pattern matched by RE2.
FormValidator = validators.extend(Draft202012Validator, {
    "pattern": definition_pattern_keyword, "patternProperties": pattern_properties_keyword,
    "additionalProperties": additional_properties_keyword, "unevaluatedProperties": unevaluated_properties_keyword,
    "uniqueItems": unique_items_keyword})
