"""The working draft of each ticket type: saved even while invalid, published into versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_core.auth.models import User
from platform_core.db import Base, UTCDateTime, utcnow
from runtime.tickets.models import TicketType


class TicketTypeDraft(Base):
    __tablename__ = "ticket_type_draft"
    ticket_type_id: Mapped[int] = mapped_column(ForeignKey("ticket_type.id", ondelete="CASCADE"), primary_key=True)
    definition: Mapped[Any] = mapped_column(type_=Base.type_annotation_map[dict[str, Any]])
    revision: Mapped[int] = mapped_column(default=1)  # the draft's ETag; bumps on every save
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    ticket_type: Mapped[TicketType] = relationship()
    updated_by: Mapped[User | None] = relationship(lazy="joined")
