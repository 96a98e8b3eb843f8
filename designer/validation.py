"""Validation of a ticket-type definition: every problem at once, each with a JSON pointer and a plain message.

    >>> report = validate_definition(document, known_teams={"service-desk"})
    >>> report.ok, [p.as_dict() for p in report.errors]

The checks, in order (docs/definition-format.md lists them for designers):

1. shape: the document is an object, not absurdly deep or large (deeper parts are cut off and reported);
2. format: ``format`` is one this release reads;
3. the meta-schema (designer/schemas/definition-v1.schema.json), with jsonschema's messages rewritten;
4. the form: its schema is a valid JSON Schema 2020-12, field names are usable and not reserved, ``required``,
   ``ui:order`` and field rules name real fields, categories agree with a ``category`` field;
5. rules: every JsonLogic rule compiles with runtime.logic, and names only fields and ticket attributes
   that exist;
6. workflow: unique keys, one initial state, a final state, real states in transitions, every state
   reachable, no dead ends (warning), ``require`` names real fields;
7. priority and SLA: levels, the matrix, overrides, targets only for levels a ticket can get;
8. references: states, transitions, fields, teams, roles and ticket types named elsewhere exist.

``validate_definition`` never raises: whatever it is given (any JSON value, however large or deep), it returns
a report. Errors block publishing; warnings are shown to the designer but do not.
"""

from __future__ import annotations

import difflib
import logging
import re
import urllib.parse
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from designer.format import (
    CURRENT_FORMAT,
    FORM_META_VALIDATOR,
    META_VALIDATOR,
    SUPPORTED_FORMATS,
    first_duplicate,
    format_of,
    upgrade,
)
from runtime import logic
from runtime.context import TICKET_ATTRIBUTES
from runtime.logic import RuleError, compile_rule

__all__ = ["MAX_PROBLEMS", "Problem", "ValidationReport", "validate_definition"]

log = logging.getLogger(__name__)

# At most this many errors and this many warnings are reported; the rest are counted in one last problem.
MAX_PROBLEMS = 500
# Limits on the document's shape, so that any input is checked in bounded time and stack. Parts nested deeper
# than MAX_DEPTH are cut off and reported; only the first MAX_ITEMS entries of a list or object are checked
# (MAX_SCHEMA_ITEMS for lists inside the form's and transitions' JSON Schemas, where a long `enum` is
# legitimate); a document of more than MAX_VALUES values is not checked further. Real definitions stay far
# below: a 1,000-field form is about 20,000 values and 8 levels deep, no list in the meta-schema may have more
# than 1,000 items, and the rule engine refuses rules deeper than 64 levels on its own.
MAX_DEPTH = 100
MAX_ITEMS = 2_000
MAX_SCHEMA_ITEMS = 10_000
MAX_VALUES = 200_000

INTERNAL_ERROR = ("The definition could not be checked completely because of an internal error: the problems listed "
                  "are real, but there may be others. Please report this.")
DEFAULT_LEVELS = ("P1", "P2", "P3", "P4")
STATE_CATEGORIES = ("new", "open", "pending", "resolved", "closed")
RESERVED_FIELDS = ("ticket", "comment")
FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}\Z")
DURATION = re.compile(r"P(?!\Z)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?\Z")
FORM_SCHEMA_URIS = ("https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#")
# Chart dimensions and measures may name ticket attributes without the "ticket." prefix.
TICKET_PATHS = frozenset(TICKET_ATTRIBUTES)
NUMERIC_AGGREGATES = ("sum", "avg", "min", "max", "p50", "p90")
_ALLOWED_OPERATORS: frozenset[str] | None = getattr(logic, "ALLOWED_OPERATORS", None)
# Operators whose second argument is evaluated once per element, with `var` naming the element.
_ELEMENT_OPERATORS = frozenset({"map", "filter", "all", "some", "none", "reduce"})

# JSON Schema 2020-12 keywords, for warnings about unknown (usually misspelt) keywords in field schemas.
SCHEMA_KEYWORDS = frozenset({
    "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
    "definitions", "dependencies", "$recursiveRef", "$recursiveAnchor",
    "prefixItems", "items", "contains", "additionalProperties", "properties", "patternProperties",
    "dependentSchemas", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
    "unevaluatedItems", "unevaluatedProperties",
    "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
    "maxProperties", "minProperties", "required", "dependentRequired",
    "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",
    "format", "contentEncoding", "contentMediaType", "contentSchema",
    "enumNames",  # react-jsonschema-form's labels for enum values
})
_SUBSCHEMA = frozenset({"items", "contains", "additionalProperties", "propertyNames", "if", "then", "else", "not",
                        "unevaluatedItems", "unevaluatedProperties", "contentSchema"})
_SUBSCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
_SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


# --- the report ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: where (a JSON pointer into the document, RFC 6901), what (for the designer), and a stable
    code for programs (e.g. ``workflow.unreachable_state``)."""

    pointer: str
    message: str
    code: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.pointer, "message": self.message, "code": self.code}


@dataclass(slots=True)
class ValidationReport:
    """Errors block publishing; warnings do not. Pointers refer to the document as validated (for a document
    in an older format, the upgraded one)."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "errors": [p.as_dict() for p in self.errors],
                "warnings": [p.as_dict() for p in self.warnings]}


class _Collector:
    """Gathers problems, drops exact repeats, and caps each list at MAX_PROBLEMS."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.more_errors = 0
        self.more_warnings = 0
        self.seen: set[tuple[str, str, bool]] = set()

    def error(self, pointer: str, message: str, code: str) -> None:
        self._add(pointer, message, code, True)

    def warning(self, pointer: str, message: str, code: str) -> None:
        self._add(pointer, message, code, False)

    def _add(self, pointer: str, message: str, code: str, is_error: bool) -> None:
        key = (pointer, message, is_error)
        if key in self.seen:
            return
        self.seen.add(key)
        target = self.errors if is_error else self.warnings
        if len(target) >= MAX_PROBLEMS:
            if is_error:
                self.more_errors += 1
            else:
                self.more_warnings += 1
            return
        target.append(Problem(pointer, message, code))

    def report(self) -> ValidationReport:
        errors, warnings = list(self.errors), list(self.warnings)
        if self.more_errors:
            errors.append(Problem("", f"…and {self.more_errors:,} more errors.", "limit.more_errors"))
        if self.more_warnings:
            warnings.append(Problem("", f"…and {self.more_warnings:,} more warnings.", "limit.more_warnings"))
        return ValidationReport(errors, warnings)


# --- small helpers -------------------------------------------------------------------------------------------

def _escape(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + _escape(part) for part in parts)


def _join(base: str, *parts: Any) -> str:
    return base + _pointer(parts)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(value: Any) -> str:
    """A short rendering of a value for a message."""
    if isinstance(value, str):
        return f"'{_text(value)}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return _text(repr(value))
    if isinstance(value, list):
        return "an empty list" if not value else f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "an empty object" if not value else "an object"
    return f"a {type(value).__name__}"


def _names(values: Iterable[Any], limit: int = 30) -> str:
    items = [str(v) for v in values]
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _choices(values: Iterable[Any], conjunction: str = "or") -> str:
    items = [f"'{v}'" for v in values]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _did_you_mean(word: Any, candidates: Iterable[Any]) -> str:
    if not isinstance(word, str) or not word or len(word) > 100:
        return ""
    # A ratio of 0.75 needs the shorter name to be at least 0.6 times the longer: filtering on that first keeps
    # this cheap with 1,000 candidates, and loses no match.
    options = [c for c in candidates if isinstance(c, str) and 5 * min(len(c), len(word)) >= 3 * max(len(c), len(word))]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.75)
    return f" Did you mean '{close[0]}'?" if close else ""


_JSON_TYPES = {"object": "an object", "array": "a list", "string": "text", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "null"}


def _found(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _is_zero_duration(value: Any) -> bool:
    """Whether `value` is a well-formed duration of length zero (PT0M, P0D, PT0H0S …)."""
    if not isinstance(value, str):
        return False
    match = DURATION.match(value)
    return match is not None and all(group is None or not group.strip("0") for group in match.groups())


def _resolves(document: Any, pointer: str) -> bool:
    """Whether a JSON pointer names a location in the document."""
    if pointer == "":
        return True
    if not pointer.startswith("/"):
        return False
    node = document
    for raw in pointer[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            if part not in node:
                return False
            node = node[part]
        elif isinstance(node, list):
            if not (part.isascii() and part.isdigit() and (part == "0" or part[0] != "0")) or len(part) > 12 \
                    or int(part) >= len(node):
                return False
            node = node[int(part)]
        else:
            return False
    return True


def _enum_values(schema: Any) -> list[Any] | None:
    """The fixed values a field can take: its `enum`, a `const`, `oneOf`/`anyOf` of consts (the labelled-enum
    idiom of react-jsonschema-form), or true and false for a boolean. None when the values are open."""
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if isinstance(options, list) and options and all(isinstance(o, dict) and "const" in o for o in options):
            return [o["const"] for o in options]
    if schema.get("type") == "boolean":
        return [True, False]
    return None


def _value_text(value: Any) -> str:
    """How an enum value is written in a priority-matrix cell key."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- shape: depth and size -----------------------------------------------------------------------------------

_SCHEMA_ROOT = re.compile(r"/form/schema|/workflow/transitions/\d+/fields/[^/]*")


def _preflight(document: Any, out: _Collector) -> tuple[Any, list[str], dict[str, int], bool]:
    """Walk the document once, without recursion, and enforce the shape limits.

    Returns (the document to check, the pointers of parts cut off for depth, pointer -> original length of
    the lists and objects that were shortened, whether checking may go on). The document is copied only when
    something had to be cut or shortened.
    """
    cut: list[str] = []
    huge: list[str] = []
    shortened: dict[str, int] = {}
    limits: dict[str, int] = {}
    values = 0
    stack: list[tuple[Any, str, int, bool]] = [(document, "", 0, False)]
    while stack:
        node, pointer, depth, in_schema = stack.pop()
        values += 1
        if isinstance(node, dict):
            items: Iterable[tuple[Any, Any]] = node.items()
            limit = MAX_ITEMS
        elif isinstance(node, list):
            items = enumerate(node)
            limit = MAX_SCHEMA_ITEMS if in_schema else MAX_ITEMS
        else:
            continue
        if node and depth >= MAX_DEPTH:
            cut.append(pointer)
            continue
        if len(node) > limit:
            shortened[pointer] = len(node)
            limits[pointer] = limit
        for count, (key, child) in enumerate(items):
            if count >= limit:
                break
            if isinstance(child, dict | list):
                child_pointer = f"{pointer}/{_escape(key)}"
                stack.append((child, child_pointer, depth + 1,
                              in_schema or (isinstance(child, dict) and _SCHEMA_ROOT.fullmatch(child_pointer) is not None)))
            else:
                values += 1
                if type(child) is int and child.bit_length() > 256:  # JSON allows it; Python cannot even print it
                    cut.append(f"{pointer}/{_escape(key)}")
                    huge.append(f"{pointer}/{_escape(key)}")
        if values > MAX_VALUES:
            out.error("", f"The definition is too large to check: it has more than {MAX_VALUES:,} values, and real "
                          "definitions have far fewer. Remove generated or repeated parts.", "document.too_large")
            return document, [], {}, False
    for pointer in cut:
        if pointer in huge:
            out.error(pointer, "This number is far too large (more than 77 digits); no part of a definition needs one.",
                      "document.huge_number")
        else:
            out.error(pointer, f"This part is nested more than {MAX_DEPTH} levels deep; the definition format never "
                               "needs that much nesting, and what is inside was not checked.", "document.too_deep")
    for pointer, size in shortened.items():
        out.error(pointer, f"This has {size:,} entries; only the first {limits[pointer]:,} were checked. No part of a "
                           "definition needs that many.", "document.too_long")
    if not cut and not shortened:
        return document, [], {}, True
    return _pruned(document, set(cut), limits), cut, shortened, True


def _pruned(document: Any, cut: set[str], limits: dict[str, int]) -> Any:
    """A copy with the cut-off parts replaced by null and long lists and objects shortened to their limit."""
    def shell(node: Any, pointer: str) -> Any:
        if pointer in cut:
            return None
        if isinstance(node, dict):
            return {}
        if isinstance(node, list):
            return []
        return node

    root = shell(document, "")
    stack: list[tuple[Any, Any, str]] = [(document, root, "")]
    while stack:
        source, target, pointer = stack.pop()
        limit = limits.get(pointer)
        if isinstance(source, dict) and isinstance(target, dict):
            for count, (key, child) in enumerate(source.items()):
                if limit is not None and count >= limit:
                    break
                child_pointer = f"{pointer}/{_escape(key)}"
                target[key] = shell(child, child_pointer)
                if isinstance(target[key], dict | list):
                    stack.append((child, target[key], child_pointer))
        elif isinstance(source, list) and isinstance(target, list):
            for index, child in enumerate(source if limit is None else source[:limit]):
                child_pointer = f"{pointer}/{index}"
                target.append(shell(child, child_pointer))
                if isinstance(target[-1], dict | list):
                    stack.append((child, target[-1], child_pointer))
    return root


# --- the validator ---------------------------------------------------------------------------------------------

def validate_definition(document: Any, *, known_teams: set[str] | None = None, known_roles: set[str] | None = None,
                        known_types: set[str] | None = None) -> ValidationReport:
    """Check a ticket-type definition and report every problem at once.

    `known_teams`, `known_roles` and `known_types` are the teams, roles and ticket-type keys that exist; when
    one is given, naming something not in it is a warning (it may be created before publishing). Never raises.
    """
    out = _Collector()
    try:
        _validate(document, out, known_teams, known_roles, known_types)
    except Exception:  # a bug here must not turn a designer's typo into a server error
        log.exception("validate_definition failed")
        out.error("", INTERNAL_ERROR, "internal")
    return out.report()


def _validate(document: Any, out: _Collector, known_teams: set[str] | None, known_roles: set[str] | None,
              known_types: set[str] | None) -> None:
    if not isinstance(document, dict):
        out.error("", f"A definition is a JSON object ({{ … }}), not {_found(document)}.", "document.not_object")
        return
    document, cut, shortened, go_on = _preflight(document, out)
    if not go_on:
        return
    try:
        document = upgrade(document)
    except Exception as exc:
        log.exception("upgrading a definition failed")
        out.error("/format", f"The definition could not be upgraded from format {document.get('format')!r}: {exc}",
                  "format.upgrade_failed")
        return
    _check_format(document, out)
    checker = _Checker(document, out, cut, shortened, known_teams, known_roles, known_types)
    checker.run()


def _check_format(document: dict[str, Any], out: _Collector) -> None:
    supported = ", ".join(str(f) for f in sorted(SUPPORTED_FORMATS))
    if "format" not in document:
        out.error("/format", f"'format' is missing: say which version of the format this is, e.g. \"format\": "
                             f"{CURRENT_FORMAT}. Supported formats: {supported}.", "format.missing")
        return
    fmt = format_of(document)
    if fmt not in SUPPORTED_FORMATS:
        out.error("/format", f"Format {_show(document['format'])} is not supported: this version of Gongdan reads "
                             f"format {supported}.", "format.unsupported")


class _Site:
    """A place that holds a rule: its pointer, a description for messages, and the extra fields it may read."""

    __slots__ = ("pointer", "rule", "scope", "where")

    def __init__(self, pointer: str, rule: Any, where: str, scope: frozenset[str] = frozenset()) -> None:
        self.pointer = pointer
        self.rule = rule
        self.where = where
        self.scope = scope


class _Checker:
    """The checks after the shape and the format, over one (possibly invalid) document.

    Every accessor is defensive: the meta-schema errors are reported separately, and the semantic checks look
    only at the parts that have the expected type, so that one mistake does not produce a cascade.
    """

    def __init__(self, document: dict[str, Any], out: _Collector, cut: list[str], shortened: dict[str, int],
                 known_teams: set[str] | None, known_roles: set[str] | None, known_types: set[str] | None) -> None:
        self.doc = document
        self.out = out
        self.cut = cut
        self.shortened = shortened
        self.known_teams = known_teams
        self.known_roles = known_roles
        self.known_types = known_types
        self.schema_pointers: set[str] = set()
        self.form = _dict(document.get("form"))
        self.form_schema = _dict(self.form.get("schema"))
        properties = _dict(self.form_schema.get("properties"))
        self.fields: dict[str, Any] = {k: v for k, v in properties.items() if isinstance(k, str)}
        self.workflow = _dict(document.get("workflow"))
        self.states = _list(self.workflow.get("states"))
        self.transitions = _list(self.workflow.get("transitions"))
        self.state_keys: dict[str, int] = {}
        for index, state in enumerate(self.states):
            key = _dict(state).get("key")
            if isinstance(key, str) and key not in self.state_keys:
                self.state_keys[key] = index
        self.transition_keys: dict[str, int] = {}
        # field name -> key (or position) of the first transition that asks for it
        self.transition_fields: dict[str, str] = {}
        for index, transition in enumerate(self.transitions):
            transition = _dict(transition)
            key = transition.get("key")
            if isinstance(key, str) and key not in self.transition_keys:
                self.transition_keys[key] = index
            for name in _dict(transition.get("fields")):
                self.transition_fields.setdefault(name, key if isinstance(key, str) else f"#{index + 1}")
        priority = _dict(document.get("priority"))
        levels = priority.get("levels")
        if isinstance(levels, list) and levels and all(isinstance(v, str) for v in levels):
            self.levels: list[str] = list(dict.fromkeys(levels))
        else:
            self.levels = list(DEFAULT_LEVELS)

    # -- driver

    def run(self) -> None:
        phases = (self.meta_schema, self.form_checks, self.rule_checks, self.workflow_checks,
                  self.priority_and_sla_checks, self.reference_checks, self.chart_checks)
        for phase in phases:
            try:
                phase()
            except Exception:  # a bug in one check must not hide what the others find
                log.exception("validation phase %s failed", phase.__name__)
                self.out.error("", INTERNAL_ERROR, "internal")

    def error(self, pointer: str, message: str, code: str) -> None:
        if pointer not in self.schema_pointers:  # one message per mistake: the schema's, when it has one
            self.out.error(pointer, message, code)

    def warning(self, pointer: str, message: str, code: str) -> None:
        self.out.warning(pointer, message, code)

    # -- labels for messages

    def label(self, parts: list[Any]) -> str | None:
        """What a location is, in the designer's words: "Transition 'resolve'", "Routing rule 2" …"""
        doc = self.doc
        if not parts:
            return None
        head = parts[0]
        n = len(parts)

        def named(item: Any, key: str, kind: str, index: int) -> str:
            return f"{kind} {_title(item, key, index)}"

        def item_of(container: Any, index: Any) -> Any:
            if isinstance(container, list) and isinstance(index, int) and 0 <= index < len(container):
                return container[index]
            return None

        if head == "workflow" and n >= 3 and parts[1] in ("states", "transitions") and isinstance(parts[2], int):
            container = self.states if parts[1] == "states" else self.transitions
            text = named(item_of(container, parts[2]), "key", "State" if parts[1] == "states" else "Transition", parts[2])
            if parts[1] == "transitions" and n >= 5 and parts[3] == "actions" and isinstance(parts[4], int):
                text += f", action {parts[4] + 1}"
            elif parts[1] == "transitions" and n >= 5 and parts[3] == "fields":
                text += f", field '{_text(parts[4])}'"
            return text
        if head == "workflow":
            return "The workflow"
        if head in ("routing", "sla", "automations", "charts") and n >= 2 and isinstance(parts[1], int):
            item = item_of(doc.get(head), parts[1])
            if head == "routing":
                text = named(item, "name", "Routing rule", parts[1])
            elif head == "sla":
                text = named(item, "name", "SLA policy", parts[1])
                if n >= 4 and parts[2] == "escalate" and isinstance(parts[3], int):
                    text += f", escalation step {parts[3] + 1}"
            elif head == "automations":
                text = named(item, "name", "Automation", parts[1])
                if n >= 4 and parts[2] == "do" and isinstance(parts[3], int):
                    text += f", action {parts[3] + 1}"
            else:
                text = named(item, "key", "Chart", parts[1])
                if n >= 4 and parts[2] == "measures" and isinstance(parts[3], int):
                    text += f", measure {parts[3] + 1}"
            return text
        if head == "form" and n >= 3 and parts[1] == "field_rules" and isinstance(parts[2], int):
            return f"Field rule {parts[2] + 1}"
        if head == "form" and n >= 4 and parts[1] == "schema" and parts[2] == "properties":
            return f"Field '{_text(parts[3])}'"
        if head == "form" and n >= 2 and parts[1] == "schema":
            return "The form's schema"
        if head == "form" and n >= 2 and parts[1] == "ui":
            return "The form's UI settings"
        if head == "priority" and n >= 3 and parts[1] == "overrides" and isinstance(parts[2], int):
            return f"Priority override {parts[2] + 1}"
        if head == "priority" and n >= 2 and parts[1] == "matrix":
            return "The priority matrix"
        return None

    def message(self, parts: list[Any], text: str) -> str:
        label = self.label(parts)
        return f"{label}: {text}" if label else text

    # -- 3. the meta-schema

    def meta_schema(self) -> None:
        for error in META_VALIDATOR.iter_errors(self.doc):
            self.translate(error, [])

    def under_cut(self, pointer: str) -> bool:
        return any(pointer == c or pointer.startswith(c + "/") for c in self.cut)

    def emit_schema_problem(self, parts: list[Any], text: str, code: str) -> None:
        pointer = _pointer(parts)
        if pointer == "/format" or (self.cut and self.under_cut(pointer)):
            return  # the format is reported by _check_format, which names the supported formats
        self.schema_pointers.add(pointer)
        self.out.error(pointer, self.message(parts, text), code)

    def translate(self, error: Any, base: list[Any]) -> None:
        """Turn one jsonschema error into friendly problems at precise pointers. `base` is the pointer of the
        validated part within the document (for the JSON Schemas inside a definition)."""
        parts = base + list(error.absolute_path)
        keyword = error.validator
        instance = error.instance
        schema = error.schema if isinstance(error.schema, dict) else {}
        subject = _subject(parts)
        # propertyNames errors are reported at the object, about a key: point at that key.
        schema_path = list(error.absolute_schema_path)
        if any(schema_path[i] == "propertyNames" and (i == 0 or schema_path[i - 1] != "properties")
               for i in range(len(schema_path))) and isinstance(instance, str):
            parts = [*parts, instance]
            if keyword == "pattern":
                hint = schema.get("x-error") or f"It must match {error.validator_value}."
                self.emit_schema_problem(parts, f"The name {_show(instance)} cannot be used here. {hint}", "schema.name")
            else:
                self.emit_schema_problem(parts, f"The name {_show(instance)} cannot be used here: {error.message}",
                                         "schema.name")
            return
        if keyword == "additionalProperties" and error.validator_value is False and isinstance(instance, dict):
            allowed = [k for k in _dict(schema.get("properties")) if isinstance(k, str)]
            patterns = [p for p in _dict(schema.get("patternProperties")) if isinstance(p, str)]
            for key in instance:
                if key in allowed or any(re.search(p, str(key)) for p in patterns):
                    continue
                text = f"Unknown key {_show(key)}: allowed here are {_names(allowed)}.{_did_you_mean(key, allowed)}"
                self.emit_schema_problem([*parts, key], text, "schema.unknown_key")
            return
        if keyword == "required" and isinstance(instance, dict):
            for name in _list(error.validator_value):
                if name not in instance:
                    self.emit_schema_problem([*parts, name], f"'{name}' is required.", "schema.required")
            return
        if keyword in ("oneOf", "anyOf"):
            self.translate_alternatives(error, parts, base)
            return
        text, code = _keyword_message(keyword, error, instance, schema, subject, self.shortened.get(_pointer(parts)))
        if keyword == "uniqueItems" and isinstance(instance, list):
            duplicate = _safe_first_duplicate(instance)
            if duplicate is not None:
                parts = [*parts, duplicate]
        self.emit_schema_problem(parts, text, code)

    def translate_alternatives(self, error: Any, parts: list[Any], base: list[Any]) -> None:
        """oneOf/anyOf: say which keys are needed, or descend into the alternative the value was meant to be."""
        context = list(error.context or [])
        options = _list(error.validator_value)
        subject = _subject(parts)
        needed = [o["required"][0] for o in options if isinstance(o, dict) and set(o) == {"required"}
                  and isinstance(o["required"], list) and len(o["required"]) == 1]
        if len(needed) == len(options) and needed:
            if not context:  # oneOf and several present
                self.emit_schema_problem(parts, f"Use only one of {_choices(needed)}.", "schema.one_of")
            else:
                many = "exactly one" if error.validator == "oneOf" else "at least one"
                self.emit_schema_problem(parts, f"Needs {many} of {_choices(needed)}.", "schema.any_of")
            return
        if not context:
            self.emit_schema_problem(parts, f"{subject} matches more than one of the allowed forms; it must match "
                                            "exactly one.", "schema.one_of")
            return
        branches: dict[Any, list[Any]] = {}
        for sub in context:
            branch = sub.relative_schema_path[0] if sub.relative_schema_path else 0
            branches.setdefault(branch, []).append(sub)

        def mismatch(errors: list[Any]) -> bool:
            return any(not e.relative_path and e.validator in ("type", "const", "enum") for e in errors)

        candidates = [errors for errors in branches.values() if not mismatch(errors)]
        if candidates:
            chosen = max(candidates, key=lambda errs: (max(len(e.relative_path) for e in errs), -len(errs)))
            for sub in chosen:
                self.translate(sub, base)
            return
        description = error.schema.get("description") if isinstance(error.schema, dict) else None
        if isinstance(description, str):
            self.emit_schema_problem(parts, f"{subject} is not valid here ({_show(error.instance)}). Expected: "
                                            f"{description}", "schema.alternatives")
            return
        for errors in branches.values():  # a choice from a list, for a value of the right type: say so
            for sub in errors:
                if sub.validator == "enum" and any(_found(v) == _found(error.instance) for v in _list(sub.validator_value)):
                    self.translate(sub, base)
                    return
        expected = []
        for option in options:
            kind = _dict(option).get("type")
            if isinstance(kind, str) and kind in _JSON_TYPES:
                expected.append(_JSON_TYPES[kind])
        hint = f" Expected {' or '.join(dict.fromkeys(expected))}." if expected else ""
        self.emit_schema_problem(parts, f"{subject} is not valid here ({_show(error.instance)}).{hint}",
                                 "schema.alternatives")

    # -- 4. the form

    def form_checks(self) -> None:
        form_ptr = "/form/schema"
        schema = self.form_schema
        if schema:
            declared = schema.get("$schema")
            if "$schema" in schema and declared not in FORM_SCHEMA_URIS:
                self.error(f"{form_ptr}/$schema", f"The form's schema must be JSON Schema 2020-12: leave '$schema' out "
                                                 f"or set it to {FORM_SCHEMA_URIS[0]} (it is {_show(declared)}).",
                           "form.schema_dialect")
            self.check_json_schema(schema, ["form", "schema"])
            self.schema_walk(schema, ["form", "schema"])
        for name in self.fields:
            pointer = _join(form_ptr, "properties", name)
            if name in RESERVED_FIELDS:
                use = ("rules read the ticket's attributes as ticket.*" if name == "ticket"
                       else "'comment' in a transition's 'require' means the comment written when taking it")
                self.error(pointer, f"The field name '{name}' is reserved: {use}. Rename the field.", "form.reserved_field")
            elif not FIELD_NAME.match(name):
                self.error(pointer, f"The field name {_show(name)} cannot be used: a field name is 1 to 64 letters, "
                                    "digits or '_', starting with a letter (rules and field lists refer to fields by "
                                    "this name).", "form.field_name")
        for index, name in enumerate(_list(schema.get("required"))):
            if isinstance(name, str) and name not in self.fields:
                self.error(_join(form_ptr, "required", index),
                           f"The form requires '{_text(name)}', which is not one of its fields; the form could never "
                           f"be submitted.{_did_you_mean(name, self.fields)}", "form.unknown_field")
        self.ui_checks()
        for i, rule in enumerate(_list(self.form.get("field_rules"))):
            for verb in ("show", "hide", "require"):
                for j, name in enumerate(_list(_dict(rule).get(verb))):
                    if isinstance(name, str) and name not in self.fields:
                        self.error(_join("/form/field_rules", i, verb, j),
                                   f"Field rule {i + 1} {'requires' if verb == 'require' else verb + 's'} the field "
                                   f"'{_text(name)}', which the form does not have.{_did_you_mean(name, self.fields)}",
                                   "form.unknown_field")
        self.category_checks()

    def check_json_schema(self, schema: Any, base: list[Any]) -> None:
        """Report every way `schema` is not a valid JSON Schema 2020-12, at pointers below `base`.

        Field schemas that are plainly valid (see _plainly_valid) are left out of the meta-schema check: the
        meta-schema checks each property's schema on its own, so the errors are the same, in a fraction of
        the time (a 200-field form takes 40 ms through jsonschema, under 1 ms this way)."""
        if _plainly_valid(schema):
            return
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(properties, dict) and properties:
            unclear = {name: sub for name, sub in properties.items() if not _plainly_valid(sub)}
            if len(unclear) < len(properties):
                schema = {**schema, "properties": unclear}
        try:
            for error in FORM_META_VALIDATOR.iter_errors(schema):
                self.translate(error, base)
        except RecursionError:
            self.error(_pointer(base), "This JSON Schema is nested too deeply to check.", "document.too_deep")

    def schema_walk(self, schema: Any, base: list[Any]) -> None:
        """Look through a JSON Schema (the form's, or a transition field's) for what the meta-schema allows but
        the runtime cannot use: keywords JSON Schema does not know, usually misspelt ('maxlength', a warning),
        and `$ref`s that do not resolve inside the schema itself (an error: the runtime fetches nothing)."""
        refs: list[tuple[str, list[Any]]] = []
        anchors: set[str] = set()
        stack: list[tuple[Any, list[Any], int]] = [(schema, base, 0)]
        while stack:
            node, parts, depth = stack.pop()
            if not isinstance(node, dict) or depth > MAX_DEPTH:
                continue
            children: list[tuple[Any, list[Any], int]] = []
            for key, value in node.items():
                if not isinstance(key, str):
                    continue
                if key == "$ref" and isinstance(value, str):
                    refs.append((value, [*parts, key]))
                elif key in ("$anchor", "$dynamicAnchor") and isinstance(value, str):
                    anchors.add(value)
                if key not in SCHEMA_KEYWORDS and not key.startswith(("x-", "ui:")):
                    self.warning(_pointer([*parts, key]),
                                 self.message(parts, f"'{_text(key)}' is not a JSON Schema keyword and has no effect."
                                                     f"{_did_you_mean(key, SCHEMA_KEYWORDS)}"), "form.unknown_keyword")
                elif key in _SUBSCHEMA:
                    children.append((value, [*parts, key], depth + 1))
                elif key in _SUBSCHEMA_MAPS and isinstance(value, dict):
                    children.extend((sub, [*parts, key, name], depth + 1) for name, sub in value.items())
                elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
                    children.extend((sub, [*parts, key, i], depth + 1) for i, sub in enumerate(value))
            stack.extend(reversed(children))  # so that problems come in document order
        for ref, parts in refs:
            if ref == "#" or ref.startswith("#/"):
                target = urllib.parse.unquote(ref[1:])
                if _resolves(schema, target):
                    continue
                problem = f"'$ref' points at {_show(ref)}, which is not in this schema."
            elif ref.startswith("#"):
                if urllib.parse.unquote(ref[1:]) in anchors:
                    continue
                problem = f"'$ref' points at the anchor {_show(ref)}, which no '$anchor' in this schema defines."
            else:
                problem = (f"'$ref' points outside the schema ({_show(ref)}); a definition must be self-contained: put "
                           "what it refers to under '$defs' and refer to it as '#/$defs/…'.")
            self.error(_pointer(parts), self.message(parts, problem), "form.unresolved_ref")

    def ui_checks(self) -> None:
        ui = _dict(self.form.get("ui"))
        order = ui.get("ui:order")
        if isinstance(order, list):
            seen: set[str] = set()
            for index, name in enumerate(order):
                pointer = _join("/form/ui", "ui:order", index)
                if not isinstance(name, str):
                    self.error(pointer, f"'ui:order' lists field names; {_show(name)} is not one.", "form.ui_order")
                elif name in seen:
                    self.error(pointer, f"'ui:order' lists '{_text(name)}' twice.", "form.ui_order")
                elif name != "*" and name not in self.fields:
                    self.error(pointer, f"'ui:order' lists '{_text(name)}', which is not a form field; the form would "
                                        f"not render.{_did_you_mean(name, self.fields)}", "form.ui_order")
                seen.add(name) if isinstance(name, str) else None
        elif order is not None:
            self.error("/form/ui/ui:order", "'ui:order' must be a list of field names.", "form.ui_order")
        for key in ui:
            if isinstance(key, str) and not key.startswith("ui:") and key not in self.fields:
                self.warning(_join("/form/ui", key), f"The form's UI settings mention '{_text(key)}', which is not a "
                                                     f"form field; they have no effect.{_did_you_mean(key, self.fields)}",
                             "form.ui_unknown_field")

    def category_checks(self) -> None:
        categories = self.doc.get("categories")
        category_field = self.fields.get("category")
        values = _enum_values(category_field)
        if not isinstance(categories, list) or values is None:
            return
        known = {c for c in categories if isinstance(c, str)}
        enum_key = "enum" if isinstance(_dict(category_field).get("enum"), list) else None
        for index, value in enumerate(values):
            if not isinstance(value, str) or value not in known:
                pointer = (_join("/form/schema/properties/category", "enum", index) if enum_key
                           else "/form/schema/properties/category")
                self.error(pointer, f"The field 'category' offers {_show(value)}, which is not one of the ticket type's "
                                    f"categories ({_names(sorted(known)) or 'none'}). Add it to 'categories' or remove "
                                    "it from the field.", "categories.mismatch")
        offered = {v for v in values if isinstance(v, str)}
        for index, category in enumerate(categories):
            if isinstance(category, str) and category not in offered:
                self.warning(_join("/categories", index), f"Category '{_text(category)}' cannot be chosen: the field "
                                                          "'category' does not offer it.", "categories.unused")

    # -- 5. rules

    def rule_sites(self) -> Iterator[_Site]:
        for i, rule in enumerate(_list(self.form.get("field_rules"))):
            if isinstance(rule, dict) and "when" in rule:
                yield _Site(_join("/form/field_rules", i, "when"), rule["when"], f"The condition of field rule {i + 1}")
        for i, override in enumerate(_list(_dict(self.doc.get("priority")).get("overrides"))):
            if isinstance(override, dict) and "when" in override:
                yield _Site(_join("/priority/overrides", i, "when"), override["when"],
                            f"The condition of priority override {i + 1}")
        for i, transition in enumerate(self.transitions):
            if not isinstance(transition, dict):
                continue
            name = self.label(["workflow", "transitions", i]) or f"Transition {i + 1}"
            scope = frozenset(k for k in _dict(transition.get("fields")) if isinstance(k, str))
            if "guard" in transition:
                yield _Site(_join("/workflow/transitions", i, "guard"), transition["guard"],
                            f"The guard of {_lower(name)}", scope)
            for j, action in enumerate(_list(transition.get("actions"))):
                yield from self.action_sites(action, _join("/workflow/transitions", i, "actions", j),
                                             f"action {j + 1} of {_lower(name)}", scope)
        for key, kind in (("routing", "routing rule"), ("sla", "SLA policy"), ("automations", "automation")):
            for i, item in enumerate(_list(self.doc.get(key))):
                if not isinstance(item, dict):
                    continue
                title = f"{kind} {_title(item, 'name', i)}"
                scope: frozenset[str] = frozenset()
                if key == "automations":
                    scope = frozenset(self.automation_scope(item))
                if "when" in item:
                    yield _Site(_join(f"/{key}", i, "when"), item["when"], f"The condition of {title}", scope)
                if key == "automations":
                    for j, action in enumerate(_list(item.get("do"))):
                        yield from self.action_sites(action, _join("/automations", i, "do", j),
                                                     f"action {j + 1} of {title}", scope)
        for i, chart in enumerate(_list(self.doc.get("charts"))):
            if isinstance(chart, dict) and "filter" in chart:
                yield _Site(_join("/charts", i, "filter"), chart["filter"], f"The filter of chart {_title(chart, 'key', i)}")

    def action_sites(self, action: Any, pointer: str, where: str, scope: frozenset[str]) -> Iterator[_Site]:
        action = _dict(action)
        kind = action.get("do")
        if kind == "set":
            for name, rule in _dict(action.get("fields")).items():
                yield _Site(_join(pointer, "fields", name), rule, f"The value of '{_text(name)}' in {where}", scope)
        elif kind == "create_child":
            for name, rule in _dict(action.get("map")).items():
                yield _Site(_join(pointer, "map", name), rule, f"The value of '{_text(name)}' in {where}", scope)

    def rule_checks(self) -> None:
        for site in self.rule_sites():
            self.check_rule(site)

    def check_rule(self, site: _Site) -> None:
        engine_pointer = None
        try:
            compile_rule(site.rule)
        except RuleError as exc:
            inner = exc.pointer if isinstance(exc.pointer, str) else ""
            if not _resolves(site.rule, inner):
                inner = ""
            engine_pointer = site.pointer + inner
            self.error(engine_pointer, f"{site.where}: {exc.message}", "rule.invalid")
        except Exception as exc:
            log.exception("compile_rule failed unexpectedly")
            self.error(site.pointer, f"{site.where} could not be checked ({type(exc).__name__}).", "rule.invalid")
        for kind, name, pointer in _rule_names(site.rule, site.pointer):
            if kind == "operator":
                if pointer != engine_pointer:
                    danger = " (it would let a rule call Python code)" if name == "method" else ""
                    self.error(pointer, f"{site.where}: the operator '{_text(name)}' is not allowed{danger}; see "
                                        "docs/rules.md for the operators rules can use.", "rule.invalid")
                continue
            self.check_name(site, name, pointer)

    def check_name(self, site: _Site, name: str, pointer: str) -> None:
        """A `var` or `missing` name: the first segment must be a form field, a field in scope, or ticket.*"""
        head, _, rest = name.partition(".")
        if head in self.fields or head in site.scope:
            return
        if head == "ticket":
            if not rest:
                return
            problem = _ticket_path_problem(rest)
            if problem is None:
                return
            if problem.startswith("data."):
                field_name = problem[5:]
                if field_name in self.fields or field_name in site.scope:
                    return
                self.unknown_field(site, field_name, pointer, shown=name)
                return
            self.error(pointer, f"{site.where} uses '{_text(name)}', which is not a ticket attribute."
                                f"{_did_you_mean(name, ['ticket.' + a for a in TICKET_ATTRIBUTES])} The ticket "
                                f"attributes are listed in docs/definition-format.md.", "rule.unknown_attribute")
            return
        self.unknown_field(site, head, pointer, shown=name)

    def unknown_field(self, site: _Site, field_name: str, pointer: str, shown: str) -> None:
        owner = self.transition_fields.get(field_name)
        if owner is not None:
            self.warning(pointer, f"{site.where} uses '{_text(shown)}', a field that only transition '{_text(owner)}' "
                                  "asks for; it is empty until a ticket has taken that transition.",
                         "rule.transition_field")
            return
        candidates = [*self.fields, *site.scope]
        self.error(pointer, f"{site.where} uses the field '{_text(field_name)}', which the form does not have."
                            f"{_did_you_mean(field_name, candidates)}", "rule.unknown_field")

    # -- 6. workflow

    def workflow_checks(self) -> None:
        states, transitions = self.states, self.transitions
        seen: dict[str, int] = {}
        for index, state in enumerate(states):
            key = _dict(state).get("key")
            if isinstance(key, str):
                if key in seen:
                    self.error(_join("/workflow/states", index, "key"),
                               f"State key '{_text(key)}' is used twice: states {seen[key] + 1} and {index + 1}. "
                               "Each state needs its own key.", "workflow.duplicate_state")
                else:
                    seen[key] = index
        seen_t: dict[str, int] = {}
        for index, transition in enumerate(transitions):
            key = _dict(transition).get("key")
            if isinstance(key, str):
                if key in seen_t:
                    self.error(_join("/workflow/transitions", index, "key"),
                               f"Transition key '{_text(key)}' is used twice: transitions {seen_t[key] + 1} and "
                               f"{index + 1}. Each transition needs its own key.", "workflow.duplicate_transition")
                else:
                    seen_t[key] = index
        if not states or not all(isinstance(s, dict) for s in states):
            return
        initials = [i for i, s in enumerate(states) if s.get("initial") is True]
        finals = {i for i, s in enumerate(states) if s.get("final") is True}
        if not initials:
            self.error("/workflow/states", "No state is marked initial: mark exactly one state (where new tickets "
                                           "start) with \"initial\": true.", "workflow.no_initial_state")
        for index in initials[1:]:
            first = self.label(["workflow", "states", initials[0]])
            self.error(_join("/workflow/states", index, "initial"),
                       f"{self.label(['workflow', 'states', index])} is marked initial, but so is "
                       f"{_lower(first)}: exactly one state may be initial.",
                       "workflow.several_initial_states")
        if not finals:
            self.error("/workflow/states", "No state is marked final: mark at least one state (where tickets end, "
                                           "e.g. closed) with \"final\": true.", "workflow.no_final_state")
        final_keys = {states[i]["key"] for i in finals if isinstance(states[i].get("key"), str)}
        non_final = [k for k in self.state_keys if k not in final_keys]
        edges: dict[str, set[str]] = {k: set() for k in self.state_keys}
        # With a transition whose from/to is malformed the graph is unknown: reachability would only guess.
        graph_known = True
        for index, transition in enumerate(transitions):
            if not isinstance(transition, dict):
                graph_known = False
                continue
            if not isinstance(transition.get("to"), str) or not (
                    transition.get("from") == "*" or (isinstance(transition.get("from"), list)
                                                      and all(isinstance(s, str) for s in transition["from"]))):
                graph_known = False
            name = self.label(["workflow", "transitions", index])
            to = transition.get("to")
            if isinstance(to, str) and to not in self.state_keys:
                self.error(_join("/workflow/transitions", index, "to"),
                           f"{name} goes to state '{_text(to)}', which does not exist."
                           f"{_did_you_mean(to, self.state_keys)}", "workflow.unknown_state")
            sources = transition.get("from")
            if sources == "*":
                origins = non_final
            else:
                origins = []
                for j, source in enumerate(_list(sources)):
                    if not isinstance(source, str):
                        continue
                    if source not in self.state_keys:
                        self.error(_join("/workflow/transitions", index, "from", j),
                                   f"{name} leaves from state '{_text(source)}', which does not exist."
                                   f"{_did_you_mean(source, self.state_keys)}", "workflow.unknown_state")
                    else:
                        origins.append(source)
            if isinstance(to, str) and to in self.state_keys:
                for origin in origins:
                    if origin != to:
                        edges[origin].add(to)
            scope = {k for k in _dict(transition.get("fields")) if isinstance(k, str)}
            for j, required in enumerate(_list(transition.get("require"))):
                if isinstance(required, str) and required not in self.fields and required not in scope \
                        and required != "comment":
                    self.error(_join("/workflow/transitions", index, "require", j),
                               f"{name} requires '{_text(required)}', which is neither a form field, nor one of the "
                               f"transition's own fields, nor 'comment'.{_did_you_mean(required, [*self.fields, *scope])}",
                               "workflow.unknown_field")
            for field_name, field_schema in _dict(transition.get("fields")).items():
                parts = ["workflow", "transitions", index, "fields", field_name]
                if field_name in RESERVED_FIELDS:
                    self.error(_pointer(parts), f"{name}: the field name '{field_name}' is reserved; rename the field.",
                               "workflow.reserved_field")
                elif field_name in self.fields:
                    self.warning(_pointer(parts), f"{name} asks again for '{_text(field_name)}', which the form already "
                                                  "has; the answer replaces the form's value.",
                                 "workflow.field_shadows_form")
                if isinstance(field_schema, dict):
                    self.check_json_schema(field_schema, parts)
                    self.schema_walk(field_schema, parts)
        if len(initials) == 1 and graph_known:
            start = states[initials[0]].get("key")
            if isinstance(start, str) and start in self.state_keys:
                reached = {start}
                queue = deque([start])
                while queue:
                    for target in edges[queue.popleft()]:
                        if target not in reached:
                            reached.add(target)
                            queue.append(target)
                for key, index in self.state_keys.items():
                    if key not in reached:
                        self.error(_join("/workflow/states", index),
                                   f"State '{_text(key)}' cannot be reached: no chain of transitions leads to it from the "
                                   f"initial state '{_text(start)}'.", "workflow.unreachable_state")
        for key, index in self.state_keys.items():
            if key not in final_keys and not edges[key]:
                self.warning(_join("/workflow/states", index),
                             f"State '{_text(key)}' has no way out: it is not final and no transition leaves it, so "
                             "tickets that reach it stay there.", "workflow.dead_end")

    # -- 7. priority and SLA

    def priority_and_sla_checks(self) -> None:
        levels = self.levels
        level_text = ", ".join(levels)
        priority = _dict(self.doc.get("priority"))

        def check_level(pointer: str, value: Any, what: str) -> None:
            if isinstance(value, str) and value not in levels:
                self.error(pointer, f"{what} {_show(value)}, which is not a priority level (the levels are "
                                    f"{level_text}).{_did_you_mean(value, levels)}", "priority.unknown_level")

        producible: set[str] = set()
        default = priority.get("default")
        check_level("/priority/default", default, "The default priority is")
        producible.add(default if isinstance(default, str) and default in levels else levels[-1])
        matrix = _dict(priority.get("matrix"))
        by = _list(matrix.get("by"))
        by_values: list[set[str] | None] = []
        for index, name in enumerate(by):
            values = None
            if isinstance(name, str):
                if name not in self.fields:
                    self.error(_join("/priority/matrix/by", index), f"The priority matrix uses the field "
                                                                    f"'{_text(name)}', which the form does not have."
                                                                    f"{_did_you_mean(name, self.fields)}",
                               "priority.matrix_field")
                else:
                    found = _enum_values(self.fields[name])
                    if found is None:
                        self.error(_join("/priority/matrix/by", index),
                                   f"The priority matrix uses the field '{_text(name)}', which has no fixed list of values; "
                                   "give the field an 'enum'.", "priority.matrix_field")
                    else:
                        values = {_value_text(v) for v in found}
            by_values.append(values)
        for key, value in _dict(matrix.get("cells")).items():
            pointer = _join("/priority/matrix/cells", key)
            check_level(pointer, value, f"The priority matrix cell '{_text(key)}' gives")
            if isinstance(value, str) and value in levels:
                producible.add(value)
            if key == "*" or not by:
                continue
            cell_parts = str(key).split("|")
            if len(cell_parts) != len(by):
                self.error(pointer, f"The priority matrix cell '{_text(key)}' needs {len(by)} part"
                                    f"{'s' if len(by) != 1 else ''} separated by '|' (one per field: "
                                    f"{'|'.join(str(b) for b in by)}), or is '*' alone.", "priority.matrix_cell")
                continue
            for part, name, values in zip(cell_parts, by, by_values, strict=True):
                if part != "*" and values is not None and part not in values:
                    self.error(pointer, f"The priority matrix cell '{_text(key)}': '{_text(part)}' is not a value of "
                                        f"the field '{name}' ({_names(sorted(values))}), nor '*'."
                                        f"{_did_you_mean(part, values)}", "priority.matrix_cell")
        shifts_up, shifts_down = 0, 0
        for index, override in enumerate(_list(priority.get("overrides"))):
            override = _dict(override)
            check_level(_join("/priority/overrides", index, "set"), override.get("set"),
                        f"Priority override {index + 1} sets")
            if isinstance(override.get("set"), str) and override["set"] in levels:
                producible.add(override["set"])
            for key in ("raise_by", "lower_by"):
                amount = override.get(key)
                if isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
                    amount = min(amount, len(levels))  # a shift past the ends stops there
                    if key == "raise_by":
                        shifts_up = max(shifts_up, amount)
                    else:
                        shifts_down = max(shifts_down, amount)
        for index, rule in enumerate(_list(self.doc.get("routing"))):
            value = _dict(rule).get("set_priority")
            check_level(_join("/routing", index, "set_priority"), value,
                        f"{self.label(['routing', index])} sets the priority")
            if isinstance(value, str) and value in levels:
                producible.add(value)
        policies = _list(self.doc.get("sla"))
        escalation_raises = any(_dict(step).get("raise_priority") is True
                                for policy in policies for step in _list(_dict(policy).get("escalate")))
        producible = _close_levels(levels, producible, shifts_up, shifts_down, escalation_raises)
        self.producible = producible
        self.sla_checks(policies, producible)

    def sla_checks(self, policies: list[Any], producible: set[str]) -> None:
        levels = self.levels
        catch_all: str | None = None
        for index, policy in enumerate(policies):
            if not isinstance(policy, dict):
                continue
            name = self.label(["sla", index])
            if catch_all is not None:
                self.warning(_join("/sla", index), f"{name} never applies: {catch_all} before it matches every "
                                                   "ticket (the first policy whose condition matches is used).",
                             "sla.unreachable_policy")
            if catch_all is None and ("when" not in policy or policy.get("when") is True):
                catch_all = _lower(name)
            targets = policy.get("targets")
            if isinstance(targets, dict):
                for level, target in targets.items():
                    pointer = _join("/sla", index, "targets", level)
                    if level not in levels:
                        self.error(pointer, f"{name} has targets for '{_text(level)}', which is not a priority level "
                                            f"(the levels are {', '.join(levels)}).{_did_you_mean(level, levels)}",
                                   "sla.unknown_level")
                    elif level not in producible:
                        self.error(pointer, f"No ticket can get priority {level}: no matrix cell, default, override, "
                                            f"routing rule or escalation produces it, so {name}'s targets for it never "
                                            "apply. Remove them, or make the priority reachable.",
                                   "sla.unreachable_level")
                    for metric, duration in _dict(target).items():
                        if _is_zero_duration(duration):
                            self.error(_join(pointer, metric), f"{name}: the {metric} target for {level} is zero; a "
                                                               "target must be longer than zero (e.g. PT15M).",
                                       "duration.zero")
                missing = [level for level in levels if level in producible and level not in targets]
                if missing:
                    these = f"priority {missing[0]}" if len(missing) == 1 else \
                        f"priorities {', '.join(missing[:-1])} and {missing[-1]}"
                    self.warning(_join("/sla", index, "targets"),
                                 f"{name} has no targets for {these}; tickets with {these} get no SLA clocks under "
                                 "this policy.", "sla.missing_level")
            for j, duration in enumerate(_list(policy.get("warn_before"))):
                if _is_zero_duration(duration):
                    self.error(_join("/sla", index, "warn_before", j),
                               f"{name}: a warning zero minutes before the breach is the breach itself; use a longer "
                               "duration, or an escalation step with after_breach PT0M.", "duration.zero")
            for j, state in enumerate(_list(policy.get("pause_in"))):
                if isinstance(state, str) and state not in self.state_keys and state not in STATE_CATEGORIES:
                    self.error(_join("/sla", index, "pause_in", j),
                               f"{name} pauses in '{_text(state)}', which is neither a state nor a status category "
                               f"({', '.join(STATE_CATEGORIES)}).{_did_you_mean(state, [*self.state_keys, *STATE_CATEGORIES])}",
                               "sla.unknown_state")

    # -- 8. references: fields, states, transitions, teams, roles, ticket types

    def reference_checks(self) -> None:
        catch_all: str | None = None
        for index, rule in enumerate(_list(self.doc.get("routing"))):
            rule = _dict(rule)
            name = self.label(["routing", index])
            if catch_all is not None:
                self.warning(_join("/routing", index), f"{name} never applies: {catch_all} before it matches every "
                                                       "ticket (the first matching routing rule wins).",
                             "routing.unreachable_rule")
            elif rule.get("when") is True:
                catch_all = _lower(name)
            self.check_assignment(rule.get("assign"), _join("/routing", index, "assign"), name or "")
            for j, notification in enumerate(_list(rule.get("notify"))):
                self.check_recipients(_dict(notification).get("to"), _join("/routing", index, "notify", j, "to"),
                                      name or "")
        for index, policy in enumerate(_list(self.doc.get("sla"))):
            for j, step in enumerate(_list(_dict(policy).get("escalate"))):
                step = _dict(step)
                where = self.label(["sla", index, "escalate", j]) or ""
                self.check_assignment(step.get("reassign"), _join("/sla", index, "escalate", j, "reassign"), where)
                self.check_recipients(step.get("notify"), _join("/sla", index, "escalate", j, "notify"), where)
        for index, transition in enumerate(self.transitions):
            transition = _dict(transition)
            name = self.label(["workflow", "transitions", index]) or ""
            if self.known_roles is not None:
                for j, role in enumerate(_list(transition.get("roles"))):
                    if isinstance(role, str) and role != "requester" and role not in self.known_roles:
                        self.warning(_join("/workflow/transitions", index, "roles", j),
                                     f"Role '{_text(role)}' does not exist yet; until an admin creates it, no one with "
                                     f"that role can take {_lower(name)}.", "role.unknown")
            scope = {k for k in _dict(transition.get("fields")) if isinstance(k, str)}
            for j, action in enumerate(_list(transition.get("actions"))):
                self.check_action(action, _join("/workflow/transitions", index, "actions", j),
                                  self.label(["workflow", "transitions", index, "actions", j]) or "", scope)
        for index, automation in enumerate(_list(self.doc.get("automations"))):
            automation = _dict(automation)
            name = self.label(["automations", index]) or ""
            self.check_trigger(automation, index, name)
            scope = self.automation_scope(automation)
            for j, action in enumerate(_list(automation.get("do"))):
                self.check_action(action, _join("/automations", index, "do", j),
                                  self.label(["automations", index, "do", j]) or "", scope)

    def automation_scope(self, automation: dict[str, Any]) -> set[str]:
        """The transition fields an automation may read: those of the transition it runs after, if one."""
        key = automation.get("transition")
        if automation.get("on") != "transitioned" or not isinstance(key, str) or key not in self.transition_keys:
            return set()
        return {k for k in _dict(_dict(self.transitions[self.transition_keys[key]]).get("fields")) if isinstance(k, str)}

    def check_trigger(self, automation: dict[str, Any], index: int, name: str) -> None:
        trigger = automation.get("on")
        uses = {"field": "field_changed", "transition": "transitioned", "state": "elapsed", "after": "elapsed"}
        for key, needs in uses.items():
            if key in automation and isinstance(trigger, str) and trigger != needs:
                self.warning(_join("/automations", index, key), f"{name}: '{key}' is used only with \"on\": "
                                                                f"\"{needs}\"; it has no effect here.",
                             "automation.unused_key")
        value = automation.get("field")
        if trigger == "field_changed" and isinstance(value, str) and value not in self.fields \
                and value not in self.transition_fields:
            self.error(_join("/automations", index, "field"), f"{name} watches the field '{_text(value)}', which the form "
                                                              f"does not have.{_did_you_mean(value, self.fields)}",
                       "automation.unknown_field")
        value = automation.get("transition")
        if trigger == "transitioned" and isinstance(value, str) and value not in self.transition_keys:
            self.error(_join("/automations", index, "transition"),
                       f"{name} runs after transition '{_text(value)}', which does not exist."
                       f"{_did_you_mean(value, self.transition_keys)}", "automation.unknown_transition")
        value = automation.get("state")
        if trigger == "elapsed" and isinstance(value, str) and value not in self.state_keys:
            self.error(_join("/automations", index, "state"), f"{name} waits in state '{_text(value)}', which does not "
                                                              f"exist.{_did_you_mean(value, self.state_keys)}",
                       "automation.unknown_state")

    def check_action(self, action: Any, pointer: str, where: str, scope: set[str]) -> None:
        action = _dict(action)
        kind = action.get("do")
        if kind == "assign":
            self.check_assignment(action, pointer, where)
        elif kind == "notify":
            self.check_recipients(action.get("to"), _join(pointer, "to"), where)
        elif kind == "set":
            for name in _dict(action.get("fields")):
                if name not in self.fields and name not in scope and name not in self.transition_fields:
                    self.error(_join(pointer, "fields", name), f"{where} sets the field '{_text(name)}', which the form "
                                                               f"does not have.{_did_you_mean(name, self.fields)}",
                               "action.unknown_field")
        elif kind == "create_child":
            child = action.get("type")
            if (self.known_types is not None and isinstance(child, str) and child not in self.known_types
                    and child != self.doc.get("key")):
                self.warning(_join(pointer, "type"), f"Ticket type '{_text(child)}' does not exist yet; {_lower(where)} "
                                                     "cannot create its child ticket until that type is published.",
                             "type.unknown")

    def check_assignment(self, assignment: Any, pointer: str, where: str) -> None:
        if not isinstance(assignment, dict):
            return
        if assignment.get("strategy") == "fixed" and not assignment.get("user"):
            self.error(_join(pointer, "strategy"), f"{where}: the strategy 'fixed' needs a 'user' (an email) to assign "
                                                   "to.", "assignment.fixed_without_user")
        team = assignment.get("team")
        if self.known_teams is not None and isinstance(team, str) and team not in self.known_teams:
            self.warning(_join(pointer, "team"), f"Team '{_text(team)}' does not exist yet; until an admin creates it, "
                                                 f"tickets that {_lower(where)} sends there wait in a queue "
                                                 f"no one works.{_did_you_mean(team, self.known_teams)}", "team.unknown")

    def check_recipients(self, recipients: Any, pointer: str, where: str) -> None:
        if self.known_roles is None:
            return
        for index, recipient in enumerate(_list(recipients)):
            if isinstance(recipient, str) and recipient.startswith("role:"):
                role = recipient[5:]
                if role not in self.known_roles:
                    self.warning(_join(pointer, index), f"Role '{_text(role)}' does not exist yet; {_lower(where)} "
                                                        "notifies no one through it until an admin creates it.",
                                 "role.unknown")

    # -- charts

    def chart_checks(self) -> None:
        seen: dict[str, int] = {}
        for index, chart in enumerate(_list(self.doc.get("charts"))):
            if not isinstance(chart, dict):
                continue
            name = self.label(["charts", index]) or ""
            key = chart.get("key")
            if isinstance(key, str):
                if key in seen:
                    self.error(_join("/charts", index, "key"), f"Chart key '{_text(key)}' is used twice: charts "
                                                               f"{seen[key] + 1} and {index + 1}.", "chart.duplicate")
                else:
                    seen[key] = index
            checked = chart.get("source", "tickets") == "tickets"
            for j, dimension in enumerate(_list(chart.get("dimensions"))):
                if checked and isinstance(dimension, str) and not self.chart_field_exists(dimension):
                    self.error(_join("/charts", index, "dimensions", j),
                               f"{name} groups by '{_text(dimension)}', which is neither a form field nor a ticket "
                               f"attribute.{_did_you_mean(dimension, [*self.fields, *TICKET_PATHS])}", "chart.unknown_field")
            for j, measure in enumerate(_list(chart.get("measures"))):
                if not isinstance(measure, dict):
                    continue
                label = self.label(["charts", index, "measures", j])
                aggregate, target = measure.get("agg"), measure.get("field")
                if aggregate in NUMERIC_AGGREGATES and "field" not in measure:
                    self.error(_join("/charts", index, "measures", j), f"{label}: '{aggregate}' needs a 'field' to "
                                                                       "aggregate.", "chart.measure_field")
                if not isinstance(target, str) or not checked:
                    continue
                if not self.chart_field_exists(target):
                    self.error(_join("/charts", index, "measures", j, "field"),
                               f"{label} uses '{_text(target)}', which is neither a form field nor a ticket attribute."
                               f"{_did_you_mean(target, [*self.fields, *TICKET_PATHS])}", "chart.unknown_field")
                elif aggregate in NUMERIC_AGGREGATES and target in self.fields:
                    kind = _dict(self.fields[target]).get("type")
                    if isinstance(kind, str) and kind not in ("number", "integer"):
                        self.warning(_join("/charts", index, "measures", j, "field"),
                                     f"{label} computes '{aggregate}' of '{_text(target)}', which is not a number field.",
                                     "chart.measure_not_numeric")

    def chart_field_exists(self, path: str) -> bool:
        head, _, rest = path.partition(".")
        if head in self.fields:
            return True
        if head == "ticket" and rest:
            problem = _ticket_path_problem(rest)
            return problem is None or (problem.startswith("data.") and problem[5:] in self.fields)
        return _ticket_path_problem(path) is None and head != "data"


# --- pieces used by the checks -------------------------------------------------------------------------------------

_SIMPLE_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})


def _is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _is_count(value: Any) -> bool:
    return type(value) is int and value >= 0


def _is_type(value: Any) -> bool:
    if type(value) is str:
        return value in _SIMPLE_TYPES
    return (type(value) is list and bool(value) and all(type(v) is str and v in _SIMPLE_TYPES for v in value)
            and len(set(value)) == len(value))


def _is_names(value: Any) -> bool:
    return type(value) is list and all(type(v) is str for v in value) and len(set(value)) == len(value)


def _is_regex(value: Any) -> bool:
    return type(value) is str and FORM_META_VALIDATOR.format_checker.conforms(value, "regex")


# Keyword -> a test that its value is certainly what the JSON Schema 2020-12 meta-schema allows. Keywords that
# hold subschemas are handled in _plainly_valid; any other keyword sends the schema to the real meta-schema.
_PLAIN_KEYWORDS: dict[str, Any] = {
    "type": _is_type,
    "title": lambda v: type(v) is str, "description": lambda v: type(v) is str, "$comment": lambda v: type(v) is str,
    "format": lambda v: type(v) is str, "contentMediaType": lambda v: type(v) is str,
    "contentEncoding": lambda v: type(v) is str,
    "pattern": _is_regex,
    "enum": lambda v: type(v) is list, "examples": lambda v: type(v) is list,
    "const": lambda v: True, "default": lambda v: True,
    "minLength": _is_count, "maxLength": _is_count, "minItems": _is_count, "maxItems": _is_count,
    "minProperties": _is_count, "maxProperties": _is_count, "minContains": _is_count, "maxContains": _is_count,
    "minimum": _is_number, "maximum": _is_number, "exclusiveMinimum": _is_number, "exclusiveMaximum": _is_number,
    "multipleOf": lambda v: _is_number(v) and v > 0,
    "uniqueItems": lambda v: type(v) is bool, "readOnly": lambda v: type(v) is bool,
    "writeOnly": lambda v: type(v) is bool, "deprecated": lambda v: type(v) is bool,
    "required": _is_names,
}


def _plainly_valid(schema: Any, depth: int = 0) -> bool:
    """True only when `schema` is certainly a valid JSON Schema 2020-12: it uses only common keywords, each with
    a value of the right kind. False means "ask the meta-schema", not "invalid". A test checks that everything
    this accepts, the meta-schema accepts too."""
    if schema is True or schema is False:
        return True
    if type(schema) is not dict or depth > 8:
        return False
    for key, value in schema.items():
        test = _PLAIN_KEYWORDS.get(key)
        if test is not None:
            if not test(value):
                return False
        elif key in ("items", "additionalProperties", "not"):
            if not _plainly_valid(value, depth + 1):
                return False
        elif key == "properties":
            if type(value) is not dict or not all(_plainly_valid(sub, depth + 1) for sub in value.values()):
                return False
        elif key in ("allOf", "anyOf", "oneOf"):
            if type(value) is not list or not value or not all(_plainly_valid(sub, depth + 1) for sub in value):
                return False
        else:
            return False
    return True


def _title(item: Any, key: str, index: int) -> str:
    """How messages name a list item: by its key or name in quotes, else by its position from 1."""
    value = _dict(item).get(key)
    return f"'{_text(value)}'" if isinstance(value, str) and value else str(index + 1)


def _lower(text: str | None) -> str:
    """A label used inside a sentence: "Transition 'x'" becomes "transition 'x'" (SLA stays SLA)."""
    if not text:
        return ""
    return text if text[:3] == "SLA" else text[0].lower() + text[1:]


def _subject(parts: list[Any]) -> str:
    """How to name the value at a location in a sentence: 'roles', item 2 of 'from', the definition."""
    if not parts:
        return "The definition"
    last = parts[-1]
    if isinstance(last, int):
        if len(parts) >= 2 and isinstance(parts[-2], str):
            return f"Item {last + 1} of '{_text(parts[-2])}'"
        return f"Item {last + 1}"
    return f"'{_text(last)}'"


def _safe_first_duplicate(items: list[Any]) -> int | None:
    try:
        return first_duplicate(items)
    except (TypeError, RecursionError):
        return None


def _keyword_message(keyword: str, error: Any, instance: Any, schema: dict[str, Any], subject: str,
                     size: int | None = None) -> tuple[str, str]:
    """A sentence for a single-keyword jsonschema error, and its code. `size` is the real length of a list or
    object that was shortened before checking."""
    value = error.validator_value
    code = f"schema.{keyword}"
    if size is None and isinstance(instance, list | dict):
        size = len(instance)
    if keyword == "type":
        kinds = [value] if isinstance(value, str) else _list(value)
        expected = " or ".join(_JSON_TYPES.get(k, str(k)) for k in kinds)
        return f"{subject} must be {expected}, not {_found(instance)}.", code
    if keyword == "enum":
        options = _list(value)
        return (f"{_show(instance)} is not a valid choice for {_lower(subject)}; use one of: "
                f"{_names(_show(o) for o in options)}.{_did_you_mean(instance, options)}", code)
    if keyword == "const":
        return f"{subject} must be {_show(value)}, not {_show(instance)}.", code
    if keyword == "pattern":
        hint = schema.get("x-error")
        if isinstance(hint, str):
            return f"{_show(instance)} is not valid for {_lower(subject)}. {hint}", code
        return f"{_show(instance)} is not valid for {_lower(subject)}: it must match {value}.", code
    if keyword == "format":
        if value == "regex":
            return f"{_show(instance)} is not a valid regular expression.", code
        return f"{_show(instance)} is not a valid {value}.", code
    if keyword == "minLength":
        if value == 1:
            return f"{subject} must not be empty.", code
        return f"{subject} must be at least {value} characters long.", code
    if keyword == "maxLength":
        return f"{subject} is too long: at most {value} characters are allowed.", code
    if keyword == "minItems":
        if value == 1:
            return f"{subject} needs at least one item.", code
        return f"{subject} needs at least {value} items.", code
    if keyword == "maxItems":
        return f"{subject} has {size:,} items; at most {value:,} are allowed.", code
    if keyword == "minProperties":
        if value == 1:
            return f"{subject} must not be empty.", code
        return f"{subject} needs at least {value} entries.", code
    if keyword == "maxProperties":
        return f"{subject} has {size:,} entries; at most {value:,} are allowed.", code
    if keyword == "uniqueItems":
        duplicate = _safe_first_duplicate(instance) if isinstance(instance, list) else None
        if duplicate is not None:
            return f"{_show(instance[duplicate])} is listed twice.", code
        return f"{subject} lists something twice.", code
    if keyword == "minimum":
        return f"{subject} must be at least {value}.", code
    if keyword == "maximum":
        return f"{subject} must be at most {value}.", code
    if keyword == "exclusiveMinimum":
        return f"{subject} must be greater than {value}.", code
    if keyword == "exclusiveMaximum":
        return f"{subject} must be less than {value}.", code
    if keyword == "multipleOf":
        return f"{subject} must be a multiple of {value}.", code
    return f"{subject}: {_text(error.message, 300)}", code


def _close_levels(levels: list[str], start: set[str], up: int, down: int, escalation: bool) -> set[str]:
    """The levels a ticket can end up with: the starting set, closed under shifts by overrides (by up to their
    amount, clamped at the ends) and under escalation (one level more urgent, repeatedly)."""
    index = {level: i for i, level in enumerate(levels)}
    reached = {index[level] for level in start if level in index}
    changed = True
    while changed:
        changed = False
        for i in list(reached):
            more = set()
            for step in range(1, up + 1):
                more.add(max(0, i - step))
            for step in range(1, down + 1):
                more.add(min(len(levels) - 1, i + step))
            if escalation:
                more.add(max(0, i - 1))
            if not more <= reached:
                reached |= more
                changed = True
    return {levels[i] for i in reached}


def _ticket_path_problem(path: str) -> str | None:
    """None when `ticket.<path>` is a documented attribute. "data.<field>" when it reads the form data (the caller
    checks the field); any other string when it is unknown."""
    segments = path.split(".")
    if segments[0] == "data":
        return None if len(segments) == 1 else f"data.{segments[1]}"
    for n in range(len(segments), 0, -1):
        prefix = ".".join(segments[:n])
        if prefix in TICKET_PATHS:
            extra = segments[n:]
            if not extra:
                return None
            has_children = any(a.startswith(prefix + ".") for a in TICKET_PATHS)
            if not has_children and all(s.isascii() and s.isdigit() for s in extra):
                return None  # an index into a list attribute, e.g. requester.tags.0
            return path
    return path


def _rule_names(rule: Any, base: str) -> Iterator[tuple[str, str, str]]:
    """Walk a rule without recursion and yield ("var", name, pointer) for every literal variable name that
    refers to the data (not to an element inside map/filter/all/some/none/reduce), and ("operator", name,
    pointer) for every operator that does not exist. Numbers, "" and computed names are skipped."""
    allowed = _ALLOWED_OPERATORS
    stack: list[tuple[Any, str, int, bool]] = [(rule, base, 0, False)]
    while stack:
        node, pointer, depth, element = stack.pop()
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, list):
            stack.extend((item, f"{pointer}/{i}", depth + 1, element) for i, item in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, dict):
            continue
        if len(node) != 1:  # not a rule (the engine says so); still look inside, and name forbidden operators
            for key, item in node.items():
                if allowed is not None and key not in allowed:
                    yield "operator", str(key), f"{pointer}/{_escape(key)}"
                stack.append((item, f"{pointer}/{_escape(key)}", depth + 1, element))
            continue
        ((op, raw),) = node.items()
        op_pointer = f"{pointer}/{_escape(op)}"
        if allowed is not None and op not in allowed:
            yield "operator", str(op), op_pointer
        args = [(arg, f"{op_pointer}/{i}") for i, arg in enumerate(raw)] if isinstance(raw, list) else [(raw, op_pointer)]
        pending: list[tuple[Any, str, int, bool]] = []
        if op == "var":
            if args:
                name, name_pointer = args[0]
                if isinstance(name, str):
                    if name and not element:
                        yield "var", name, pointer
                else:
                    pending.append((name, name_pointer, depth + 1, element))
                pending.extend((arg, p, depth + 1, element) for arg, p in args[1:])
        elif op in ("missing", "missing_some"):
            names_at = 1 if op == "missing_some" else 0
            if op == "missing" and args and isinstance(args[0][0], list):
                names = [(n, f"{args[0][1]}/{i}") for i, n in enumerate(args[0][0])]
                others = args[1:]
            elif op == "missing":
                names, others = args, []
            elif len(args) > 1 and isinstance(args[1][0], list):
                names = [(n, f"{args[1][1]}/{i}") for i, n in enumerate(args[1][0])]
                others = [a for i, a in enumerate(args) if i != names_at]
            else:
                names, others = [], args
            for name, name_pointer in names:
                if isinstance(name, str):
                    if name and not element:
                        yield "var", name, name_pointer
                else:
                    pending.append((name, name_pointer, depth + 1, element))
            pending.extend((arg, p, depth + 1, element) for arg, p in others)
        elif op in _ELEMENT_OPERATORS:
            for i, (arg, p) in enumerate(args):
                pending.append((arg, p, depth + 1, element or i == 1))
        else:
            pending.extend((arg, p, depth + 1, element) for arg, p in args)
        stack.extend(reversed(pending))
