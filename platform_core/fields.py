"""Marshmallow fields shared by every API: timestamps are always given out in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import fields


class Timestamp(fields.AwareDateTime):
    """ISO 8601 with an offset on input (naive values are refused); UTC on output."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", **kwargs)

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return super()._serialize(value.astimezone(UTC), attr, obj, **kwargs)
