"""The error of a rule that cannot be compiled or evaluated (its own module, so that runtime.rules.dates can
raise it without importing the evaluator)."""

from __future__ import annotations

from typing import Any


class RuleError(ValueError):
    """A rule that cannot be compiled or evaluated.

    `message` is written for the person who built the rule; `pointer` is a JSON pointer (RFC 6901) into the
    rule where the problem is, e.g. "/and/1/method"; `operator` names the operator concerned, when there is one.
    """

    def __init__(self, message: str, pointer: str | None = None, operator: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer
        self.operator = operator

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (background jobs); keep the pointer and operator when pickled.
        return (type(self), (self.message, self.pointer, self.operator))
