"""A dashboard: a named grid of tiles (each a metric query and how to draw it), owned by one person and shared
with roles and teams; one per role may be that role's default."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_core.auth.models import User
from platform_core.db import Base, UTCDateTime, utcnow


class Dashboard(Base):
    __tablename__ = "dashboard"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    # {"roles": [role names], "teams": [team keys]}: who else may open it (read-only)
    shared_with: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    is_default_for: Mapped[str | None] = mapped_column(String(64))  # a role name: that role's default dashboard
    tiles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    refresh_seconds: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)  # the ETag: bumps on every save (If-Match, 412)

    owner: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (Index("ix_dashboard_owner", "owner_id"), Index("ix_dashboard_default", "is_default_for"))
    __mapper_args__ = {"version_id_col": version}
