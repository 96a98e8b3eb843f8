"""The administrative audit log: who did what to users, teams, roles and tokens, and when.

Ticket history lives with tickets; this log covers the platform's own objects. Rows are
only ever inserted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_request_context
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from platform_core.db import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(64))  # e.g. "user.created"
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    client_address: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_entry_target", "target_type", "target_id"),)


def record(session: Session, action: str, target_type: str, target_id: Any, *,
           actor_id: int | None, details: dict[str, Any] | None = None) -> AuditEntry:
    """Add an audit entry to the session's unit of work (the caller commits)."""
    address = None
    if has_request_context():
        from flask import request

        address = request.remote_addr
    entry = AuditEntry(action=action, target_type=target_type,
                       target_id=None if target_id is None else str(target_id),
                       actor_id=actor_id, details=details or {}, client_address=address)
    session.add(entry)
    return entry
