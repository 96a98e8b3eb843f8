"""The ticket-type definition as a document: its format number, upgrades, canonical JSON and meta-schema.

A definition is one JSON document (see docs/definition-format.md). Its ``format`` key says which version of the
format it is written in. This module is where that is interpreted:

- ``load_document`` parses JSON text strictly (no NaN, no duplicate keys) and upgrades the result;
- ``upgrade`` turns a document of any supported format into the current format, so exports made with an older
  release keep loading after the format grows. Format 2 will add one function to ``UPGRADES``;
- ``canonical_json`` is the one serialisation used for hashing, caching and diffs;
- ``META_SCHEMA`` is ``designer/schemas/definition-v1.schema.json``, and ``META_VALIDATOR`` the validator for
  it, built once (building one costs milliseconds, validating with a built one much less);
  ``FORM_META_VALIDATOR`` checks the JSON Schemas inside a definition (the form, transition fields).

Validation with friendly messages lives in designer.validation; this module only knows the format.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from runtime.rules.schema_keywords import first_duplicate, pattern_keyword, unique_items_keyword

__all__ = [
    "CURRENT_FORMAT",
    "FORM_META_SCHEMA",
    "FORM_META_VALIDATOR",
    "META_SCHEMA",
    "META_SCHEMA_PATH",
    "META_VALIDATOR",
    "SUPPORTED_FORMATS",
    "UPGRADES",
    "DocumentError",
    "Validator",
    "canonical_json",
    "content_hash",
    "first_duplicate",
    "flat_2020_12_meta_schema",
    "format_of",
    "load_document",
    "upgrade",
    "without_layout",
]

CURRENT_FORMAT = 1

# Source format -> a function that takes a document of that format (a private deep copy: it may change it in
# place) and returns the same definition in the next format, with "format" set accordingly. Format 2 adds
# {1: _format_1_to_2}; CURRENT_FORMAT becomes 2 and META_SCHEMA_PATH points at the new schema.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

SUPPORTED_FORMATS: frozenset[int] = frozenset({CURRENT_FORMAT, *UPGRADES})

META_SCHEMA_PATH = Path(__file__).resolve().parent / f"definition-v{CURRENT_FORMAT}.schema.json"
META_SCHEMA: dict[str, Any] = json.loads(META_SCHEMA_PATH.read_text(encoding="utf-8"))


class DocumentError(ValueError):
    """A document that cannot even be read as JSON: `message` says why, for the person who wrote it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- format ------------------------------------------------------------------------------------------------

def format_of(document: Any) -> int | None:
    """The document's format number, or None when it is missing or not a whole number."""
    if not isinstance(document, dict):
        return None
    value = document.get("format")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value != int(value):
        return None
    return int(value)


def upgrade(document: Any) -> Any:
    """The document in the current format.

    A document already in the current format is returned as it is (not copied). A document of an older,
    supported format is deep-copied and passed through the upgrade steps one format at a time; the input is
    never changed. Anything else (not an object, a missing or unknown ``format``) is returned as it is, for
    the validator to report.
    """
    fmt = format_of(document)
    if fmt is None or fmt == CURRENT_FORMAT or fmt not in UPGRADES:
        return document
    result = copy.deepcopy(document)
    for _ in range(len(UPGRADES)):  # each step moves at least one format forward
        step = UPGRADES.get(fmt)
        if step is None:
            break
        result = step(result)
        following = format_of(result)
        if following is None or following <= fmt:
            raise RuntimeError(f"the upgrade step from format {fmt} did not move the document forward")
        fmt = following
        if fmt == CURRENT_FORMAT:
            break
    return result


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DocumentError(f"The key '{key[:60]}' appears twice in the same object; JSON keys must be unique, "
                                "and the second one would silently replace the first.")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise DocumentError(f"'{name}' is not a JSON number; write a finite number or a string.")


def load_document(source: str | bytes) -> Any:
    """Parse a definition from JSON text and upgrade it to the current format.

    Stricter than json.loads: NaN and Infinity are refused, and so are duplicate keys in one object (a
    hand-written definition with two "priority" keys would otherwise lose the first without a word).
    Raises DocumentError with a message that names the line and column.
    """
    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"The file is not UTF-8 text (byte {exc.start} cannot be read).") from None
    try:
        document = json.loads(source, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from None
    except RecursionError:
        raise DocumentError("The JSON is nested too deeply to read.") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        if isinstance(exc, DocumentError):
            raise
        raise DocumentError(f"Not valid JSON: {exc}") from None
    return upgrade(document)


# --- canonical JSON ----------------------------------------------------------------------------------------

def canonical_json(obj: Any) -> str:
    """The canonical JSON text of a value: keys sorted, no spaces, non-ASCII kept as is.

    Two documents with the same content have the same canonical text, whatever their key order or layout;
    use it for hashing, caching and diffs. Raises ValueError for NaN or infinities (they are not JSON) and
    TypeError for values JSON has no notation for.
    """
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def without_layout(document: Any) -> Any:
    """The definition without its ``layout`` (where the designer drew things): what tickets run on."""
    if isinstance(document, dict) and "layout" in document:
        return {key: value for key, value in document.items() if key != "layout"}
    return document


def content_hash(obj: Any) -> str:
    """The SHA-256 of the canonical JSON, as hex: a stable identity of a document's content."""
    return hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()


# --- the validators ----------------------------------------------------------------------------------------
#
# Two keyword implementations (in runtime.rules.schema_keywords, shared with the runtime's form validator) differ
# from jsonschema's, both towards what JSON Schema specifies:
# - `pattern`: JSON Schema regular expressions are ECMA-262, where `$` (without the multiline flag) matches only
#   at the very end. Python's `$` also matches before a final newline, so "INC\n" would pass "^[A-Z]+$". A
#   trailing `$` is compiled as `\Z`.
# - `uniqueItems`: jsonschema compares unhashable items pairwise, quadratic in the length of the list. Items are
#   compared here through a hashable normal form that keeps JSON equality (1 == 1.0, true != 1): linear.

def _switch(validator: Any, switch: dict[str, Any], instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    """`x-gongdan-switch`: {"key": K, "cases": {V: schema}}: when the instance is an object whose K is the text V,
    it must be valid under that schema. Only the prepared meta-schema uses it (see _switches)."""
    if not validator.is_type(instance, "object"):
        return
    value = instance.get(switch["key"])
    if isinstance(value, str) and value in switch["cases"]:
        yield from validator.descend(instance, switch["cases"][value], schema_path=value)


Validator = validators.extend(Draft202012Validator, {"pattern": pattern_keyword, "uniqueItems": unique_items_keyword,
                                                    "x-gongdan-switch": _switch})


def _require_discriminators(schema: Any) -> Any:
    """A copy of the schema in which every `if` that tests properties by `const` also requires them.

    In JSON Schema, `{"if": {"properties": {"do": {"const": "notify"}}}}` also holds when `do` is absent, so an
    action without `do` would get every branch's errors on top of "'do' is required". Adding `required` to
    such an `if` accepts exactly the same documents (the outer schema already requires the key) and reports
    only the real problem. A no-op once the schema file says so itself.
    """
    if isinstance(schema, list):
        return [_require_discriminators(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _require_discriminators(value) for key, value in schema.items()}
    condition = result.get("if")
    if isinstance(condition, dict) and isinstance(condition.get("properties"), dict):
        tested = [name for name, sub in condition["properties"].items() if isinstance(sub, dict) and "const" in sub]
        missing = [name for name in tested if name not in condition.get("required", [])]
        if missing:
            result["if"] = {**condition, "required": [*condition.get("required", []), *missing]}
    return result


def _switches(schema: Any) -> Any:
    """A copy of the schema in which an `allOf` of `{"if": {"properties": {K: {"const": "a"}}, "required": [K]},
    "then": …}` items, all on the same K with different texts, becomes one `x-gongdan-switch` on K.

    It means the same (at most one `if` can hold, and for a non-object every branch is vacuous), but jsonschema
    evaluates every `if` of every action, a third of the time spent on a large definition; the switch looks the
    branch up. Applied after _require_discriminators.
    """
    if isinstance(schema, list):
        return [_switches(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _switches(value) for key, value in schema.items()}
    branches = result.get("allOf")
    if not isinstance(branches, list) or len(branches) < 2 or "x-gongdan-switch" in result:
        return result
    key: str | None = None
    cases: dict[str, Any] = {}
    for branch in branches:
        condition = branch.get("if") if isinstance(branch, dict) and set(branch) == {"if", "then"} else None
        tested = condition.get("properties") if isinstance(condition, dict) else None
        if not (isinstance(tested, dict) and len(tested) == 1 and set(condition) == {"properties", "required"}):
            return result
        ((name, test),) = tested.items()
        if condition["required"] != [name] or not isinstance(test, dict) or set(test) != {"const"} \
                or not isinstance(test["const"], str) or test["const"] in cases or key not in (None, name):
            return result
        key = name
        cases[test["const"]] = branch["then"]
    del result["allOf"]
    result["x-gongdan-switch"] = {"key": key, "cases": cases}
    return result


_ANNOTATIONS = frozenset({"description", "title", "$comment", "x-error", "default", "examples", "deprecated"})


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of the schema with every local `$ref: "#/$defs/…"` replaced by what it names.

    jsonschema resolves a `$ref` on every use (a registry lookup, about a third of the time spent validating a
    large definition). The definition meta-schema has no recursive references, so they can be resolved once,
    here. A `$ref` whose siblings are only annotations is merged with its target; otherwise the target goes
    into `allOf`, which means the same thing in JSON Schema 2020-12 (tested against the original).
    """
    definitions = schema.get("$defs", {})

    def inline(node: Any, depth: int) -> Any:
        if isinstance(node, list):
            return [inline(item, depth) for item in node]
        if not isinstance(node, dict):
            return node
        result = {key: inline(value, depth) for key, value in node.items() if key != "$ref"}
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return result
        name = ref[len("#/$defs/"):] if ref.startswith("#/$defs/") else None
        if name not in definitions or "/" in name or depth > 32:
            result["$ref"] = ref  # not ours to resolve (or absurdly deep): leave it to jsonschema
            return result
        target = inline(definitions[name], depth + 1)
        if isinstance(target, dict) and set(result) <= _ANNOTATIONS and not set(result) & set(target):
            return {**target, **result}
        result["allOf"] = [*result.get("allOf", []), target]
        return result

    inlined = inline({key: value for key, value in schema.items() if key != "$defs"}, 0)
    if "$defs" in schema:
        inlined["$defs"] = definitions  # still there for anyone reading the schema
    return inlined


# The validator for definitions, built once: META_SCHEMA with the `if` fix above, its references inlined and its
# `if` ladders turned into switches. Tests check that it accepts exactly what META_SCHEMA accepts.
META_VALIDATOR = Validator(_switches(_inline_refs(_require_discriminators(META_SCHEMA))))

_DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
_VOCABULARIES = ("core", "applicator", "unevaluated", "validation", "meta-data", "format-annotation", "content")
_RESOURCE_KEYS = ("$schema", "$id", "$vocabulary", "$dynamicAnchor")


def flat_2020_12_meta_schema() -> dict[str, Any]:
    """The JSON Schema 2020-12 meta-schema as one self-contained schema, with no `$schema` inside.

    The published meta-schema is eight resources: the dialect, whose `allOf` refers to seven vocabulary
    meta-schemas, each declaring `$schema` and recursing through `$dynamicRef: "#meta"`. jsonschema picks the
    validator class of a subschema from its `$schema`, so our keyword implementations above would be dropped
    as soon as validation entered a vocabulary. Here the vocabularies are placed under `$defs`, their references
    rewritten to point there, and `$dynamicRef: "#meta"` becomes `$ref: "#"`, which is what it resolves to when
    the meta-schema is used as itself. It accepts and rejects exactly what the original does (tested).
    """
    from jsonschema.validators import SPECIFICATIONS

    def rewrite(node: Any, vocabulary: str | None) -> Any:
        if isinstance(node, list):
            return [rewrite(item, vocabulary) for item in node]
        if not isinstance(node, dict):
            return node
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$dynamicRef" and value == "#meta":
                result["$ref"] = "#"
            elif key == "$ref" and isinstance(value, str):
                if value.startswith("meta/"):
                    target, _, fragment = value[len("meta/"):].partition("#")
                    result["$ref"] = f"#/$defs/{target}{fragment}"
                elif value.startswith("#/") and vocabulary is not None:
                    result["$ref"] = f"#/$defs/{vocabulary}{value[1:]}"
                else:
                    result["$ref"] = value
            else:
                result[key] = rewrite(value, vocabulary)
        return result

    def resource(uri: str, vocabulary: str | None) -> dict[str, Any]:
        contents = SPECIFICATIONS.contents(uri)
        return rewrite({k: v for k, v in contents.items() if k not in _RESOURCE_KEYS}, vocabulary)

    flat = resource(_DIALECT_2020_12, None)
    flat["$defs"] = {**flat.get("$defs", {}), **{
        name: resource(f"https://json-schema.org/draft/2020-12/meta/{name}", name) for name in _VOCABULARIES}}
    return flat


# The validator for the JSON Schemas inside a definition (the form, a transition's fields): the JSON Schema
# 2020-12 meta-schema, with format checking so that an invalid `pattern` is reported.
FORM_META_SCHEMA = flat_2020_12_meta_schema()
FORM_META_VALIDATOR = Validator(FORM_META_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
