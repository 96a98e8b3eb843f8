"""Priority (levels, the matrix, overrides) and SLA policies (targets, calendars, warnings, escalation levels)."""

from __future__ import annotations

from typing import Any

from designer.validation.common import (
    STATE_CATEGORIES,
    _close_levels,
    _dict,
    _did_you_mean,
    _enum_values,
    _is_zero_duration,
    _join,
    _list,
    _lower,
    _names,
    _show,
    _text,
    _value_text,
)
from runtime.rules import texts


class PriorityAndSlaChecks:
    """Priority (levels, the matrix, overrides) and SLA policies (targets, calendars, warnings, escalation levels).

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

    def priority_and_sla_checks(self) -> None:
        levels = self.levels
        level_text = _names(levels)
        priority = _dict(self.doc.get("priority"))

        def check_level(pointer: str, value: Any, what: str, /, **params: Any) -> None:
            if isinstance(value, str) and value not in levels:
                self.error(pointer, self.say(f"check.priority.unknown_level.{what}", value=_show(value), levels=level_text,
                                              **params) + _did_you_mean(value, levels), "priority.unknown_level")

        producible: set[str] = set()
        default = priority.get("default")
        check_level("/priority/default", default, "default")
        producible.add(default if isinstance(default, str) and default in levels else levels[-1])
        matrix = _dict(priority.get("matrix"))
        by = _list(matrix.get("by"))
        by_values: list[set[str] | None] = []
        for index, name in enumerate(by):
            values = None
            if isinstance(name, str):
                if name not in self.fields:
                    self.error(_join("/priority/matrix/by", index),
                               self.say("check.priority.matrix_unknown_field", name=_text(name))
                               + _did_you_mean(name, self.fields), "priority.matrix_field")
                else:
                    found = _enum_values(self.fields[name])
                    if found is None:
                        self.error(_join("/priority/matrix/by", index),
                                   self.say("check.priority.matrix_open_field", name=_text(name)), "priority.matrix_field")
                    else:
                        values = {_value_text(v) for v in found}
            by_values.append(values)
        for key, value in _dict(matrix.get("cells")).items():
            pointer = _join("/priority/matrix/cells", key)
            check_level(pointer, value, "cell", cell=_text(key))
            if isinstance(value, str) and value in levels:
                producible.add(value)
            if key == "*" or not by:
                continue
            cell_parts = str(key).split("|")
            if len(cell_parts) != len(by):
                self.error(pointer, self.say("check.priority.matrix_cell_parts" if len(by) != 1
                                              else "check.priority.matrix_cell_part",
                                              cell=_text(key), count=len(by), fields="|".join(str(b) for b in by)),
                           "priority.matrix_cell")
                continue
            for part, name, values in zip(cell_parts, by, by_values, strict=True):
                if part != "*" and values is not None and part not in values:
                    self.error(pointer, self.say("check.priority.matrix_cell_value", cell=_text(key), part=_text(part),
                                                  name=name, values=_names(sorted(values)))
                               + _did_you_mean(part, values), "priority.matrix_cell")
        shifts_up, shifts_down = 0, 0
        for index, override in enumerate(_list(priority.get("overrides"))):
            override = _dict(override)
            check_level(_join("/priority/overrides", index, "set"), override.get("set"), "override", n=index + 1)
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
            check_level(_join("/routing", index, "set_priority"), value, "routing", name=self.label(["routing", index]))
            if isinstance(value, str) and value in levels:
                producible.add(value)
        policies = _list(self.doc.get("sla"))
        escalation_raises = any(_dict(step).get("raise_priority") is True
                                for policy in policies for step in _list(_dict(policy).get("escalate")))
        producible = _close_levels(levels, producible, shifts_up, shifts_down, escalation_raises)
        self.producible = producible
        self.sla_checks(policies, producible)

    def metric(self, metric: Any) -> str:
        """An SLA metric in a sentence: its key in English (as written), its name in other languages."""
        return str(metric) if self.locale == "en" else texts.word(f"metric.{metric}", self.locale, str(metric))

    def sla_checks(self, policies: list[Any], producible: set[str]) -> None:
        levels = self.levels
        catch_all: str | None = None
        for index, policy in enumerate(policies):
            if not isinstance(policy, dict):
                continue
            name = self.label(["sla", index])
            if catch_all is not None:
                self.warning(_join("/sla", index), self.say("check.sla.unreachable_policy", name=name, first=catch_all),
                             "sla.unreachable_policy")
            if catch_all is None and ("when" not in policy or policy.get("when") is True):
                catch_all = _lower(name)
            targets = policy.get("targets")
            if isinstance(targets, dict):
                for level, target in targets.items():
                    pointer = _join("/sla", index, "targets", level)
                    if level not in levels:
                        self.error(pointer, self.say("check.sla.unknown_level", name=name, level=_text(level),
                                                      levels=_names(levels)) + _did_you_mean(level, levels),
                                   "sla.unknown_level")
                    elif level not in producible:
                        self.error(pointer, self.say("check.sla.unreachable_level", name=name, level=level),
                                   "sla.unreachable_level")
                    for metric, duration in _dict(target).items():
                        if _is_zero_duration(duration):
                            self.error(_join(pointer, metric), self.say("check.sla.zero_target", name=name, level=level,
                                                                         metric=self.metric(metric)),
                                       "duration.zero")
                missing = [level for level in levels if level in producible and level not in targets]
                if missing:
                    these = self.say("check.sla.priority", level=missing[0]) if len(missing) == 1 else \
                        self.say("check.sla.priorities", levels=_names(missing[:-1]), last=missing[-1])
                    self.warning(_join("/sla", index, "targets"), self.say("check.sla.missing_level", name=name, these=these),
                                 "sla.missing_level")
            for j, duration in enumerate(_list(policy.get("warn_before"))):
                if _is_zero_duration(duration):
                    self.error(_join("/sla", index, "warn_before", j),
                               self.say("check.sla.zero_warning", name=name), "duration.zero")
            for j, state in enumerate(_list(policy.get("pause_in"))):
                if isinstance(state, str) and state not in self.state_keys and state not in STATE_CATEGORIES:
                    self.error(_join("/sla", index, "pause_in", j),
                               self.say("check.sla.unknown_state", name=name, state=_text(state),
                                         categories=_names(STATE_CATEGORIES))
                               + _did_you_mean(state, [*self.state_keys, *STATE_CATEGORIES]), "sla.unknown_state")
