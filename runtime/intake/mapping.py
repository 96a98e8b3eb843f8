"""From a payload to form data: an endpoint's mapping (form field -> JsonLogic over the payload), its source key
and deduplication key, compiled once by the rules engine and evaluated per call. Pure: no database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from platform_core.errors import ValidationFailed
from runtime.rules import texts
from runtime.rules.definition import CompiledDefinition
from runtime.rules.errors import RuleError
from runtime.rules.logic import CompiledRule, compile_rule

SOURCE_KEY_MAX = 200
KEY_TEXT_MAX = 200


@dataclass
class Mapped:
    """What a payload maps to: the form data, the keys, and every problem (a JSON pointer each)."""

    data: dict[str, Any] = field(default_factory=dict)
    source_key: str | None = None
    dedup_key: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def dedup_hash(self) -> str | None:
        return None if self.dedup_key is None else hashlib.sha256(self.dedup_key.encode()).hexdigest()


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def payload_pointer(rule: Any) -> str | None:
    """The payload's JSON pointer a mapping reads when it is a plain ``{"var": "a.b"}`` (with or without a
    default), so that an error names the caller's own field; None for anything computed."""
    if not isinstance(rule, dict) or len(rule) != 1 or "var" not in rule:
        return None
    name = rule["var"]
    if isinstance(name, list):
        name = name[0] if name else None
    if isinstance(name, int) and not isinstance(name, bool):
        name = str(name)
    if not isinstance(name, str) or not name:
        return None
    return "/" + "/".join(_escape(part) for part in name.split("."))


def compile_expression(rule: Any, pointer: str, locale: str) -> CompiledRule:
    """Compile one of an endpoint's expressions; a bad one is a 422 at its pointer in the request body."""
    try:
        return compile_rule(rule)
    except RuleError as error:
        where = pointer + (error.pointer or "")
        raise ValidationFailed.field(where, texts.say("intake.rule", locale, problem=error.message)) from None


def check_settings(compiled: CompiledDefinition, type_name: str, mapping: dict[str, Any], source_key: Any,
                   dedup_key: Any, locale: str) -> None:
    """Refuse (422, naming the pointer) a mapping to fields the form does not have, or an expression that does not
    compile."""
    for name, rule in mapping.items():
        if compiled.closed and name not in compiled.fields:
            raise ValidationFailed.field(f"/mapping/{_escape(name)}",
                                         texts.say("intake.unknown_field", locale, name=name[:100], type=type_name))
        compile_expression(rule, f"/mapping/{_escape(name)}", locale)
    for name, rule in (("source_key", source_key), ("dedup_key", dedup_key)):
        if rule is not None:
            compile_expression(rule, f"/{name}", locale)


def _key_text(value: Any) -> str | None:
    if value is None or value == "" or value == []:
        return None
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False,
                                                            separators=(",", ":"), default=str)


def map_payload(payload: Any, mapping: dict[str, Any], source_key: Any, dedup_key: Any, locale: str,
                now: Any = None) -> Mapped:
    """Evaluate the mapping and the keys over ``payload``; a field whose expression gives null is left out (the
    form then says whether it was required). Problems are collected, not raised."""
    result = Mapped()
    if not isinstance(payload, dict):
        result.errors.append({"path": "", "location": "json", "message": texts.say("intake.not_object", locale)})
        return result
    for name, rule in mapping.items():
        try:
            value = compile_rule(rule)(payload, now=now)
        except RuleError as error:
            result.errors.append({"path": payload_pointer(rule) or f"/data/{_escape(name)}", "location": "json",
                                  "field": name, "message": texts.say("intake.mapping_failed", locale, field=name,
                                                                      problem=error.message)})
            continue
        if value is not None:
            result.data[name] = value
    for which, rule in (("source_key", source_key), ("dedup_key", dedup_key)):
        if rule is None:
            continue
        try:
            text = _key_text(compile_rule(rule)(payload, now=now))
        except RuleError as error:
            result.errors.append({"path": payload_pointer(rule) or "", "location": "json", "message": texts.say(
                "intake.key_failed", locale, which=texts.say(f"intake.{which}", locale), problem=error.message)})
            continue
        if which == "source_key" and text is not None and len(text) > SOURCE_KEY_MAX:
            result.errors.append({"path": payload_pointer(rule) or "", "location": "json",
                                  "message": texts.say("intake.key_long", locale, limit=SOURCE_KEY_MAX)})
            continue
        setattr(result, which, text)
    return result


def form_errors_at_payload(errors: list[dict[str, Any]], mapping: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's validation errors (pointers into the form data) as pointers into the payload where the field's
    mapping reads one payload value, else into the mapped data (``/data/<field>``); each names its form field."""
    out = []
    for error in errors:
        parts = error["path"].split("/")
        name = parts[1].replace("~1", "/").replace("~0", "~") if len(parts) > 1 else ""
        source = payload_pointer(mapping.get(name)) if name else None
        path = source + "".join("/" + part for part in parts[2:]) if source else "/data" + error["path"]
        out.append({"path": path, "location": "json", "message": error["message"],
                    **({"field": name} if name else {})})
    return out
