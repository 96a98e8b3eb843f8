"""Approvals: what a state's `approval` refers to (its transitions, durations, people) and whether it can work."""

from __future__ import annotations

from typing import Any

from designer.validation.common import _dict, _did_you_mean, _join, _list, _text
from runtime.rules.durations import parse_duration


class ApprovalChecks:
    """A state's approval: its on_approve / on_reject transitions leave from that state and ask nothing, its
    durations make sense together, the roles and teams it names exist.

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

    def approval_checks(self) -> None:
        for index, state in enumerate(self.states):
            approval = _dict(_dict(state).get("approval"))
            if approval:
                self._approval(index, _dict(state), approval)

    def _approval(self, index: int, state: dict[str, Any], approval: dict[str, Any]) -> None:
        base = _join("/workflow/states", index, "approval")
        name = self.label(["workflow", "states", index])
        key = state.get("key")
        if state.get("final") is True:
            self.error(base, self.say("check.approval.final_state", name=name), "approval.final_state")
        chosen: dict[str, str] = {}
        for side in ("on_approve", "on_reject"):
            target = approval.get(side)
            if not isinstance(target, str):
                continue
            if target not in self.transition_keys:
                self.error(f"{base}/{side}", self.say("check.approval.unknown_transition", name=name, side=side,
                                                       transition=_text(target))
                           + _did_you_mean(target, self.transition_keys), "approval.unknown_transition")
                continue
            chosen[side] = target
            transition = _dict(self.transitions[self.transition_keys[target]])
            sources = transition.get("from")
            if isinstance(key, str) and sources != "*" and isinstance(sources, list) and key not in sources:
                self.error(f"{base}/{side}", self.say("check.approval.transition_source", name=name, side=side,
                                                       transition=_text(target), state=_text(key)),
                           "approval.transition_source")
            if transition.get("on") == "assigned":
                self.error(f"{base}/{side}", self.say("check.approval.automatic_transition", name=name,
                                                       transition=_text(target)), "approval.automatic_transition")
            for asked in ("require", "checklist"):
                if _list(transition.get(asked)):
                    self.error(f"{base}/{side}", self.say(f"check.approval.transition_asks_{asked}", name=name,
                                                           transition=_text(target)), "approval.transition_asks")
            if "guard" in transition:
                self.warning(f"{base}/{side}", self.say("check.approval.guard_ignored", name=name, transition=_text(target)),
                             "approval.guard_ignored")
        if len(chosen) == 2 and chosen["on_approve"] == chosen["on_reject"]:
            self.error(f"{base}/on_reject", self.say("check.approval.same_transition", name=name,
                                                      transition=_text(chosen["on_reject"])), "approval.same_transition")
        deadline = _duration(approval.get("deadline"))
        if deadline is not None and not deadline:
            self.error(f"{base}/deadline", self.say("check.approval.zero_deadline", name=name), "duration.zero")
        for asks in ("warn_before", "on_timeout"):
            if asks in approval and "deadline" not in approval:
                self.error(f"{base}/{asks}", self.say("check.approval.no_deadline", name=name, key=asks),
                           "approval.no_deadline")
        warn = _duration(approval.get("warn_before"))
        if warn is not None and deadline and warn >= deadline:
            self.warning(f"{base}/warn_before", self.say("check.approval.warning_too_early", name=name,
                                                          before=_text(approval["warn_before"]),
                                                          deadline=_text(approval["deadline"])),
                         "approval.warning_too_early")
        if approval.get("on_timeout") == "escalate" and "escalate_to" not in approval:
            self.error(f"{base}/on_timeout", self.say("check.approval.escalate_to_missing", name=name),
                       "approval.escalate_to_missing")
        elif "escalate_to" in approval and approval.get("on_timeout") != "escalate":
            self.warning(f"{base}/escalate_to", self.say("check.approval.escalate_to_unused", name=name),
                         "approval.escalate_to_unused")
        for part in ("approvers", "escalate_to"):
            self._approvers(f"{base}/{part}", name, _dict(approval.get(part)))

    def _approvers(self, pointer: str, name: str, approvers: dict[str, Any]) -> None:
        if self.known_roles is not None:
            for j, role in enumerate(_list(approvers.get("roles"))):
                if isinstance(role, str) and role not in self.known_roles:
                    self.warning(f"{pointer}/roles/{j}", self.say("check.approval.unknown_role", name=name, role=_text(role))
                                 + _did_you_mean(role, self.known_roles), "role.unknown")
        if self.known_teams is not None:
            for j, team in enumerate(_list(approvers.get("teams"))):
                if isinstance(team, str) and team not in self.known_teams:
                    self.warning(f"{pointer}/teams/{j}", self.say("check.approval.unknown_team", name=name, team=_text(team))
                                 + _did_you_mean(team, self.known_teams), "team.unknown")


def _duration(value: Any) -> Any:
    """The duration a text denotes, or None for a missing or malformed one (the meta-schema reports that)."""
    try:
        return parse_duration(value) if isinstance(value, str) else None
    except ValueError:
        return None
