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


class PriorityAndSlaChecks:
    """Priority (levels, the matrix, overrides) and SLA policies (targets, calendars, warnings, escalation levels).

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

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
