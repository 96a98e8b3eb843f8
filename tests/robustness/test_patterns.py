"""A definition's regular expressions are matched in linear time (RE2), and validation refuses the ones RE2
cannot run (issue 13: `^(a+)+$` against 28 characters held a worker 8.6 s)."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import pytest

from designer.validation import validate_definition
from runtime.rules.definition import compile_definition, field_validator
from runtime.rules.patterns import MAX_PATTERN_LENGTH, pattern_problem, search
from tests.conftest import PASSWORD, Api, error_of

ROOT = Path(__file__).resolve().parents[2]
REQUEST = json.loads((ROOT / "templates_library" / "it_service_desk" / "it-request.json").read_text())
EVIL = "^(a+)+$"
ATTACK = "a" * 28 + "!"  # 17 s with a backtracking engine, twice as long per extra "a"


def _request_with(pattern: str) -> dict:
    document = copy.deepcopy(REQUEST)
    document["form"]["schema"]["properties"]["justification"]["pattern"] = pattern
    return document


def test_a_catastrophic_pattern_is_matched_in_linear_time():
    compiled = compile_definition({"form": {"schema": {"type": "object", "properties": {
        "j": {"type": "string", "title": "Justification", "pattern": EVIL}},
        "patternProperties": {"^(b+)+$": {"type": "integer"}}, "additionalProperties": False}}})
    started = time.perf_counter()
    _, errors = compiled.validate_data({"j": ATTACK, "b" * 40 + "!": 1}, {})
    assert time.perf_counter() - started < 0.5
    assert [e["path"] for e in errors] == ["", "/j"]  # the key matches no pattern: additionalProperties refuses it
    assert errors[1]["message"] == "Justification does not have the expected format."


def test_unevaluated_properties_match_pattern_properties_in_linear_time():
    validator = field_validator({"type": "object", "patternProperties": {"^(b+)+$": {}},
                                 "unevaluatedProperties": False})
    started = time.perf_counter()
    assert [e.validator for e in validator.iter_errors({"b" * 40 + "!": 1})] == ["unevaluatedProperties"]
    assert list(validator.iter_errors({"bbb": 1})) == []
    assert time.perf_counter() - started < 0.5


def test_transition_field_patterns_are_matched_in_linear_time():
    started = time.perf_counter()
    assert [e.validator for e in field_validator({"type": "string", "pattern": EVIL}).iter_errors(ATTACK)] == ["pattern"]
    assert time.perf_counter() - started < 0.5


def test_ecma_semantics_are_kept():
    assert search("^[A-Z]{2}-\\d{4}$", "AB-1234") and not search("^[A-Z]{2}-\\d{4}$", "AB-1234\n")
    assert search("^[\\u4e00-\\u9fa5]+$", "工单") and not search("^[\\u4e00-\\u9fa5]+$", "ticket")
    assert not search("^a.b$", "a\rb") and search("^a.b$", "a-b")
    assert not search("\\d", "٣")  # ECMA's \d is ASCII, as in the browser


@pytest.mark.parametrize("pattern", ["(a)\\1", "^(?=.*\\d).+$", "(?<!x)y", "(?P<n>a)(?P=n)", "a{1001}"])
def test_validation_refuses_patterns_the_engine_cannot_run(pattern):
    assert pattern_problem(pattern)
    report = validate_definition(_request_with(pattern))
    problems = [p for p in report.errors if p.code == "form.pattern_unsupported"]
    assert [p.pointer for p in problems] == ["/form/schema/properties/justification/pattern"]
    assert "look-ahead" in problems[0].message


def test_validation_refuses_overlong_patterns_and_unusable_pattern_properties():
    report = validate_definition(_request_with("a" * (MAX_PATTERN_LENGTH + 1)))
    assert [(p.pointer, p.code) for p in report.errors] == [("/form/schema/properties/justification/pattern",
                                                             "form.pattern_too_long")]
    document = copy.deepcopy(REQUEST)
    document["workflow"]["transitions"][0].setdefault("fields", {})["extra"] = {
        "type": "object", "patternProperties": {"(?=x)": {"type": "string"}}}
    report = validate_definition(document)
    assert [p.pointer for p in report.errors if p.code == "form.pattern_unsupported"] == [
        "/workflow/transitions/0/fields/extra/patternProperties/(?=x)"]
    assert validate_definition(_request_with(EVIL)).ok  # RE2 runs it in linear time: nothing to refuse


def test_a_published_catastrophic_pattern_does_not_stall_the_server(app, admin, make_user):
    make_user("rita@example.com", ["requester"])
    assert admin.post("/api/v1/ticket-types/import", json=_request_with(EVIL)).status_code == 201
    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200
    data = {"title": "New laptop please", "category": "software", "software_name": "Visio", "justification": ATTACK}
    started = time.perf_counter()
    response = rita.post("/api/v1/tickets", json={"type": "it-request", "data": data})
    assert time.perf_counter() - started < 2
    assert response.status_code == 422
    assert [d["path"] for d in error_of(response)["details"]] == ["/data/justification"]


def test_a_version_published_before_the_check_refuses_at_match_time(app, admin, make_user):
    """A pattern RE2 cannot run that is already published answers 422 naming the field (never a 500, never a
    backtracking match); `gongdan definitions check-patterns` lists it."""
    from platform_core.db import get_session
    from runtime.tickets.models import TicketTypeVersion

    make_user("rita@example.com", ["requester"])
    assert admin.post("/api/v1/ticket-types/import", json=REQUEST).status_code == 201
    with app.app_context():
        session = get_session()
        version = session.query(TicketTypeVersion).one()
        version.definition = _request_with("^(?=.*\\d).{10,}$")
        session.commit()
    rita = Api(app.test_client())
    rita.login("rita@example.com", PASSWORD)
    data = {"title": "New laptop please", "category": "software", "software_name": "Visio",
            "justification": "Needed for project 7"}
    response = rita.post("/api/v1/tickets", json={"type": "it-request", "data": data})
    assert response.status_code == 422
    detail = error_of(response)["details"][0]
    assert detail["path"] == "/data/justification" and "cannot be checked" in detail["message"]
    assert rita.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    chinese = rita.post("/api/v1/tickets", json={"type": "it-request", "data": data})
    assert "无法校验" in error_of(chinese)["details"][0]["message"]

    result = app.test_cli_runner().invoke(args=["definitions", "check-patterns"])
    assert result.exit_code == 1, result.output
    assert "it-request v1" in result.output and "/form/schema/properties/justification/pattern" in result.output
