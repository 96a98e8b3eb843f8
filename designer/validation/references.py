"""References: states, transitions, fields, teams, roles and ticket types named by routing, automations and actions."""

from __future__ import annotations

from typing import Any

from designer.validation.common import _dict, _did_you_mean, _join, _list, _lower, _text


class ReferenceChecks:
    """References: states, transitions, fields, teams, roles and ticket types named by routing, automations and actions.

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

    def reference_checks(self) -> None:
        for index, name in enumerate(_list(_dict(self.doc.get("access")).get("public_fields"))):
            if isinstance(name, str) and name not in self.fields:
                self.error(_join("/access/public_fields", index), self.say("check.access.unknown_public_field",
                                                                            field=_text(name))
                           + _did_you_mean(name, self.fields), "access.unknown_public_field")
        known = {*self.fields, *self.transition_fields}
        for index, name in enumerate(_list(_dict(self.doc.get("access")).get("personal_fields"))):
            if isinstance(name, str) and name not in known:
                self.error(_join("/access/personal_fields", index), self.say("check.access.unknown_personal_field",
                                                                              field=_text(name))
                           + _did_you_mean(name, known), "access.unknown_personal_field")
        article = _dict(_dict(self.doc.get("knowledge")).get("article"))
        for section, pointer in article.items():
            pointers = pointer if isinstance(pointer, list) else [pointer]
            for index, one in enumerate(pointers):
                if not (isinstance(one, str) and one.startswith("/")):
                    continue
                name = one[1:]
                if name not in known:
                    where = _join("/knowledge/article", section, *([index] if isinstance(pointer, list) else []))
                    self.error(where, self.say("check.knowledge.unknown_field", field=_text(name), section=section)
                               + _did_you_mean(name, known), "knowledge.unknown_field")
        catch_all: str | None = None
        for index, rule in enumerate(_list(self.doc.get("routing"))):
            rule = _dict(rule)
            name = self.label(["routing", index])
            if catch_all is not None:
                self.warning(_join("/routing", index), self.say("check.routing.unreachable_rule", name=name, first=catch_all),
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
                                     self.say("check.transition.unknown_role", role=_text(role), name=_lower(name)),
                                     "role.unknown")
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
        if automation.get("on") == "survey_answered":
            return {"survey"}  # survey.score, survey.kind, survey.bad, survey.comment (runtime.automations.surveys)
        if automation.get("on") == "child_closed":
            return {"child"}  # child.number, child.type, child.status, child.status_category, child.data.* (runner)
        if automation.get("on") != "transitioned" or not isinstance(key, str) or key not in self.transition_keys:
            return set()
        return {k for k in _dict(_dict(self.transitions[self.transition_keys[key]]).get("fields")) if isinstance(k, str)}

    def check_trigger(self, automation: dict[str, Any], index: int, name: str) -> None:
        trigger = automation.get("on")
        uses = {"field": "field_changed", "transition": "transitioned", "state": "elapsed", "after": "elapsed"}
        for key, needs in uses.items():
            if key in automation and isinstance(trigger, str) and trigger != needs:
                self.warning(_join("/automations", index, key), self.say("check.automation.unused_key", name=name, key=key,
                                                                          needs=needs), "automation.unused_key")
        value = automation.get("field")
        if trigger == "field_changed" and isinstance(value, str) and value not in self.fields \
                and value not in self.transition_fields:
            self.error(_join("/automations", index, "field"), self.say("check.automation.unknown_field", name=name,
                                                                        field=_text(value))
                       + _did_you_mean(value, self.fields), "automation.unknown_field")
        value = automation.get("transition")
        if trigger == "transitioned" and isinstance(value, str) and value not in self.transition_keys:
            self.error(_join("/automations", index, "transition"),
                       self.say("check.automation.unknown_transition", name=name, transition=_text(value))
                       + _did_you_mean(value, self.transition_keys), "automation.unknown_transition")
        value = automation.get("state")
        if trigger == "elapsed" and isinstance(value, str) and value not in self.state_keys:
            self.error(_join("/automations", index, "state"), self.say("check.automation.unknown_state", name=name,
                                                                        state=_text(value))
                       + _did_you_mean(value, self.state_keys), "automation.unknown_state")

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
                    self.error(_join(pointer, "fields", name), self.say("check.action.unknown_field", where=where,
                                                                         field=_text(name))
                               + _did_you_mean(name, self.fields), "action.unknown_field")
        elif kind == "survey":
            self.check_survey(action, pointer, where)
        elif kind == "create_child":
            child = action.get("type")
            if (self.known_types is not None and isinstance(child, str) and child not in self.known_types
                    and child != self.doc.get("key")):
                self.warning(_join(pointer, "type"), self.say("check.action.unknown_type", type=_text(child),
                                                               where=_lower(where)), "type.unknown")

    def check_survey(self, action: dict[str, Any], pointer: str, where: str) -> None:
        """A bad score must lie on the survey's scale: CSAT 1-5, NPS 0-10."""
        bad, kind = action.get("bad_at_most"), action.get("kind", "csat")
        low, high = {"csat": (1, 5), "nps": (0, 10)}.get(kind if isinstance(kind, str) else "csat", (1, 5))
        if isinstance(bad, int) and not isinstance(bad, bool) and not low <= bad < high:
            self.error(_join(pointer, "bad_at_most"), self.say("check.survey.bad_score", where=where, bad=bad, kind=kind,
                                                               low=low, high=high, top=high - 1), "survey.bad_score")

    def check_assignment(self, assignment: Any, pointer: str, where: str) -> None:
        if not isinstance(assignment, dict):
            return
        if assignment.get("strategy") == "fixed" and not assignment.get("user"):
            self.error(_join(pointer, "strategy"), self.say("check.assignment.fixed_without_user", where=where),
                       "assignment.fixed_without_user")
        team = assignment.get("team")
        if self.known_teams is not None and isinstance(team, str) and team not in self.known_teams:
            self.warning(_join(pointer, "team"), self.say("check.assignment.unknown_team", team=_text(team),
                                                           where=_lower(where))
                         + _did_you_mean(team, self.known_teams), "team.unknown")

    def check_recipients(self, recipients: Any, pointer: str, where: str) -> None:
        if self.known_roles is None:
            return
        for index, recipient in enumerate(_list(recipients)):
            if isinstance(recipient, str) and recipient.startswith("role:"):
                role = recipient[5:]
                if role not in self.known_roles:
                    self.warning(_join(pointer, index), self.say("check.notify.unknown_role", role=_text(role),
                                                                  where=_lower(where)), "role.unknown")
