"""The meta-schema check, with jsonschema's messages rewritten for designers."""

from __future__ import annotations

import re
from typing import Any

from designer.format.document import (
    META_VALIDATOR,
)
from designer.validation.common import (
    _JSON_TYPES,
    _choices,
    _dict,
    _did_you_mean,
    _found,
    _hint,
    _json_type,
    _keyword_message,
    _list,
    _names,
    _or,
    _pointer,
    _safe_first_duplicate,
    _say,
    _show,
    _subject,
)


class MetaSchemaChecks:
    """The meta-schema check, with jsonschema's messages rewritten for designers.

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

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
                hint = schema.get("x-error") or _say("check.schema.must_match", pattern=error.validator_value)
                self.emit_schema_problem(parts, _say("check.schema.name_hint", name=_show(instance), hint=_hint(hint)),
                                         "schema.name")
            else:
                self.emit_schema_problem(parts, _say("check.schema.name", name=_show(instance), problem=error.message),
                                         "schema.name")
            return
        if keyword == "additionalProperties" and error.validator_value is False and isinstance(instance, dict):
            allowed = [k for k in _dict(schema.get("properties")) if isinstance(k, str)]
            patterns = [p for p in _dict(schema.get("patternProperties")) if isinstance(p, str)]
            for key in instance:
                if key in allowed or any(re.search(p, str(key)) for p in patterns):
                    continue
                text = _say("check.schema.unknown_key", key=_show(key), allowed=_names(allowed)) + _did_you_mean(key, allowed)
                self.emit_schema_problem([*parts, key], text, "schema.unknown_key")
            return
        if keyword == "required" and isinstance(instance, dict):
            for name in _list(error.validator_value):
                if name not in instance:
                    self.emit_schema_problem([*parts, name], _say("check.schema.required", name=name), "schema.required")
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
                self.emit_schema_problem(parts, _say("check.schema.only_one", choices=_choices(needed)), "schema.one_of")
            else:
                many = "exactly_one" if error.validator == "oneOf" else "at_least_one"
                self.emit_schema_problem(parts, _say(f"check.schema.needs_{many}", choices=_choices(needed)), "schema.any_of")
            return
        if not context:
            self.emit_schema_problem(parts, _say("check.schema.several_forms", subject=subject), "schema.one_of")
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
            self.emit_schema_problem(parts, _say("check.schema.expected", subject=subject, value=_show(error.instance),
                                                 expected=_hint(description)), "schema.alternatives")
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
                expected.append(_json_type(kind))
        hint = _say("check.schema.expected_kinds", kinds=_or(dict.fromkeys(expected))) if expected else ""
        self.emit_schema_problem(parts, _say("check.schema.not_valid_here", subject=subject, value=_show(error.instance))
                                 + hint, "schema.alternatives")
