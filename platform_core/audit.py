"""The administrative audit log: who did what to users, teams, roles and tokens, and when.

Ticket history lives with tickets; this log covers the platform's own objects. Rows are
only ever inserted.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from flask import has_request_context
from sqlalchemy import ForeignKey, Index, Select, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from platform_core.auth.models import User
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


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filtered(filters: dict[str, Any]) -> Select:
    """The entries that match the audit log's filters (each optional): ``actor_id``; ``action`` (exact, or a prefix
    when it ends with '.', e.g. ``user.``); ``target_type``; ``target_id``; ``since`` (inclusive), ``until``
    (exclusive)."""
    stmt = select(AuditEntry)
    if filters.get("actor_id") is not None:
        stmt = stmt.where(AuditEntry.actor_id == filters["actor_id"])
    action = filters.get("action")
    if action:
        stmt = stmt.where(AuditEntry.action.like(_like_prefix(action), escape="\\") if action.endswith(".")
                          else AuditEntry.action == action)
    if filters.get("target_type"):
        stmt = stmt.where(AuditEntry.target_type == filters["target_type"])
    if filters.get("target_id"):
        stmt = stmt.where(AuditEntry.target_id == filters["target_id"])
    if filters.get("since") is not None:
        stmt = stmt.where(AuditEntry.at >= filters["since"])
    if filters.get("until") is not None:
        stmt = stmt.where(AuditEntry.at < filters["until"])
    return stmt


def with_actors(session: Session, entries: list[AuditEntry]) -> list[dict[str, Any]]:
    """Entries as dicts with ``actor`` ({id, name, email}, or None for the system or a deleted user)."""
    ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
    users = {user.id: user for user in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    out = []
    for entry in entries:
        user = users.get(entry.actor_id) if entry.actor_id is not None else None
        out.append({"id": entry.id, "at": entry.at, "actor_id": entry.actor_id, "action": entry.action,
                    "target_type": entry.target_type, "target_id": entry.target_id, "details": entry.details,
                    "client_address": entry.client_address,
                    "actor": {"id": user.id, "name": user.name, "email": user.email} if user else None})
    return out


CSV_COLUMNS = ("id", "at", "actor_id", "actor_email", "actor_name", "action", "target_type", "target_id",
               "client_address", "details")
CSV_BATCH = 500
# A cell a spreadsheet would read as a formula (CWE-1236): these starts, and the control characters some
# spreadsheets skip before one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A CSV cell that no spreadsheet runs as a formula: a leading = + - @ (or tab, CR) gets a quote before it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_lines(session: Session, filters: dict[str, Any]) -> Iterator[str]:
    """The matching entries as CSV text, newest first, a UTF-8 BOM first (so spreadsheets read it as UTF-8);
    read in batches by id, so a long log streams in constant memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()
    before: int | None = None
    while True:
        stmt = filtered(filters)
        if before is not None:
            stmt = stmt.where(AuditEntry.id < before)
        batch = list(session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(CSV_BATCH)))
        if not batch:
            return
        for entry in with_actors(session, batch):
            actor = entry["actor"] or {}
            writer.writerow([csv_cell(value) for value in (
                entry["id"], entry["at"].isoformat(), entry["actor_id"], actor.get("email"), actor.get("name"),
                entry["action"], entry["target_type"], entry["target_id"], entry["client_address"],
                json.dumps(entry["details"], ensure_ascii=False, sort_keys=True) if entry["details"] else "")])
        yield flush()
        if len(batch) < CSV_BATCH:
            return
        before = batch[-1].id
