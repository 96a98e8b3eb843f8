"""Marshmallow fields shared by every API: timestamps are always given out in UTC; ids fit the database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError, fields, validate

from platform_core.guards import MAX_ID


class Timestamp(fields.AwareDateTime):
    """ISO 8601 with an offset on input (naive values are refused); UTC on output.

    The one parser for instants that come from outside (query parameters, bodies): it gives the instant in
    UTC, so an offset the database cannot store never reaches it, and refuses (422, naming the field) an
    instant that has no UTC equivalent, such as 9999-12-31T23:59:59-23:59 (after the year 9999 in UTC)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        parsed = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parsed.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError("This instant is outside the years 1 to 9999 once converted to UTC.") from None

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return super()._serialize(value.astimezone(UTC), attr, obj, **kwargs)


class Id(fields.Integer):
    """The id of a row: a whole number from 1 to 2^31 - 1 (PostgreSQL's integer). A larger one names nothing
    and is refused (422) before it reaches a query, where PostgreSQL would fail on it."""

    def __init__(self, **kwargs: Any) -> None:
        validators = list(kwargs.pop("validate", None) or [])
        super().__init__(validate=[validate.Range(min=1, max=MAX_ID), *validators], **kwargs)


class Flag(fields.Boolean):
    """A boolean in a JSON body: true or false only (marshmallow's Boolean also takes 0, 1, "yes", "on" …, which
    the OpenAPI document does not allow). Query parameters keep fields.Boolean, as they are text."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):  # 1 == True in Python, so the test is on the type
            raise self.make_error("invalid", input=value)
        return value
