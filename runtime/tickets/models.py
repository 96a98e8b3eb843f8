"""Ticket types and their published, immutable definition versions — what the runtime runs — and
tickets with their history, comments, attachments, watchers and links.

Drafts belong to the designer (``designer.drafts``); a ticket points at the version it was
created under and keeps running on it after later publishes. SLA clocks (``runtime.sla.models``)
and automation timers and runs (``runtime.automations.models``) live with the capabilities that own them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, func, literal_column, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_core.auth.models import Team, User
from platform_core.db import Base, UTCDateTime, utcnow

# States of these categories count as open work (load, backlog); resolved and closed do not.
OPEN_CATEGORIES = ("new", "open", "pending")
FINISHED_CATEGORIES = ("resolved", "closed")


class TicketType(Base):
    __tablename__ = "ticket_type"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    number_prefix: Mapped[str] = mapped_column(String(10), unique=True)
    latest_version: Mapped[int | None] = mapped_column()  # the number of the newest published version
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    versions: Mapped[list[TicketTypeVersion]] = relationship(
        back_populates="ticket_type", order_by="TicketTypeVersion.number", lazy="select",
        cascade="all, delete-orphan")

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class TicketTypeVersion(Base):
    """A published definition. Never updated after insert."""

    __tablename__ = "ticket_type_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_type_id: Mapped[int] = mapped_column(ForeignKey("ticket_type.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    definition: Mapped[dict[str, Any]] = mapped_column(deferred=True)  # loaded only when read; compiled once
    changelog: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    ticket_type: Mapped[TicketType] = relationship(back_populates="versions")
    published_by: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("ticket_type_id", "number"),)


class TicketCounter(Base):
    """The last number handed out per ticket type; incremented atomically (UPDATE ... RETURNING)."""

    __tablename__ = "ticket_counter"
    ticket_type_id: Mapped[int] = mapped_column(ForeignKey("ticket_type.id", ondelete="CASCADE"), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Ticket(Base):
    __tablename__ = "ticket"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    ticket_type_id: Mapped[int] = mapped_column(ForeignKey("ticket_type.id", ondelete="RESTRICT"))
    type_version_id: Mapped[int] = mapped_column(ForeignKey("ticket_type_version.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")  # lower-cased title + description, for ?q=
    data: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(64))
    status_category: Mapped[str] = mapped_column(String(16))
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    priority: Mapped[str] = mapped_column(String(20))
    # Set by hand: who, when and why (an SLA escalation that raises it sets the time, with nobody and no reason).
    # While set, editing the fields the priority depends on keeps it; no time means automatic (the definition's
    # matrix, overrides and routing decide).
    priority_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    priority_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    priority_reason: Mapped[str | None] = mapped_column(String(500))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    source: Mapped[str] = mapped_column(String(16), default="web")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    row_version: Mapped[int] = mapped_column(default=1)
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the earliest running SLA due time

    ticket_type: Mapped[TicketType] = relationship(lazy="joined")
    type_version: Mapped[TicketTypeVersion] = relationship(lazy="select")
    team: Mapped[Team | None] = relationship(lazy="joined")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")
    requester: Mapped[User] = relationship(foreign_keys=[requester_id], lazy="joined")
    priority_set_by: Mapped[User | None] = relationship(foreign_keys=[priority_set_by_id], lazy="select")
    parent: Mapped[Ticket | None] = relationship(remote_side=[id], lazy="select")

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        Index("ix_ticket_type_created", "ticket_type_id", "created_at", "id"),
        Index("ix_ticket_team_category", "team_id", "status_category", "id"),
        Index("ix_ticket_assignee_category", "assignee_id", "status_category", "id"),
        Index("ix_ticket_requester_created", "requester_id", "created_at", "id"),
        Index("ix_ticket_category_created", "status_category", "created_at", "id"),
        Index("ix_ticket_created", "created_at", "id"),
        Index("ix_ticket_sla_due", "sla_due_at", "id"),
        # ?q= is LIKE '%word%': on PostgreSQL a trigram index answers it without reading every row
        Index("ix_ticket_search_trgm", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )


def finished_at() -> Any:
    """When a resolved or closed ticket was finished (closed, else resolved, else last changed): the order of
    the similar-ticket candidates, newest first, read from ``ix_ticket_type_finished``, which is on this very
    expression (a query must spell it the same way to use the index)."""
    return func.coalesce(Ticket.closed_at, Ticket.resolved_at, Ticket.updated_at)


def is_finished() -> Any:
    """The ticket is resolved or closed: the predicate of ``ix_ticket_type_finished``, with the categories written
    into the statement, not bound, so PostgreSQL's generic plans and SQLite can prove a query's rows are in it."""
    return Ticket.status_category.in_([literal_column(f"'{category}'") for category in FINISHED_CATEGORIES])


# A ticket's similar tickets are the newest finished ones of its type: at 1,000,000 tickets the candidates were a
# sort of every finished ticket (about 400 ms), with it a few index pages. Partial: only finished tickets are in it.
Index("ix_ticket_type_finished", Ticket.ticket_type_id, finished_at(), Ticket.id,
      postgresql_where=is_finished(), sqlite_where=is_finished())

class TicketEvent(Base):
    """Append-only history: every creation, change, transition, assignment, comment, attachment …"""

    __tablename__ = "ticket_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))
    internal: Mapped[bool] = mapped_column(default=False)  # never shown to requesters
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    actor: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_ticket_event_ticket", "ticket_id", "id"),)


class TicketStateStay(Base):
    """One stay of a ticket in a state: entered at its creation or by a transition, left by the next transition
    (``left_at`` None: the state it is in now). Written by each transition, in its transaction, so the stays are the
    ticket's ``transitioned`` events paired up: a stay's state is the ``from`` of the transition that ended it,
    entered at the transition before (or the creation). A ticket that never moved has none yet (its first
    transition writes the stay since its creation). The time_in_state metric reads them by ``left_at``."""

    __tablename__ = "ticket_state_stay"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(64))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        # a ticket is in one state at a time: at most one open stay (two concurrent moves cannot both open one)
        Index("ux_ticket_state_stay_open", "ticket_id", unique=True,
              sqlite_where=text("left_at IS NULL"), postgresql_where=text("left_at IS NULL")),
        # the metric's range on left_at, with what it reads of each stay: an index-only scan
        Index("ix_ticket_state_stay_left", "left_at", "ticket_id", "status", "entered_at"),
    )


class TicketComment(Base):
    __tablename__ = "ticket_comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class Attachment(Base):
    """A stored file. Uploaded first (for forms and comments), then tied to a ticket."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)  # what forms store; not guessable
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)
    internal: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TicketWatcher(Base):
    __tablename__ = "ticket_watcher"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True)

    user: Mapped[User] = relationship(lazy="joined")


class TicketLink(Base):
    __tablename__ = "ticket_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    from_ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    to_ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # relates_to, duplicates, blocks
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("from_ticket_id", "to_ticket_id", "kind"),)


class IdempotencyRecord(Base):
    """A write seen with an Idempotency-Key: a ticket created, or a comment added (``comment_id``, on ``ticket_id``).
    The same key with the same request -> the same result; with another request -> 409. Keys are each user's own."""

    __tablename__ = "idempotency_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_comment.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    __table_args__ = (UniqueConstraint("user_id", "key"),)


class RoundRobinCursor(Base):
    """The member who got the last ticket of a team by round robin."""

    __tablename__ = "round_robin_cursor"
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    last_user_id: Mapped[int | None] = mapped_column()
