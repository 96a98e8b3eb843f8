"""What every check shares: limits, the names a definition may use, and small helpers for messages and
for reading a possibly invalid document."""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from designer.format.document import (
    FORM_META_VALIDATOR,
    first_duplicate,
)
from runtime.rules import logic, texts
from runtime.rules.context import TICKET_ATTRIBUTES
from runtime.rules.i18n import DEFAULT_LOCALE

log = logging.getLogger(__name__)

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

# The sentences of the messages are runtime.rules.texts's "check.*" sentences, in the reader's language: the one
# validate_definition was given, set here for the time of one validation (every helper below reads it).
LOCALE: ContextVar[str] = ContextVar("validation_locale", default=DEFAULT_LOCALE)
INTERNAL_ERROR = "check.internal"  # the sentence
DEFAULT_LEVELS = ("P1", "P2", "P3", "P4")
STATE_CATEGORIES = ("new", "open", "pending", "resolved", "closed")
RESERVED_FIELDS = ("ticket", "comment", "i18n")
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


def _say(sentence: str, /, **params: Any) -> str:
    """The sentence `sentence` (a check.* key) of runtime.rules.texts in the reader's language, filled with `params`."""
    return texts.say(sentence, LOCALE.get(), **params)


def _zh() -> bool:
    return LOCALE.get() == "zh-CN"


def _quote(text: Any) -> str:
    """A name quoted in running text: 'x' / “x”."""
    return texts.quote(str(text), LOCALE.get())


def _show(value: Any) -> str:
    """A short rendering of a value for a message."""
    if isinstance(value, str):
        return _quote(_text(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return _text(repr(value))
    if isinstance(value, list):
        return _say("check.value.empty_list") if not value else _say("check.value.list", count=len(value),
                                                                 s="s" if len(value) != 1 else "")
    if isinstance(value, dict):
        return _say("check.value.empty_object") if not value else _say("check.value.object")
    return _say("check.value.other", kind=type(value).__name__)


def _names(values: Iterable[Any], limit: int = 30) -> str:
    items = [str(v) for v in values]
    shown = texts.join(items[:limit], LOCALE.get())
    return shown + (_say("check.more", count=len(items) - limit) if len(items) > limit else "")


def _choices(values: Iterable[Any], conjunction: str = "or") -> str:
    items = [_quote(v) for v in values]
    if len(items) <= 1:
        return "".join(items)
    return texts.join(items[:-1], LOCALE.get()) + _say(f"check.conjunction.{conjunction}") + items[-1]


def _did_you_mean(word: Any, candidates: Iterable[Any]) -> str:
    if not isinstance(word, str) or not word or len(word) > 100:
        return ""
    # A ratio of 0.75 needs the shorter name to be at least 0.6 times the longer: filtering on that first keeps
    # this cheap with 1,000 candidates, and loses no match.
    options = [c for c in candidates if isinstance(c, str) and 5 * min(len(c), len(word)) >= 3 * max(len(c), len(word))]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.75)
    return _say("check.did_you_mean", name=close[0]) if close else ""


def _hint(text: str) -> str:
    """A hint of the definition's meta-schema ("x-error", "description") in the reader's language: the check.hint.*
    sentence whose English it is (the text itself when there is none)."""
    for key, by_locale in texts.SENTENCES.items():
        if key.startswith("check.hint.") and by_locale["en"] == text:
            return by_locale.get(LOCALE.get(), text)
    return text


_JSON_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")


def _json_type(kind: str) -> str:
    """What a JSON type is called in a message: 'a list', 'a whole number' …"""
    return _say(f"check.type.{kind}") if kind in _JSON_TYPES else kind


def _or(items: Iterable[str]) -> str:
    return texts.either(items, LOCALE.get())


def _found(value: Any) -> str:
    if isinstance(value, bool):
        return _json_type("boolean")
    if isinstance(value, str):
        return _json_type("string")
    if isinstance(value, int | float):
        return _json_type("number")
    if value is None:
        return "null"
    if isinstance(value, list):
        return _json_type("array")
    if isinstance(value, dict):
        return _json_type("object")
    return _say("check.value.other", kind=type(value).__name__)


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
    "i18n": lambda v: True,  # translations (checked by designer.validation.i18n); any keyword is valid JSON Schema
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
    if isinstance(value, str) and value:
        return _quote(_text(value))
    return f" {index + 1}" if _zh() else str(index + 1)  # 路由规则 2


def _lower(text: str | None) -> str:
    """A label used inside a sentence: "Transition 'x'" becomes "transition 'x'" (SLA stays SLA)."""
    if not text:
        return ""
    return text if text[:3] == "SLA" else text[0].lower() + text[1:]


def _subject(parts: list[Any]) -> str:
    """How to name the value at a location in a sentence: 'roles', item 2 of 'from', the definition."""
    if not parts:
        return _say("check.subject.definition")
    last = parts[-1]
    if isinstance(last, int):
        if len(parts) >= 2 and isinstance(parts[-2], str):
            return _say("check.subject.item_of", n=last + 1, name=_text(parts[-2]))
        return _say("check.subject.item", n=last + 1)
    return _quote(_text(last))


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
    say = _say
    lower = _lower(subject)
    if keyword == "type":
        kinds = [value] if isinstance(value, str) else _list(value)
        return say("check.schema.type", subject=subject, expected=_or(_json_type(str(k)) for k in kinds),
                   found=_found(instance)), code
    if keyword == "enum":
        options = _list(value)
        return (say("check.schema.enum", value=_show(instance), subject=lower, options=_names(_show(o) for o in options))
                + _did_you_mean(instance, options), code)
    if keyword == "const":
        return say("check.schema.const", subject=subject, expected=_show(value), value=_show(instance)), code
    if keyword == "pattern":
        hint = schema.get("x-error")
        if isinstance(hint, str):
            return say("check.schema.pattern_hint", value=_show(instance), subject=lower, hint=_hint(hint)), code
        return say("check.schema.pattern", value=_show(instance), subject=lower, pattern=value), code
    if keyword == "format":
        if value == "regex":
            return say("check.schema.regex", value=_show(instance)), code
        return say("check.schema.format", value=_show(instance), format=value), code
    if keyword in ("minLength", "minProperties") and value == 1:
        return say("check.schema.empty", subject=subject), code
    if keyword == "minItems" and value == 1:
        return say("check.schema.min_items_one", subject=subject), code
    if keyword in ("minLength", "maxLength", "minItems", "minProperties", "minimum", "maximum", "exclusiveMinimum",
                   "exclusiveMaximum", "multipleOf"):
        return say(f"check.schema.{keyword}", subject=subject, value=value), code
    if keyword in ("maxItems", "maxProperties"):
        return say(f"check.schema.{keyword}", subject=subject, size=f"{size:,}", value=f"{value:,}"), code
    if keyword == "uniqueItems":
        duplicate = _safe_first_duplicate(instance) if isinstance(instance, list) else None
        if duplicate is not None:
            return say("check.schema.twice", value=_show(instance[duplicate])), code
        return say("check.schema.unique", subject=subject), code
    return say("check.labelled", label=subject, text=_text(error.message, 300)), code


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


class _Site:
    """A place that holds a rule: its pointer, a description for messages, and the extra fields it may read."""

    __slots__ = ("pointer", "rule", "scope", "where")

    def __init__(self, pointer: str, rule: Any, where: str, scope: frozenset[str] = frozenset()) -> None:
        self.pointer = pointer
        self.rule = rule
        self.where = where
        self.scope = scope
