"""Pure decisions over a definition: form validation with field rules, priority, routing, SLA policy.

No database here: a definition (a published version's document, or a draft that passed
validation) plus data in, an outcome out. The runtime uses these to run tickets and the
designer uses the same functions to simulate a draft, so a simulation can never disagree
with what the runtime would do.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from jsonschema import FormatChecker

from runtime.rules import texts
from runtime.rules.context import rule_context
from runtime.rules.i18n import DEFAULT_LOCALE
from runtime.rules.labels import Labels, options_of
from runtime.rules.logic import CompiledRule, compile_rule
from runtime.rules.schema_keywords import FormValidator
from runtime.rules.values import RuleError, truthy

DEFAULT_LEVELS = ("P1", "P2", "P3", "P4")
_NO_DEFAULT = object()

_format_checker = FormatChecker()


@_format_checker.checks("attachment")
def _is_attachment_reference(value: object) -> bool:
    """Form fields with format 'attachment' hold attachment ids (strings), never file contents."""
    return not isinstance(value, str) or (0 < len(value) <= 64 and value.isprintable())


@dataclass(frozen=True)
class RuleOutcome:
    """The result of evaluating one rule: its value, or the error that stopped it (treated as false)."""

    matched: bool
    error: str | None = None


def _run(rule: CompiledRule, context: dict[str, Any], now: Any = None) -> RuleOutcome:
    try:
        return RuleOutcome(truthy(rule(context, now=now)))
    except RuleError as error:
        return RuleOutcome(False, error.message)


@dataclass
class FieldState:
    visible: list[str]
    hidden: list[str]
    required: list[str]
    readonly: list[str] = field(default_factory=list)


@dataclass
class PriorityOutcome:
    """The level, the steps as one line each, and the same as data: `base` is what the matrix (the cell, and the
    values it matched) or the default gave; `overrides` has every override in order, matched or not, with the
    level before and after it; `decided_by` is the last of them that set the level."""

    level: str
    steps: list[str] = field(default_factory=list)
    base: dict[str, Any] = field(default_factory=dict)
    overrides: list[dict[str, Any]] = field(default_factory=list)
    decided_by: dict[str, Any] = field(default_factory=dict)


@dataclass
class RoutingOutcome:
    index: int | None
    rule: dict[str, Any] | None
    trace: list[dict[str, Any]]


@dataclass
class SlaOutcome:
    index: int | None
    policy: dict[str, Any] | None
    targets: dict[str, str] | None
    trace: list[dict[str, Any]]


class CompiledDefinition:
    """A definition with its form validator built and every rule compiled, once."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        form = document.get("form", {})
        schema = copy.deepcopy(form.get("schema", {"type": "object"}))
        # "required" is checked separately, because field rules add and remove requirements.
        self.base_required: list[str] = list(schema.pop("required", []))
        self.fields: list[str] = list(schema.get("properties", {}))
        self.defaults = {name: prop["default"] for name, prop in schema.get("properties", {}).items()
                         if isinstance(prop, dict) and "default" in prop}
        # A form takes only the fields it declares, unless the designer says otherwise at the top of its schema
        # (`additionalProperties`, `unevaluatedProperties` or `patternProperties`: then the schema decides).
        self.closed = not {"additionalProperties", "unevaluatedProperties", "patternProperties"} & schema.keys()
        self.validator = FormValidator(schema, format_checker=_format_checker)
        self.field_rules = [(compile_rule(rule["when"]), rule) for rule in form.get("field_rules", [])]
        self.conditional = {name for rule in form.get("field_rules", []) for name in rule.get("show", [])}

        priority = document.get("priority", {})
        self.levels: list[str] = list(priority.get("levels", DEFAULT_LEVELS))
        self.default_level: str = priority.get("default", self.levels[-1])
        self.matrix = priority.get("matrix")
        self.overrides = [(compile_rule(o["when"]), o) for o in priority.get("overrides", [])]
        self.routing = [(compile_rule(r["when"]), r) for r in document.get("routing", [])]
        self.sla = [(compile_rule(p.get("when", True)), p) for p in document.get("sla", [])]
        self.automations = [(compile_rule(a.get("when", True)), a) for a in document.get("automations", [])]
        workflow = document.get("workflow", {})
        self.states = {state["key"]: state for state in workflow.get("states", [])}
        self.initial_state = next((s["key"] for s in workflow.get("states", []) if s.get("initial")), None)
        self._labels: dict[str, Labels] = {}

    @cached_property
    def _read_paths(self) -> tuple[frozenset[str], bool]:
        """The dotted paths every ``{"var": …}`` of the document names, and whether any names its path only
        when evaluated (a computed or whole-context ``var``): then any value may be read."""
        paths: set[str] = set()
        dynamic = False
        stack: list[Any] = [self.document]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if len(node) == 1 and "var" in node:
                    arg = node["var"]
                    first = arg[0] if isinstance(arg, list) and arg else arg
                    if isinstance(first, str) and first:
                        paths.add(first)
                    elif isinstance(first, int | float) and not isinstance(first, bool):
                        paths.add(str(first))
                    else:
                        dynamic = True
                elif len(node) == 1 and ("missing" in node or "missing_some" in node):  # they read the paths they name
                    args = node.get("missing", node.get("missing_some"))
                    args = args if isinstance(args, list) else [args]
                    names = args[1] if "missing_some" in node and len(args) > 1 else args
                    names = names[0] if "missing" in node and names and isinstance(names[0], list) else names
                    for name in names if isinstance(names, list) else [names]:
                        if isinstance(name, str) and name:
                            paths.add(name)
                        else:
                            dynamic = True
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        return frozenset(paths), dynamic

    def may_read(self, path: str) -> bool:
        """Whether a rule of this definition may read the context's value at the dotted `path` (or a part of it,
        or a value that holds it): facts that cost a query are computed only for definitions that may read them."""
        paths, dynamic = self._read_paths
        return dynamic or any(p == path or p.startswith(path + ".") or path.startswith(p + ".") for p in paths)

    def labels(self, locale: str) -> Labels:
        """The definition's display texts for a reader of `locale` (built once per locale)."""
        found = self._labels.get(locale)
        if found is None:
            found = self._labels[locale] = Labels(self.document, locale)
        return found

    # ------------------------------------------------------------------ form

    def field_state(self, context: dict[str, Any], now: Any = None) -> FieldState:
        shown: set[str] = set()
        hidden: set[str] = set()
        required = set(self.base_required)
        readonly: set[str] = set()
        for rule, spec in self.field_rules:
            if _run(rule, context, now).matched:
                shown.update(spec.get("show", ()))
                hidden.update(spec.get("hide", ()))
                required.update(spec.get("require", ()))
                readonly.update(spec.get("readonly", ()))
        hidden |= self.conditional - shown
        visible = [name for name in self.fields if name not in hidden]
        return FieldState(visible=visible, hidden=[n for n in self.fields if n in hidden],
                          required=[n for n in self.fields if n in required and n not in hidden],
                          readonly=[n for n in self.fields if n in readonly and n not in hidden])

    def validate_data(self, data: Any, ticket: dict[str, Any], now: Any = None, locale: str = DEFAULT_LOCALE,
                      tolerated: Any = (), before: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[dict[str, str]]]:
        """Check form data; returns the data without hidden fields, and every error with its JSON pointer, its
        message in `locale` (the reader's: field titles and sentence alike). A name the form does not declare
        is an error (unless the schema allows others), except those in `tolerated`: a ticket keeps what it
        already holds from before this rule.

        Read-only rules: `before` is the ticket's data before an edit (None: a new ticket). A field may not change
        while a rule makes it read-only, as the ticket stood before the edit or as it would be after it; on a new
        ticket, a field read-only for the data sent may only be left empty or at its default."""
        if not isinstance(data, dict):
            return {}, [{"path": "", "message": texts.say("form.not_object", locale)}]
        data = normalize_data(data)
        labels = self.labels(locale)
        state = self.field_state(rule_context(data, ticket), now)
        cleaned = {k: v for k, v in data.items() if k not in state.hidden}
        errors = [{"path": _pointer(error.absolute_path), "message": error_message(error, locale, labels)}
                  for error in self.validator.iter_errors(cleaned)]
        if self.closed:
            declared = set(self.fields).union(tolerated)
            errors += [{"path": _pointer([name]), "message": texts.say("form.unknown_field", locale, name=name[:100])}
                       for name in cleaned if name not in declared]
        for name in state.required:
            if _is_empty(cleaned.get(name)):
                errors.append({"path": f"/{name}", "message": texts.say("form.required", locale,
                                                                        title=labels.field_title(name))})
        errors += [{"path": f"/{name}", "message": texts.say("form.readonly", locale, title=labels.field_title(name))}
                   for name in self.readonly_changes(cleaned, state, ticket, before, now)]
        errors.sort(key=lambda e: e["path"])
        return cleaned, errors

    def readonly_changes(self, cleaned: dict[str, Any], state: FieldState, ticket: dict[str, Any],
                         before: dict[str, Any] | None, now: Any = None) -> list[str]:
        """The fields `cleaned` changes although a rule makes them read-only (see ``validate_data``)."""
        if not any(spec.get("readonly") for _, spec in self.field_rules):
            return []
        if before is None:
            return [name for name in state.readonly
                    if name in cleaned and cleaned[name] != self.defaults.get(name, _NO_DEFAULT)]
        locked = set(state.readonly) | set(self.field_state(rule_context(before, ticket), now).readonly)
        return [name for name in self.fields
                if name in locked and name not in state.hidden and cleaned.get(name) != before.get(name)]

    # ------------------------------------------------------------------ priority, routing, SLA

    def priority(self, context: dict[str, Any], now: Any = None) -> PriorityOutcome:
        base: dict[str, Any] = {"by": "default", "level": self.default_level}
        outcome = PriorityOutcome(self.default_level, [f"default {self.default_level}"])
        if self.matrix:
            values = [context.get(name) for name in self.matrix["by"]]
            cell = _matrix_cell(self.matrix["cells"], values)
            if cell is not None:
                outcome = PriorityOutcome(self.matrix["cells"][cell], [f"matrix {cell!r} gives {self.matrix['cells'][cell]}"])
                base = {"by": "matrix", "cell": cell, "fields": list(self.matrix["by"]), "values": values,
                        "level": outcome.level}
        outcome.base, outcome.decided_by = base, base
        for index, (rule, spec) in enumerate(self.overrides):
            result = _run(rule, context, now)
            effect = next(key for key in ("set", "raise_by", "lower_by") if key in spec)
            entry: dict[str, Any] = {"by": "override", "index": index, "effect": effect, "amount": spec[effect],
                                     "matched": result.matched, **({"error": result.error} if result.error else {})}
            outcome.overrides.append(entry)
            if not result.matched:
                continue
            position = self.levels.index(outcome.level) if outcome.level in self.levels else len(self.levels) - 1
            entry["from"] = outcome.level
            if effect == "set":
                outcome.level = spec["set"]
            elif effect == "raise_by":
                outcome.level = self.levels[max(0, position - spec["raise_by"])]
            else:
                outcome.level = self.levels[min(len(self.levels) - 1, position + spec["lower_by"])]
            entry["to"] = outcome.level
            outcome.decided_by = entry
            outcome.steps.append(f"override {index} gives {outcome.level}")
        return outcome

    def route(self, context: dict[str, Any], now: Any = None) -> RoutingOutcome:
        trace = []
        for index, (rule, spec) in enumerate(self.routing):
            result = _run(rule, context, now)
            trace.append({"index": index, "name": spec["name"], "matched": result.matched,
                          **({"error": result.error} if result.error else {})})
            if result.matched:
                return RoutingOutcome(index, spec, trace)
        return RoutingOutcome(None, None, trace)

    def sla_policy(self, context: dict[str, Any], level: str, now: Any = None) -> SlaOutcome:
        trace = []
        for index, (rule, policy) in enumerate(self.sla):
            result = _run(rule, context, now)
            trace.append({"index": index, "name": policy["name"], "matched": result.matched,
                          **({"error": result.error} if result.error else {})})
            if result.matched:
                return SlaOutcome(index, policy, policy["targets"].get(level), trace)
        return SlaOutcome(None, None, None, trace)


def normalize_text(value: Any) -> Any:
    """A value with leading and trailing whitespace taken off every text in it (lists keep their places)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [normalize_text(item) for item in value]
    if isinstance(value, dict):
        return normalize_data(value)
    return value


def normalize_data(data: dict[str, Any]) -> dict[str, Any]:
    """Form data as it is validated and stored: texts trimmed, and a text that was only whitespace left out,
    as if the field had not been filled in (so ``required`` and ``minLength`` see what a person typed).
    Every path that writes ticket data (create, update, a transition's fields) goes through this."""
    out = {}
    for name, value in data.items():
        value = normalize_text(value)
        if value != "":
            out[name] = value
    return out


def _matrix_cell(cells: dict[str, str], values: list[Any]) -> str | None:
    """The most specific cell matching the values: exact parts beat '*', and '*' alone comes last."""
    best: tuple[int, str] | None = None
    for key in cells:
        if key == "*":
            continue
        parts = key.split("|")
        if len(parts) != len(values):
            continue
        pairs = zip(parts, values, strict=True)
        if all(part == "*" or (value is not None and part == _cell_text(value)) for part, value in pairs):
            wildcards = parts.count("*")
            if best is None or wildcards < best[0]:
                best = (wildcards, key)
    if best is not None:
        return best[1]
    return "*" if "*" in cells else None


def _cell_text(value: Any) -> str:
    """A value as matrix cell keys spell it: strings as they are, anything else as JSON (true, 3)."""
    return value if isinstance(value, str) else json.dumps(value)


@lru_cache(maxsize=1024)
def _field_validator(canonical: str) -> Any:
    return FormValidator(json.loads(canonical), format_checker=_format_checker)


def field_validator(schema: dict[str, Any]) -> Any:
    """A cached validator for one field's schema (transition fields are checked one by one)."""
    return _field_validator(json.dumps(schema, sort_keys=True, separators=(",", ":")))


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


_LIMITS = frozenset({"maxLength", "minLength", "maxItems", "minItems", "minimum", "maximum", "exclusiveMinimum",
                     "exclusiveMaximum"})


def error_message(error: Any, locale: str = DEFAULT_LOCALE, labels: Labels | None = None, field: str | None = None) -> str:
    """A jsonschema error as a sentence for the reader, in `locale`. `field` names the field the validated value
    belongs to (default: the first part of the error's path); with `labels`, its title and option labels are
    the reader's."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    path = list(error.absolute_path)
    top = (field is not None and not path) or (field is None and len(path) == 1 and isinstance(path[0], str))
    name = field if field is not None else (path[0] if top else None)
    title = labels.field_title(name) if labels is not None and top and name else schema.get("title")
    keyword = error.validator
    fixed = options_of(schema) if keyword in ("oneOf", "anyOf") else None  # labelled values: {const, title}
    if keyword == "enum" or fixed is not None:
        options = labels.options(name) if labels is not None and top and name else None
        shown = ([o["label"] for o in options] if options else [label for _, label in fixed] if fixed
                 else [str(v) for v in error.validator_value])
        return texts.say("form.enum", locale, options=texts.join(shown, locale))
    if keyword == "pattern_unsupported":  # a version published before validation refused such patterns
        return texts.say("form.pattern_unsupported", locale, title=title or texts.say("form.this_field", locale))
    if keyword in ("pattern", "format") and title:
        return texts.say(f"form.{keyword}", locale, title=title)
    if keyword in _LIMITS:
        return texts.say(f"form.{keyword}", locale, limit=error.validator_value)
    if keyword == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        if locale == DEFAULT_LOCALE:  # as it always read: "Must be of type string."
            return texts.say("form.type", locale, type=", ".join(map(str, kinds)))
        return texts.say("form.type", locale, type=texts.either((texts.word(f"type.{k}", locale, str(k)) for k in kinds),
                                                                  locale))
    if keyword == "uniqueItems":
        return texts.say("form.uniqueItems", locale)
    if locale == DEFAULT_LOCALE:
        return error.message
    return texts.say("form.invalid", locale)


def _message(error: Any) -> str:
    """An error's sentence in English (kept for callers that have no reader)."""
    return error_message(error)


@lru_cache(maxsize=256)
def _compiled(canonical: str) -> CompiledDefinition:
    return CompiledDefinition(json.loads(canonical))


def compile_definition(document: dict[str, Any]) -> CompiledDefinition:
    """The compiled form of a definition, cached by its canonical JSON (validators are built once).

    Serialising the document is the price of a lookup; callers that run one published
    version many times keep the CompiledDefinition themselves, keyed by the version id.
    """
    return _compiled(json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
