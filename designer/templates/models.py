"""Which template versions are installed here: one row per template, written by install, removed by uninstall."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from platform_core.db import Base, JSONDocument, UTCDateTime, utcnow


class InstalledTemplate(Base):
    __tablename__ = "installed_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column()  # the template's version as last installed
    ticket_types: Mapped[list[Any]] = mapped_column(JSONDocument, default=list)  # the type keys it ships
    # type key -> the definition this version shipped: the BASE of an upgrade's three-way comparison.
    # None for installs recorded before migration 0013 (see designer/templates/upgrade.py for the fallback).
    base_definitions: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, nullable=True)
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    installed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
