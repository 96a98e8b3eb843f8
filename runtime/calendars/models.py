"""The stored business calendar."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from platform_core.db import Base, JSONDocument, UTCDateTime, utcnow
from runtime.calendars.business_time import ALWAYS_OPEN, ALWAYS_OPEN_DEFINITION
from runtime.calendars.checks import BUILT_IN_KEY

# --------------------------------------------------------------------------- the stored calendar


class BusinessCalendar(Base):
    """A calendar as admins define it; SLA policies name it by ``key``."""

    __tablename__ = "business_calendar"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    week: Mapped[dict[str, Any]] = mapped_column()  # {"mon": [["09:00", "12:00"], ...], ..., "sun": []}
    holidays: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)  # [{date, name}]
    workdays: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)  # [{date, name, intervals?}]
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow,
                                                        nullable=False)

    @property
    def built_in(self) -> bool:
        return self.key == BUILT_IN_KEY


def built_in_calendar() -> BusinessCalendar:
    """The always-open calendar, never stored: it exists in every installation and cannot change."""
    return BusinessCalendar(key=BUILT_IN_KEY, name=ALWAYS_OPEN.name, created_at=None, updated_at=None,
                            **copy.deepcopy(ALWAYS_OPEN_DEFINITION))
