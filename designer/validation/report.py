"""The validation report: problems with JSON pointers, errors and warnings, capped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from designer.validation.common import _say

# At most this many errors and this many warnings are reported; the rest are counted in one last problem.
MAX_PROBLEMS = 500


# --- the report ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: where (a JSON pointer into the document, RFC 6901), what (for the designer), and a stable
    code for programs (e.g. ``workflow.unreachable_state``)."""

    pointer: str
    message: str
    code: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.pointer, "message": self.message, "code": self.code}


@dataclass(slots=True)
class ValidationReport:
    """Errors block publishing; warnings do not. Pointers refer to the document as validated (for a document
    in an older format, the upgraded one)."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "errors": [p.as_dict() for p in self.errors],
                "warnings": [p.as_dict() for p in self.warnings]}


class _Collector:
    """Gathers problems, drops exact repeats, and caps each list at MAX_PROBLEMS."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.more_errors = 0
        self.more_warnings = 0
        self.seen: set[tuple[str, str, bool]] = set()

    def error(self, pointer: str, message: str, code: str) -> None:
        self._add(pointer, message, code, True)

    def warning(self, pointer: str, message: str, code: str) -> None:
        self._add(pointer, message, code, False)

    def _add(self, pointer: str, message: str, code: str, is_error: bool) -> None:
        key = (pointer, message, is_error)
        if key in self.seen:
            return
        self.seen.add(key)
        target = self.errors if is_error else self.warnings
        if len(target) >= MAX_PROBLEMS:
            if is_error:
                self.more_errors += 1
            else:
                self.more_warnings += 1
            return
        target.append(Problem(pointer, message, code))

    def report(self) -> ValidationReport:
        errors, warnings = list(self.errors), list(self.warnings)
        if self.more_errors:
            errors.append(Problem("", _say("check.limit.more_errors", count=f"{self.more_errors:,}"), "limit.more_errors"))
        if self.more_warnings:
            warnings.append(Problem("", _say("check.limit.more_warnings", count=f"{self.more_warnings:,}"),
                                    "limit.more_warnings"))
        return ValidationReport(errors, warnings)
