"""Saved filters: a user's named ticket-list queries, shown as queues in the agent workspace."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from platform_core.db import Base, UTCDateTime, utcnow
from platform_core.errors import Conflict, NotFound, ValidationFailed
from runtime.tickets.schemas import TicketQuerySchema

# The ticket-list query parameters a saved filter may hold (GET /api/v1/tickets), nothing else.
FILTER_KEYS = ("type", "status", "status_category", "priority", "team", "assignee", "requester", "q", "sort",
               "created_after", "created_before", "sla_due_before")
MAX_FILTERS_PER_USER = 100


class SavedFilter(Base):
    __tablename__ = "saved_filter"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "name"),)


def _clean_query(query: dict[str, Any]) -> dict[str, str]:
    unknown = sorted(set(query) - set(FILTER_KEYS))
    if unknown:
        raise ValidationFailed(f"A saved filter cannot hold {', '.join(unknown)}.",
                               details=[{"path": f"/query/{key}", "location": "json",
                                         "message": f"Not a ticket-list filter; use one of: {', '.join(FILTER_KEYS)}."}
                                        for key in unknown])
    cleaned = {}
    for key, value in query.items():
        if value is None or value == "":
            continue
        if not isinstance(value, str) or len(value) > 200:
            raise ValidationFailed.field(f"/query/{key}", "Must be text of at most 200 characters.")
        cleaned[key] = value
    problems = TicketQuerySchema().validate(cleaned)  # what GET /tickets would refuse, refused now
    if problems:
        details = [{"path": f"/query/{key}", "location": "json", "message": message}
                   for key, messages in sorted(problems.items()) for message in messages]
        raise ValidationFailed(f"/query/{next(iter(sorted(problems)))}: {details[0]['message']}", details=details)
    return cleaned


def list_filters(session: Session, user_id: int) -> list[SavedFilter]:
    return list(session.scalars(select(SavedFilter).where(SavedFilter.user_id == user_id)
                                .order_by(SavedFilter.name, SavedFilter.id)))


def get_filter(session: Session, user_id: int, filter_id: int) -> SavedFilter:
    found = session.get(SavedFilter, filter_id)
    if found is None or found.user_id != user_id:
        raise NotFound(f"Saved filter {filter_id} does not exist.")
    return found


def _commit_unique(session: Session, name: str) -> None:
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"You already have a saved filter named {name!r}.",
                       details=[{"path": "/name", "location": "json", "message": "Already in use."}]) from None


def create_filter(session: Session, user_id: int, name: str, query: dict[str, Any]) -> SavedFilter:
    count = len(list_filters(session, user_id))
    if count >= MAX_FILTERS_PER_USER:
        raise ValidationFailed(f"You can keep at most {MAX_FILTERS_PER_USER} saved filters.")
    saved = SavedFilter(user_id=user_id, name=name.strip(), query=_clean_query(query))
    session.add(saved)
    _commit_unique(session, saved.name)
    return saved


def update_filter(session: Session, user_id: int, filter_id: int, changes: dict[str, Any]) -> SavedFilter:
    saved = get_filter(session, user_id, filter_id)
    if "name" in changes:
        saved.name = changes["name"].strip()
    if "query" in changes:
        saved.query = _clean_query(changes["query"])
    saved.updated_at = utcnow()
    _commit_unique(session, saved.name)
    return saved


def delete_filter(session: Session, user_id: int, filter_id: int) -> None:
    session.delete(get_filter(session, user_id, filter_id))
    session.commit()
