"""Rules: every JsonLogic rule compiles and names only fields and ticket attributes that exist where it runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from designer.validation.common import (
    _dict,
    _did_you_mean,
    _join,
    _list,
    _lower,
    _resolves,
    _rule_names,
    _Site,
    _text,
    _ticket_path_problem,
    _title,
    log,
)
from runtime.rules.context import TICKET_ATTRIBUTES
from runtime.rules.logic import compile_rule
from runtime.rules.values import RuleError


class RuleChecks:
    """Rules: every JsonLogic rule compiles and names only fields and ticket attributes that exist where it runs.

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

    def rule_sites(self) -> Iterator[_Site]:
        for i, rule in enumerate(_list(self.form.get("field_rules"))):
            if isinstance(rule, dict) and "when" in rule:
                yield _Site(_join("/form/field_rules", i, "when"), rule["when"], self.say("check.rule.where.field_rule", n=i + 1))
        for i, override in enumerate(_list(_dict(self.doc.get("priority")).get("overrides"))):
            if isinstance(override, dict) and "when" in override:
                yield _Site(_join("/priority/overrides", i, "when"), override["when"],
                            self.say("check.rule.where.override", n=i + 1))
        for i, transition in enumerate(self.transitions):
            if not isinstance(transition, dict):
                continue
            name = self.label(["workflow", "transitions", i]) or ""
            scope = frozenset(k for k in _dict(transition.get("fields")) if isinstance(k, str))
            if "guard" in transition:
                yield _Site(_join("/workflow/transitions", i, "guard"), transition["guard"],
                            self.say("check.rule.where.guard", name=_lower(name)), scope)
            for j, action in enumerate(_list(transition.get("actions"))):
                yield from self.action_sites(action, _join("/workflow/transitions", i, "actions", j),
                                             self.say("check.rule.where.action", n=j + 1, name=_lower(name)), scope)
        for key in ("routing", "sla", "automations"):
            for i, item in enumerate(_list(self.doc.get(key))):
                if not isinstance(item, dict):
                    continue
                title = self.say(f"check.rule.kind.{key}", title=_title(item, "name", i))
                scope: frozenset[str] = frozenset()
                if key == "automations":
                    scope = frozenset(self.automation_scope(item))
                if "when" in item:
                    yield _Site(_join(f"/{key}", i, "when"), item["when"], self.say("check.rule.where.condition", name=title),
                                scope)
                if key == "automations":
                    for j, action in enumerate(_list(item.get("do"))):
                        yield from self.action_sites(action, _join("/automations", i, "do", j),
                                                     self.say("check.rule.where.action", n=j + 1, name=title), scope)
        for i, chart in enumerate(_list(self.doc.get("charts"))):
            if isinstance(chart, dict) and "filter" in chart:
                yield _Site(_join("/charts", i, "filter"), chart["filter"],
                            self.say("check.rule.where.filter", title=_title(chart, "key", i)))

    def action_sites(self, action: Any, pointer: str, where: str, scope: frozenset[str]) -> Iterator[_Site]:
        action = _dict(action)
        kind = action.get("do")
        if kind == "set":
            for name, rule in _dict(action.get("fields")).items():
                yield _Site(_join(pointer, "fields", name), rule, self.say("check.rule.where.value", name=_text(name),
                                                                            where=where), scope)
        elif kind == "create_child":
            for name, rule in _dict(action.get("map")).items():
                yield _Site(_join(pointer, "map", name), rule, self.say("check.rule.where.value", name=_text(name),
                                                                         where=where), scope)

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
            self.error(engine_pointer, self.say("check.labelled", label=site.where, text=exc.message), "rule.invalid")
        except Exception as exc:
            log.exception("compile_rule failed unexpectedly")
            self.error(site.pointer, self.say("check.rule.unchecked", where=site.where, kind=type(exc).__name__),
                       "rule.invalid")
        for kind, name, pointer in _rule_names(site.rule, site.pointer):
            if kind == "operator":
                if pointer != engine_pointer:
                    danger = self.say("check.rule.python") if name == "method" else ""
                    self.error(pointer, self.say("check.rule.operator", where=site.where, name=_text(name), danger=danger),
                               "rule.invalid")
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
            self.error(pointer, self.say("check.rule.unknown_attribute", where=site.where, name=_text(name),
                                          hint=_did_you_mean(name, ["ticket." + a for a in TICKET_ATTRIBUTES])),
                       "rule.unknown_attribute")
            return
        self.unknown_field(site, head, pointer, shown=name)

    def unknown_field(self, site: _Site, field_name: str, pointer: str, shown: str) -> None:
        owner = self.transition_fields.get(field_name)
        if owner is not None:
            self.warning(pointer, self.say("check.rule.transition_field", where=site.where, name=_text(shown),
                                            owner=_text(owner)), "rule.transition_field")
            return
        candidates = [*self.fields, *site.scope]
        self.error(pointer, self.say("check.rule.unknown_field", where=site.where, name=_text(field_name))
                   + _did_you_mean(field_name, candidates), "rule.unknown_field")
