"""A state's `approval` in the definition format: the meta-schema's shape and the checks of
designer/validation/approvals.py, each reported at its JSON pointer. No database."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from designer.validation import validate_definition
from tests.runtime.test_approvals import PURCHASE

BASE = "/workflow/states/1/approval"


def _with(approval: Any = None, **changes: Any) -> dict[str, Any]:
    definition = copy.deepcopy(PURCHASE)
    state = definition["workflow"]["states"][1]
    if approval is not None:
        state["approval"] = approval
    for key, value in changes.items():
        state["approval"][key] = value
    return definition


def _problems(definition: dict[str, Any], **known: Any) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    report = validate_definition(definition, **known)
    return ({(p.pointer, p.code) for p in report.errors}, {(p.pointer, p.code) for p in report.warnings})


def test_the_purchase_approval_is_valid_without_warnings():
    errors, warnings = _problems(_with(), known_roles={"approver", "admin", "agent", "requester", "designer"},
                                 known_teams=set())
    assert errors == set() and warnings == set()


@pytest.mark.parametrize(("changes", "problem"), [
    ({"on_approve": "aprove"}, (f"{BASE}/on_approve", "approval.unknown_transition")),
    ({"on_reject": "close"}, (f"{BASE}/on_reject", "approval.transition_source")),
    ({"on_reject": "approve"}, (f"{BASE}/on_reject", "approval.same_transition")),
    ({"deadline": "PT0M"}, (f"{BASE}/deadline", "duration.zero")),
    ({"on_timeout": "escalate"}, (f"{BASE}/on_timeout", "approval.escalate_to_missing")),
    ({"approvers": {}}, (f"{BASE}/approvers", "schema.any_of")),
    ({"approvers": {"users": ["ann"]}}, (f"{BASE}/approvers/users/0", "schema.pattern")),
    ({"approvers": {"roles": ["approver"], "managers": True}}, (f"{BASE}/approvers/managers", "schema.unknown_key")),
    ({"mode": "majority"}, (f"{BASE}/mode", "schema.enum")),
    ({"deadline": "15 minutes"}, (f"{BASE}/deadline", "schema.pattern")),
])
def test_each_mistake_is_reported_at_its_pointer(changes, problem):
    errors, _ = _problems(_with(**changes))
    assert problem in errors, errors


def test_required_keys_durations_and_automatic_transitions():
    definition = _with({"approvers": {"requester_manager": True}, "warn_before": "PT1H", "on_approve": "approve",
                        "on_reject": "reject"})
    errors, _ = _problems(definition)
    assert (f"{BASE}/warn_before", "approval.no_deadline") in errors
    missing = _with({"approvers": {"roles": ["approver"]}})
    errors, _ = _problems(missing)
    assert {code for _, code in errors} >= {"schema.required"}
    asks = _with()
    asks["workflow"]["transitions"][1]["require"] = ["comment"]
    asks["workflow"]["states"][3]["approval"] = copy.deepcopy(asks["workflow"]["states"][1]["approval"])
    errors, _ = _problems(asks)
    assert (f"{BASE}/on_approve", "approval.transition_asks") in errors
    assert ("/workflow/states/3/approval", "approval.final_state") in errors


def test_warnings_name_what_would_not_work():
    definition = _with(warn_before="PT4H", escalate_to={"teams": ["buyers"]})
    _, warnings = _problems(definition, known_roles={"agent"}, known_teams={"purchasing"})
    assert warnings >= {(f"{BASE}/warn_before", "approval.warning_too_early"),
                        (f"{BASE}/escalate_to", "approval.escalate_to_unused"),
                        (f"{BASE}/approvers/roles/0", "role.unknown"),
                        (f"{BASE}/escalate_to/teams/0", "team.unknown")}
