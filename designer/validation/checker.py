"""The checker: one (possibly invalid) document, the facts every check reads, and the phases in order;
each concern's checks are a mixin in its own module."""

from __future__ import annotations

from typing import Any

from designer.validation.approvals import ApprovalChecks
from designer.validation.charts import ChartChecks
from designer.validation.common import DEFAULT_LEVELS, INTERNAL_ERROR, _dict, _list, _quote, _text, _title, log
from designer.validation.form import FormChecks
from designer.validation.i18n import TranslationChecks
from designer.validation.metaschema import MetaSchemaChecks
from designer.validation.references import ReferenceChecks
from designer.validation.report import _Collector
from designer.validation.rules import RuleChecks
from designer.validation.sla import PriorityAndSlaChecks
from designer.validation.workflow import WorkflowChecks
from runtime.rules import texts
from runtime.rules.i18n import DEFAULT_LOCALE


class Checker(MetaSchemaChecks, FormChecks, TranslationChecks, RuleChecks, WorkflowChecks, ApprovalChecks,
              PriorityAndSlaChecks, ReferenceChecks, ChartChecks):
    """The checks after the shape and the format, over one (possibly invalid) document.

    Every accessor is defensive: the meta-schema errors are reported separately, and the semantic checks look
    only at the parts that have the expected type, so that one mistake does not produce a cascade.
    """

    def __init__(self, document: dict[str, Any], out: _Collector, cut: list[str], shortened: dict[str, int],
                 known_teams: set[str] | None, known_roles: set[str] | None, known_types: set[str] | None,
                 locale: str = DEFAULT_LOCALE) -> None:
        self.doc = document
        self.locale = locale
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

    def run(self) -> None:
        phases = (self.meta_schema, self.form_checks, self.translation_checks, self.rule_checks, self.workflow_checks,
                  self.approval_checks, self.priority_and_sla_checks, self.reference_checks, self.chart_checks)
        for phase in phases:
            try:
                phase()
            except Exception:  # a bug in one check must not hide what the others find
                log.exception("validation phase %s failed", phase.__name__)
                self.out.error("", self.say(INTERNAL_ERROR), "internal")

    def error(self, pointer: str, message: str, code: str) -> None:
        if pointer not in self.schema_pointers:  # one message per mistake: the schema's, when it has one
            self.out.error(pointer, message, code)

    def warning(self, pointer: str, message: str, code: str) -> None:
        self.out.warning(pointer, message, code)

    def say(self, sentence: str, /, **params: Any) -> str:
        """A sentence of runtime.rules.texts in the designer's language."""
        return texts.say(sentence, self.locale, **params)

    def label(self, parts: list[Any]) -> str | None:
        """What a location is, in the designer's words: "Transition 'resolve'", "Routing rule 2" …"""
        doc = self.doc
        if not parts:
            return None
        head = parts[0]
        n = len(parts)

        say = self.say

        def named(item: Any, key: str, kind: str, index: int) -> str:
            return say(f"check.label.{kind}", title=_title(item, key, index))

        def item_of(container: Any, index: Any) -> Any:
            if isinstance(container, list) and isinstance(index, int) and 0 <= index < len(container):
                return container[index]
            return None

        if head == "workflow" and n >= 3 and parts[1] in ("states", "transitions") and isinstance(parts[2], int):
            container = self.states if parts[1] == "states" else self.transitions
            text = named(item_of(container, parts[2]), "key", "state" if parts[1] == "states" else "transition", parts[2])
            if parts[1] == "transitions" and n >= 5 and parts[3] == "actions" and isinstance(parts[4], int):
                text += say("check.label.action", n=parts[4] + 1)
            elif parts[1] == "transitions" and n >= 5 and parts[3] == "fields":
                text += say("check.label.transition_field", name=_quote(_text(parts[4])))
            return text
        if head == "workflow":
            return say("check.label.workflow")
        if head in ("routing", "sla", "automations", "charts") and n >= 2 and isinstance(parts[1], int):
            item = item_of(doc.get(head), parts[1])
            if head == "routing":
                text = named(item, "name", "routing", parts[1])
            elif head == "sla":
                text = named(item, "name", "sla", parts[1])
                if n >= 4 and parts[2] == "escalate" and isinstance(parts[3], int):
                    text += say("check.label.escalation_step", n=parts[3] + 1)
            elif head == "automations":
                text = named(item, "name", "automation", parts[1])
                if n >= 4 and parts[2] == "do" and isinstance(parts[3], int):
                    text += say("check.label.action", n=parts[3] + 1)
            else:
                text = named(item, "key", "chart", parts[1])
                if n >= 4 and parts[2] == "measures" and isinstance(parts[3], int):
                    text += say("check.label.measure", n=parts[3] + 1)
            return text
        if head == "form" and n >= 3 and parts[1] == "field_rules" and isinstance(parts[2], int):
            return say("check.label.field_rule", n=parts[2] + 1)
        if head == "form" and n >= 4 and parts[1] == "schema" and parts[2] == "properties":
            return say("check.label.field", name=_quote(_text(parts[3])))
        if head == "form" and n >= 2 and parts[1] == "schema":
            return say("check.label.form_schema")
        if head == "form" and n >= 2 and parts[1] == "ui":
            return say("check.label.form_ui")
        if head == "priority" and n >= 3 and parts[1] == "overrides" and isinstance(parts[2], int):
            return say("check.label.override", n=parts[2] + 1)
        if head == "priority" and n >= 2 and parts[1] == "matrix":
            return say("check.label.matrix")
        return None

    def message(self, parts: list[Any], text: str) -> str:
        label = self.label(parts)
        return self.say("check.labelled", label=label, text=text) if label else text
