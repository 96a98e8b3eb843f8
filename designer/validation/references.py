"""References: states, transitions, fields, teams, roles and ticket types named by routing, automations and actions."""

from __future__ import annotations

from typing import Any

from designer.validation.common import _dict, _did_you_mean, _join, _list, _lower, _text


class ReferenceChecks:
    """References: states, transitions, fields, teams, roles and ticket types named by routing, automations and actions.

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

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
